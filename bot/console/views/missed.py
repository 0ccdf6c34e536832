"""Missed requests: every lost chance to help, for supervisors to follow up.

Expired requests and requests the texter left (bot/handoff/missed.py) with their
reason, newest first. Reading the list is audited ("missed_read"), and so is
each follow-up ("missed_followed_up"). No message text and no address here.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.console.auth import current_advocate, db, role_required
from bot.console.transcript import advocate_names, format_wait, wait_seconds
from bot.console.views.queue import CHANNEL_LABELS, REASON_LABELS, language_label
from bot.handoff import missed as missed_list
from bot.handoff.queue import QueueError
from bot.store.audit import record_event

bp = Blueprint("missed", __name__)

MISSED_LABELS: dict[str, str] = {
    "expired": "Nobody was free (expired)",
    "texter_left": "Texter left",
    "quick_exit": "Texter left with EXIT",
}


@bp.get("/missed")
@role_required("supervisor")
def index() -> str:
    include_done = request.args.get("all") == "1"
    now = datetime.now(timezone.utc)
    with db() as s:
        entries = missed_list.missed(s, include_followed_up=include_done)
        names = advocate_names(s, {e.followed_up_by for e in entries if e.followed_up_by})
        record_event(s, "missed_read", advocate=current_advocate(), count=len(entries))
    rows = [{
        "request_id": e.request_id,
        "url": url_for("conversation.show", conversation_id=e.conversation_id),
        "priority": e.priority,
        "reason_label": REASON_LABELS.get(e.reason, e.reason),
        "missed_label": MISSED_LABELS.get(e.missed_reason, e.missed_reason),
        "missed_reason": e.missed_reason,
        "ago": format_wait(wait_seconds(e.missed_at, now)),
        "waited": format_wait(max(0, wait_seconds(e.created_at, now)
                                  - wait_seconds(e.missed_at, now))),
        "channel_label": CHANNEL_LABELS.get(e.channel, e.channel),
        "language_label": language_label(e.language),
        "contact_back": e.contact_back,
        "followed_up_by": names.get(e.followed_up_by) if e.followed_up_by else None,
    } for e in entries]
    return render_template("missed.html", rows=rows, include_done=include_done)


@bp.post("/missed/<int:request_id>/follow-up")
@role_required("supervisor")
def follow_up(request_id: int) -> Response:
    try:
        with db() as s:
            missed_list.follow_up(s, request_id, current_advocate())
    except QueueError as exc:
        flash(str(exc).capitalize() + ".", "error")
    else:
        flash("Follow-up recorded.", "success")
    return redirect(url_for("missed.index"), code=303)
