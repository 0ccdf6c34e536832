"""Retention: delete what is older than the configured windows.

| setting | default | what is deleted when older |
|---|---|---|
| `HOTLINE_RETENTION_MESSAGES_DAYS` | 30 | inbound and outbound messages, Rasa tracker events |
| `HOTLINE_RETENTION_TIPS_DAYS` | 365 | tips |
| `HOTLINE_RETENTION_CASES_DAYS` | 365 | screening results and handoff requests that are not open |
| `HOTLINE_RETENTION_AUDIT_DAYS` | 730 | the audit log, once that table exists |

Never deleted by age: outbound rows still `queued` or `sending` (the worker
decides their fate: sent, expired, failed...), inbound rows those rows answer,
and OPEN handoff requests (an advocate's case). A conversation whose rows are
all gone, with no open handoff and no inbound message within the message
window, is deleted too (its address and keyed hash with it).

`purge` runs at start-up and then daily in the Rasa server process
(`run_daily`, started by `MessagingService.start`), and on demand with
`hotline purge [--dry-run]`. A dry run counts in a transaction that is rolled
back, so its figures are exactly what a real run would delete at that time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import DateTime, bindparam, delete, exists, func, inspect, table
from sqlalchemy import column as sql_column

from bot.config import Settings
from bot.privacy import purge_tracker_events
from bot.store.db import get_engine
from bot.store.models import (
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
)

logger = logging.getLogger(__name__)

PENDING_OUTBOUND = ("queued", "sending")
AUDIT_TABLE = "audit_log"
AUDIT_TIME_COLUMNS = ("created_at", "at", "timestamp", "occurred_at")
DAY_SECONDS = 24 * 60 * 60


def purge(settings: Settings, now: datetime | None = None,
          dry_run: bool = False) -> dict[str, int]:
    """Delete rows older than each retention window; returns rows deleted per table.

    With `dry_run`, nothing is deleted and the counts are what would be.
    """
    now = now or datetime.now(timezone.utc)
    messages_cutoff = now - timedelta(days=settings.retention_messages_days)
    tips_cutoff = now - timedelta(days=settings.retention_tips_days)
    cases_cutoff = now - timedelta(days=settings.retention_cases_days)
    audit_cutoff = now - timedelta(days=settings.retention_audit_days)
    counts: dict[str, int] = {}
    engine = get_engine(settings.database_url)
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            counts["outbound_messages"] = conn.execute(
                delete(OutboundMessage).where(
                    OutboundMessage.created_at < messages_cutoff,
                    OutboundMessage.status.not_in(PENDING_OUTBOUND))
            ).rowcount
            answered_by_kept = exists().where(OutboundMessage.inbound_id == InboundMessage.id)
            counts["inbound_messages"] = conn.execute(
                delete(InboundMessage).where(InboundMessage.received_at < messages_cutoff,
                                             ~answered_by_kept)
            ).rowcount
            counts["tips"] = conn.execute(
                delete(Tip).where(Tip.created_at < tips_cutoff)).rowcount
            counts["screening_results"] = conn.execute(
                delete(ScreeningRecord).where(ScreeningRecord.created_at < cases_cutoff)
            ).rowcount
            counts["handoff_requests"] = conn.execute(
                delete(HandoffRequest).where(HandoffRequest.created_at < cases_cutoff,
                                             HandoffRequest.status != "open")
            ).rowcount
            counts["conversations"] = conn.execute(
                delete(Conversation).where(
                    func.coalesce(Conversation.last_inbound_at, Conversation.created_at)
                    < messages_cutoff,
                    *[~exists().where(model.conversation_id == Conversation.id)
                      for model in (InboundMessage, OutboundMessage, ScreeningRecord, Tip,
                                    HandoffRequest)])
            ).rowcount
            counts[AUDIT_TABLE] = _purge_audit(conn, audit_cutoff)
            if dry_run:
                trans.rollback()
            else:
                trans.commit()
        except Exception:
            trans.rollback()
            raise
    counts["tracker_events"] = purge_tracker_events(
        settings.tracker_url, messages_cutoff.timestamp(), dry_run=dry_run)
    logger.info("retention purge%s: %s", " (dry run)" if dry_run else "",
                ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def _purge_audit(conn, cutoff: datetime) -> int:  # type: ignore[no-untyped-def]
    """Delete old audit rows; 0 while the audit table (a later issue) does not exist."""
    inspector = inspect(conn)
    if not inspector.has_table(AUDIT_TABLE):
        return 0
    names = {c["name"] for c in inspector.get_columns(AUDIT_TABLE)}
    time_column = next((c for c in AUDIT_TIME_COLUMNS if c in names), None)
    if time_column is None:
        logger.warning("%s has no time column (%s); not purged", AUDIT_TABLE,
                       ", ".join(AUDIT_TIME_COLUMNS))
        return 0
    audit = table(AUDIT_TABLE, sql_column(time_column))
    # Bind the cutoff the way the store writes timestamps (SQLAlchemy's DateTime).
    cutoff_param = bindparam("cutoff", cutoff, type_=DateTime(timezone=True))
    return conn.execute(delete(audit).where(audit.c[time_column] < cutoff_param)).rowcount


async def run_daily(settings: Settings, interval_seconds: float = DAY_SECONDS) -> None:
    """Purge once now, then every `interval_seconds`; failures are logged, never fatal."""
    while True:
        try:
            await asyncio.to_thread(purge, settings)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("retention purge failed; trying again at the next run")
        await asyncio.sleep(interval_seconds)


# ---- CLI ---------------------------------------------------------------------
def cmd_purge(args: argparse.Namespace) -> int:
    from bot.config import get_settings

    settings = get_settings()
    counts = purge(settings, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print(f"[purge] windows: messages {settings.retention_messages_days} d, "
          f"tips {settings.retention_tips_days} d, cases {settings.retention_cases_days} d, "
          f"audit {settings.retention_audit_days} d")
    for name, count in counts.items():
        print(f"[purge] {verb} {count:>6} {name}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `hotline purge [--dry-run]` to the operator CLI (bot/cli.py)."""
    p = subparsers.add_parser("purge", help="delete data older than the retention windows")
    p.add_argument("--dry-run", action="store_true",
                   help="only count what would be deleted")
    p.set_defaults(func=cmd_purge)
