"""The outbox: every reply is a row before it is delivered.

Replies are keyed by (inbound message, sequence number), so processing the
same inbound message again can never create a second copy of a reply.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import InboundMessage, OutboundMessage, utcnow
from bot.store.statuses import InboundStatus, OutboundStatus

Splitter = Callable[[str], list[str]]


def no_split(text: str) -> list[str]:
    return [text]


def store_replies(
    session: Session, inbound: InboundMessage, texts: list[str], *,
    delivered_inline: bool, splitter: Splitter = no_split,
) -> list[OutboundMessage]:
    """Write the replies for one inbound message and mark it processed, in one transaction.

    `delivered_inline` is true for channels that return replies in the HTTP
    response (web chat): those rows are born "sent". `splitter` cuts a long
    reply into messages the channel can carry (SMS segments, Telegram's limit).
    """
    now = utcnow()
    rows = []
    parts = [part for text in texts if text for part in splitter(text) if part.strip()]
    for seq, part in enumerate(parts):
        rows.append(OutboundMessage(
            conversation_id=inbound.conversation_id, inbound_id=inbound.id, seq=seq,
            channel=inbound.channel, author="bot", body=part,
            status=OutboundStatus.SENT if delivered_inline else OutboundStatus.QUEUED,
            sent_at=now if delivered_inline else None,
        ))
    session.add_all(rows)
    inbound.status = InboundStatus.PROCESSED
    inbound.processed_at = now
    return rows


def replies_for(session: Session, inbound_id: int) -> list[OutboundMessage]:
    return list(session.execute(
        select(OutboundMessage).where(OutboundMessage.inbound_id == inbound_id)
        .order_by(OutboundMessage.seq)
    ).scalars())
