"""History: search past requests, never by a phone number in plain text.

Filters: date range (when the request was made), channel, request status,
disposition, screening triage, referral case (number or status). A supervisor
may also look a texter up by number: the number they type is turned into the
same keyed hash the hotline stores (bot/store/contacts.py), so the database is
searched by hash and the number itself is neither stored nor logged nor put
in the audit row (which records only which filters were used).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import accounts
from bot.console.auth import current_advocate, db, settings
from bot.console.transcript import advocate_names
from bot.console.views.queue import CHANNEL_LABELS, REASON_LABELS
from bot.handoff.queue import DISPOSITIONS
from bot.referrals import htcds
from bot.screening.rules import TRIAGE_LEVELS
from bot.store.audit import record_event
from bot.store.contacts import contact_key
from bot.store.models import Conversation, HandoffRequest, ReferralCase, ScreeningRecord
from bot.store.statuses import HandoffStatus

bp = Blueprint("history", __name__)

LIMIT = 200
STATUSES = tuple(HandoffStatus)
TRIAGE = tuple(reversed(TRIAGE_LEVELS))   # most urgent first in the menu
NUMBER_CHANNELS = {"twilio": "SMS", "telegram": "Telegram"}


def normalise_number(channel: str, typed: str) -> str | None:
    """The address as the channel stores it: E.164 for SMS ("+15551234567"), the bare
    chat id for Telegram. None when it can't be a number."""
    raw = typed.strip()
    if channel == "telegram":
        return raw if re.fullmatch(r"-?\d{1,20}", raw) else None
    digits = re.sub(r"[\s().\-]", "", raw)
    if not re.fullmatch(r"\+?\d{7,15}", digits):
        return None
    if digits.startswith("+"):
        return digits
    if len(digits) == 10:          # a US number typed without the country code
        return "+1" + digits
    return "+" + digits


def _day(value: str, *, end: bool = False) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)
    return start + dt.timedelta(days=1) if end else start


def episodes(s: Session, conversation_id: str) -> list[dict[str, Any]]:
    """Every request of one conversation, oldest first: a returning texter's episodes."""
    rows = s.execute(select(HandoffRequest).where(
        HandoffRequest.conversation_id == conversation_id)
        .order_by(HandoffRequest.created_at, HandoffRequest.id)).scalars().all()
    names = advocate_names(s, {r.closed_by or r.claimed_by for r in rows} - {None})
    return [{"id": r.id, "at": r.created_at, "priority": r.priority,
             "reason_label": REASON_LABELS.get(r.reason, r.reason), "status": r.status,
             "disposition": r.disposition,
             "handler": names.get(r.closed_by or r.claimed_by)} for r in rows]


@bp.route("/history", methods=["GET", "POST"])
def index() -> str:
    """GET with filters (bookmarkable); the form POSTs, so a typed number never lands in
    a URL, the browser history or an access log."""
    me = current_advocate()
    supervisor = accounts.has_role(me, "supervisor")
    args = request.form if request.method == "POST" else request.args
    f = {k: args.get(k, "").strip()[:64] for k in
         ("since", "until", "channel", "status", "disposition", "triage", "case",
          "case_status", "number_channel")}
    number = request.form.get("number", "").strip()[:32] if supervisor else ""
    searched = any(f.values()) or bool(number)
    problems: list[str] = []
    results: list[dict[str, Any]] = []
    if searched:
        query = (select(HandoffRequest, Conversation)
                 .join(Conversation, Conversation.id == HandoffRequest.conversation_id))
        if f["since"]:
            since = _day(f["since"])
            if since is None:
                problems.append("The start date must look like 2026-12-01.")
            else:
                query = query.where(HandoffRequest.created_at >= since)
        if f["until"]:
            until = _day(f["until"], end=True)
            if until is None:
                problems.append("The end date must look like 2026-12-01.")
            else:
                query = query.where(HandoffRequest.created_at < until)
        if f["channel"] in CHANNEL_LABELS:
            query = query.where(Conversation.channel == f["channel"])
        if f["status"] in STATUSES:
            query = query.where(HandoffRequest.status == f["status"])
        if f["disposition"] in DISPOSITIONS:
            query = query.where(HandoffRequest.disposition == f["disposition"])
        if f["triage"] in TRIAGE:
            query = query.where(HandoffRequest.conversation_id.in_(
                select(ScreeningRecord.conversation_id)
                .where(ScreeningRecord.triage == f["triage"])))
        if f["case"]:
            try:
                case_id = int(f["case"].lstrip("#"))
            except ValueError:
                problems.append("The case number is a number, e.g. 12.")
            else:
                query = query.where(HandoffRequest.id.in_(
                    select(ReferralCase.handoff_request_id).where(ReferralCase.id == case_id)))
        if f["case_status"] in htcds.CASE_STATUSES:
            query = query.where(HandoffRequest.id.in_(
                select(ReferralCase.handoff_request_id)
                .where(ReferralCase.status == f["case_status"])))
        if number:
            channel = f["number_channel"] if f["number_channel"] in NUMBER_CHANNELS else "twilio"
            address = normalise_number(channel, number)
            if address is None:
                problems.append("That does not look like a phone number or chat id.")
            else:
                key = contact_key(settings().resolved_secret_key(), channel, address)
                query = query.where(Conversation.channel == channel,
                                    Conversation.contact_key == key)
        if not problems:
            with db() as s:
                rows = s.execute(query.order_by(HandoffRequest.created_at.desc(),
                                                HandoffRequest.id.desc()).limit(LIMIT)).all()
                ids = [r.id for r, _ in rows]
                cases = {c.handoff_request_id: c for c in s.execute(select(ReferralCase).where(
                    ReferralCase.handoff_request_id.in_(ids))).scalars()} if ids else {}
                triage = _latest_triage(s, {c.id for _, c in rows})
                names = advocate_names(s, {r.closed_by or r.claimed_by for r, _ in rows} - {None})
                results = [{
                    "request_id": r.id, "at": r.created_at, "priority": r.priority,
                    "reason_label": REASON_LABELS.get(r.reason, r.reason),
                    "status": r.status, "disposition": r.disposition,
                    "channel_label": CHANNEL_LABELS.get(c.channel, c.channel),
                    "triage": triage.get(c.id),
                    "case": (cases[r.id].id, cases[r.id].status) if r.id in cases else None,
                    "handler": names.get(r.closed_by or r.claimed_by),
                    "url": url_for("conversation.show", conversation_id=c.id),
                } for r, c in rows]
        with db() as s:
            record_event(s, "history_search", advocate=me,
                         filters=sorted(k for k, v in f.items() if v),
                         by_number=bool(number), results=len(results))
    return render_template(
        "history.html", f=f, number_given=bool(number), results=results, searched=searched,
        problems=problems, supervisor=supervisor, channels=CHANNEL_LABELS,
        number_channels=NUMBER_CHANNELS, statuses=STATUSES, dispositions=DISPOSITIONS,
        triages=TRIAGE, case_statuses=htcds.CASE_STATUSES, limit=LIMIT)


def _latest_triage(s: Session, conversation_ids: set[str]) -> dict[str, str]:
    if not conversation_ids:
        return {}
    rows = s.execute(select(ScreeningRecord.conversation_id, ScreeningRecord.triage)
                     .where(ScreeningRecord.conversation_id.in_(conversation_ids))
                     .order_by(ScreeningRecord.created_at, ScreeningRecord.id)).all()
    return dict(rows)   # later rows overwrite earlier: the latest screening wins
