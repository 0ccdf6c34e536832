"""The audit log: one append-only row per advocate access or action.

Every console view, claim, reply, reveal, transfer, close and export, and every
CLI export, calls `record_event` in the same transaction as the action itself,
so an action that happened is never missing from the log. Rows hold ids and
small non-sensitive details only (never message text or addresses).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.store.models import Advocate, AuditEvent

# Actor names for actions not done by a logged-in advocate.
CLI = "cli"
SYSTEM = "system"


def record_event(session: Session, action: str, *, advocate: Advocate | None = None,
                 actor: str | None = None, conversation_id: str | None = None,
                 case_id: int | None = None, **details: Any) -> AuditEvent:
    """Append one audit row (flushed with the caller's transaction)."""
    if advocate is None and actor is None:
        raise ValueError("an audit event needs an advocate or an actor name")
    row = AuditEvent(action=action, actor_id=advocate.id if advocate else None,
                     actor=advocate.username if advocate else str(actor),
                     conversation_id=conversation_id, case_id=case_id,
                     details=details or None)
    session.add(row)
    return row


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper, _connection, _target) -> None:  # type: ignore[no-untyped-def]
    raise PermissionError("audit events are append-only")
