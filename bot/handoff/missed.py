"""The missed list: every request that ended without a person finishing it.

A request lands here when it expired (nobody was free and the texter had not
agreed to be texted back) or when the texter left (never mind, EXIT, the web
chat's Leave button); bot/handoff/queue.py marks it. Supervisors read the list
in the console and record a follow-up; where the texter agreed to be contacted
back, that is the chance to try again. Reading and following up are audited by
the console view; the entries carry no message text and no address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.queue import QueueError
from bot.store.audit import record_event
from bot.store.models import Advocate, Conversation, HandoffRequest, utcnow


@dataclass(frozen=True)
class MissedEntry:
    request_id: int
    conversation_id: str
    priority: str
    reason: str
    missed_reason: str
    missed_at: datetime
    created_at: datetime
    channel: str
    language: str | None
    contact_back: bool | None
    followed_up_at: datetime | None
    followed_up_by: int | None


def missed(session: Session, *, include_followed_up: bool = False,
           limit: int = 200) -> list[MissedEntry]:
    """Newest first; by default only those nobody has followed up yet."""
    query = (select(HandoffRequest, Conversation)
             .join(Conversation, Conversation.id == HandoffRequest.conversation_id)
             .where(HandoffRequest.missed_at.is_not(None)))
    if not include_followed_up:
        query = query.where(HandoffRequest.followed_up_at.is_(None))
    rows = session.execute(query.order_by(HandoffRequest.missed_at.desc(),
                                          HandoffRequest.id.desc()).limit(limit)).all()
    return [MissedEntry(r.id, r.conversation_id, r.priority, r.reason, r.missed_reason or "",
                        r.missed_at, r.created_at, c.channel, c.language, r.contact_back,
                        r.followed_up_at, r.followed_up_by) for r, c in rows]


def follow_up(session: Session, request_id: int, supervisor: Advocate) -> HandoffRequest:
    """A supervisor records that a missed request was looked at (and acted on)."""
    if supervisor.role not in ("supervisor", "admin"):
        raise QueueError("only a supervisor can record a follow-up")
    request = session.get(HandoffRequest, request_id)
    if request is None or request.missed_at is None:
        raise QueueError("this request is not on the missed list")
    if request.followed_up_at is None:
        request.followed_up_at, request.followed_up_by = utcnow(), supervisor.id
        record_event(session, "missed_followed_up", advocate=supervisor,
                     conversation_id=request.conversation_id, request_id=request_id)
    return request
