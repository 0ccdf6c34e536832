"""Records written by the assistant's actions: screenings, tips, handoff requests.

Actions identify the conversation by Rasa's sender id, which is our
conversation id. A conversation unknown to the store (e.g. `rasa shell`)
is created on the fly with channel "unknown" so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Conversation, HandoffRequest, ScreeningRecord, Tip

PRIORITIES = ("emergency", "minor", "high", "normal")


def ensure_conversation(session: Session, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = Conversation(id=conversation_id, channel="unknown",
                                    contact_key=f"unknown:{conversation_id}")
        session.add(conversation)
        session.flush()
    return conversation


def set_language(session: Session, conversation_id: str, language: str) -> None:
    ensure_conversation(session, conversation_id).language = language


def mark_urgent(session: Session, conversation_id: str) -> None:
    ensure_conversation(session, conversation_id).urgent = True


def record_handoff(
    session: Session,
    conversation_id: str,
    reason: str,
    priority: str,
    details: dict[str, Any] | None = None,
) -> HandoffRequest:
    """Open a handoff request, or raise the priority of the one already open."""
    if priority not in PRIORITIES:
        raise ValueError(f"unknown priority {priority!r}")
    conversation = ensure_conversation(session, conversation_id)
    if priority == "emergency":
        conversation.urgent = True
    existing = session.execute(
        select(HandoffRequest).where(HandoffRequest.conversation_id == conversation_id,
                                     HandoffRequest.status == "open")
    ).scalar_one_or_none()
    if existing is not None:
        if PRIORITIES.index(priority) < PRIORITIES.index(existing.priority):
            existing.priority = priority
            existing.reason = reason
        existing.details = {**(existing.details or {}), **(details or {})}
        return existing
    request = HandoffRequest(conversation_id=conversation_id, reason=reason, priority=priority,
                             details=details or {})
    session.add(request)
    session.flush()
    return request


def record_screening(
    session: Session, conversation_id: str, answers: dict[str, str], result: dict[str, Any],
    *, complete: bool,
) -> ScreeningRecord:
    ensure_conversation(session, conversation_id)
    record = ScreeningRecord(
        conversation_id=conversation_id, complete=complete, answers=answers,
        indicators=list(result["indicators"]), exploitation_type=result["exploitation_type"],
        minor=bool(result["minor"]), triage=result["triage"], result=result,
    )
    session.add(record)
    session.flush()
    return record


def record_tip(session: Session, conversation_id: str, **fields: Any) -> Tip:
    ensure_conversation(session, conversation_id)
    tip = Tip(conversation_id=conversation_id, **fields)
    session.add(tip)
    session.flush()
    return tip
