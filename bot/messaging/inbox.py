"""The inbox: write every accepted inbound message before acknowledging it.

A row is unique on (channel, provider message id), so a provider retry or a
double-click is recognised and answered without being processed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.store.contacts import get_or_create_conversation
from bot.store.db import session_scope
from bot.store.models import InboundMessage, utcnow


@dataclass(frozen=True)
class Accepted:
    inbound_id: int
    conversation_id: str
    duplicate: bool
    status: str


def accept(
    db_url: str, secret: bytes, *, channel: str, provider_message_id: str, address: str,
    body: str, fixed_reply: str | None = None,
) -> Accepted:
    """Store the message durably (or find the earlier copy) and say which it was."""
    with session_scope(db_url) as session:
        existing = _find(session, channel, provider_message_id)
        if existing is not None:
            return Accepted(existing.id, existing.conversation_id, True, existing.status)
        conversation = get_or_create_conversation(session, secret, channel, address)
        conversation.last_inbound_at = utcnow()
        row = InboundMessage(channel=channel, provider_message_id=provider_message_id,
                             conversation_id=conversation.id, body=body,
                             fixed_reply=fixed_reply)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # the same message arrived concurrently
            existing = _find(session, channel, provider_message_id)
            assert existing is not None
            return Accepted(existing.id, existing.conversation_id, True, existing.status)
        return Accepted(row.id, conversation.id, False, row.status)


def _find(session, channel: str, provider_message_id: str) -> InboundMessage | None:  # type: ignore[no-untyped-def]
    return session.execute(
        select(InboundMessage).where(InboundMessage.channel == channel,
                                     InboundMessage.provider_message_id == provider_message_id)
    ).scalar_one_or_none()


def unprocessed(db_url: str, channel: str) -> list[tuple[int, str]]:
    """(id, conversation id) of messages accepted but never processed, oldest first."""
    with session_scope(db_url) as session:
        return [tuple(r) for r in session.execute(
            select(InboundMessage.id, InboundMessage.conversation_id)
            .where(InboundMessage.channel == channel, InboundMessage.status == "accepted")
            .order_by(InboundMessage.id)
        )]
