"""Find or create the conversation for a channel address without storing a searchable number.

The address is looked up by an HMAC (keyed hash), so the database can be
searched for "this texter" only by someone who also holds the secret key.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import Conversation, utcnow


def contact_key(secret: bytes, channel: str, address: str) -> str:
    return hmac.new(secret, f"{channel}:{address}".encode(), hashlib.sha256).hexdigest()


def get_or_create_conversation(
    session: Session, secret: bytes, channel: str, address: str
) -> Conversation:
    """Return the texter's conversation on this channel, creating it on first contact."""
    key = contact_key(secret, channel, address)
    stmt = select(Conversation).where(Conversation.channel == channel,
                                      Conversation.contact_key == key)
    conversation = session.execute(stmt).scalar_one_or_none()
    if conversation is not None:
        return conversation
    conversation = Conversation(channel=channel, contact_key=key, contact_address=address,
                                created_at=utcnow())
    try:
        with session.begin_nested():
            session.add(conversation)
    except IntegrityError:  # created concurrently by another request
        conversation = session.execute(stmt).scalar_one()
    return conversation
