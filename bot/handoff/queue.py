"""The advocate queue: every state change of a handoff request, in one place.

A request (HandoffRequest) moves open -> claimed -> closed | handed_back, or
open | claimed -> left (the texter changed their mind, quick exit, Leave), or
open -> expired (nobody was free and the texter had not agreed to be contacted
back). Emergency and minor requests never expire: they escalate (timeouts.py).
Every left or expired request lands on the supervisors' missed list with its
reason (`missed_at`, `missed_reason`; bot/handoff/missed.py), audited. The conversation's `status`
follows it: "queued" while open, "advocate" while claimed, "bot" otherwise, so
the router knows in one read whether the assistant may answer.

Claims and releases are compare-and-set updates (`... WHERE status = 'open'`),
so when two advocates claim at once exactly one wins, on SQLite and PostgreSQL
alike, across processes and replicas. Callers commit; every advocate action is
written to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from bot.store.audit import SYSTEM, record_event
from bot.store.models import Advocate, Conversation, HandoffRequest, OutboundMessage, utcnow
from bot.store.records import ensure_conversation
from bot.store.statuses import HANDOFF_ACTIVE, ConversationStatus, HandoffStatus, OutboundStatus

PRIORITIES = ("emergency", "minor", "high", "normal")
ACTIVE = HANDOFF_ACTIVE  # a request that still holds the conversation
# Dispositions an advocate picks when closing (shown in the console).
DISPOSITIONS = (
    "referred",          # connected to a receiving organisation
    "information_given",  # rights / resources explained, no referral
    "safety_planned",
    "tip_recorded",
    "no_response",       # the texter stopped answering
    "not_trafficking",
    "duplicate",
    "other",
)


class MissedReason(str, Enum):
    """Why a request ended without a person finishing it (the missed list shows it)."""

    EXPIRED = "expired"              # nobody claimed it in time, no consent to text back
    TEXTER_LEFT = "texter_left"      # "never mind", or the web chat's Leave button
    QUICK_EXIT = "quick_exit"        # EXIT / SALIR


def is_urgent(request: HandoffRequest) -> bool:
    """Emergency and minor requests: never closed by a timer, only by a person."""
    return request.priority in ("emergency", "minor") or bool(request.minor)


class QueueError(Exception):
    """An action that is not allowed in the request's current state."""


class NotYours(QueueError):
    """The request is claimed by another advocate."""


@dataclass(frozen=True)
class QueueEntry:
    request_id: int
    conversation_id: str
    priority: str
    reason: str
    status: str
    created_at: datetime
    claimed_by: int | None
    channel: str
    language: str | None
    minor: bool
    escalated: bool = False  # urgent and unclaimed past the window: alert everyone


def priority_rank(priority: str) -> int:
    return PRIORITIES.index(priority) if priority in PRIORITIES else len(PRIORITIES)


def active_request(session: Session, conversation_id: str) -> HandoffRequest | None:
    """The request holding this conversation (open or claimed), if any."""
    return session.execute(
        select(HandoffRequest).where(HandoffRequest.conversation_id == conversation_id,
                                     HandoffRequest.status.in_(ACTIVE))
        .order_by(HandoffRequest.id.desc()).limit(1)
    ).scalar_one_or_none()


def enqueue(session: Session, conversation: Conversation, reason: str, priority: str,
            details: dict[str, Any] | None = None, *, minor: bool = False) -> HandoffRequest:
    """Put the conversation in the queue, or raise the priority of its active request."""
    if priority not in PRIORITIES:
        raise ValueError(f"unknown priority {priority!r}")
    if priority == "emergency":
        conversation.urgent = True
    existing = active_request(session, conversation.id)
    if existing is not None:
        if priority_rank(priority) < priority_rank(existing.priority):
            existing.priority = priority
            existing.reason = reason
        existing.details = {**(existing.details or {}), **(details or {})}
        existing.minor = bool(existing.minor or minor)
        if existing.contact_back is None:
            existing.contact_back = _contact_ok(details)
        return existing
    request = HandoffRequest(conversation_id=conversation.id, reason=reason, priority=priority,
                             details=details or {}, minor=minor, status=HandoffStatus.OPEN)
    request.contact_back = _contact_ok(details)
    session.add(request)
    if conversation.status != ConversationStatus.ADVOCATE:
        conversation.status = ConversationStatus.QUEUED
    session.flush()
    return request


def _contact_ok(details: dict[str, Any] | None) -> bool | None:
    """The texter's answer to "may we text you back?", when the escalation already knows it."""
    value = (details or {}).get("contact_ok")
    return value if isinstance(value, bool) else None


def waiting(session: Session) -> list[QueueEntry]:
    """Open and claimed requests: emergency > minor > high > normal, then longest wait."""
    rank = case({p: i for i, p in enumerate(PRIORITIES)}, value=HandoffRequest.priority,
                else_=len(PRIORITIES))
    rows = session.execute(
        select(HandoffRequest, Conversation)
        .join(Conversation, Conversation.id == HandoffRequest.conversation_id)
        .where(HandoffRequest.status.in_(ACTIVE))
        .order_by(rank, HandoffRequest.created_at, HandoffRequest.id)
    ).all()
    return [QueueEntry(r.id, r.conversation_id, r.priority, r.reason, r.status, r.created_at,
                       r.claimed_by, c.channel, c.language, bool(r.minor),
                       r.status == HandoffStatus.OPEN and r.escalated_at is not None)
            for r, c in rows]


def claim(session: Session, request_id: int, advocate: Advocate) -> bool:
    """Take an open request. True for exactly one advocate when several claim at once."""
    won = session.execute(
        update(HandoffRequest)
        .where(HandoffRequest.id == request_id, HandoffRequest.status == HandoffStatus.OPEN)
        .values(status=HandoffStatus.CLAIMED, claimed_by=advocate.id, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if not won:
        return False
    request = session.get(HandoffRequest, request_id)
    session.refresh(request)
    session.get(Conversation, request.conversation_id).status = ConversationStatus.ADVOCATE
    record_event(session, "claim", advocate=advocate, conversation_id=request.conversation_id,
                 request_id=request_id)
    return True


def _owned(session: Session, request_id: int, advocate: Advocate) -> HandoffRequest:
    """The claimed request, if this advocate owns it (supervisors and admins may act on any)."""
    request = session.get(HandoffRequest, request_id)
    if request is None or request.status != HandoffStatus.CLAIMED:
        raise QueueError("this conversation is not claimed")
    if request.claimed_by != advocate.id and advocate.role not in ("supervisor", "admin"):
        raise NotYours("this conversation is claimed by another advocate")
    return request


def transfer(session: Session, request_id: int, advocate: Advocate,
             to: Advocate | None) -> HandoffRequest:
    """Give a claimed conversation to another advocate, or back to the queue (`to=None`)."""
    request = _owned(session, request_id, advocate)
    conversation = session.get(Conversation, request.conversation_id)
    if to is None:
        _requeue(request, conversation)
    else:
        if not to.active:
            raise QueueError("that account is not active")
        request.claimed_by, request.claimed_at = to.id, utcnow()
    record_event(session, "transfer", advocate=advocate, conversation_id=request.conversation_id,
                 request_id=request_id, to=to.username if to else "queue")
    return request


def hand_back(session: Session, request_id: int, advocate: Advocate,
              resume_text: str | None) -> HandoffRequest:
    """Return the conversation to the assistant; the texter gets one short line, not a restart."""
    request = _owned(session, request_id, advocate)
    if request.minor and request.supervisor_ack_at is None:
        raise QueueError("a minor's case needs a supervisor's acknowledgement first")
    request.status = HandoffStatus.HANDED_BACK
    request.closed_at, request.closed_by = utcnow(), advocate.id
    conversation = session.get(Conversation, request.conversation_id)
    conversation.status = ConversationStatus.BOT
    if resume_text:
        queue_text(session, conversation, resume_text, author="bot")
    record_event(session, "hand_back", advocate=advocate,
                 conversation_id=request.conversation_id, request_id=request_id)
    return request


def close(session: Session, request_id: int, advocate: Advocate,
          disposition: str) -> HandoffRequest:
    """Close with a disposition; a minor's case needs a supervisor's acknowledgement first."""
    if disposition not in DISPOSITIONS:
        raise QueueError(f"unknown disposition {disposition!r}")
    request = _owned(session, request_id, advocate)
    if request.minor and request.supervisor_ack_at is None:
        raise QueueError("a minor's case needs a supervisor's acknowledgement first")
    request.status, request.disposition = HandoffStatus.CLOSED, disposition
    request.closed_at, request.closed_by = utcnow(), advocate.id
    session.get(Conversation, request.conversation_id).status = ConversationStatus.BOT
    record_event(session, "close", advocate=advocate, conversation_id=request.conversation_id,
                 request_id=request_id, disposition=disposition)
    return request


def acknowledge_minor(session: Session, request_id: int, supervisor: Advocate) -> HandoffRequest:
    """A supervisor confirms the mandatory-reporting steps for a minor were followed."""
    if supervisor.role not in ("supervisor", "admin"):
        raise QueueError("only a supervisor can acknowledge a minor's case")
    request = session.get(HandoffRequest, request_id)
    if request is None or request.status not in ACTIVE:
        raise QueueError("this request is not active")
    request.supervisor_ack_by, request.supervisor_ack_at = supervisor.id, utcnow()
    record_event(session, "minor_ack", advocate=supervisor,
                 conversation_id=request.conversation_id, request_id=request_id)
    return request


def leave(session: Session, conversation_id: str,
          why: MissedReason | str) -> HandoffRequest | None:
    """The texter left the queue ("never mind", quick exit, Leave): the assistant answers
    again, and the request goes on the missed list so a supervisor sees it."""
    reason = MissedReason(why)
    request = active_request(session, conversation_id)
    if request is None:
        return None
    request.status = HandoffStatus.LEFT
    request.closed_at, request.disposition = utcnow(), reason.value
    session.get(Conversation, conversation_id).status = ConversationStatus.BOT
    _mark_missed(session, request, reason)
    return request


def expire(session: Session, request: HandoffRequest) -> None:
    """Nobody claimed it and the texter did not agree to be contacted back: close safely.

    Never for an emergency or a minor (they escalate until a person claims them).
    """
    if is_urgent(request):
        raise QueueError("an emergency or minor request never expires")
    request.status = HandoffStatus.EXPIRED
    request.closed_at, request.disposition = utcnow(), "no_advocate"
    session.get(Conversation, request.conversation_id).status = ConversationStatus.BOT
    _mark_missed(session, request, MissedReason.EXPIRED)


def _mark_missed(session: Session, request: HandoffRequest, reason: MissedReason) -> None:
    request.missed_at, request.missed_reason = utcnow(), reason.value
    record_event(session, "missed", actor=SYSTEM, conversation_id=request.conversation_id,
                 request_id=request.id, reason=reason.value, priority=request.priority)


def escalate(session: Session, request: HandoffRequest, now: datetime) -> None:
    """An urgent request waited too long: alert everyone (the console shows it loudly)."""
    if request.escalated_at is not None:
        return
    request.escalated_at = now
    record_event(session, "escalated", actor=SYSTEM, conversation_id=request.conversation_id,
                 request_id=request.id, priority=request.priority)


def _requeue(request: HandoffRequest, conversation: Conversation) -> None:
    """Back to open, at its priority; the unclaimed window starts again (a texter who was
    talking to a person is not told "nobody is free" the moment their advocate leaves)."""
    request.status, request.claimed_by, request.claimed_at = HandoffStatus.OPEN, None, None
    request.requeued_at, request.unclaimed_notice_at = utcnow(), None
    conversation.status = ConversationStatus.QUEUED


def return_claims(session: Session, advocate: Advocate,
                  by: dict[str, Any]) -> list[int]:
    """Put every conversation the advocate holds back in the queue, at its priority.

    Used when an account is deactivated, so no texter waits on someone who is gone.
    """
    rows = session.execute(select(HandoffRequest).where(
        HandoffRequest.claimed_by == advocate.id, HandoffRequest.status == HandoffStatus.CLAIMED)
    ).scalars().all()
    for request in rows:
        _requeue(request, session.get(Conversation, request.conversation_id))
        record_event(session, "returned_to_queue", **by,
                     conversation_id=request.conversation_id, request_id=request.id,
                     priority=request.priority, account=advocate.username)
    return [r.id for r in rows]


def queue_text(session: Session, conversation: Conversation, text: str, *, author: str,
               advocate: Advocate | None = None) -> OutboundMessage:
    """Put one message for the texter in the outbox (not tied to an inbound message)."""
    row = OutboundMessage(conversation_id=conversation.id, inbound_id=None, seq=0,
                          channel=conversation.channel, author=author,
                          advocate_id=advocate.id if advocate else None,
                          body=text, status=OutboundStatus.QUEUED)
    session.add(row)
    session.flush()
    return row


def advocate_reply(session: Session, request_id: int, advocate: Advocate,
                   text: str) -> OutboundMessage:
    """An advocate's reply: through the outbox, over the texter's channel, audited."""
    text = text.replace("\r\n", "\n").strip()  # browsers send form text with CRLF
    if not text:
        raise QueueError("the reply is empty")
    request = _owned(session, request_id, advocate)
    if request.claimed_by != advocate.id:
        raise NotYours("claim the conversation before replying")
    conversation = session.get(Conversation, request.conversation_id)
    if conversation.channel == "unknown":
        raise QueueError("this conversation has no channel to reply on")
    row = queue_text(session, conversation, text, author="advocate", advocate=advocate)
    record_event(session, "reply", advocate=advocate, conversation_id=conversation.id,
                 request_id=request_id, outbound_id=row.id)
    return row


def record_handoff(
    session: Session,
    conversation_id: str,
    reason: str,
    priority: str,
    details: dict[str, Any] | None = None,
    *,
    minor: bool = False,
) -> HandoffRequest:
    """Queue the conversation for an advocate, or raise the priority of its open request.

    What the assistant's actions call: they know the conversation only by id.
    """
    conversation = ensure_conversation(session, conversation_id)
    return enqueue(session, conversation, reason, priority, details, minor=minor)
