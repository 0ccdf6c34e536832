"""The queue: every open and claimed request, most urgent first, updating live.

The page renders the current queue; static/queue.js polls /api/queue every
2 seconds and redraws it, highlighting emergencies and playing a short tone
when a new one appears. Polling is marked `background` so it does not keep an
idle session alive. The JSON carries no message text and no address.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Blueprint, render_template, url_for

from bot.console.auth import background, current_advocate, db, settings
from bot.console.transcript import advocate_names, format_wait, wait_seconds
from bot.handoff.queue import QueueEntry, waiting

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
        names = advocate_names(s, {e.claimed_by for e in entries})
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
            "claimed_by": names.get(e.claimed_by) if e.claimed_by else None,
            "claimed_by_me": e.claimed_by == me,
        })
    return rows


@bp.get("/queue")
def index() -> str:
    return render_template("queue.html", rows=queue_rows())


@bp.get("/api/queue")
@background
def poll() -> dict[str, Any]:
    rows = queue_rows()
    return {"entries": rows, "open": sum(1 for r in rows if r["status"] == "open"),
            "emergencies": [r["request_id"] for r in rows
                            if r["emergency"] and r["status"] == "open"],
            "escalated": [{"request_id": r["request_id"], "url": r["url"],
                           "priority": r["priority"]} for r in rows if r["escalated"]]}
