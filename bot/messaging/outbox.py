"""The outbox: every reply is a row before it is delivered.

Replies are keyed by (inbound message, sequence number), so processing the
same inbound message again can never create a second copy of a reply.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import InboundMessage, OutboundMessage, utcnow


def store_replies(
    session: Session, inbound: InboundMessage, replies: list[dict[str, Any]], *,
    delivered_inline: bool,
) -> list[OutboundMessage]:
    """Write the replies for one inbound message and mark it processed, in one transaction.

    `delivered_inline` is true for channels that return replies in the HTTP
    response (web chat): those rows are born "sent".
    """
    now = utcnow()
    rows = []
    for seq, reply in enumerate(replies):
        text = reply.get("text")
        if not text:
            continue
        rows.append(OutboundMessage(
            conversation_id=inbound.conversation_id, inbound_id=inbound.id, seq=seq,
            channel=inbound.channel, author="bot", body=text,
            status="sent" if delivered_inline else "queued",
            sent_at=now if delivered_inline else None,
        ))
    session.add_all(rows)
    inbound.status = "processed"
    inbound.processed_at = now
    return rows


def replies_for(session: Session, inbound_id: int) -> list[OutboundMessage]:
    return list(session.execute(
        select(OutboundMessage).where(OutboundMessage.inbound_id == inbound_id)
        .order_by(OutboundMessage.seq)
    ).scalars())
