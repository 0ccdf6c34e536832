"""Tables. Message text and addresses live only here (never in logs).

Conversations are keyed by a random id (also Rasa's sender id), so the
tracker store and logs never see a phone number or chat id. The contact is
found again by a keyed hash (`contact_key`) of channel + address.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import overload

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import declarative_base

from bot.store.crypto import EncryptedJSON, EncryptedText, bind_encrypted_columns
from bot.store.statuses import (
    ConversationStatus,
    HandoffStatus,
    InboundStatus,
    OutboundStatus,
)

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """A stored time, timezone-aware: SQLite hands back naive datetimes even for
    timezone-aware columns, and everything this project stores is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


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
    # advocate; the assistant still answers) or "advocate" (claimed: the assistant is
    # silent). See bot/handoff/.
    status = Column(String(16), nullable=False, default=ConversationStatus.BOT)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    last_inbound_at = Column(DateTime(timezone=True), nullable=True)
    # Set when the texter opted out (SMS STOP, error 21610) or blocked the bot
    # (Telegram 403): nothing is sent until they write START / unblock.
    unreachable = Column(Boolean, nullable=False, default=False, server_default=false())
    # "I must stop now" (bot/safety/must_stop.py): outbound rows with a larger id
    # wait until the texter writes again (the router clears it on every inbound).
    paused_after_id = Column(Integer, nullable=True)
    # The message that got the Y/N danger check, while its answer is awaited.
    danger_check_inbound_id = Column(Integer, nullable=True)


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
    status = Column(String(16), nullable=False, default=InboundStatus.ACCEPTED, index=True)
    # "bot" when the assistant answered it, "advocate" when it was held for a human
    # (the conversation was queued or claimed). Null until processed.
    handled_by = Column(String(16), nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
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
    status = Column(String(16), nullable=False, default=OutboundStatus.QUEUED, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=True)
    provider_message_id = Column(String(128), nullable=True)
    last_error = Column(String(255), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
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
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
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
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
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

    status: a `HandoffStatus` (bot/store/statuses.py): open (in the queue),
    claimed (an advocate owns it), closed (by an advocate, with a disposition),
    handed_back (to the assistant), left (the texter said never mind / quick
    exit), expired (nobody claimed it and the texter had not agreed to be
    contacted back).
    Transitions live in bot/handoff/queue.py; claims are compare-and-set.
    """

    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(36), ForeignKey("conversations.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    reason = Column(String(32), nullable=False)
    priority = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default=HandoffStatus.OPEN, index=True)
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
    # The texter asked to delete their data while this request was active: erased
    # when it ends and the last reply is out (bot/handoff/erasure.py).
    deletion_requested_at = Column(DateTime(timezone=True), nullable=True, index=True)
    # Minor cases: a supervisor acknowledges the mandatory-reporting steps before close.
    supervisor_ack_by = Column(Integer, ForeignKey("advocates.id"), nullable=True)
    supervisor_ack_at = Column(DateTime(timezone=True), nullable=True)
    # An emergency / minor request nobody claimed in time: it never closes by itself,
    # the console alerts every advocate and supervisor until a person claims it.
    escalated_at = Column(DateTime(timezone=True), nullable=True)
    # Put back in the queue (transfer to the queue, account deactivated): the unclaimed
    # window counts from here, not from the first escalation.
    requeued_at = Column(DateTime(timezone=True), nullable=True)
    # A lost chance to help (expired, the texter left): on the supervisors' missed list
    # (bot/handoff/missed.py) until someone records the follow-up.
    missed_at = Column(DateTime(timezone=True), nullable=True, index=True)
    missed_reason = Column(String(32), nullable=True)
    followed_up_at = Column(DateTime(timezone=True), nullable=True)
    followed_up_by = Column(Integer, ForeignKey("advocates.id"), nullable=True)


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
    # Presence: available for new conversations, or away (bot/handoff/routing.py).
    available = Column(Boolean, nullable=False, default=True, server_default=true())
    # Simultaneous conversations; None means HOTLINE_CONSOLE_MAX_CONVERSATIONS.
    max_conversations = Column(Integer, nullable=True)


class ConsoleSession(Base):
    """A console log-in, held by the server: the cookie only names it (by a random id).

    Log-out deletes the row; a password change or deactivation deletes every row
    of that advocate; so a copied cookie stops working at once. Only a SHA-256 of
    the id is stored, so the table cannot be replayed as cookies.
    """

    __tablename__ = "console_sessions"

    id_hash = Column(String(64), primary_key=True)
    advocate_id = Column(Integer, ForeignKey("advocates.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


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


# ---- Referral cases (HTCDS)
# One referral case per texter episode, with fields aligned with the IOM Human
# Trafficking Case Data Standard (docs/reference/htcds/, docs/referrals.md).
# Value columns hold HTCDS value names exactly (bot/referrals/htcds.py checks
# them against the reference); free text is encrypted.


class ReferralCase(Base):
    """A case: what the hotline knows about one episode, in HTCDS terms.

    Opened from a handoff request (bot/referrals/cases.py) and pre-filled from
    the conversation's screening and tip; advocates complete it. Deleted with
    its conversation (the retention purge), so it never outlives the data
    retention windows.
    """

    __tablename__ = "referral_cases"
    __table_args__ = (UniqueConstraint("handoff_request_id", name="uq_referral_case_handoff"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(
        String(36), ForeignKey("conversations.id", name="fk_referral_case_conversation",
                               ondelete="CASCADE"), nullable=False, index=True)
    # The queue entry that opened the episode (kept as null once the purge deletes it).
    handoff_request_id = Column(
        Integer, ForeignKey("handoff_requests.id", name="fk_referral_case_handoff",
                            ondelete="SET NULL"), nullable=True)
    status = Column(String(16), nullable=False, default="Active")  # cas_Status
    trafficking_status = Column(String(32), nullable=False,  # vic_TraffickingStatus
                                default="PossibleVictimOfTrafficking")
    trafficking_status_org = Column(String(40), nullable=True)  # ..DecisionMakingOrg
    # HTCDS Methods of Control field names (MethodsOfControl...), as screening writes them.
    methods_of_control = Column(JSON, nullable=False, default=list)
    types_of_exploitation = Column(JSON, nullable=False, default=list)  # vic_TypeOfExploitation
    forced_labour_industry = Column(JSON, nullable=False, default=list)
    types_of_sex_exploitation = Column(JSON, nullable=False, default=list)
    methods_of_recruitment = Column(JSON, nullable=False, default=list)
    state = Column(String(2), nullable=True)  # vic_LocationOfExploitation (US state code)
    language = Column(String(2), nullable=True)
    referral_reason = Column(EncryptedText, nullable=True)  # cas_ReasonForIncomingReferral
    referral_details = Column(EncryptedText, nullable=True)  # cas_IncomingReferralDetails
    receiving_org = Column(String(64), nullable=True)  # a dir_organizations id
    minor = Column(Boolean, nullable=False, default=False, server_default=false())
    imminent_danger = Column(Boolean, nullable=False, default=False, server_default=false())
    opened_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    referred_at = Column(DateTime(timezone=True), nullable=True)
    referred_by = Column(Integer, ForeignKey("advocates.id", name="fk_referral_case_referred_by"),
                         nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)
    closed_by = Column(Integer, ForeignKey("advocates.id", name="fk_referral_case_closed_by"),
                       nullable=True)


class Consent(Base):
    """The texter's consent to share named case fields with one receiving organisation.

    `fields` lists export field names (HTCDS names, bot/referrals/htcds.py
    SHAREABLE_FIELDS). `inbound_message_id` is the texter's message that gave
    it; it is not a foreign key because messages are purged after 30 days
    while the consent record must stay as long as the case.
    """

    __tablename__ = "referral_consents"

    id = Column(Integer, primary_key=True, autoincrement=True)
    case_id = Column(Integer, ForeignKey("referral_cases.id", name="fk_consent_case",
                                         ondelete="CASCADE"), nullable=False, index=True)
    fields = Column(JSON, nullable=False)
    receiving_org = Column(String(64), nullable=False)
    given_at = Column(DateTime(timezone=True), nullable=False, index=True)
    inbound_message_id = Column(Integer, nullable=False)
    recorded_by = Column(Integer, ForeignKey("advocates.id", name="fk_consent_recorded_by"),
                         nullable=False)
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    withdrawn_at = Column(DateTime(timezone=True), nullable=True)
    withdrawn_by = Column(Integer, ForeignKey("advocates.id", name="fk_consent_withdrawn_by"),
                          nullable=True)


# ---- Resource directory (Open Referral HSDS 3.0, docs/directory.md)
# Public information about organisations, never about texters: nothing here is
# encrypted. Ids are HSDS ids (UUID strings) so an imported partner list keeps
# its own ids and a second import updates the same rows. bot/directory/ reads
# and writes these tables.


def _dir_fk(table: str, name: str) -> ForeignKey:
    return ForeignKey(f"{table}.id", name=name, ondelete="CASCADE")


class DirOrganization(Base):
    """HSDS organization: who runs the services a texter may be referred to."""

    __tablename__ = "dir_organizations"

    id = Column(String(36), primary_key=True, default=new_id)
    name = Column(String(255), nullable=False)
    alternate_name = Column(String(255), nullable=True)
    description = Column(Text, nullable=False, default="")
    email = Column(String(255), nullable=True)
    website = Column(String(255), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class DirService(Base):
    """HSDS service, with our need (service_type) and who verified it and when.

    status: HSDS values (active, inactive, defunct, temporarily closed); "retire"
    sets inactive. Only active services with an assured_date within the freshness
    limit and an assurer_email ever reach a texter (bot/directory/lookup.py).
    """

    __tablename__ = "dir_services"

    id = Column(String(36), primary_key=True, default=new_id)
    organization_id = Column(String(36), _dir_fk("dir_organizations", "fk_dir_service_org"),
                             nullable=False, index=True)
    name = Column(String(255), nullable=False)
    alternate_name = Column(String(255), nullable=True)
    description = Column(Text, nullable=True)
    url = Column(String(255), nullable=True)
    email = Column(String(255), nullable=True)
    status = Column(String(24), nullable=False, default="active", index=True)
    service_type = Column(String(32), nullable=True, index=True)  # bot/directory/taxonomy.py
    interpretation_services = Column(Text, nullable=True)
    application_process = Column(Text, nullable=True)
    fees_description = Column(Text, nullable=True)
    eligibility_description = Column(Text, nullable=True)
    minimum_age = Column(Integer, nullable=True)
    maximum_age = Column(Integer, nullable=True)
    assured_date = Column(Date, nullable=True)
    assurer_email = Column(String(255), nullable=True)
    # Where the entry comes from (a partner list, a call, the BRIEF): exported as an attribute.
    source = Column(Text, nullable=True)
    last_modified = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class DirLocation(Base):
    """HSDS location with its one address (HSDS address rows are merged into it)."""

    __tablename__ = "dir_locations"

    id = Column(String(36), primary_key=True, default=new_id)
    organization_id = Column(String(36), _dir_fk("dir_organizations", "fk_dir_location_org"),
                             nullable=True, index=True)
    location_type = Column(String(16), nullable=False, default="physical")
    name = Column(String(255), nullable=True)
    description = Column(Text, nullable=True)
    latitude = Column(Float, nullable=True)
    longitude = Column(Float, nullable=True)
    address_id = Column(String(36), nullable=True)
    address_1 = Column(String(255), nullable=True)
    address_2 = Column(String(255), nullable=True)
    city = Column(String(128), nullable=True)
    region = Column(String(128), nullable=True)
    state_province = Column(String(64), nullable=True)
    postal_code = Column(String(16), nullable=True)
    country = Column(String(2), nullable=True)
    address_type = Column(String(16), nullable=True)


class DirServiceAtLocation(Base):
    """HSDS service_at_location: a service delivered at a location."""

    __tablename__ = "dir_service_at_location"

    id = Column(String(36), primary_key=True, default=new_id)
    service_id = Column(String(36), _dir_fk("dir_services", "fk_dir_sal_service"),
                        nullable=False, index=True)
    location_id = Column(String(36), _dir_fk("dir_locations", "fk_dir_sal_location"),
                         nullable=False, index=True)
    description = Column(Text, nullable=True)


class DirPhone(Base):
    """HSDS phone of a service, an organization or a location. type: voice, text, tty..."""

    __tablename__ = "dir_phones"

    id = Column(String(36), primary_key=True, default=new_id)
    service_id = Column(String(36), _dir_fk("dir_services", "fk_dir_phone_service"),
                        nullable=True, index=True)
    organization_id = Column(String(36), _dir_fk("dir_organizations", "fk_dir_phone_org"),
                             nullable=True, index=True)
    location_id = Column(String(36), _dir_fk("dir_locations", "fk_dir_phone_location"),
                         nullable=True, index=True)
    number = Column(String(64), nullable=False)
    extension = Column(Integer, nullable=True)
    type = Column(String(16), nullable=True)
    description = Column(Text, nullable=True)


class DirLanguage(Base):
    """HSDS language a service (or location, phone) is offered in; code is ISO 639."""

    __tablename__ = "dir_languages"

    id = Column(String(36), primary_key=True, default=new_id)
    service_id = Column(String(36), _dir_fk("dir_services", "fk_dir_language_service"),
                        nullable=True, index=True)
    location_id = Column(String(36), _dir_fk("dir_locations", "fk_dir_language_location"),
                         nullable=True)
    phone_id = Column(String(36), _dir_fk("dir_phones", "fk_dir_language_phone"), nullable=True)
    name = Column(String(64), nullable=True)
    code = Column(String(8), nullable=True, index=True)
    note = Column(Text, nullable=True)


class DirSchedule(Base):
    """HSDS schedule (the weekly subset: freq WEEKLY, byday, opens_at, closes_at)."""

    __tablename__ = "dir_schedules"

    id = Column(String(36), primary_key=True, default=new_id)
    service_id = Column(String(36), _dir_fk("dir_services", "fk_dir_schedule_service"),
                        nullable=True, index=True)
    location_id = Column(String(36), _dir_fk("dir_locations", "fk_dir_schedule_location"),
                         nullable=True)
    freq = Column(String(8), nullable=True)
    byday = Column(String(32), nullable=True)
    opens_at = Column(String(8), nullable=True)
    closes_at = Column(String(8), nullable=True)
    valid_from = Column(Date, nullable=True)
    valid_to = Column(Date, nullable=True)
    description = Column(Text, nullable=True)
    timezone = Column(Float, nullable=True)  # HSDS: hours from UTC


class DirServiceArea(Base):
    """HSDS service_area; `kind`/`value` are ours: national US, state TX, county
    TX/Harris, city TX/Houston or a ZIP prefix 770 (written to HSDS `extent`)."""

    __tablename__ = "dir_service_areas"

    id = Column(String(36), primary_key=True, default=new_id)
    service_id = Column(String(36), _dir_fk("dir_services", "fk_dir_area_service"),
                        nullable=False, index=True)
    kind = Column(String(16), nullable=True, index=True)
    value = Column(String(128), nullable=True, index=True)
    name = Column(String(255), nullable=True)
    description = Column(Text, nullable=True)
    extent = Column(Text, nullable=True)
    extent_type = Column(String(32), nullable=True)
    uri = Column(String(255), nullable=True)


# Every encrypted value is sealed to its table, column and row (bot/store/crypto.py).
bind_encrypted_columns(Base)
