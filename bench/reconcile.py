"""After the load: was every message answered exactly once? Compares what the benchmark
sent, what the hotline stored (inbox and outbox rows) and what reached the provider."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import text

from bench.drivers import Turn
from bench.provider import TimedTwilioApi

DELIVERABLE = ("queued", "sending", "sent")


def _acked(turn: Turn) -> bool:
    return turn.ack is not None and not (turn.error or "").startswith("HTTP")


def _pending(conn) -> int:  # type: ignore[no-untyped-def]
    inbound = conn.execute(text("select count(*) from inbound_messages "
                                "where channel = 'twilio' and status = 'accepted'")).scalar()
    outbound = conn.execute(text("select count(*) from outbound_messages where channel = "
                                 "'twilio' and status in ('queued', 'sending')")).scalar()
    return int(inbound) + int(outbound)


def reconcile(database_url: str, fake: TimedTwilioApi, turns: list[Turn],
              drain_timeout: float = 120.0) -> dict[str, Any]:
    """Wait for the hotline to drain, then count lost and duplicated messages."""
    from bot.store.db import make_engine

    engine = make_engine(database_url)
    deadline = time.monotonic() + drain_timeout
    with engine.connect() as conn:
        while _pending(conn) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2.0)  # a duplicate send would show up now
        inbound = dict(conn.execute(text(
            "select provider_message_id, status from inbound_messages "
            "where channel = 'twilio'")).fetchall())
        rows = conn.execute(text(
            "select i.provider_message_id, o.status from outbound_messages o "
            "join inbound_messages i on i.id = o.inbound_id where o.channel = 'twilio'"
        )).fetchall()
    engine.dispose()
    sent = {t.message_id: t.address for t in turns if _acked(t)}
    statuses = Counter(status for _, status in rows)
    owed: dict[str, int] = defaultdict(int)  # replies each number should have got
    for sid, status in rows:
        if sid in sent and status in DELIVERABLE:
            owed[sent[sid]] += 1
    received = fake.counts()
    numbers = set(owed) | {n for n in received if n in set(sent.values())}
    lost = sum(max(0, owed[n] - received.get(n, 0)) for n in numbers)
    duplicated = sum(max(0, received.get(n, 0) - owed[n]) for n in numbers)
    return {
        "inbound_sent": len(sent),
        "inbound_refused": sum(1 for t in turns if (t.error or "").startswith("HTTP")),
        "inbound_stored": sum(1 for sid in sent if sid in inbound),
        "inbound_missing": sum(1 for sid in sent if sid not in inbound),
        "inbound_unprocessed": sum(1 for sid in sent
                                   if sid in inbound and inbound[sid] != "processed"),
        "outbox_rows": dict(statuses),
        "replies_received_at_provider": sum(received.get(n, 0) for n in numbers),
        "replies_owed": sum(owed.values()),
        "replies_lost": lost,
        "replies_duplicated": duplicated,
        "turns_incomplete": sum(1 for t in turns if _acked(t) and not t.complete),
    }
