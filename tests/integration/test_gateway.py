"""The gateway answers webhooks whatever Rasa is doing; supervision restarts what dies.

Real processes: `python -m bot run` (supervisord, the gateway, Rasa, actions, console),
signed SMS from the real twilio validator's side (tests/fakes/twilio_api.py).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import (
    TWILIO_FROM,
    descendants,
    free_port,
    plain,
    start_hotline,
    stop_hotline,
    twilio_env,
    wait_for,
)
from tests.databases import on_postgresql
from tests.fakes.twilio_api import inbound_sms_params, post_inbound

pytestmark = pytest.mark.rasa

# How `hotline run` starts each Rasa worker (bot/cli.py rasa_command).
RASA_RUN = "-m bot.nlu.rasa_main run"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _rasa_pid(root: int) -> int:
    for pid in descendants(root):
        if RASA_RUN in _cmdline(pid):
            return pid
    raise AssertionError("no Rasa process under the supervisor")


def _all_answered(db_url: str, channel: str = "twilio") -> bool:
    engine = create_engine(db_url, future=True)
    try:
        with engine.connect() as conn:
            return conn.execute(text(
                "select (select count(*) from inbound_messages where channel = :c "
                "and status != 'processed') + (select count(*) from outbound_messages "
                "where channel = :c and status in ('queued', 'sending'))"), {"c": channel}
            ).scalar() == 0
    finally:
        engine.dispose()


class Burst:
    """Texters sending signed SMS webhooks in the background; what was accepted or refused."""

    def __init__(self, url: str, fake, numbers: list[str],  # type: ignore[no-untyped-def]
                 bodies: tuple[str, ...] = ("hi", "y", "2", "passport", "more", "thanks"),
                 pause: float = 0.4, until: threading.Event | None = None) -> None:
        """Each texter sends `bodies` once, or (with `until`) over and over until it is set."""
        self.accepted: dict[str, list[str]] = defaultdict(list)
        self.accepted_at: list[float] = []  # time.monotonic() of each accepted webhook
        self.refused: list[str] = []
        self._lock = threading.Lock()
        self.numbers = numbers
        self._until = until
        self._threads = [threading.Thread(target=self._texter, args=(url, fake, n, bodies,
                                                                     pause))
                         for n in numbers]

    def _texter(self, url: str, fake, number: str,  # type: ignore[no-untyped-def]
                bodies: tuple[str, ...], pause: float) -> None:
        i = 0
        while i < len(bodies) or (self._until is not None and not self._until.is_set()):
            body = bodies[i % len(bodies)]
            i += 1
            params = inbound_sms_params(number, body, to=TWILIO_FROM,
                                        account_sid=fake.account_sid)
            try:
                ok = post_inbound(url, fake.auth_token, params, timeout=10).status == 200
            except OSError:
                ok = False
            with self._lock:
                if ok:
                    self.accepted[number].append(params["MessageSid"])
                    self.accepted_at.append(time.monotonic())
                else:
                    self.refused.append(params["MessageSid"])
            time.sleep(pause)

    def start(self) -> Burst:
        for t in self._threads:
            t.start()
        return self

    def sent(self) -> int:
        with self._lock:
            return sum(map(len, self.accepted.values())) + len(self.refused)

    def join(self) -> None:
        for t in self._threads:
            t.join()


def _user_message_ids(hotline, tmp: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """The message id of every user event in Rasa's tracker store (data is encrypted)."""
    sql = "select data from events where type_name = 'user'"
    if on_postgresql():
        rows = [r[0] for r in hotline.rows(sql)]
    else:
        engine = create_engine(f"sqlite:///{tmp / 'tracker.db'}", future=True)
        with engine.connect() as conn:
            rows = [r[0] for r in conn.execute(text(sql))]
        engine.dispose()
    return [json.loads(plain(r)).get("message_id") for r in rows]


def _assert_each_answered_once(hotline, fake_twilio, burst: Burst,  # type: ignore[no-untyped-def]
                               tmp: Path) -> int:
    """Every accepted SMS processed, its replies sent once each; returns the reply count."""
    wait_for(lambda: _all_answered(hotline.database_url), timeout=300,
             what="every accepted SMS answered")
    rows = hotline.rows("select provider_message_id, status from inbound_messages "
                        "where channel = 'twilio'")
    assert {r[0] for r in rows} == {s for sids in burst.accepted.values() for s in sids}
    assert {r[1] for r in rows} == {"processed"}
    replies = hotline.rows("select inbound_id, seq, provider_message_id, status from "
                           "outbound_messages where channel = 'twilio'")
    assert len(replies) == len({(r[0], r[1]) for r in replies})
    assert {r[3] for r in replies} == {"sent"}
    # Every inbox row got its answer (the menu, the screening, ...): none skipped.
    answered = {r[0] for r in replies}
    inbound_ids = {r[0] for r in hotline.rows("select id from inbound_messages "
                                              "where channel = 'twilio'")}
    assert inbound_ids <= answered, "an accepted SMS got no reply"
    for number in burst.numbers:  # nothing at the provider that the outbox did not send once
        sids = sorted(m["sid"] for m in fake_twilio.messages_to(number))
        assert len(sids) == len(set(sids))
        bodies = [m["body"] for m in fake_twilio.messages_to(number)]
        assert bodies[0].startswith("Hi, thanks for writing.")
    assert sorted(m["sid"] for m in fake_twilio.messages if m["to"] in burst.numbers) == \
        sorted(r[2] for r in replies)
    # Rasa applied each message once: one user event per message id in the tracker.
    applied = [m for m in _user_message_ids(hotline, tmp) if m and m.startswith("twilio-")]
    assert applied and len(applied) == len(set(applied)), "Rasa applied a message twice"
    return len(replies)


@pytest.mark.supervision
def test_rasa_killed_mid_burst_refuses_no_webhook(tmp_path, fake_twilio, capsys) -> None:
    hotline = start_hotline(tmp_path, twilio_env(fake_twilio))
    try:
        url = f"{hotline.base_url}/webhooks/twilio/webhook"
        burst = Burst(url, fake_twilio, [f"+1777000{i:04d}" for i in range(6)]).start()
        wait_for(lambda: burst.sent() >= 8, what="the burst to start")
        rasa = _rasa_pid(hotline.process.pid)
        os.kill(rasa, signal.SIGKILL)  # Rasa dies mid-turn; the gateway keeps accepting
        burst.join()
        assert burst.refused == [], "a webhook was refused while Rasa was down"
        # supervisord starts Rasa again; every accepted message is then answered once.
        replies = _assert_each_answered_once(hotline, fake_twilio, burst, tmp_path)
        assert _rasa_pid(hotline.process.pid) != rasa
        with capsys.disabled():
            print(f"\n[gateway test] accepted={sum(map(len, burst.accepted.values()))} "
                  f"refused={len(burst.refused)} replies={replies}")
    finally:
        stop_hotline(hotline)


def _supervisord_conf(root: int) -> str:
    for pid in [root, *descendants(root)]:
        args = _cmdline(pid).split()
        if "supervisor.supervisord" in args and "-c" in args:
            return args[args.index("-c") + 1]
    raise AssertionError("no supervisord under `hotline run`")


@pytest.mark.supervision
def test_rasa_restarted_under_load_refuses_and_doubles_nothing(tmp_path, fake_twilio,
                                                                capsys) -> None:
    """A model deploy: `supervisorctl restart rasa` while SMS keep arriving."""
    hotline = start_hotline(tmp_path, twilio_env(fake_twilio))
    try:
        url = f"{hotline.base_url}/webhooks/twilio/webhook"
        done = threading.Event()
        # 3.5 s apart: under the flood limit (20 a minute), so every SMS gets an answer.
        burst = Burst(url, fake_twilio, [f"+1777100{i:04d}" for i in range(5)],
                      bodies=("hi", "y", "2", "more", "thanks", "menu", "2"), pause=3.5,
                      until=done).start()
        wait_for(lambda: burst.sent() >= 6, what="the burst to start")
        rasa = _rasa_pid(hotline.process.pid)
        began = time.monotonic()
        restart = subprocess.run(
            [sys.executable, "-m", "supervisor.supervisorctl", "-c",
             _supervisord_conf(hotline.process.pid), "restart", "rasa"],
            capture_output=True, text=True, timeout=120)
        assert restart.returncode == 0, restart.stdout + restart.stderr
        restarted = time.monotonic() - began  # the old Rasa stopped, the new one runs
        # The new Rasa is loading its model: texters keep writing until it answers.
        wait_for(lambda: httpx.get(f"{hotline.base_url}/health", timeout=5).json()[
            "assistant"] == "up", timeout=240, what="the new Rasa to load its model")
        back = time.monotonic()
        done.set()
        burst.join()
        assert burst.refused == [], "a webhook was refused during the restart"
        assert any(began < at < back for at in burst.accepted_at), \
            "no SMS arrived while Rasa restarted"
        replies = _assert_each_answered_once(hotline, fake_twilio, burst, tmp_path)
        assert _rasa_pid(hotline.process.pid) != rasa
        with capsys.disabled():
            print(f"\n[gateway test] restart: stop+start {restarted:.1f} s, model loaded "
                  f"after {back - began:.0f} s; accepted="
                  f"{sum(map(len, burst.accepted.values()))} replies={replies}")
    finally:
        stop_hotline(hotline)


def _port_free(port: int) -> bool:
    """Nothing listens on it (a server can bind it again, as ours do with SO_REUSEADDR;
    closed connections may still sit in TIME_WAIT)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
        return True


@pytest.mark.supervision
@pytest.mark.parametrize("victim", ["supervisord", "hotline run"])
def test_supervisor_killed_takes_its_children_and_the_next_start_works(tmp_path,
                                                                       victim) -> None:
    names = ("bot.gateway", RASA_RUN, "bot.actions_server", "bot.console")
    ports = {"HOTLINE_RASA_PORT": free_port(), "HOTLINE_ACTIONS_PORT": free_port(),
             "HOTLINE_CONSOLE_PORT": free_port()}
    env = {k: str(v) for k, v in ports.items()}
    first = start_hotline(tmp_path, env)
    port = int(first.base_url.rsplit(":", 1)[1])
    children = descendants(first.process.pid)
    assert set(names) <= {name for pid in children for name in names
                          if name in _cmdline(pid)}
    (supervisord,) = [p for p in children if "supervisor.supervisord" in _cmdline(p)]
    # SIGKILL: nothing runs a shutdown; the kernel must take the children down.
    os.kill(supervisord if victim == "supervisord" else first.process.pid, signal.SIGKILL)
    if victim == "supervisord":
        assert first.process.wait(timeout=60) != 0  # `hotline run` notices and exits
    else:
        first.process.wait()
    wait_for(lambda: not [p for p in children if Path(f"/proc/{p}").exists()
                          and "zombie" not in _status(p)],
             timeout=60, what="every child to stop with its supervisor")
    # No process is left holding a port: gateway, Rasa, actions, console.
    wait_for(lambda: all(_port_free(p) for p in [port, *ports.values()]), timeout=10,
             what="every port to be free")
    second = start_hotline(tmp_path, env, port=port)  # the same ports again
    try:
        assert second.texts("after-restart", "hi")
    finally:
        stop_hotline(second)


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return ""


def test_internal_channel_needs_the_secret_and_never_applies_a_turn_twice(tmp_path) -> None:
    rasa_port, secret = free_port(), secrets.token_urlsafe(32)
    hotline = start_hotline(tmp_path, {"HOTLINE_RASA_PORT": str(rasa_port),
                                       "HOTLINE_INTERNAL_SECRET": secret})
    try:
        turn = f"http://127.0.0.1:{rasa_port}/webhooks/internal/turn"
        body = {"sender": "conv-internal-1", "message": "hi", "message_id": "webchat-x1",
                "input_channel": "webchat", "attempt": 1}
        assert httpx.post(turn, json=body, timeout=30).status_code == 403
        assert httpx.post(turn, json=body, headers={"X-Hotline-Internal": "x" * 40},
                          timeout=30).status_code == 403
        headers = {"X-Hotline-Internal": secret}
        first = httpx.post(turn, json=body, headers=headers, timeout=60).json()
        assert first["messages"] and first["replayed"] is False
        again = httpx.post(turn, json={**body, "attempt": 2}, headers=headers,
                           timeout=60).json()
        assert again == {"messages": first["messages"], "replayed": True}
        # Rasa listens on loopback only, and the gateway is what the public reaches.
        health = httpx.get(f"{hotline.base_url}/health", timeout=10).json()
        assert health == {"status": "ok", "assistant": "up"}
    finally:
        stop_hotline(hotline)


@pytest.mark.supervision
def test_webhooks_are_answered_while_rasa_starts(tmp_path, fake_twilio) -> None:
    """Right after `hotline run`, before Rasa has loaded its model, SMS are accepted."""
    hotline = start_hotline(tmp_path, twilio_env(fake_twilio), wait_for_assistant=False)
    try:
        assert httpx.get(f"{hotline.base_url}/health", timeout=5).json()["assistant"] == "down"
        params = inbound_sms_params("+17770009999", "hi", to=TWILIO_FROM,
                                    account_sid=fake_twilio.account_sid)
        url = f"{hotline.base_url}/webhooks/twilio/webhook"
        assert post_inbound(url, fake_twilio.auth_token, params, timeout=10).status == 200
        # Answered once Rasa is up.
        wait_for(lambda: fake_twilio.messages_to("+17770009999"), timeout=300,
                 what="the reply after Rasa started")
    finally:
        stop_hotline(hotline)


def test_while_rasa_is_down_an_emergency_is_answered_and_web_chat_is_told_to_wait(
        tmp_path, fake_twilio) -> None:
    env = {**twilio_env(fake_twilio), "HOTLINE_WEBCHAT_WAIT_SECONDS": "2"}
    hotline = start_hotline(tmp_path, env, wait_for_assistant=False)
    try:
        params = inbound_sms_params("+17770008888", "he is hitting me", to=TWILIO_FROM,
                                    account_sid=fake_twilio.account_sid)
        url = f"{hotline.base_url}/webhooks/twilio/webhook"
        assert post_inbound(url, fake_twilio.auth_token, params, timeout=10).status == 200
        (reply, *_) = wait_for(lambda: fake_twilio.messages_to("+17770008888"), timeout=60,
                               what="the emergency reply")  # long before Rasa has loaded
        assert "911" in reply["body"] and "1-888-373-7888" in reply["body"]
        assert httpx.get(f"{hotline.base_url}/health", timeout=5).json()["assistant"] == "down"
        (request,) = hotline.rows("select priority, status from handoff_requests")
        assert tuple(request) == ("emergency", "open")
        # Web chat: "one moment", then the real reply through /updates once Rasa is up.
        waiting = hotline.post("page-9", "hi")
        assert len(waiting) == 1 and "longer than usual" in waiting[0]["text"]

        def later() -> list:
            return hotline.updates("page-9").json()

        arrived = wait_for(later, timeout=300, what="the delayed web chat reply")
        assert arrived and all(m["text"] for m in arrived)
    finally:
        stop_hotline(hotline)


@pytest.mark.supervision
def test_two_rasa_workers_under_hotline_run(tmp_path) -> None:
    """HOTLINE_RASA_WORKERS=2: two Rasa programs, each conversation on its own worker.

    While worker 0 is killed (and restarting), conversations of worker 1 are
    answered at once: they never go to worker 0.
    """
    from bot.gateway.workers import worker_index

    base = free_port()
    hotline = start_hotline(tmp_path, {"HOTLINE_RASA_WORKERS": "2"})
    try:
        rasas = [p for p in descendants(hotline.process.pid) if RASA_RUN in _cmdline(p)]
        ports = sorted(int(_cmdline(p).split("--port ")[1].split()[0]) for p in rasas)
        assert len(rasas) == 2 and len(set(ports)) == 2
        health = httpx.get(f"{hotline.base_url}/health", timeout=10).json()
        assert health == {"status": "ok", "assistant": "up", "workers": {"up": 2, "of": 2}}
        conversation: dict[str, str] = {}
        for i in range(8):
            sender = f"workers-{base}-{i}"
            assert hotline.texts(sender, "hi")[0].startswith("Hi, thanks for writing.")
            (row,) = hotline.rows("select conversation_id from inbound_messages where "
                                  "channel = 'webchat' order by id desc limit 1")
            conversation[sender] = row[0]
        on = {i: [s for s, c in conversation.items() if worker_index(c, 2) == i]
              for i in (0, 1)}
        assert on[0] and on[1], "the conversations did not spread over both workers"
        # Kill worker 0 (the gateway's first Rasa URL); worker 1's texters carry on.
        (gateway,) = [p for p in descendants(hotline.process.pid)
                      if "-m bot.gateway" in _cmdline(p)]
        environ = Path(f"/proc/{gateway}/environ").read_bytes().split(b"\0")
        (urls,) = [e.split(b"=", 1)[1].decode() for e in environ
                   if e.startswith(b"HOTLINE_RASA_URL=")]
        first = int(urls.split(",")[0].rsplit(":", 1)[1])
        assert sorted(int(u.rsplit(":", 1)[1]) for u in urls.split(",")) == ports
        (victim,) = [p for p in rasas if f"--port {first} " in _cmdline(p) + " "]
        os.kill(victim, signal.SIGKILL)
        started = time.monotonic()
        for sender in on[1]:
            assert hotline.texts(sender, "y")  # the next step of their own dialogue
        assert time.monotonic() - started < 30
        health = httpx.get(f"{hotline.base_url}/health", timeout=10).json()
        assert health["workers"]["of"] == 2
        # Worker 0's conversations wait for their worker (restarted), then are answered.
        assert hotline.texts(on[0][0], "y")
        # Every turn was applied once in the shared tracker store.
        applied = [m for m in _user_message_ids(hotline, tmp_path) if m]
        assert len(applied) == len(set(applied))
    finally:
        stop_hotline(hotline)

