"""SIGKILL in the middle of a burst of SMS, restart: every accepted message answered, none twice."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import TWILIO_FROM, kill_tree, plain, start_hotline, stop_hotline, twilio_env
from tests.fakes.twilio_api import inbound_sms_params, post_inbound

pytestmark = pytest.mark.rasa

SCRIPT = ["hi", "y", "2", "passport", "more"]


def test_sigkill_mid_burst_then_restart(tmp_path, fake_twilio, capsys) -> None:
    env = twilio_env(fake_twilio)
    first = start_hotline(tmp_path, env)
    port = int(first.base_url.rsplit(":", 1)[1])
    url = f"{first.base_url}/webhooks/twilio/webhook"
    numbers = [f"+1666000{i:04d}" for i in range(8)]
    accepted: dict[str, list[str]] = defaultdict(list)
    refused = 0
    lock = threading.Lock()
    total_accepted = 0

    def texter(number: str) -> None:
        nonlocal refused, total_accepted
        for body in SCRIPT:
            params = inbound_sms_params(number, body, to=TWILIO_FROM,
                                        account_sid=fake_twilio.account_sid)
            try:
                result = post_inbound(url, fake_twilio.auth_token, params, timeout=10)
            except OSError:
                with lock:
                    refused += 1
                return  # the server is gone; Twilio would retry later
            if result.status != 200:
                with lock:
                    refused += 1
                return
            with lock:
                accepted[number].append(params["MessageSid"])
                total_accepted += 1
            time.sleep(0.3)

    threads = [threading.Thread(target=texter, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while total_accepted < 16 and time.monotonic() < deadline:
        time.sleep(0.05)
    accepted_at_kill = total_accepted
    kill_tree(first.process.pid)  # SIGKILL supervisor, Rasa and actions: no clean shutdown
    first.process.wait()
    for t in threads:
        t.join()
    sent_before_restart = len([m for m in fake_twilio.messages if m["to"] in numbers])

    second = start_hotline(tmp_path, env, port=port)
    try:
        engine = create_engine(second.database_url, future=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                pending = conn.execute(text(
                    "select (select count(*) from inbound_messages where channel = 'twilio' "
                    "and status != 'processed') + (select count(*) from outbound_messages "
                    "where channel = 'twilio' and status in ('queued', 'sending'))")).scalar()
            if pending == 0:
                break
            time.sleep(0.5)
        assert pending == 0, "accepted messages still unanswered after restart"
        time.sleep(1)
        with engine.connect() as conn:
            inbound = conn.execute(text(
                "select provider_message_id, status from inbound_messages "
                "where channel = 'twilio'")).fetchall()
            outbound = conn.execute(text(
                "select c.contact_address, o.body, o.status, o.provider_message_id "
                "from outbound_messages o join conversations c on c.id = o.conversation_id "
                "where o.channel = 'twilio' order by o.id")).fetchall()
        outbound = [(plain(a), plain(b), *rest) for a, b, *rest in outbound]
        engine.dispose()
        accepted_ids = {sid for sids in accepted.values() for sid in sids}
        stored_ids = {row[0] for row in inbound}
        assert accepted_ids <= stored_ids, "an acknowledged message was lost"
        assert all(row[1] == "processed" for row in inbound)
        duplicates = 0
        for number in numbers:
            at_provider = [m["body"] for m in fake_twilio.messages_to(number)]
            in_db = [row[1] for row in outbound if row[0] == number and row[2] == "sent"]
            assert at_provider == in_db, f"replies to {number} differ from the outbox"
            sids = [m["sid"] for m in fake_twilio.messages_to(number)]
            assert sorted(sids) == sorted(row[3] for row in outbound if row[0] == number)
            duplicates += len(at_provider) - len(in_db)
        with capsys.disabled():
            print(f"\n[crash test] accepted_at_kill={accepted_at_kill} "
                  f"accepted={len(accepted_ids)} refused_after_kill={refused} "
                  f"stored={len(stored_ids)} replies_sent={len(outbound)} "
                  f"sent_before_kill={sent_before_restart} duplicates={duplicates}")
    finally:
        stop_hotline(second)
