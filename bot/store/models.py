"""Tables. Message text and addresses live only here (never in logs).

Conversations are keyed by a random id (also Rasa's sender id), so the
tracker store and logs never see a phone number or chat id. The contact is
found again by a keyed hash (`contact_key`) of channel + address.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import declarative_base

from bot.store.crypto import EncryptedJSON, EncryptedText

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return str(uuid.uuid4())


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "contact_key", name="uq_conversation_contact"),)

    id = Column(String(36), primary_key=True, default=new_id)
    channel = Column(String(16), nullable=False)
    contact_key = Column(String(64), nullable=False)
    contact_address = Column(EncryptedText, nullable=True)
    language = Column(String(2), nullable=True)
    urgent = Column(Boolean, nullable=False, default=False)
    # Who answers the texter: "bot" (the assistant), "queued" (waiting for an
    # advocate; the assistant stays quiet) or "advocate" (claimed). See bot/handoff/.
    status = Column(String(16), nullable=False, default="bot")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_inbound_at = Column(DateTime(timezone=True), nullable=True)
    # Set when the texter opted out (SMS STOP, error 21610) or blocked the bot
    # (Telegram 403): nothing is sent until they write START / unblock.
    unreachable = Column(Boolean, nullable=False, default=False, server_default=false())


class InboundMessage(Base):
    """The inbox: a row per accepted message, written before the webhook answers."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_message_id", name="uq_inbound_provider_id"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    channel = Column(String(16), nullable=False)
    provider_message_id = Column(String(128), nullable=False)
    conversation_id = Column(String(36), ForeignKey("conversations.id"), nullable=False, index=True)
    body = Column(EncryptedText, nullable=False)
    # A reply decided by the channel, not the assistant: a resources.yml template
    # key ("media_not_supported"...) or "silent" (e.g. SMS STOP). Stored with the
    # message so crash recovery replays the same decision.
    fixed_reply = Column(String(32), nullable=True)
    status = Column(String(16), nullable=False, default="accepted", index=True)
    # "bot" when the assistant answered it, "advocate" when it was held for a human
    # (the conversation was queued or claimed). Null until processed.
    handled_by = Column(String(16), nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    processed_at = Column(DateTime(timezone=True), nullable=True)


class OutboundMessage(Base):
    """The outbox: every reply is a row first; (inbound_id, seq) makes re-processing idempotent."""

    __tablename__ = "outbound_messages"
    __table_args__ = (UniqueConstraint("inbound_id", "seq", name="uq_outbound_reply_seq"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(36), ForeignKey("conversations.id"), nullable=False, index=True)
    inbound_id = Column(Integer, ForeignKey("inbound_messages.id"), nullable=True)
    seq = Column(Integer, nullable=False, default=0)
    channel = Column(String(16), nullable=False)
    author = Column(String(16), nullable=False, default="bot")
    # The advocate who wrote it (author "advocate"); null for the assistant.
    advocate_id = Column(Integer, ForeignKey("advocates.id"), nullable=True)
    body = Column(EncryptedText, nullable=False)
    status = Column(String(16), nullable=False, default="queued", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=True)
    provider_message_id = Column(String(128), nullable=True)
    last_error = Column(String(255), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    # Set while a worker holds the row; a stale claim means the worker died mid-send.
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    delivery_status = Column(String(16), nullable=True)


class ChannelState(Base):
    """Small durable values a channel needs across restarts (e.g. Telegram's update offset)."""

    __tablename__ = "channel_state"

    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)


class ScreeningRecord(Base):
    __tablename__ = "screening_results"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(36), ForeignKey("conversations.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    complete = Column(Boolean, nullable=False, default=True)
    answers = Column(EncryptedJSON, nullable=False)
    indicators = Column(JSON, nullable=False)
    exploitation_type = Column(String(16), nullable=False)
    minor = Column(Boolean, nullable=False, default=False)
    triage = Column(String(16), nullable=False)
    result = Column(JSON, nullable=False)


class Tip(Base):
    __tablename__ = "tips"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(36), ForeignKey("conversations.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    complete = Column(Boolean, nullable=False, default=True)
    what = Column(EncryptedText, nullable=True)
    location = Column(EncryptedText, nullable=True)
    state_code = Column(String(2), nullable=True)
    when_seen = Column(EncryptedText, nullable=True)
    minor_involved = Column(String(16), nullable=True)
    danger = Column(String(16), nullable=True)
    contact_ok = Column(Boolean, nullable=False, default=False)
    urgent = Column(Boolean, nullable=False, default=False)


class HandoffRequest(Base):
    """A request for a human: one queue entry, from escalation to close.

    status: "open" (in the queue), "claimed" (an advocate owns it), "closed"
    (by an advocate, with a disposition), "handed_back" (to the assistant),
    "left" (the texter said never mind / quick exit), "expired" (nobody claimed
    it and the texter had not agreed to be contacted back).
    Transitions live in bot/handoff/queue.py; claims are compare-and-set.
    """

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(36), ForeignKey("conversations.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    reason = Column(String(32), nullable=False)
    priority = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default="open", index=True)
    details = Column(EncryptedJSON, nullable=True)
    minor = Column(Boolean, nullable=False, default=False, server_default=false())
    # None: not asked yet; True/False: the texter's answer to "may a person text you back?"
    contact_back = Column(Boolean, nullable=True)
    contact_back_asked_at = Column(DateTime(timezone=True), nullable=True)
    # When the "nobody is free right now" notice went out (unclaimed timeout / off hours).
    unclaimed_notice_at = Column(DateTime(timezone=True), nullable=True)
    held_ack_at = Column(DateTime(timezone=True), nullable=True)
    claimed_by = Column(Integer, ForeignKey("advocates.id"), nullable=True, index=True)
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)
    closed_by = Column(Integer, ForeignKey("advocates.id"), nullable=True)
    disposition = Column(String(32), nullable=True)
    # Minor cases: a supervisor acknowledges the mandatory-reporting steps before close.
    supervisor_ack_by = Column(Integer, ForeignKey("advocates.id"), nullable=True)
    supervisor_ack_at = Column(DateTime(timezone=True), nullable=True)


class Advocate(Base):
    """A console account. Passwords are argon2 hashes (bot/console/auth.py)."""

    __tablename__ = "advocates"

    id = Column(Integer, primary_key=True, autoincrement=True)
    username = Column(String(64), nullable=False, unique=True)
    display_name = Column(String(64), nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default="advocate")  # advocate|supervisor|admin
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = Column(DateTime(timezone=True), nullable=True)
    password_changed_at = Column(DateTime(timezone=True), nullable=True)


class AdvocateNote(Base):
    """An internal note on a conversation; the texter never sees it."""

    __tablename__ = "advocate_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(36), ForeignKey("conversations.id"), nullable=False, index=True)
    advocate_id = Column(Integer, ForeignKey("advocates.id"), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    body = Column(EncryptedText, nullable=False)


class AuditEvent(Base):
    """Append-only record of every advocate access and action (bot/console/audit.py).

    Holds no message text or address: who, what, when, and which
    conversation/case by id. Only the retention purge deletes rows.
    """

    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor_id = Column(Integer, ForeignKey("advocates.id"), nullable=True)
    actor = Column(String(64), nullable=False)  # username at the time, or "cli"/"system"
    action = Column(String(32), nullable=False, index=True)
    conversation_id = Column(String(36), nullable=True, index=True)
    case_id = Column(Integer, nullable=True)
    details = Column(JSON, nullable=True)
