"""Referral cases in the console: the case form, consent, and the HTCDS export.

The rules live in bot/referrals/ (value names checked against HTCDS, consent
evidence, what an export may contain, audit rows); these views only collect
the form and show the outcome. The case form sits on the conversation page
(`case_panel` gives its context); the same rule as for queue actions applies:
while another advocate holds the conversation, only they or a supervisor can
change its case. Exports need the password again and are audited by
bot/referrals/export.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.console import accounts
from bot.console.auth import current_advocate, db, recent_auth_required
from bot.console.transcript import advocate_names, indicator_label, texter_messages
from bot.console.views.conversation import _not_yours, may_act
from bot.content.loader import load_content
from bot.handoff import queue
from bot.referrals import cases, consent, export, htcds
from bot.store.models import Consent, HandoffRequest, ReferralCase

bp = Blueprint("cases", __name__)

STATUS_LABELS = {"Active": "Active", "FollowUp": "Follow-up", "Closed": "Closed",
                 "ClosedReferred": "Closed (referred)"}
SAFETY_REASON_LABELS = {"minor_mandatory_report": "Minor: mandatory report",
                        "imminent_danger": "Imminent danger"}
RECENT_CASES = 200


def _split_words(name: str) -> str:
    out = "".join(f" {c}" if c.isupper() and i else c for i, c in enumerate(name))
    return out.strip().capitalize()


def form_options(session: Session) -> dict[str, Any]:
    """Every choice the case and consent forms offer, in HTCDS value names."""
    return {
        "statuses": [(s, STATUS_LABELS.get(s, s)) for s in htcds.CASE_STATUSES],
        "trafficking_statuses": [(v, _split_words(v))
                                 for v in htcds.allowed_values("trafficking_status")],
        "status_orgs": [(v, _split_words(v))
                        for v in htcds.allowed_values("trafficking_status_org")],
        "methods": [(m, indicator_label(m)) for m in htcds.allowed_values("methods_of_control")],
        "exploitation_types": [(v, _split_words(v))
                               for v in htcds.allowed_values("types_of_exploitation")],
        "states": [(s.code, s.name("en")) for s in load_content().states],
        "organisations": sorted(cases.receiving_organisations(session).items(),
                                key=lambda kv: kv[1]),
        "shareable": list(htcds.SHAREABLE_FIELDS.items()),
    }


def case_panel(s: Session, conversation_id: str) -> dict[str, Any]:
    """Context for templates/_case_panel.html on the conversation page."""
    case = cases.case_for_conversation(s, conversation_id)
    active = queue.active_request(s, conversation_id)
    latest = active or s.execute(select(HandoffRequest).where(
        HandoffRequest.conversation_id == conversation_id)
        .order_by(HandoffRequest.id.desc()).limit(1)).scalar_one_or_none()
    panel: dict[str, Any] = {"case": None, "can_open": latest is not None,
                             "may_act": may_act(active, current_advocate())}
    if case is None:
        return panel
    consents = s.execute(select(Consent).where(Consent.case_id == case.id)
                         .order_by(Consent.given_at, Consent.id)).scalars().all()
    names = advocate_names(s, {c.recorded_by for c in consents})
    orgs = cases.receiving_organisations(s)
    panel.update(
        case=cases.describe_case(case),
        closed=cases.is_closed(case),
        consents=[{"id": c.id, "org": orgs.get(c.receiving_org, c.receiving_org),
                   "fields": [htcds.SHAREABLE_FIELDS.get(f, f) for f in c.fields],
                   "given_at": c.given_at, "message_id": c.inbound_message_id,
                   "recorded_by": names.get(c.recorded_by, "?"),
                   "withdrawn": c.withdrawn_at is not None} for c in consents],
        messages=[{"id": m.message_id, "at": m.at,
                   "excerpt": m.text if len(m.text) <= 80 else m.text[:77] + "…"}
                  for m in texter_messages(s, conversation_id)],
        options=form_options(s),
    )
    return panel


def _case_or_404(s: Session, case_id: int) -> ReferralCase:
    case = s.get(ReferralCase, case_id)
    if case is None:
        abort(404)
    return case


def _back(conversation_id: str) -> Response:
    return redirect(url_for("conversation.show", conversation_id=conversation_id) + "#case",
                    code=303)


class _Refused(Exception):
    """Roll the transaction back and show the message."""


def _case_action(case_id: int, action: Any, done: str) -> Response | tuple[Any, int]:
    """Run one case change in one transaction; referral errors roll back and flash."""
    me = current_advocate()
    try:
        with db() as s:
            case = _case_or_404(s, case_id)
            conversation_id = case.conversation_id
            active = queue.active_request(s, conversation_id)
            if not may_act(active, me):
                return _not_yours(s, active)
            try:
                action(s, case, me)
            except (cases.CaseError, consent.ConsentError) as exc:
                raise _Refused(str(exc)) from exc
    except _Refused as exc:
        flash(str(exc)[:1].upper() + str(exc)[1:] + ".", "error")
        return _back(conversation_id)
    flash(done, "success")
    return _back(conversation_id)


# --------------------------------------------------------------------------- case form


@bp.post("/conversations/<conversation_id>/case")
def open_case(conversation_id: str) -> Response | tuple[Any, int]:
    me = current_advocate()
    with db() as s:
        active = queue.active_request(s, conversation_id)
        if not may_act(active, me):
            return _not_yours(s, active)
        row = active or s.execute(select(HandoffRequest).where(
            HandoffRequest.conversation_id == conversation_id)
            .order_by(HandoffRequest.id.desc()).limit(1)).scalar_one_or_none()
        if row is None:
            abort(404)
        cases.open_case(s, row, advocate=me)
    flash("Referral case open.", "success")
    return _back(conversation_id)


def _form_changes(case: ReferralCase) -> dict[str, Any]:
    form = request.form
    changes: dict[str, Any] = {
        "trafficking_status": form.get("trafficking_status", case.trafficking_status),
        "trafficking_status_org": form.get("trafficking_status_org") or None,
        "methods_of_control": form.getlist("methods_of_control"),
        "types_of_exploitation": form.getlist("types_of_exploitation"),
        "state": form.get("state") or None,
        "referral_reason": form.get("referral_reason", ""),
        "receiving_org": form.get("receiving_org") or None,
    }
    if form.get("flags"):  # the form shows the flag checkboxes (unchecked = clear the flag)
        changes.update(minor=form.get("minor") == "on",
                       imminent_danger=form.get("imminent_danger") == "on")
    return changes


@bp.post("/cases/<int:case_id>")
def update(case_id: int) -> Response | tuple[Any, int]:
    status = request.form.get("status", "")

    def run(s: Session, case: ReferralCase, me: Any) -> None:
        changes = _form_changes(case)
        reopening = cases.is_closed(case) and status in htcds.OPEN_STATUSES
        if reopening:
            cases.set_status(s, case, status, me)
        cases.update_case(s, case, me, **changes)  # refuses a closed case
        if status and status != case.status:
            cases.set_status(s, case, status, me)

    return _case_action(case_id, run, "Case saved.")


@bp.post("/cases/<int:case_id>/refer")
def refer(case_id: int) -> Response | tuple[Any, int]:
    org = request.form.get("receiving_org", "")
    reason = request.form.get("referral_reason") or None
    return _case_action(case_id, lambda s, case, me: cases.refer(s, case, org, me, reason=reason),
                        "Referral recorded.")


# --------------------------------------------------------------------------- consent


@bp.post("/cases/<int:case_id>/consents")
def record_consent(case_id: int) -> Response | tuple[Any, int]:
    form = request.form
    try:
        message_id = int(form.get("inbound_message_id", ""))
    except ValueError:
        message_id = -1

    def run(s: Session, case: ReferralCase, me: Any) -> None:
        if message_id < 0:
            raise consent.ConsentError("pick the texter's message that gave consent")
        consent.record_consent(s, case, fields=form.getlist("fields"),
                               receiving_org=form.get("receiving_org", ""),
                               inbound_message_id=message_id, advocate=me)

    return _case_action(case_id, run, "Consent recorded.")


@bp.post("/cases/<int:case_id>/consents/<int:consent_id>/withdraw")
def withdraw_consent(case_id: int, consent_id: int) -> Response | tuple[Any, int]:
    def run(s: Session, case: ReferralCase, me: Any) -> None:
        row = s.get(Consent, consent_id)
        if row is None or row.case_id != case.id:
            abort(404)
        consent.withdraw_consent(s, row, me)

    return _case_action(case_id, run, "Consent withdrawn: nothing more is shared on it.")


# --------------------------------------------------------------------------- list, export


@bp.get("/cases")
def index() -> str:
    with db() as s:
        rows = s.execute(select(ReferralCase).order_by(ReferralCase.opened_at.desc(),
                                                       ReferralCase.id.desc())
                         .limit(RECENT_CASES)).scalars().all()
        described = [cases.describe_case(c) for c in rows]
    return render_template("cases.html", cases=described, status_labels=STATUS_LABELS)


def _export_form(error: str | None = None, status: int = 200) -> tuple[str, int]:
    today = datetime.now(timezone.utc).date()
    month_ago = (today - timedelta(days=30)).isoformat()
    values = {"date_from": request.form.get("date_from") or month_ago,
              "date_to": request.form.get("date_to") or today.isoformat(),
              "format": request.form.get("format", "csv"),
              "receiving_org": request.form.get("receiving_org", ""),
              "safety_reason": request.form.get("safety_reason", "")}
    with db() as s:
        organisations = sorted(cases.receiving_organisations(s).items(), key=lambda kv: kv[1])
    return render_template(
        "export.html", error=error, values=values, formats=export.FORMATS,
        organisations=organisations,
        safety_reasons=list(SAFETY_REASON_LABELS.items()),
        may_use_safety=accounts.has_role(current_advocate(), "supervisor")), status


@bp.get("/cases/export")
def export_form() -> tuple[str, int]:
    return _export_form()


@bp.post("/cases/export")
@recent_auth_required
def export_download() -> Response | tuple[str, int]:
    form = request.form
    try:
        date_from = date.fromisoformat(form.get("date_from", ""))
        date_to = date.fromisoformat(form.get("date_to", ""))
    except ValueError:
        return _export_form("Give both dates as YYYY-MM-DD.", 400)
    fmt = form.get("format", "csv")
    try:
        with db() as s:
            result = export.export_cases(
                s, date_from, date_to, fmt, advocate=current_advocate(),
                receiving_org=form.get("receiving_org") or None,
                safety_reason=form.get("safety_reason") or None)
    except export.ExportError as exc:
        return _export_form(str(exc)[:1].upper() + str(exc)[1:] + ".", 400)
    mimetype = "text/csv" if result.format == "csv" else "application/json"
    name = f"htcds-export-{date_from.isoformat()}-{date_to.isoformat()}.{result.format}"
    return Response(result.content, mimetype=f"{mimetype}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Export-Cases": str(len(result.case_ids)),
        "X-Export-Withheld": str(len(result.withheld_case_ids)),
    })


@bp.post("/cases/<int:case_id>/receiving-org")
def set_receiving_org(case_id: int) -> Response | tuple[Any, int]:
    """The receiving organisation picked from a directory search (views/directory.py)."""
    org = request.form.get("receiving_org", "")

    def run(s: Session, case: ReferralCase, me: Any) -> None:
        cases.update_case(s, case, me, receiving_org=org or None)

    return _case_action(case_id, run, "Receiving organisation set.")


@bp.get("/cases/<int:case_id>/summary")
def summary(case_id: int) -> str | tuple[Any, int]:
    """Printable, consent-limited referral summary for the receiving organisation."""
    from bot.referrals.summary import SummaryError, referral_summary

    me = current_advocate()
    with db() as s:
        case = _case_or_404(s, case_id)
        active = queue.active_request(s, case.conversation_id)
        if not may_act(active, me):
            return _not_yours(s, active)
        try:
            result = referral_summary(s, case, me)
        except SummaryError as exc:
            return render_template("error.html", status=409,
                                   message=str(exc)[:1].upper() + str(exc)[1:] + "."), 409
    return render_template("case_summary.html", summary=result,
                           printed=datetime.now(timezone.utc))
