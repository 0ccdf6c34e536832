"""The queue: every open and claimed request, most urgent first, updating live.

The page renders the current queue; static/queue.js polls /api/queue every
2 seconds and redraws it, highlighting emergencies and playing a short tone
when a new one appears. Polling is marked `background` so it does not keep an
idle session alive. The JSON carries no message text and no address.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.console.auth import background, current_advocate, db, settings
from bot.console.transcript import advocate_names, format_wait, wait_seconds
from bot.handoff import routing
from bot.handoff.queue import ACTIVE, QueueEntry, waiting
from bot.store.models import (
    Advocate,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    as_utc,
)
from bot.store.statuses import HandoffStatus

bp = Blueprint("queue", __name__)

REASON_LABELS: dict[str, str] = {
    "asked": "Asked for a person", "emergency": "Emergency", "screening": "Screening result",
    "tip": "Tip", "misunderstood": "Repeated misunderstanding",
}
CHANNEL_LABELS: dict[str, str] = {"twilio": "SMS", "telegram": "Telegram", "webchat": "Web chat"}
LANGUAGE_LABELS: dict[str, str] = {"en": "English", "es": "Spanish"}


def language_label(language: str | None) -> str:
    """The texter's language; none recorded means the hotline's default (the assistant
    records a language only when it differs from the default), never "not known"."""
    if language in LANGUAGE_LABELS:
        return LANGUAGE_LABELS[language]
    default = settings().default_language
    return LANGUAGE_LABELS.get(default, default) + " (default)"


def queue_rows(now: datetime | None = None) -> list[dict[str, Any]]:
    """The queue as plain values for the page and the JSON poll (no text, no address)."""
    now = now or datetime.now(timezone.utc)
    me = current_advocate().id
    with db() as s:
        entries: list[QueueEntry] = waiting(s)
        people = routing.loads(s, settings().console_max_conversations)
        returning = returning_conversations(s, [e.conversation_id for e in entries])
        names = advocate_names(s, {e.claimed_by for e in entries})
        waiting_on_me = texter_wrote_last(
            s, [e.conversation_id for e in entries if e.claimed_by == me])
    names.update({p.advocate_id: p.name for p in people})
    offered = routing.offers(entries, people)
    rows = []
    for e in entries:
        waited = wait_seconds(e.created_at, now)
        rows.append({
            "request_id": e.request_id,
            "conversation_id": e.conversation_id,
            "url": url_for("conversation.show", conversation_id=e.conversation_id),
            "claim_url": url_for("conversation.claim", request_id=e.request_id),
            "priority": e.priority,
            "emergency": e.priority == "emergency",
            "reason": e.reason,
            "reason_label": REASON_LABELS.get(e.reason, e.reason),
            "status": e.status,
            "wait_seconds": waited,
            "wait": format_wait(waited),
            "channel": e.channel,
            "channel_label": CHANNEL_LABELS.get(e.channel, e.channel),
            "language": e.language or "",
            "language_label": language_label(e.language),
            "minor": e.minor,
            "escalated": e.escalated,
            "offered_to": names.get(offered[e.request_id]) if e.request_id in offered else None,
            "offered_to_me": offered.get(e.request_id) == me,
            "returning": e.conversation_id in returning,
            # Mine, and the texter wrote last: the id of their newest message (for the
            # "a texter wrote again" notification), else None.
            "texter_waiting": waiting_on_me.get(e.conversation_id),
            "claimed_by": names.get(e.claimed_by) if e.claimed_by else None,
            "claimed_by_me": e.claimed_by == me,
        })
    return rows


def texter_wrote_last(s: Session, conversation_ids: list[str]) -> dict[str, int]:
    """conversation id -> newest inbound id, where that message is newer than every reply."""
    if not conversation_ids:
        return {}
    last_in = dict(s.execute(
        select(InboundMessage.conversation_id, func.max(InboundMessage.id))
        .where(InboundMessage.conversation_id.in_(conversation_ids))
        .group_by(InboundMessage.conversation_id)).all())
    last_in_at = dict(s.execute(
        select(InboundMessage.conversation_id, func.max(InboundMessage.received_at))
        .where(InboundMessage.conversation_id.in_(conversation_ids))
        .group_by(InboundMessage.conversation_id)).all())
    last_out_at = dict(s.execute(
        select(OutboundMessage.conversation_id, func.max(OutboundMessage.created_at))
        .where(OutboundMessage.conversation_id.in_(conversation_ids))
        .group_by(OutboundMessage.conversation_id)).all())
    return {cid: last_in[cid] for cid, at in last_in_at.items()
            if cid not in last_out_at or as_utc(at) > as_utc(last_out_at[cid])}


def returning_conversations(s: Session, conversation_ids: list[str]) -> set[str]:
    """Conversations with an earlier, finished request: a returning texter."""
    if not conversation_ids:
        return set()
    rows = s.execute(select(HandoffRequest.conversation_id).where(
        HandoffRequest.conversation_id.in_(conversation_ids),
        HandoffRequest.status.not_in(ACTIVE)).distinct()).scalars()
    return set(rows)


@bp.get("/queue")
def index() -> str:
    mine = request.args.get("mine") == "1"
    rows = queue_rows()
    if mine:
        rows = [r for r in rows if r["claimed_by_me"]]
    with db() as s:
        me = s.get(Advocate, current_advocate().id)
        held = routing.held_by(s, me.id)
        capacity = routing.capacity_of(me, settings().console_max_conversations)
    return render_template("queue.html", rows=rows, mine=mine, held=held, capacity=capacity)


@bp.post("/presence")
def presence() -> Response:
    """Available for new conversations, or away (audited)."""
    available = request.form.get("available") == "1"
    with db() as s:
        routing.set_presence(s, current_advocate(), available)
    flash("You are available for new conversations." if available else
          "You are away: new requests are offered to others (you still see them all).",
          "success")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//")
                    else url_for("queue.index"), code=303)


@bp.get("/api/queue")
@background
def poll() -> dict[str, Any]:
    rows = queue_rows()
    return {"entries": rows, "open": sum(1 for r in rows if r["status"] == HandoffStatus.OPEN),
            "offered_to_me": [r["request_id"] for r in rows if r["offered_to_me"]],
            "mine_waiting": [{"key": r["texter_waiting"], "url": r["url"]}
                             for r in rows if r["texter_waiting"]],
            "emergencies": [r["request_id"] for r in rows
                            if r["emergency"] and r["status"] == HandoffStatus.OPEN],
            "escalated": [{"request_id": r["request_id"], "url": r["url"],
                           "priority": r["priority"]} for r in rows if r["escalated"]]}
