"""The inbox: write every accepted inbound message before acknowledging it.

A row is unique on (channel, provider message id), so a provider retry or a
double-click is recognised and answered without being processed twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.contacts import contact_key, get_or_create_conversation
from bot.store.db import session_scope
from bot.store.models import Conversation, InboundMessage, utcnow
from bot.store.statuses import InboundStatus


@dataclass(frozen=True)
class Accepted:
    inbound_id: int
    conversation_id: str
    duplicate: bool
    status: str
    # False for a duplicate whose conversation is another texter's (a web chat
    # message_id used twice): its replies must never be replayed to this sender.
    same_sender: bool = True
    # The texter's language when the message arrived (None: not known yet).
    language: str | None = None


def accept(
    db_url: str, secret: bytes, *, channel: str, provider_message_id: str, address: str,
    body: str | Callable[[str | None], str], fixed_reply: str | None = None,
    throttle: Callable[[], str | None] | None = None, reachable: bool | None = None,
) -> Accepted:
    """Store the message durably (or find the earlier copy) and say which it was.

    One transaction, in this order: dedup by provider id, then `throttle` (flood
    control, bot/messaging/intake.py) so a redelivery never counts against the
    texter, then the write. `body` may depend on the texter's language (a
    Telegram location becomes the state's name in it). `reachable` records an
    opt-in / opt-out / unblock on the conversation, only for a new message.
    """
    key = contact_key(secret, channel, address)
    with session_scope(db_url) as session:
        existing = _find(session, channel, provider_message_id, key)
        if existing is not None:
            return existing
        if throttle is not None:
            fixed_reply = throttle() or fixed_reply
        conversation = get_or_create_conversation(session, secret, channel, address)
        conversation.last_inbound_at = utcnow()
        if reachable is not None:
            conversation.unreachable = not reachable
        language = conversation.language
        text = body(language) if callable(body) else body
        row = InboundMessage(channel=channel, provider_message_id=provider_message_id,
                             conversation_id=conversation.id, body=text,
                             fixed_reply=fixed_reply)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # the same message arrived concurrently
            existing = _find(session, channel, provider_message_id, key)
            assert existing is not None
            return existing
        return Accepted(row.id, conversation.id, False, row.status, True, language)


def _find(session, channel: str, provider_message_id: str,  # type: ignore[no-untyped-def]
          key: str) -> Accepted | None:
    found = session.execute(
        select(InboundMessage.id, InboundMessage.conversation_id, InboundMessage.status,
               Conversation.contact_key, Conversation.language)
        .join(Conversation, Conversation.id == InboundMessage.conversation_id)
        .where(InboundMessage.channel == channel,
               InboundMessage.provider_message_id == provider_message_id)
    ).one_or_none()
    if found is None:
        return None
    row_id, conversation_id, status, owner_key, language = found
    return Accepted(row_id, conversation_id, True, status, owner_key == key, language)


def unprocessed(db_url: str, channel: str, *, older_than_seconds: float = 0.0,
                skip: frozenset[int] = frozenset()) -> list[tuple[int, str]]:
    """(id, conversation id) of messages accepted but never processed, oldest first.

    `older_than_seconds` and `skip` serve the continuous recovery of a running
    replica: only rows accepted a while ago, and none this process is working on.

    Start-up recovery of one replica. Each row is claimed for the caller with a
    compare-and-set on `attempts` (UPDATE ... WHERE status='accepted' AND
    attempts=<seen>), so replicas recovering at the same time never both take
    the same row: the one that loses the race leaves it out of its list.
    A message still in flight on a live replica looks the same as one left by a
    crash; the router's `_store` then keeps only one set of replies.
    """
    query = (select(InboundMessage.id, InboundMessage.conversation_id, InboundMessage.attempts)
             .where(InboundMessage.channel == channel,
                    InboundMessage.status == InboundStatus.ACCEPTED)
             .order_by(InboundMessage.id))
    if older_than_seconds > 0:
        query = query.where(
            InboundMessage.received_at < utcnow() - timedelta(seconds=older_than_seconds))
    with session_scope(db_url) as session:
        candidates = session.execute(query).all()
    return [(row_id, conversation_id) for row_id, conversation_id, seen in candidates
            if row_id not in skip and claim_for_recovery(db_url, row_id, seen)]


def claim_for_recovery(db_url: str, inbound_id: int, seen_attempts: int) -> bool:
    """Take an unprocessed row for recovery; False if another replica took it first."""
    with session_scope(db_url) as session:
        return session.execute(
            update(InboundMessage)
            .where(InboundMessage.id == inbound_id, InboundMessage.status == InboundStatus.ACCEPTED,
                   InboundMessage.attempts == seen_attempts)
            .values(attempts=InboundMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount == 1


def earlier_unprocessed(session: Session, conversation_id: str, inbound_id: int,
                        within_seconds: float = 60.0) -> list[int]:
    """Ids of this conversation's messages accepted before `inbound_id`, not yet processed.

    With several replicas, two messages of one conversation sent in a burst may
    reach different replicas; Rasa's lock store then serialises the turns in
    the order the locks are asked for, which need not be the order they arrived.
    A router that waits while another replica holds one of these processes a
    conversation's messages in inbox order (rows of its own process are ordered
    by bot/messaging/turn_order.py and never waited for). Only rows received within
    `within_seconds` count: an older row still unprocessed belongs to a replica
    that died, and waits for recovery instead of holding the conversation up.
    """
    since = utcnow() - timedelta(seconds=within_seconds)
    return list(session.execute(
        select(InboundMessage.id).where(
            InboundMessage.conversation_id == conversation_id,
            InboundMessage.id < inbound_id,
            InboundMessage.status == InboundStatus.ACCEPTED,
            InboundMessage.received_at >= since)
        .order_by(InboundMessage.id)
    ).scalars())
