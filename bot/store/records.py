"""Records written by the assistant's actions: screenings and tips.

(Handoff requests: `bot.handoff.queue.record_handoff`, the queue's own module.)

Actions identify the conversation by Rasa's sender id, which is our
conversation id. A conversation unknown to the store (e.g. `rasa shell`)
is created on the fly with channel "unknown" so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.store.models import Conversation, ScreeningRecord, Tip


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
