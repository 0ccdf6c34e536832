"""Retention: delete what is older than the configured windows.

| setting | default | what is deleted when older |
|---|---|---|
| `HOTLINE_RETENTION_MESSAGES_DAYS` | 30 | inbound and outbound messages, Rasa tracker events |
| `HOTLINE_RETENTION_TIPS_DAYS` | 365 | tips |
| `HOTLINE_RETENTION_CASES_DAYS` | 365 | screenings, ended handoffs, notes, closed cases |
| `HOTLINE_RETENTION_AUDIT_DAYS` | 730 | the audit log |

(Closed referral cases go with their consents; "ended" handoff requests are
those no longer waiting or claimed.)

Never deleted by age: outbound rows still `queued` or `sending` (the worker
decides their fate: sent, expired, failed...) except web chat rows nobody
fetched within the message window, inbound rows those rows answer, ACTIVE
handoff requests (waiting or with an advocate) and referral cases still
Active or FollowUp. A conversation whose rows are all gone, with no active
handoff and no inbound message within the message window, is deleted too (its
address and keyed hash with it).

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

from sqlalchemy import and_, delete, exists, func, or_, select

from bot.config import Settings
from bot.privacy import purge_tracker_events
from bot.store.db import get_engine
from bot.store.models import (
    AdvocateNote,
    AuditEvent,
    Consent,
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ReferralCase,
    ScreeningRecord,
    Tip,
)
from bot.store.statuses import HANDOFF_ACTIVE, OUTBOUND_PENDING, OutboundStatus

logger = logging.getLogger(__name__)

PENDING_OUTBOUND = OUTBOUND_PENDING
ACTIVE_REQUESTS = HANDOFF_ACTIVE
CLOSED_CASES = ("Closed", "ClosedReferred")
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
                    or_(OutboundMessage.status.not_in(PENDING_OUTBOUND),
                        # web chat rows wait for the page to poll; nobody came back
                        and_(OutboundMessage.channel == "webchat",
                             OutboundMessage.status == OutboundStatus.QUEUED)))
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
                                             HandoffRequest.status.not_in(ACTIVE_REQUESTS))
            ).rowcount
            counts["advocate_notes"] = conn.execute(
                delete(AdvocateNote).where(AdvocateNote.created_at < cases_cutoff)).rowcount
            old_closed_cases = select(ReferralCase.id).where(
                ReferralCase.status.in_(CLOSED_CASES), ReferralCase.updated_at < cases_cutoff)
            counts["consents"] = conn.execute(
                delete(Consent).where(Consent.case_id.in_(old_closed_cases))).rowcount
            counts["referral_cases"] = conn.execute(
                delete(ReferralCase).where(ReferralCase.status.in_(CLOSED_CASES),
                                           ReferralCase.updated_at < cases_cutoff)).rowcount
            counts["conversations"] = conn.execute(
                delete(Conversation).where(
                    func.coalesce(Conversation.last_inbound_at, Conversation.created_at)
                    < messages_cutoff,
                    *[~exists().where(model.conversation_id == Conversation.id)
                      for model in (InboundMessage, OutboundMessage, ScreeningRecord, Tip,
                                    HandoffRequest, AdvocateNote, ReferralCase)])
            ).rowcount
            counts["audit_events"] = conn.execute(
                delete(AuditEvent).where(AuditEvent.at < audit_cutoff)).rowcount
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
