"""Console log-ins held by the server (table `console_sessions`).

The signed Flask cookie carries a random session id; the login is valid only
while its row exists. Log-out deletes the row, a password change or a
deactivation deletes all of that advocate's rows, so a copied cookie stops
working at once instead of living on until it expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import ConsoleSession, utcnow


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(s: Session, advocate_id: int, lifetime: dt.timedelta) -> str:
    """Record a new log-in; returns the id for the cookie (only its hash is stored).

    Rows older than the absolute lifetime are expired anyway: they are dropped here.
    """
    s.execute(delete(ConsoleSession).where(ConsoleSession.created_at < utcnow() - lifetime))
    session_id = secrets.token_urlsafe(32)
    s.add(ConsoleSession(id_hash=_hash(session_id), advocate_id=advocate_id))
    return session_id


def is_open(s: Session, session_id: object, advocate_id: int) -> bool:
    if not isinstance(session_id, str) or not session_id:
        return False
    owner = s.execute(select(ConsoleSession.advocate_id)
                      .where(ConsoleSession.id_hash == _hash(session_id))
                      ).scalar_one_or_none()
    return owner == advocate_id


def close_session(s: Session, session_id: object) -> None:
    if isinstance(session_id, str) and session_id:
        s.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == _hash(session_id)))


def close_all(s: Session, advocate_id: int) -> int:
    """End every log-in of this advocate (password change, deactivation)."""
    return s.execute(delete(ConsoleSession)
                     .where(ConsoleSession.advocate_id == advocate_id)).rowcount or 0
