"""Erasing a texter's data: the project database and Rasa's tracker store.

Used by "delete my data" (actions/privacy.py, bot/messaging/router.py) and by
the retention purge (bot/retention.py).

The tracker store is Rasa's `SQLTrackerStore` (bot/store/tracker_store.py):
one row per event in table `events`, with `sender_id` (our conversation id)
and `timestamp` (UNIX seconds, float). It is found by `Settings.tracker_url`:
a SQLAlchemy URL (PostgreSQL: by default the project database) or, as before,
a plain SQLite file path (`HOTLINE_TRACKER_DB`). A missing SQLite file or a
missing table means there is nothing to delete; a file is never created here.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.paths import ROOT
from bot.store.models import (
    AdvocateNote,
    Consent,
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ReferralCase,
    ScreeningRecord,
    Tip,
)

logger = logging.getLogger(__name__)

DELETE_CONVERSATION = "DELETE FROM events WHERE sender_id = :value"
DELETE_BEFORE = "DELETE FROM events WHERE timestamp < :value"


def tracker_path(path: str | Path) -> Path:
    """The tracker file; a relative path is relative to the project (Rasa's cwd)."""
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def _sqlite_file(target: str | Path) -> Path | None:
    """The SQLite file a path or `sqlite:///` URL names; None for a server URL."""
    value = str(target)
    if "://" not in value:
        return tracker_path(value)
    url = make_url(value)
    if url.get_backend_name() != "sqlite":
        return None
    return tracker_path(url.database or "")


def _connect(path: str | Path) -> sqlite3.Connection | None:
    file = tracker_path(path)
    if not file.is_file():
        return None
    # mode=rw: never create an empty tracker file by accident.
    conn = sqlite3.connect(f"file:{file}?mode=rw", uri=True, timeout=10)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _run_sqlite(file: Path, sql: str, value: Any, *, dry_run: bool) -> int:
    conn = _connect(file)
    if conn is None:
        return 0
    try:
        try:
            count = conn.execute(sql.replace(":value", "?"), (value,)).rowcount
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


def _run_server(url: str, sql: str, value: Any, *, dry_run: bool) -> int:
    """The same DELETE on a database server (PostgreSQL), through the shared engine."""
    from bot.store.db import get_engine

    engine = get_engine(url)
    with engine.connect() as conn:  # 2.0 style: autobegins; closing rolls back
        if not inspect(conn).has_table("events"):
            return 0
        count = conn.execute(text(sql), {"value": value}).rowcount
        if dry_run:
            conn.rollback()
        else:
            conn.commit()
        return max(count or 0, 0)


def _run(target: str | Path, sql: str, value: Any, *, dry_run: bool) -> int:
    """Delete with `sql` (a DELETE on `events`); dry run counts and rolls back."""
    file = _sqlite_file(target)
    if file is not None:
        return _run_sqlite(file, sql, value, dry_run=dry_run)
    return _run_server(str(target), sql, value, dry_run=dry_run)


def delete_tracker_events(target: str | Path, sender_id: str, *, dry_run: bool = False) -> int:
    """Delete every tracker event of one conversation (all sessions).

    `target` is the tracker store's URL (`Settings.tracker_url`) or a SQLite path.
    """
    return _run(target, DELETE_CONVERSATION, sender_id, dry_run=dry_run)


def purge_tracker_events(target: str | Path, before: float, *, dry_run: bool = False) -> int:
    """Delete tracker events with a timestamp (UNIX seconds) before `before`."""
    return _run(target, DELETE_BEFORE, before, dry_run=dry_run)


def request_deletion(request: HandoffRequest, when: datetime) -> None:
    """Record "delete my data" on an active case: erased when the person's part ends.

    bot/handoff/erasure.py erases the conversation once the request is no longer
    active and its last queued reply went out; the console shows the request.
    """
    request.deletion_requested_at = when


def erase_conversation(session: Session, conversation_id: str) -> dict[str, int]:
    """Delete everything the project database holds for one conversation.

    Callers check first that no handoff request is active (an open case is the
    advocate's to close); closed requests, referral cases with their consents,
    and advocate notes are deleted with the rest. The audit log keeps its rows
    (ids and actions only, no content). Returns the rows deleted per table.
    """
    counts: dict[str, int] = {}
    case_ids = select(ReferralCase.id).where(ReferralCase.conversation_id == conversation_id)
    counts["consents"] = session.execute(
        delete(Consent).where(Consent.case_id.in_(case_ids))
        .execution_options(synchronize_session=False)
    ).rowcount
    for model in (ReferralCase, AdvocateNote, OutboundMessage, InboundMessage, ScreeningRecord,
                  Tip, HandoffRequest):
        counts[model.__tablename__] = session.execute(
            delete(model).where(model.conversation_id == conversation_id)
            .execution_options(synchronize_session=False)
        ).rowcount
    counts["conversations"] = session.execute(
        delete(Conversation).where(Conversation.id == conversation_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    return counts
