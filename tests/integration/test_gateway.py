"""The gateway answers webhooks whatever Rasa is doing; supervision restarts what dies.

Real processes: `python -m bot run` (supervisord, the gateway, Rasa, actions, console),
signed SMS from the real twilio validator's side (tests/fakes/twilio_api.py).
"""

from __future__ import annotations

import os
import secrets
import signal
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
    start_hotline,
    stop_hotline,
    twilio_env,
    wait_for,
)
from tests.fakes.twilio_api import inbound_sms_params, post_inbound

pytestmark = pytest.mark.rasa


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _rasa_pid(root: int) -> int:
    for pid in descendants(root):
        if "-m rasa run" in _cmdline(pid):
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


def test_rasa_killed_mid_burst_refuses_no_webhook(tmp_path, fake_twilio, capsys) -> None:
    hotline = start_hotline(tmp_path, twilio_env(fake_twilio))
    try:
        url = f"{hotline.base_url}/webhooks/twilio/webhook"
        numbers = [f"+1777000{i:04d}" for i in range(6)]
        accepted: dict[str, list[str]] = defaultdict(list)
        refused: list[str] = []
        lock = threading.Lock()

        def texter(number: str) -> None:
            for body in ["hi", "y", "2", "passport", "more", "thanks"]:
                params = inbound_sms_params(number, body, to=TWILIO_FROM,
                                            account_sid=fake_twilio.account_sid)
                try:
                    result = post_inbound(url, fake_twilio.auth_token, params, timeout=10)
                    ok = result.status == 200
                except OSError:
                    ok = False
                with lock:
                    (accepted[number].append(params["MessageSid"]) if ok
                     else refused.append(params["MessageSid"]))
                time.sleep(0.4)

        threads = [threading.Thread(target=texter, args=(n,)) for n in numbers]
        for t in threads:
            t.start()
        wait_for(lambda: sum(map(len, accepted.values())) >= 8, what="the burst to start")
        rasa = _rasa_pid(hotline.process.pid)
        os.kill(rasa, signal.SIGKILL)  # Rasa dies mid-turn; the gateway keeps accepting
        for t in threads:
            t.join()
        assert refused == [], "a webhook was refused while Rasa was down"
        # supervisord starts Rasa again; every accepted message is then answered once.
        wait_for(lambda: _all_answered(hotline.database_url), timeout=300,
                 what="every accepted SMS answered after Rasa's restart")
        assert _rasa_pid(hotline.process.pid) != rasa
        rows = hotline.rows("select provider_message_id, status from inbound_messages "
                            "where channel = 'twilio'")
        assert {r[0] for r in rows} == {s for sids in accepted.values() for s in sids}
        replies = hotline.rows("select inbound_id, seq, provider_message_id from "
                               "outbound_messages where channel = 'twilio'")
        assert len(replies) == len({(r[0], r[1]) for r in replies})
        for number in numbers:  # nothing at the provider that the outbox did not send once
            sids = sorted(m["sid"] for m in fake_twilio.messages_to(number))
            assert len(sids) == len(set(sids))
        assert sorted(m["sid"] for m in fake_twilio.messages if m["to"] in numbers) == sorted(
            r[2] for r in replies)
        with capsys.disabled():
            print(f"\n[gateway test] accepted={sum(map(len, accepted.values()))} "
                  f"refused={len(refused)} replies={len(replies)}")
    finally:
        stop_hotline(hotline)


def test_supervisor_killed_takes_its_children_and_the_next_start_works(tmp_path) -> None:
    first = start_hotline(tmp_path)
    port = int(first.base_url.rsplit(":", 1)[1])
    children = descendants(first.process.pid)
    assert {"bot.gateway", "rasa run", "bot.actions_server", "bot.console"} <= {
        name for pid in children for name in
        ("bot.gateway", "rasa run", "bot.actions_server", "bot.console")
        if name in _cmdline(pid)}
    os.kill(first.process.pid, signal.SIGKILL)  # only `hotline run` itself
    first.process.wait()
    wait_for(lambda: not [p for p in children if Path(f"/proc/{p}").exists()
                          and "zombie" not in _status(p)],
             timeout=60, what="every child to stop with its supervisor")
    second = start_hotline(tmp_path, port=port)  # same ports: nothing left holding them
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
