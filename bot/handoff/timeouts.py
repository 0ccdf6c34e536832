"""Nobody claimed the request: tell the texter honestly, and never leave them waiting.

Runs every few seconds in each server process (bot/messaging/service.py). For
each open request that has waited longer than the unclaimed timeout, or that
arrived outside staffed hours, the texter gets the 24/7 numbers and:
- an emergency or a minor: the request never closes by itself. It escalates
  (`escalated_at`; the console alerts every advocate and supervisor, louder and
  repeated, until a person claims it) and the texter is told honestly that the
  team has been alerted;
- if they agreed to be contacted back, is told a person will text when free
  (the request stays in the queue);
- otherwise, the request closes ("expired"), lands on the missed list, and the
  assistant answers again.
A request raised to emergency after its notice went out escalates too.
The notice is claimed with a compare-and-set on `unclaimed_notice_at`, so two
replicas never send it twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.content.loader import load_content
from bot.handoff import queue
from bot.staffed_hours import Shift, is_staffed
from bot.store.db import session_scope
from bot.store.models import Conversation, HandoffRequest, as_utc
from bot.store.statuses import HandoffStatus

# No channel to deliver on (`rasa shell`, tests). Web chat gets the notice when its
# page polls /webhooks/webchat/updates.
NO_LATER_DELIVERY = ("unknown",)


def sweep_unclaimed(db_url: str, now: datetime, *, unclaimed_after: timedelta,
                    shifts: tuple[Shift, ...], tz: str, default_language: str = "en") -> int:
    """Send the "nobody is free" notice where it is due; returns how many were handled."""
    staffed = is_staffed(shifts, now, tz)
    content = load_content()
    handled = 0
    with session_scope(db_url) as session:
        candidates = session.execute(
            select(HandoffRequest.id, HandoffRequest.created_at, HandoffRequest.requeued_at)
            .where(HandoffRequest.status == HandoffStatus.OPEN,
                   HandoffRequest.unclaimed_notice_at.is_(None))
        ).all()
    for request_id, created_at, requeued_at in candidates:
        waiting_since = as_utc(requeued_at or created_at)
        if staffed and now - waiting_since < unclaimed_after:
            continue
        with session_scope(db_url) as session:
            won = session.execute(
                update(HandoffRequest)
                .where(HandoffRequest.id == request_id, HandoffRequest.status == HandoffStatus.OPEN,
                       HandoffRequest.unclaimed_notice_at.is_(None))
                .values(unclaimed_notice_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount == 1
            if not won:
                continue
            request = session.get(HandoffRequest, request_id)
            conversation = session.get(Conversation, request.conversation_id)
            lang = conversation.language if conversation.language in ("en", "es") \
                else default_language
            if queue.is_urgent(request):
                queue.escalate(session, request, now)
                key = "queue_unclaimed_urgent"
            elif request.contact_back:
                key = "queue_unclaimed_contact_back"
            else:
                queue.expire(session, request)
                key = "queue_unclaimed_closed"
            if conversation.channel not in NO_LATER_DELIVERY and not conversation.unreachable:
                queue.queue_text(session, conversation, content.template(key, lang), author="bot")
            handled += 1
    _escalate_raised(db_url, now)
    return handled


def _escalate_raised(db_url: str, now: datetime) -> None:
    """Requests that became urgent after their notice (e.g. danger words while waiting)."""
    with session_scope(db_url) as session:
        rows = session.execute(
            select(HandoffRequest)
            .where(HandoffRequest.status == HandoffStatus.OPEN,
                   HandoffRequest.escalated_at.is_(None),
                   HandoffRequest.unclaimed_notice_at.is_not(None))
        ).scalars().all()
        for request in rows:
            if queue.is_urgent(request):
                queue.escalate(session, request, now)
