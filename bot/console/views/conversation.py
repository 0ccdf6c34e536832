"""One conversation: read it, take it, answer it, and finish it.

Every page view is audited ("view"); the live transcript poll is not (it
belongs to the view already recorded). Queue actions go through
bot/handoff/queue.py, which writes their audit rows in the same transaction.
The texter's phone number or chat id is never on these pages: a supervisor
can reveal it after confirming their password, and that is audited ("reveal").
An advocate cannot act on a conversation another advocate holds (403).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.console import accounts
from bot.console.auth import (
    background,
    current_advocate,
    db,
    recent_auth_required,
    role_required,
    settings,
    wants_json,
)
from bot.console.transcript import (
    TEXTER,
    advocate_names,
    conversation_facts,
    notes,
    screening_summary,
    tips,
    transcript,
)
from bot.console.views.history import episodes
from bot.console.views.queue import CHANNEL_LABELS, REASON_LABELS, language_label
from bot.content.canned import load_canned_replies, unfilled_placeholders
from bot.content.loader import load_content
from bot.content.lockscreen import alarming_hits, first_line
from bot.content.mandatory import load_reporting_steps
from bot.handoff import queue, routing
from bot.referrals.cases import CaseError, follow_disposition
from bot.store.audit import record_event
from bot.store.models import Advocate, AdvocateNote, Conversation, HandoffRequest
from bot.store.statuses import HandoffStatus

logger = logging.getLogger(__name__)

bp = Blueprint("conversation", __name__)

MAX_REPLY_CHARS = 1600  # ten SMS segments; longer replies are better split by hand
MAX_NOTE_CHARS = 4000
HANDBACK_TEMPLATE = "handback_resume"


# --------------------------------------------------------------------------- helpers


def _refuse(status: int, message: str) -> tuple[Any, int]:
    if wants_json():
        return jsonify(error=message), status
    return render_template("error.html", status=status, message=message), status


def _not_yours(s: Session, request_row: HandoffRequest | None) -> tuple[Any, int]:
    holder = None
    if request_row is not None and request_row.claimed_by:
        holder = advocate_names(s, [request_row.claimed_by]).get(request_row.claimed_by)
    who = holder or "another advocate"
    return _refuse(403, f"This conversation is claimed by {who}. Only {who} or a supervisor "
                        "can act on it; ask them to transfer it to you.")


def _conversation(s: Session, conversation_id: str) -> Conversation:
    """The conversation, if this advocate may see it (advocates: only escalated ones)."""
    conversation = s.get(Conversation, conversation_id)
    if conversation is None:
        abort(404)
    if not accounts.has_role(current_advocate(), "supervisor"):
        escalated = s.execute(select(HandoffRequest.id).where(
            HandoffRequest.conversation_id == conversation_id).limit(1)).first()
        if escalated is None:
            abort(404)
    return conversation


def _latest_request(s: Session, conversation_id: str) -> HandoffRequest | None:
    """The active request, else the most recent one (for the history line)."""
    active = queue.active_request(s, conversation_id)
    if active is not None:
        return active
    return s.execute(select(HandoffRequest).where(
        HandoffRequest.conversation_id == conversation_id)
        .order_by(HandoffRequest.id.desc()).limit(1)).scalar_one_or_none()


def _request(s: Session, request_id: int) -> HandoffRequest:
    row = s.get(HandoffRequest, request_id)
    if row is None:
        abort(404)
    return row


def _back(conversation_id: str) -> Response:
    return redirect(url_for("conversation.show", conversation_id=conversation_id), code=303)


def may_act(request_row: HandoffRequest | None, advocate: Advocate) -> bool:
    """Nobody else holds it, or this advocate is a supervisor / admin."""
    if request_row is None or request_row.status != HandoffStatus.CLAIMED:
        return True
    return request_row.claimed_by == advocate.id or accounts.has_role(advocate, "supervisor")


def request_state(s: Session, row: HandoffRequest | None) -> dict[str, Any] | None:
    """The queue entry as plain values for the page and the poll."""
    if row is None:
        return None
    me = current_advocate()
    names = advocate_names(s, [row.claimed_by, row.supervisor_ack_by, row.closed_by])
    return {
        "id": row.id, "status": row.status, "priority": row.priority,
        "reason": row.reason, "reason_label": REASON_LABELS.get(row.reason, row.reason),
        "minor": bool(row.minor), "claimed_by": names.get(row.claimed_by),
        "mine": row.status == HandoffStatus.CLAIMED and row.claimed_by == me.id,
        "may_act": may_act(row, me),
        "acknowledged": row.supervisor_ack_at is not None,
        "acknowledged_by": names.get(row.supervisor_ack_by),
        "disposition": row.disposition, "closed_by": names.get(row.closed_by),
        "contact_back": row.contact_back,
        # The texter asked to delete their data: erased when this case ends
        # (bot/handoff/erasure.py), after the last reply is delivered.
        "deletion_requested": row.deletion_requested_at is not None,
    }


def _resume_line(language: str | None) -> str | None:
    """The assistant's short "I'm back" line in the texter's language, if content has one."""
    lang = language if language in ("en", "es") else settings().default_language
    try:
        return load_content().template(HANDBACK_TEMPLATE, lang)
    except Exception:  # noqa: BLE001 - a missing template must not block a hand back
        logger.warning("no %r template in resources.yml: handing back without a line",
                       HANDBACK_TEMPLATE)
        return None


def _case_panel(s: Session, conversation_id: str) -> dict[str, Any]:
    from bot.console.views.cases import case_panel

    return case_panel(s, conversation_id)


# --------------------------------------------------------------------------- pages


def render_conversation(conversation_id: str, *, draft: str = "", status: int = 200,
                        audit: bool = True) -> tuple[str, int]:
    me = current_advocate()
    with db() as s:
        conversation = _conversation(s, conversation_id)
        row = _latest_request(s, conversation_id)
        state = request_state(s, row)
        facts = conversation_facts(conversation)
        # Who can take it, with presence and load ("Ben (available, 1 of 3)").
        claimed = row is not None and row.status == HandoffStatus.CLAIMED
        holder = row.claimed_by if claimed else me.id
        advocates = [p for p in routing.loads(s, settings().console_max_conversations)
                     if p.advocate_id != holder]
        context = {
            "facts": facts,
            "channel_label": CHANNEL_LABELS.get(facts.channel, facts.channel),
            "language_label": language_label(facts.language),
            "entries": transcript(s, conversation_id),
            "screening": screening_summary(s, conversation_id),
            "tips": tips(s, conversation_id),
            "notes": notes(s, conversation_id),
            "request_state": state,
            "transfer_to": [(a.advocate_id, a.label) for a in advocates],
            "case": _case_panel(s, conversation_id),
            "episodes": episodes(s, conversation_id),
            "unanswered": bool(state and state["status"] == HandoffStatus.CLAIMED
                               and last_message_unanswered(s, conversation_id)),
        }
        if audit:
            record_event(s, "view", advocate=me, conversation_id=conversation_id)
    context.update(
        canned=load_canned_replies().for_language(facts.language),
        dispositions=queue.DISPOSITIONS,
        reporting=load_reporting_steps() if state and state["minor"] else None,
        draft=draft,
        max_reply=MAX_REPLY_CHARS,
        is_supervisor=accounts.has_role(me, "supervisor"),
    )
    return render_template("conversation.html", **context), status


@bp.get("/conversations/<conversation_id>")
def show(conversation_id: str) -> tuple[str, int]:
    return render_conversation(conversation_id)


@bp.get("/api/conversations/<conversation_id>/messages")
@background
def messages(conversation_id: str) -> dict[str, Any]:
    """The transcript with delivery states, polled by static/conversation.js."""
    with db() as s:
        _conversation(s, conversation_id)
        entries = [e.as_json() for e in transcript(s, conversation_id)]
        state = request_state(s, _latest_request(s, conversation_id))
    return {"entries": entries, "request": state}


# --------------------------------------------------------------------------- queue actions


@bp.post("/handoff/<int:request_id>/claim")
def claim(request_id: int) -> Response:
    me = current_advocate()
    with db() as s:
        row = _request(s, request_id)
        conversation_id = row.conversation_id
        try:
            routing.check_room(s, row, s.get(Advocate, me.id),
                               settings().console_max_conversations)
        except routing.AtCapacity as exc:
            flash(str(exc).capitalize() + ".", "error")
            return _back(conversation_id)
        won = queue.claim(s, request_id, me)
        if not won:
            s.refresh(row)
            holder = advocate_names(s, [row.claimed_by]).get(row.claimed_by)
    if won:
        flash("You have this conversation now.", "success")
    elif row.status == HandoffStatus.CLAIMED:
        flash(f"Already claimed by {holder or 'another advocate'}.", "error")
    else:
        flash("This conversation is no longer waiting in the queue.", "error")
    return _back(conversation_id)


@bp.post("/handoff/<int:request_id>/reply")
def reply(request_id: int) -> Response | tuple[Any, int]:
    me = current_advocate()
    text = request.form.get("text", "")
    with db() as s:
        row = _request(s, request_id)
        conversation_id = row.conversation_id
        if row.status == HandoffStatus.CLAIMED and row.claimed_by != me.id:
            return _not_yours(s, row)
    problem = reply_problem(text)
    if problem is None:
        try:
            with db() as s:
                queue.advocate_reply(s, request_id, me, text)
        except queue.NotYours as exc:
            return _refuse(403, str(exc).capitalize() + ".")
        except queue.QueueError as exc:
            problem = str(exc).capitalize() + "."
    if problem is not None:
        flash(problem, "error")
        page, _ = render_conversation(conversation_id, draft=text, audit=False)
        return page, 422
    return _back(conversation_id)


@bp.post("/conversations/<conversation_id>/notes")
def add_note(conversation_id: str) -> Response | tuple[Any, int]:
    me = current_advocate()
    body = request.form.get("body", "").strip()
    with db() as s:
        _conversation(s, conversation_id)
        row = queue.active_request(s, conversation_id)
        if not may_act(row, me):
            return _not_yours(s, row)
        if not body:
            flash("The note is empty.", "error")
            return _back(conversation_id)
        if len(body) > MAX_NOTE_CHARS:
            flash(f"Notes are limited to {MAX_NOTE_CHARS} characters.", "error")
            return _back(conversation_id)
        note = AdvocateNote(conversation_id=conversation_id, advocate_id=me.id, body=body)
        s.add(note)
        s.flush()
        record_event(s, "note", advocate=me, conversation_id=conversation_id, note_id=note.id)
    flash("Note saved (internal: the texter never sees it).", "success")
    return _back(conversation_id)


def _queue_action(request_id: int, action: Any, done: str,
                  after: str | None = None) -> Response | tuple[Any, int]:
    """Run one queue transition; NotYours -> 403, other refusals -> flash and back."""
    with db() as s:
        row = _request(s, request_id)
        conversation_id = row.conversation_id
    try:
        with db() as s:
            action(s)
    except queue.NotYours:
        with db() as s:
            return _not_yours(s, s.get(HandoffRequest, request_id))
    except queue.QueueError as exc:
        flash(str(exc).capitalize() + ".", "error")
        return _back(conversation_id)
    flash(done, "success")
    return redirect(after, code=303) if after else _back(conversation_id)


@bp.post("/handoff/<int:request_id>/transfer")
def transfer(request_id: int) -> Response | tuple[Any, int]:
    me = current_advocate()
    target = request.form.get("to", "")
    if target == "queue":
        return _queue_action(request_id, lambda s: queue.transfer(s, request_id, me, None),
                             "Back in the queue.", url_for("queue.index"))
    try:
        to_id = int(target)
    except ValueError:
        with db() as s:
            conversation_id = _request(s, request_id).conversation_id
        flash("Pick an advocate or the queue.", "error")
        return _back(conversation_id)

    def run(s: Session) -> None:
        to = s.get(Advocate, to_id)
        if to is None:
            raise queue.QueueError("that account does not exist")
        queue.transfer(s, request_id, me, to)

    return _queue_action(request_id, run, "Transferred.", url_for("queue.index"))


@bp.post("/handoff/<int:request_id>/hand-back")
def hand_back(request_id: int) -> Response | tuple[Any, int]:
    me = current_advocate()

    def run(s: Session) -> None:
        row = _request(s, request_id)
        conversation = s.get(Conversation, row.conversation_id)
        # Web chat picks the line up when its page polls (/webhooks/webchat/updates).
        line = _resume_line(conversation.language)
        queue.hand_back(s, request_id, me, line)

    return _queue_action(request_id, run, "Handed back to the assistant.",
                         url_for("queue.index"))


@bp.post("/handoff/<int:request_id>/close")
def close(request_id: int) -> Response | tuple[Any, int]:
    """Close deliberately: a disposition picked (no default), a warning when the texter's
    last message has no answer, an optional closing line (checked like any reply), and
    the referral case moved to the matching status, all in one transaction."""
    me = current_advocate()
    disposition = request.form.get("disposition", "")
    closing = request.form.get("closing_line", "").strip()
    confirmed = request.form.get("confirm_unanswered") == "1"
    with db() as s:
        conversation_id = _request(s, request_id).conversation_id
    problem = None
    if disposition not in queue.DISPOSITIONS:
        problem = "Pick a disposition before closing."
    elif closing:
        problem = reply_problem(closing)
    if problem is not None:
        flash(problem, "error")
        return _back(conversation_id)

    def run(s: Session) -> None:
        if not may_act(_request(s, request_id), me):
            raise queue.NotYours("this conversation is claimed by another advocate")
        if not confirmed and last_message_unanswered(s, conversation_id):
            raise queue.QueueError("the texter's last message has no answer yet: reply first, "
                                   "or tick \"Close anyway\"")
        if closing:
            queue.advocate_reply(s, request_id, me, closing)
        queue.close(s, request_id, me, disposition)
        try:
            follow_disposition(s, request_id, disposition, me)
        except CaseError as exc:
            raise queue.QueueError(str(exc)) from exc

    return _queue_action(request_id, run, "Closed.", url_for("queue.index"))


def last_message_unanswered(s: Session, conversation_id: str) -> bool:
    """True when the newest message in the conversation is the texter's."""
    entries = transcript(s, conversation_id)
    return bool(entries) and entries[-1].author == TEXTER


def reply_problem(text: str) -> str | None:
    """Why an advocate's message can't go out as written, or None."""
    if unfilled_placeholders(text):
        return ("Replace the placeholders first: "
                + ", ".join(unfilled_placeholders(text)) + ".")
    if len(text) > MAX_REPLY_CHARS:
        return f"That reply is too long ({len(text)} characters; at most {MAX_REPLY_CHARS})."
    hits = alarming_hits(first_line(text), load_content())
    if hits:
        return ("The first line shows on the texter's lock screen and contains "
                + ", ".join(repr(h.rstrip("*")) for h in hits)
                + ". Start with a neutral line (for example \"Hi, it's Sam.\") and put the rest "
                  "on the next line.")
    return None


@bp.post("/handoff/<int:request_id>/acknowledge-minor")
@role_required("supervisor")
def acknowledge_minor(request_id: int) -> Response | tuple[Any, int]:
    me = current_advocate()
    return _queue_action(request_id, lambda s: queue.acknowledge_minor(s, request_id, me),
                         "Mandatory-reporting steps acknowledged.")


# --------------------------------------------------------------------------- reveal


@bp.post("/conversations/<conversation_id>/reveal")
@role_required("supervisor")
@recent_auth_required
def reveal(conversation_id: str) -> str:
    """Show the texter's address to a supervisor who just confirmed their password."""
    me = current_advocate()
    reason = request.form.get("reason", "").strip()[:200]
    if not reason:
        flash("Say why the contact is needed; it goes in the audit log.", "error")
        return _back(conversation_id)  # type: ignore[return-value]
    with db() as s:
        conversation = _conversation(s, conversation_id)
        address, channel = conversation.contact_address, conversation.channel
        record_event(s, "reveal", advocate=me, conversation_id=conversation_id, reason=reason)
    return render_template("contact.html", conversation_id=conversation_id, address=address,
                           channel_label=CHANNEL_LABELS.get(channel, channel))
