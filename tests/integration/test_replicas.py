"""Two replicas, one PostgreSQL and one Redis: every SMS answered once, in order, none lost.

Two real supervisors (`python -m bot run --no-train`: Rasa server + action
server each) share one PostgreSQL database (project tables and Rasa's tracker
store) and one Redis (Rasa's lock store). Twelve texters write at the same time;
each sends four messages, alternating between the replicas, and — as a person
does — waits for the answer before writing again. So consecutive messages of one
conversation are handled by different replicas, which only works if the
dialogue state travels through the shared tracker store (the second message,
"y", only gets "OK, thanks" after the first one's safety question).

Both replicas' outbox workers compete for the same rows (FOR UPDATE SKIP
LOCKED). What the provider (tests/fakes/twilio_api.py) received is compared
with what the database says was answered: per texter, exactly the stored
replies, in the order of the messages, none twice.

Needs HOTLINE_TEST_DATABASE and HOTLINE_TEST_REDIS_URL (scripts/test-services,
the PostgreSQL pass of `make test`); skipped on the SQLite pass.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from tests.conftest import (
    TWILIO_FROM,
    RunningHotline,
    free_port,
    plain,
    start_hotline,
    stop_hotline,
    twilio_env,
    wait_for,
)
from tests.databases import create_database, on_postgresql, redis_url
from tests.fakes.twilio_api import _post_form, inbound_sms_params, sign_inbound

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.skipif(not (on_postgresql() and redis_url()),
                       reason="needs PostgreSQL and Redis (scripts/test-services)"),
]

TEXTERS = 12
# What each texter sends, and what the first reply to each message starts with.
SCRIPT = [
    ("hi", "Hi, thanks for writing."),
    ("y", "OK, thanks."),  # needs the tracker state the other replica saved
    ("2", None),
    ("menu", "Here are your options"),
]
_numbers = itertools.count(7000)


# Both replicas sit behind one public URL (nginx in production, and in the last
# test): Twilio signs that URL, whichever replica the request reaches.
NGINX_PORT = free_port()
PUBLIC_URL = f"http://127.0.0.1:{NGINX_PORT}"
WEBHOOK = "/webhooks/twilio/webhook"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory,
             fake_twilio) -> Iterator[tuple[RunningHotline, RunningHotline]]:
    database = create_database()
    env = {**twilio_env(fake_twilio), "HOTLINE_DATABASE_URL": database,
           "HOTLINE_REDIS_URL": redis_url(), "HOTLINE_FLOOD_MAX_PER_MINUTE": "0",
           "HOTLINE_PUBLIC_URL": PUBLIC_URL}
    first = start_hotline(tmp_path_factory.mktemp("replica-a"), env)
    try:
        second = start_hotline(tmp_path_factory.mktemp("replica-b"), env)
    except BaseException:
        stop_hotline(first)
        raise
    yield first, second
    stop_hotline(second)
    stop_hotline(first)


def sms(url: str, fake, number: str, body: str) -> str:  # type: ignore[no-untyped-def]
    """POST a signed SMS webhook to `url` (signed for PUBLIC_URL); returns its MessageSid."""
    params = inbound_sms_params(number, body, to=TWILIO_FROM, account_sid=fake.account_sid)
    result = _post_form(url, params, sign_inbound(f"{PUBLIC_URL}{WEBHOOK}", fake.auth_token,
                                                  params), timeout=30)
    assert result.status == 200, result.body
    return params["MessageSid"]


def _replies_of(engine, sid: str) -> list[tuple[str, str]] | None:  # type: ignore[no-untyped-def]
    """(status, body) of the replies stored for one inbound message, once all are sent."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "select o.status, o.body from outbound_messages o "
            "join inbound_messages i on i.id = o.inbound_id "
            "where i.provider_message_id = :sid order by o.seq"), {"sid": sid}).all()
    if not rows or any(status != "sent" for status, _ in rows):
        return None
    return [(status, plain(body)) for status, body in rows]


def _texter(replicas: tuple[RunningHotline, RunningHotline], fake, engine,  # type: ignore[no-untyped-def]
            index: int) -> tuple[str, list[str], list[list[str]]]:
    """One person's conversation; returns their number, message sids and replies per message."""
    number = f"+1555{next(_numbers):07d}"
    sids, replies = [], []
    for step, (body, _) in enumerate(SCRIPT):
        replica = replicas[(index + step) % 2]  # alternate, starting on either replica
        sid = sms(f"{replica.base_url}{WEBHOOK}", fake, number, body)
        sids.append(sid)
        stored = wait_for(lambda sid=sid: _replies_of(engine, sid), 240,
                          f"replies to message {step + 1} of texter {index}")
        replies.append([b for _, b in stored])
    return number, sids, replies


def test_two_replicas_answer_every_message_once_in_order(replicas, fake_twilio,
                                                         tmp_path: Path) -> None:
    first, second = replicas
    assert first.database_url == second.database_url
    engine = create_engine(first.database_url, future=True)
    try:
        with ThreadPoolExecutor(max_workers=TEXTERS) as pool:
            results = list(pool.map(lambda i: _texter(replicas, fake_twilio, engine, i),
                                    range(TEXTERS)))

        for number, _sids, replies in results:
            # The dialogue went on across replicas: each step got its expected answer.
            for (body, expected), answer in zip(SCRIPT, replies, strict=True):
                assert answer, f"no reply to {body!r}"
                if expected:
                    assert answer[0].startswith(expected), (body, answer)
            assert any(r.startswith("Here are your options") for r in replies[1])

            # Exactly the stored replies reached the provider, in message order, once.
            expected_bodies = [r for answer in replies for r in answer]
            received = wait_for(
                lambda number=number, n=len(expected_bodies):
                    (lambda got: got if len(got) >= n else None)(
                        [m["body"] for m in fake_twilio.messages_to(number)]),
                60, f"all replies to {number}")
            assert received == expected_bodies

        sids = [s for _, texter_sids, _ in results for s in texter_sids]
        with engine.connect() as conn:
            inbound = conn.execute(text(
                "select status, count(*) from inbound_messages "
                "where conversation_id in (select conversation_id from inbound_messages "
                "where provider_message_id = any(:sids)) group by status"),
                {"sids": sids}).all()
            (conversations,) = conn.execute(text(
                "select count(distinct conversation_id) from inbound_messages "
                "where provider_message_id = any(:sids)"),
                {"sids": sids}).one()
            # Rasa saw each message exactly once: four user events per conversation
            # in the shared tracker store (a message processed by both replicas
            # would show up twice).
            user_events = conn.execute(text(
                "select e.sender_id, count(*) from events e where e.type_name = 'user' "
                "and e.sender_id in (select conversation_id from inbound_messages "
                "where provider_message_id = any(:sids)) group by e.sender_id"),
                {"sids": sids}).all()
        assert dict(inbound) == {"processed": TEXTERS * len(SCRIPT)}
        assert conversations == TEXTERS
        assert sorted(n for _, n in user_events) == [len(SCRIPT)] * TEXTERS
        # The conversation locks were Rasa's Redis lock store (one write per lock
        # taken at least), not each replica's own memory.
        lock_writes = redis.Redis.from_url(redis_url()).info("commandstats")
        assert lock_writes.get("cmdstat_set", {}).get("calls", 0) >= TEXTERS * len(SCRIPT)
    finally:
        engine.dispose()


# ---- bursts: one texter's messages at the same moment on both replicas -----------------
def test_bursts_split_across_replicas_are_answered_in_arrival_order(replicas,
                                                                    fake_twilio) -> None:
    """Texters who do not wait: four messages back to back, alternating replicas."""
    engine = create_engine(replicas[0].database_url, future=True)

    def burst(index: int) -> tuple[str, list[str]]:
        number = f"+1555{next(_numbers):07d}"
        return number, [sms(f"{replicas[(index + k) % 2].base_url}{WEBHOOK}", fake_twilio,
                            number, body) for k, (body, _) in enumerate(SCRIPT)]

    try:
        with ThreadPoolExecutor(max_workers=TEXTERS) as pool:
            results = list(pool.map(burst, range(TEXTERS)))
        sids = [s for _, texter_sids in results for s in texter_sids]

        def all_answered() -> bool:
            with engine.connect() as conn:
                return conn.execute(text(
                    "select count(*) from inbound_messages where status = 'processed' "
                    "and provider_message_id = any(:sids)"), {"sids": sids}).scalar() == len(sids)

        wait_for(all_answered, 300, "every burst message processed")
        with engine.connect() as conn:
            for number, texter_sids in results:
                # Replies were stored (outbound ids) in the order the messages arrived.
                answered = [sid for sid, _ in conn.execute(text(
                    "select i.provider_message_id, min(o.id) from inbound_messages i "
                    "join outbound_messages o on o.inbound_id = i.id "
                    "where i.provider_message_id = any(:sids) "
                    "group by i.provider_message_id order by min(o.id)"),
                    {"sids": texter_sids})]
                assert answered == texter_sids, number
                (user_events,) = conn.execute(text(
                    "select count(*) from events where type_name = 'user' and sender_id = "
                    "(select conversation_id from inbound_messages "
                    "where provider_message_id = :sid)"), {"sid": texter_sids[0]}).one()
                assert user_events == len(SCRIPT), number
                stored = [plain(b) for (b,) in conn.execute(text(
                    "select o.body from outbound_messages o join inbound_messages i "
                    "on i.id = o.inbound_id where i.provider_message_id = any(:sids) "
                    "order by o.id"), {"sids": texter_sids})]
                received = wait_for(
                    lambda number=number, n=len(stored):
                        (lambda got: got if len(got) >= n else None)(
                            [m["body"] for m in fake_twilio.messages_to(number)]),
                    60, f"all replies to {number}")
                assert received == stored
    finally:
        engine.dispose()


# ---- nginx in front, configured as docs/deploy.md says ---------------------------------
def nginx_config(folder: Path, replicas: tuple[RunningHotline, RunningHotline]) -> Path:
    """docs/deploy.md's nginx configuration, pointed at the test replicas."""
    guide = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"```nginx\n(.*?)```", guide, re.S)
    assert block, "docs/deploy.md has no nginx configuration"
    config = block.group(1).replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};")
    for documented, replica in zip(("10.0.0.21:5005", "10.0.0.22:5005"), replicas,
                                   strict=True):
        assert documented in config
        config = config.replace(documented, replica.base_url.removeprefix("http://"))
    for documented in ("10.0.0.21:5006", "10.0.0.22:5006"):
        config = config.replace(documented, f"127.0.0.1:{free_port()}")
    path = folder / "nginx.conf"
    path.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n  client_body_temp_path {folder}/body;\n  proxy_temp_path {folder}/proxy;\n"
        f"  fastcgi_temp_path {folder}/fastcgi;\n  uwsgi_temp_path {folder}/uwsgi;\n"
        f"  scgi_temp_path {folder}/scgi;\n{config}\n}}\n")
    return path


def test_nginx_from_the_deploy_guide_serves_both_replicas(replicas, fake_twilio,
                                                          tmp_path: Path) -> None:
    nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if nginx is None:  # a missing package must fail, not skip (.ci/run installs it)
        pytest.fail("nginx is not installed: apt-get install nginx-light")
    config = nginx_config(tmp_path, replicas)
    check = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(config)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(config),
                             "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        wait_for(lambda: _listening(NGINX_PORT), 30, "nginx to listen")
        engine = create_engine(replicas[0].database_url, future=True)
        numbers = [f"+1555{next(_numbers):07d}" for _ in range(4)]
        try:
            for number in numbers:  # the proxy balances; the signed URL is the public one
                sid = sms(f"{PUBLIC_URL}{WEBHOOK}", fake_twilio, number, "hi")
                (reply,) = [b for _, b in wait_for(lambda sid=sid: _replies_of(engine, sid),
                                                   120, "a reply through nginx")]
                assert reply.startswith("Hi, thanks for writing.")
        finally:
            engine.dispose()
        for number in numbers:
            wait_for(lambda number=number: fake_twilio.messages_to(number), 60,
                     "the reply at the provider")
        # Only the channels are public.
        assert httpx.get(f"{PUBLIC_URL}/", timeout=10).status_code == 404
        assert httpx.get(f"{PUBLIC_URL}/conversations/x/tracker", timeout=10).status_code == 404
        # A forged webhook passes nginx and is refused by the replica's signature check.
        forged = httpx.post(f"{PUBLIC_URL}{WEBHOOK}", data={"Body": "hi", "From": "+1555"},
                            headers={"X-Twilio-Signature": "forged"}, timeout=10)
        assert forged.status_code == 403
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
