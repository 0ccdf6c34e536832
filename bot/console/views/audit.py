"""The audit log, read-only, for supervisors and admins (filters, newest first)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from sqlalchemy import select

from bot.console.auth import current_advocate, db, role_required
from bot.store.audit import record_event
from bot.store.models import Advocate, AuditEvent

bp = Blueprint("audit", __name__, url_prefix="/audit")

PAGE_SIZE = 100


def _day(value: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


@bp.get("/")
@role_required("supervisor")
def index() -> str:
    args = request.args
    filters = {k: args.get(k, "").strip()[:64] for k in
               ("action", "actor", "conversation", "since", "until")}
    page = max(1, args.get("page", 1, type=int) or 1)
    query = select(AuditEvent)
    if filters["action"]:
        query = query.where(AuditEvent.action == filters["action"])
    if filters["actor"]:
        query = query.where(AuditEvent.actor == filters["actor"])
    if filters["conversation"]:
        query = query.where(AuditEvent.conversation_id == filters["conversation"])
    since, until = _day(filters["since"]), _day(filters["until"])
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until + dt.timedelta(days=1))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    with db() as s:
        rows = list(s.execute(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
                    .scalars())
        record_event(s, "audit_read", advocate=s.get(Advocate, current_advocate().id),
                     page=page, filters={k: v for k, v in filters.items() if v})
        s.flush()
        s.expunge_all()
    return render_template("audit/index.html", events=rows[:PAGE_SIZE], filters=filters,
                           page=page, more=len(rows) > PAGE_SIZE)
