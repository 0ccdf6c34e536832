"""Erasing a texter's data: the project database and Rasa's tracker store.

Used by "delete my data" (actions/privacy.py, bot/messaging/router.py) and by
the retention purge (bot/retention.py).

The tracker store is Rasa's `SQLTrackerStore` in its own SQLite file
(`HOTLINE_TRACKER_DB`): one row per event in table `events`, with `sender_id`
(our conversation id) and `timestamp` (UNIX seconds, float). A missing file or
table means there is nothing to delete; the file is never created here.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.paths import ROOT
from bot.store.models import (
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
)

logger = logging.getLogger(__name__)


def tracker_path(path: str | Path) -> Path:
    """The tracker file; a relative path is relative to the project (Rasa's cwd)."""
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def _connect(path: str | Path) -> sqlite3.Connection | None:
    file = tracker_path(path)
    if not file.is_file():
        return None
    # mode=rw: never create an empty tracker file by accident.
    conn = sqlite3.connect(f"file:{file}?mode=rw", uri=True, timeout=10)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _run(path: str | Path, sql: str, params: tuple[Any, ...], *, dry_run: bool) -> int:
    """Delete with `sql` (a DELETE on `events`); dry run counts and rolls back."""
    conn = _connect(path)
    if conn is None:
        return 0
    try:
        try:
            count = conn.execute(sql, params).rowcount
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return 0
            raise
        if dry_run:
            conn.rollback()
        else:
            conn.commit()
        return max(count, 0)
    finally:
        conn.close()


def delete_tracker_events(path: str | Path, sender_id: str, *, dry_run: bool = False) -> int:
    """Delete every tracker event of one conversation (all sessions)."""
    return _run(path, "DELETE FROM events WHERE sender_id = ?", (sender_id,), dry_run=dry_run)


def purge_tracker_events(path: str | Path, before: float, *, dry_run: bool = False) -> int:
    """Delete tracker events with a timestamp (UNIX seconds) before `before`."""
    return _run(path, "DELETE FROM events WHERE timestamp < ?", (before,), dry_run=dry_run)


def open_handoff(session: Session, conversation_id: str) -> HandoffRequest | None:
    """The conversation's open handoff request (an advocate case), if any."""
    return session.execute(
        select(HandoffRequest).where(HandoffRequest.conversation_id == conversation_id,
                                     HandoffRequest.status == "open")
        .order_by(HandoffRequest.id)
    ).scalars().first()


def erase_conversation(session: Session, conversation_id: str) -> dict[str, int]:
    """Delete everything the project database holds for one conversation.

    Callers check first that no handoff request is open (an open case is the
    advocate's to close); closed requests are deleted with the rest. Returns
    the number of rows deleted per table.
    """
    counts: dict[str, int] = {}
    for model in (OutboundMessage, InboundMessage, ScreeningRecord, Tip, HandoffRequest):
        counts[model.__tablename__] = session.execute(
            delete(model).where(model.conversation_id == conversation_id)
            .execution_options(synchronize_session=False)
        ).rowcount
    counts["conversations"] = session.execute(
        delete(Conversation).where(Conversation.id == conversation_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    return counts
