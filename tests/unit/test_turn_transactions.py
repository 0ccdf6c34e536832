"""How much database work one SMS costs: transactions counted on the real engine.

One SMS in a conversation that is already going, answered with one reply, through
the real path: the one inbound path (intake), the router with a stand-in
assistant, the outbox worker sending with the real twilio Client to the local
Twilio-like server. Every transaction opened on the project database is counted
(SQLAlchemy's "begin" event), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from bot.channels.twilio_sms import TwilioSender
from bot.content.sms import split_sms
from bot.messaging import intake
from bot.messaging.intake import Incoming
from bot.messaging.outbox_worker import OutboxPolicy, OutboxWorker
from bot.messaging.service import MessagingService
from bot.store.db import get_engine, session_scope
from bot.store.models import OutboundMessage
from tests.unit.outbox_support import settings_for

NUMBER = "+15551239876"
# What one SMS turn may cost: one write for the inbox (dedup, flood control, the row),
# one transaction before the assistant (the row, its conversation, the replica order
# check, the safety step), one after it (what the router adds, the replies, the row
# marked processed); then one claim and one finish for the reply. Measured 3 + 3
# (the third delivery transaction is the claim that finds nothing more); before the
# router's transactions were merged it was 8 + 3.
MAX_INTAKE_AND_TURN = 3
MAX_DELIVERY = 2


@contextmanager
def counting(db_url: str) -> Iterator[list[str]]:
    """Every top-level transaction begun on the project database while inside."""
    begun: list[str] = []
    engine = get_engine(db_url)

    def on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        begun.append("begin")

    event.listen(engine, "begin", on_begin)
    try:
        yield begun
    finally:
        event.remove(engine, "begin", on_begin)


async def test_one_sms_turn_with_one_reply_stays_within_its_transactions(fake, db_url) -> None:  # type: ignore[no-untyped-def]
    settings = settings_for(fake, db_url)
    service = MessagingService(settings)  # not started: no sweeps, no recovery loop
    seen: list[str] = []

    async def assistant(message) -> None:  # type: ignore[no-untyped-def]
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "Thanks, go on.")

    service.register("twilio", assistant, delivered_inline=False,
                     sender=TwilioSender(settings), splitter=split_sms)
    worker = OutboxWorker(db_url, service.senders, OutboxPolicy(rate_per_second=0))

    async def sms(sid: str, body: str) -> None:
        received = await intake.receive(service, Incoming("twilio", sid, NUMBER, body))
        assert received.turn is not None
        await received.turn

    async def deliver() -> None:
        while await worker.drain_once():
            pass

    await sms("SM-first", "hello")  # the first turn of a session also gets the safety line
    await deliver()
    first = len(fake.messages_to(NUMBER))
    with counting(db_url) as turn:
        await sms("SM-second", "my boss keeps my passport")
    with counting(db_url) as delivery:
        assert await worker.drain_once() == 1
    sent = fake.messages_to(NUMBER)[first:]
    assert [m["body"] for m in sent] == ["Thanks, go on."]
    assert seen == ["hello", "my boss keeps my passport"]
    with session_scope(db_url) as s:
        assert s.execute(select(OutboundMessage.status).order_by(OutboundMessage.id.desc())
                         .limit(1)).scalar_one() == "sent"
    print(f"transactions: intake and turn {len(turn)}, delivery {len(delivery)}")
    assert len(turn) <= MAX_INTAKE_AND_TURN, len(turn)
    # Delivery: one claim and one finish for the reply, then the claim that finds nothing.
    assert len(delivery) <= MAX_DELIVERY + 1, len(delivery)


async def test_a_wake_during_the_last_empty_claim_is_not_lost(fake, db_url) -> None:  # type: ignore[no-untyped-def]
    """A reply stored while the worker is finding nothing due goes out at once, not
    after the next poll (the wake-up must not be cleared after the empty claim)."""
    settings = settings_for(fake, db_url)
    worker = OutboxWorker(db_url, {"twilio": TwilioSender(settings)},
                          OutboxPolicy(rate_per_second=0, poll_seconds=30))
    loop = asyncio.get_running_loop()
    calls = 0
    real_claim = worker._claim_next

    def claim_then_wake():  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        result = real_claim()
        if calls == 1:  # nothing due yet; a reply is stored and the worker woken
            from tests.unit.test_outbox_worker import queue

            queue(db_url, NUMBER, ["woken"], "SM-wake")
            loop.call_soon_threadsafe(worker.wake)  # as the router does, on the loop
        return result

    worker._claim_next = claim_then_wake  # type: ignore[method-assign]
    task = asyncio.ensure_future(worker.run())
    try:
        for _ in range(100):
            if fake.messages_to(NUMBER):
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [m["body"] for m in fake.messages_to(NUMBER)] == ["woken"]
