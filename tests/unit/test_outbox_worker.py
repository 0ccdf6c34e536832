"""The outbox worker against a real SQLite database and the real twilio Client.

The provider is tests/fakes/twilio_api.py (a local server behaving like Twilio).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from bot.content.sms import segment_count, split_sms
from bot.messaging import inbox, outbox
from bot.messaging.outbox_worker import OutboxWorker
from bot.store.db import session_scope
from bot.store.models import Conversation, InboundMessage, OutboundMessage, utcnow
from tests.unit.outbox_support import FROM, SECRET, worker


def queue(db_url: str, number: str, texts: list[str], provider_id: str,
          splitter=outbox.no_split) -> str:  # type: ignore[no-untyped-def]
    accepted = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id=provider_id,
                            address=number, body="hi")
    with session_scope(db_url) as s:
        row = s.get(InboundMessage, accepted.inbound_id)
        outbox.store_replies(s, row, texts, delivered_inline=False, splitter=splitter)
    return accepted.conversation_id


def statuses(db_url: str) -> list[tuple[str, str, int]]:
    with session_scope(db_url) as s:
        return [(r.body, r.status, r.attempts) for r in
                s.execute(select(OutboundMessage).order_by(OutboundMessage.id)).scalars()]


async def drain(w: OutboxWorker, rounds: int = 40) -> None:
    for _ in range(rounds):
        await w.recover_stale()
        await w.drain_once()
        await asyncio.sleep(0.06)


async def test_replies_go_out_in_order_through_the_real_client(fake, db_url) -> None:
    queue(db_url, "+15551230001", ["first", "second ¡ñ!", "third 😀"], "SM1")
    await drain(worker(fake, db_url), rounds=3)
    assert [m["body"] for m in fake.messages_to("+15551230001")] == [
        "first", "second ¡ñ!", "third 😀"]
    assert {s for _, s, _ in statuses(db_url)} == {"sent"}
    with session_scope(db_url) as s:
        sids = [r.provider_message_id for r in s.execute(select(OutboundMessage)).scalars()]
    assert sids == [m["sid"] for m in fake.messages_to("+15551230001")]


async def test_transient_errors_are_retried_with_order_kept(fake, db_url) -> None:
    queue(db_url, "+15551230002", ["one", "two"], "SM2")
    fake.fail_next(2, status=503)
    await drain(worker(fake, db_url))
    assert [m["body"] for m in fake.messages_to("+15551230002")] == ["one", "two"]
    rows = statuses(db_url)
    assert rows[0] == ("one", "sent", 3) and rows[1] == ("two", "sent", 1)


async def test_timeouts_and_refused_connections_wait_then_deliver(fake, db_url) -> None:
    queue(db_url, "+15551230003", ["patience"], "SM3")
    w = worker(fake, db_url)
    fake.set_mode("timeout")
    await w.drain_once()
    # A read timeout: Twilio may have the message, so the row waits for a check.
    assert statuses(db_url)[0][1:] == ("sending", 1)
    with session_scope(db_url) as s:
        assert "outcome unknown" in s.execute(select(OutboundMessage.last_error)).scalar_one()
    fake.set_mode("down")
    await asyncio.sleep(0.15)
    await w.recover_stale()  # the check itself fails: the row stays held, never resent blind
    await w.drain_once()
    assert statuses(db_url)[0][1:] == ("sending", 1)
    fake.set_mode("ok")
    await drain(w)
    assert [m["body"] for m in fake.messages_to("+15551230003")] == ["patience"]
    assert statuses(db_url)[0][1:] == ("sent", 2)


async def test_refused_connection_is_retried_without_a_provider_check(fake, db_url) -> None:
    queue(db_url, "+15551230013", ["knock knock"], "SM13")
    w = worker(fake, db_url)
    fake.set_mode("down")
    await w.drain_once()
    assert statuses(db_url)[0][1:] == ("queued", 1)  # surely never sent: plain retry
    fake.set_mode("ok")
    await drain(w)
    assert [m["body"] for m in fake.messages_to("+15551230013")] == ["knock knock"]
    assert not [r for r in fake.requests if r.method == "GET"]


async def test_provider_records_then_times_out_is_sent_once(fake, db_url) -> None:
    """Twilio stored the SMS but its answer was lost: the worker asks, never resends."""
    queue(db_url, "+15551230014", ["only once", "then this"], "SM14")
    fake.record_then_hang_next(1)
    await drain(worker(fake, db_url), rounds=60)
    assert [m["body"] for m in fake.messages_to("+15551230014")] == ["only once", "then this"]
    with session_scope(db_url) as s:
        rows = s.execute(select(OutboundMessage).order_by(OutboundMessage.id)).scalars().all()
        assert [(r.status, r.provider_message_id) for r in rows] == [
            ("sent", m["sid"]) for m in fake.messages_to("+15551230014")]
    assert any(r.method == "GET" for r in fake.requests)  # it asked before deciding


async def test_lost_answer_not_at_provider_is_resent_once(fake, db_url) -> None:
    """A timeout before Twilio stored anything: the check finds nothing, one resend."""
    queue(db_url, "+15551230015", ["lost on the way"], "SM15")
    fake.set_mode("timeout")
    w = worker(fake, db_url)
    await w.drain_once()
    fake.set_mode("ok")
    await drain(w)
    assert [m["body"] for m in fake.messages_to("+15551230015")] == ["lost on the way"]


async def test_gives_up_after_max_attempts(fake, db_url) -> None:
    queue(db_url, "+15551230004", ["never"], "SM4")
    fake.set_mode("error500")
    await drain(worker(fake, db_url, max_attempts=3))
    fake.set_mode("ok")
    assert statuses(db_url) == [("never", "failed", 3)]
    with session_scope(db_url) as s:
        assert "HTTP 500" in s.execute(select(OutboundMessage.last_error)).scalar_one()


async def test_opted_out_number_stops_everything_queued(fake, db_url) -> None:
    fake.opt_out("+15551230005")
    conversation_id = queue(db_url, "+15551230005", ["a", "b", "c"], "SM5")
    await drain(worker(fake, db_url), rounds=3)
    assert [s for _, s, _ in statuses(db_url)] == ["suppressed"] * 3
    assert len(fake.messages) == 0
    with session_scope(db_url) as s:
        assert s.get(Conversation, conversation_id).unreachable is True


async def test_two_workers_never_send_a_row_twice(fake, db_url) -> None:
    for i in range(12):
        queue(db_url, f"+1555124{i:04d}", [f"m{i}-1", f"m{i}-2"], f"SM-race-{i}")
    a, b = worker(fake, db_url), worker(fake, db_url)
    await asyncio.gather(drain(a, rounds=6), drain(b, rounds=6))
    bodies = [m["body"] for m in fake.messages]
    assert len(bodies) == 24 and len(set(bodies)) == 24
    for i in range(12):
        assert [m["body"] for m in fake.messages_to(f"+1555124{i:04d}")] == [
            f"m{i}-1", f"m{i}-2"]


async def test_stale_claim_already_at_provider_is_not_resent(fake, db_url) -> None:
    queue(db_url, "+15551230006", ["sent before the crash"], "SM6")
    # Simulate a worker that called Twilio, then died before marking the row sent.
    client = fake.client()
    sid = client.messages.create(to="+15551230006", from_=FROM, body="sent before the crash").sid
    with session_scope(db_url) as s:
        s.execute(update(OutboundMessage).values(
            status="sending", attempts=1, claimed_at=utcnow() - timedelta(seconds=30)))
    await drain(worker(fake, db_url), rounds=2)
    assert len(fake.messages_to("+15551230006")) == 1
    with session_scope(db_url) as s:
        row = s.execute(select(OutboundMessage)).scalar_one()
    assert (row.status, row.provider_message_id) == ("sent", sid)


async def test_stale_claim_not_at_provider_is_sent_once(fake, db_url) -> None:
    queue(db_url, "+15551230007", ["lost in the crash"], "SM7")
    with session_scope(db_url) as s:
        s.execute(update(OutboundMessage).values(
            status="sending", attempts=1, claimed_at=utcnow() - timedelta(seconds=30)))
    await drain(worker(fake, db_url), rounds=3)
    assert [m["body"] for m in fake.messages_to("+15551230007")] == ["lost in the crash"]


async def test_rate_limit_spaces_sends_from_one_number(fake, db_url) -> None:
    queue(db_url, "+15551230008", ["r1", "r2", "r3"], "SM8")
    w = worker(fake, db_url, rate_per_second=5)
    await drain(w, rounds=5)
    stamps = [r.received_at for r in fake.requests if r.method == "POST"]
    assert len(stamps) == 3
    # 5 per second: the 3 sends span about 0.4 s (unlimited: a few ms). Measured on
    # the span, since each request's own latency jitters.
    assert stamps[-1] - stamps[0] >= 0.3


def test_long_sms_reply_is_split_into_rows_within_segment_limits(db_url) -> None:
    long_reply = " ".join(f"Sentence number {i} explains one more right you have." for i in
                          range(20))
    queue(db_url, "+15551230009", [long_reply], "SM9",
          splitter=lambda text: split_sms(text, 3))
    rows = statuses(db_url)
    assert len(rows) > 1
    assert all(segment_count(body) <= 3 for body, _, _ in rows)
    assert " ".join(body for body, _, _ in rows) == long_reply
    assert all(body.endswith(".") for body, _, _ in rows)  # cut at sentence ends
