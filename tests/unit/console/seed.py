"""Test data for the console tests: advocates, and an escalated SMS conversation with
texter, assistant and advocate messages, a screening and a tip (real ORM, real DB)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bot.screening.rules import evaluate, to_record
from bot.store.db import session_scope
from bot.store.models import (
    Advocate,
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
)

PHONE = "+15557654321"  # must never appear on a console page unless revealed
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def add_advocate(db_url: str, username: str, role: str = "advocate",
                 display_name: str | None = None) -> int:
    with session_scope(db_url) as s:
        a = Advocate(username=username, display_name=display_name or username.title(),
                     password_hash="not-a-real-hash", role=role)
        s.add(a)
        s.flush()
        return a.id


@dataclass(frozen=True)
class Seeded:
    conversation_id: str
    request_id: int
    inbound_ids: tuple[int, ...]


def escalated_conversation(db_url: str, *, priority: str = "high", reason: str = "screening",
                           minor: bool = False, channel: str = "twilio", language: str = "es",
                           address: str = PHONE, created_at: datetime = T0,
                           key: str | None = None) -> Seeded:
    """An SMS conversation: two texter messages, one assistant reply, a screening, a tip and
    an open handoff request created at `created_at`."""
    with session_scope(db_url) as s:
        c = Conversation(channel=channel, contact_key=key or f"k-{address}-{created_at}",
                         contact_address=address, language=language, status="queued",
                         created_at=created_at, last_inbound_at=created_at)
        s.add(c)
        s.flush()
        first = InboundMessage(channel=channel, provider_message_id=f"SM1-{c.id}",
                               conversation_id=c.id, body="hola, necesito ayuda",
                               status="processed", handled_by="bot", received_at=created_at)
        s.add(first)
        s.flush()
        s.add(OutboundMessage(conversation_id=c.id, inbound_id=first.id, seq=0,
                              channel=channel, author="bot", body="Aquí tienes info.",
                              status="sent", delivery_status="delivered",
                              created_at=created_at + timedelta(seconds=1)))
        second = InboundMessage(channel=channel, provider_message_id=f"SM2-{c.id}",
                                conversation_id=c.id, body="sí, pueden compartir mi estado",
                                status="processed", handled_by="advocate",
                                received_at=created_at + timedelta(seconds=30))
        s.add(second)
        answers = {"q_safe_leave": "no", "q_documents": "yes", "q_under18": "yes" if minor
                   else "no", "q_commercial_sex": "no"}
        s.add(ScreeningRecord(conversation_id=c.id, answers=answers,
                              created_at=created_at + timedelta(seconds=10),
                              **_screening_columns(answers)))
        s.add(Tip(conversation_id=c.id, what="workers locked in a barn", location="Fresno",
                  state_code="CA", when_seen="yesterday", minor_involved="no", danger="yes",
                  contact_ok=False, urgent=True, created_at=created_at + timedelta(seconds=20)))
        r = HandoffRequest(conversation_id=c.id, reason=reason, priority=priority,
                           status="open", minor=minor, created_at=created_at + timedelta(seconds=5))
        s.add(r)
        s.flush()
        return Seeded(c.id, r.id, (first.id, second.id))


def _screening_columns(answers: dict[str, str]) -> dict:  # type: ignore[type-arg]
    result = to_record(evaluate(answers))
    return {"indicators": list(result["indicators"]),
            "exploitation_type": result["exploitation_type"], "minor": bool(result["minor"]),
            "triage": result["triage"], "result": result, "complete": True}
