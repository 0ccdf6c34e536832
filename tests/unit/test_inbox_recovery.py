"""A message accepted while its processing failed is answered without a restart."""

from __future__ import annotations

import httpx

from bot.messaging import service
from tests.conftest import wait_for
from tests.fakes.twilio_api import inbound_sms_params
from tests.fuzz.inprocess import running_channels


def test_failed_turn_is_recovered_while_running(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(service, "RECOVERY_EVERY_SECONDS", 0.3)
    monkeypatch.setattr(service, "RECOVERY_AGE_SECONDS", 1.0)
    with running_channels(tmp_path) as hotline:
        hotline.fail_next_turns = 1
        params = inbound_sms_params("+15551238001", "are you there")
        with httpx.Client(timeout=20) as client:
            answer = hotline.twilio_signed(client, "/webhooks/twilio/webhook", params)
        assert answer.status_code == 200
        # The first turn fails; the row stays accepted, then the sweep processes it once.
        wait_for(lambda: hotline.rows("SELECT 1 FROM inbound_messages WHERE status = "
                                      "'processed'"), timeout=20, what="recovery")
        # Two messages: a new session's safety line, then the reply (waiting for one
        # only raced the second send).
        sent = hotline.twilio.wait_for(2, timeout=10)
        assert [m["body"] for m in sent if m["body"].startswith("echo:")] == [
            "echo:are you there"]
        assert len(sent) == 2
        assert hotline.seen == ["are you there"]
        (attempts,) = hotline.rows("SELECT attempts FROM inbound_messages")[0]
        assert attempts == 1  # claimed once for recovery


def test_rows_in_flight_are_not_taken_by_the_recovery(tmp_path) -> None:
    from bot.messaging import inbox

    with running_channels(tmp_path) as hotline:
        db = hotline.settings.database_url
        accepted = inbox.accept(db, b"k" * 32, channel="twilio", provider_message_id="SMx",
                                address="+15551238002", body="hi")
        assert inbox.unprocessed(db, "twilio", older_than_seconds=3600) == []
        assert inbox.unprocessed(db, "twilio", skip=frozenset({accepted.inbound_id})) == []
        assert inbox.unprocessed(db, "twilio") == [(accepted.inbound_id,
                                                    accepted.conversation_id)]
