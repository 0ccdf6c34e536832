"""Referral cases: open one per texter episode, pre-fill it, let advocates complete it.

An episode starts with a handoff request (the queue entry). A new request for a
conversation whose case is still Active or FollowUp joins that case (helpline
cases last months and span many contacts); otherwise a new case opens.
Pre-fill takes the conversation's latest screening (methods of control, type of
exploitation, minor) and latest tip (state, minor, danger); the case starts as
"Active" with trafficking status "PossibleVictimOfTrafficking". Every change
is validated against the HTCDS value names and written to the audit log.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.content.loader import load_content
from bot.referrals import htcds
from bot.screening.rules import EMERGENCY, HTCDS_FORCED_LABOUR, HTCDS_SEXUAL_EXPLOITATION
from bot.store.audit import SYSTEM, record_event
from bot.store.models import (
    Advocate,
    Conversation,
    DirOrganization,
    HandoffRequest,
    ReferralCase,
    ScreeningRecord,
    Tip,
    as_utc,
    utcnow,
)


class CaseError(ValueError):
    """A case change that is not allowed (unknown value, wrong status, missing org)."""


# Fields an advocate may set with update_case (our column names).
EDITABLE_FIELDS: tuple[str, ...] = (
    "trafficking_status", "trafficking_status_org", "methods_of_control",
    "types_of_exploitation", "forced_labour_industry", "types_of_sex_exploitation",
    "methods_of_recruitment", "state", "language", "referral_reason", "referral_details",
    "receiving_org", "minor", "imminent_danger",
)
LIST_FIELDS = ("methods_of_control", "types_of_exploitation", "forced_labour_industry",
               "types_of_sex_exploitation", "methods_of_recruitment")
TEXT_FIELDS = ("referral_reason", "referral_details")
FLAG_FIELDS = ("minor", "imminent_danger")
MAX_TEXT = 4000
# Roles that may clear a minor or imminent-danger flag once set.
FLAG_CLEARING_ROLES = ("supervisor", "admin")
_SCREENING_TYPES = {"labor": [HTCDS_FORCED_LABOUR], "sex": [HTCDS_SEXUAL_EXPLOITATION],
                    "both": [HTCDS_FORCED_LABOUR, HTCDS_SEXUAL_EXPLOITATION], "unclear": []}


def _actor(advocate: Advocate | None, actor: str | None) -> dict[str, Any]:
    return {"advocate": advocate} if advocate is not None else {"actor": actor or SYSTEM}


def open_case(session: Session, request: HandoffRequest | int, *,
              advocate: Advocate | None = None, actor: str | None = None) -> ReferralCase:
    """The case of this handoff request's episode, opened (and pre-filled) if needed.

    Idempotent: calling it again for the same request returns the same case.
    Opening is audited ("case_open") with the advocate or actor (default "system").
    """
    if isinstance(request, int):
        found = session.get(HandoffRequest, request)
        if found is None:
            raise CaseError(f"no handoff request {request}")
        request = found
    existing = _case_of_request(session, request.id)
    if existing is not None:
        return existing
    case = ReferralCase(conversation_id=request.conversation_id, handoff_request_id=request.id,
                        status=htcds.ACTIVE, trafficking_status=htcds.POSSIBLE_VICTIM)
    _prefill(session, case, request)
    try:
        with session.begin_nested():  # two advocates opening at once: one insert wins
            session.add(case)
            session.flush()
    except IntegrityError:
        winner = _case_of_request(session, request.id)
        if winner is None:
            raise
        return winner
    record_event(session, "case_open", conversation_id=case.conversation_id, case_id=case.id,
                 handoff_request_id=request.id, **_actor(advocate, actor))
    return case


def _case_of_request(session: Session, request_id: int) -> ReferralCase | None:
    return session.execute(select(ReferralCase).where(
        ReferralCase.handoff_request_id == request_id)).scalar_one_or_none()


def _latest(session: Session, model: type, conversation_id: str) -> Any:
    return session.execute(select(model).where(model.conversation_id == conversation_id)
                           .order_by(model.created_at.desc(), model.id.desc()).limit(1)
                           ).scalar_one_or_none()


def _prefill(session: Session, case: ReferralCase, request: HandoffRequest) -> None:
    """Fill what the assistant already knows: screening, tip, queue flags, language."""
    conversation = session.get(Conversation, request.conversation_id)
    case.language = conversation.language if conversation else None
    minor = bool(request.minor)
    danger = request.priority == "emergency" or bool(conversation and conversation.urgent)
    screening: ScreeningRecord | None = _latest(session, ScreeningRecord, case.conversation_id)
    if screening is not None:
        known = htcds.load_reference().methods_of_control_fields
        case.methods_of_control = [m for m in known if m in set(screening.indicators or ())]
        types = (screening.result or {}).get("htcds_type_of_exploitation")
        if types is None:
            types = _SCREENING_TYPES.get(screening.exploitation_type, [])
        allowed = htcds.allowed_values("types_of_exploitation")
        case.types_of_exploitation = [t for t in allowed if t in set(types)]
        minor = minor or bool(screening.minor)
        danger = danger or screening.triage == EMERGENCY
    tip: Tip | None = _latest(session, Tip, case.conversation_id)
    if tip is not None:
        if tip.state_code and _valid_state(tip.state_code):
            case.state = tip.state_code
        minor = minor or tip.minor_involved == "yes"
        danger = danger or tip.danger == "yes" or bool(tip.urgent)
    case.minor, case.imminent_danger = minor, danger


def case_for_conversation(session: Session, conversation_id: str) -> ReferralCase | None:
    """The conversation's most recent case, or None."""
    return session.execute(select(ReferralCase)
                           .where(ReferralCase.conversation_id == conversation_id)
                           .order_by(ReferralCase.opened_at.desc(), ReferralCase.id.desc())
                           .limit(1)).scalar_one_or_none()


def is_closed(case: ReferralCase) -> bool:
    return case.status not in htcds.OPEN_STATUSES


def _valid_state(code: str) -> bool:
    return any(s.code == code for s in load_content().states)


def _clean(case: ReferralCase, name: str, value: Any, advocate: Advocate) -> Any:
    """The value to store for one field, or CaseError."""
    if name in LIST_FIELDS:
        if value is None:
            value = []
        if isinstance(value, str) or not all(isinstance(v, str) for v in value):
            raise CaseError(f"{name} takes a list of HTCDS value names")
        allowed = htcds.allowed_values(name)
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise CaseError(f"{name}: not HTCDS value names: {', '.join(unknown)}")
        return [v for v in allowed if v in set(value)]  # the standard's order, no repeats
    if name == "trafficking_status":
        if value not in htcds.allowed_values(name):
            raise CaseError(f"trafficking_status must be one of {htcds.allowed_values(name)}")
        return value
    if name == "trafficking_status_org":
        if value is not None and value not in htcds.allowed_values(name):
            raise CaseError(f"trafficking_status_org must be one of {htcds.allowed_values(name)}")
        return value
    if name in TEXT_FIELDS:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise CaseError(f"{name} takes text of at most {MAX_TEXT} characters")
        return value.strip()
    if name in FLAG_FIELDS:
        if not isinstance(value, bool):
            raise CaseError(f"{name} takes true or false")
        if getattr(case, name) and not value and advocate.role not in FLAG_CLEARING_ROLES:
            raise CaseError(f"only a supervisor can clear the {name} flag")
        return value
    if name == "state":
        if value in (None, ""):
            return None
        if not isinstance(value, str) or not _valid_state(value.upper()):
            raise CaseError("state must be a US state code from the directory (e.g. TX)")
        return value.upper()
    if name == "language":
        if value in (None, ""):
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2}", value):
            raise CaseError("language must be a two-letter ISO 639-1 code (e.g. en, es)")
        return value
    if name == "receiving_org":
        if value in (None, ""):
            return None
        if value not in receiving_organisations(_session_of(case)):
            raise CaseError(f"unknown receiving organisation {value!r} (not in the directory)")
        return value
    raise CaseError(f"{name} cannot be edited")


def update_case(session: Session, case: ReferralCase, advocate: Advocate,
                **changes: Any) -> ReferralCase:
    """Set EDITABLE_FIELDS after validating every value; audited ("case_update", field names).

    Raises CaseError for an unknown field or value, for a verified trafficking
    status without a decision-making organisation, or on a closed case. Nothing
    is changed when any value is refused. Changing the receiving organisation
    clears a recorded referral (it was to the other organisation).
    """
    if is_closed(case):
        raise CaseError("the case is closed; reopen it (Active or FollowUp) to change it")
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise CaseError(f"not editable: {', '.join(unknown)}")
    cleaned = {name: _clean(case, name, value, advocate) for name, value in changes.items()}
    status = cleaned.get("trafficking_status", case.trafficking_status)
    org = cleaned.get("trafficking_status_org", case.trafficking_status_org)
    if status in htcds.VERIFIED_STATUSES and org is None:
        raise CaseError("a verified trafficking status needs the organisation that decided it "
                        "(trafficking_status_org); a hotline records potential victims")
    changed = sorted(n for n, v in cleaned.items() if getattr(case, n) != v)
    if "receiving_org" in changed and case.referred_at is not None:
        case.referred_at, case.referred_by = None, None
    for name in changed:
        setattr(case, name, cleaned[name])
    if changed:
        case.updated_at = utcnow()
        record_event(session, "case_update", advocate=advocate,
                     conversation_id=case.conversation_id, case_id=case.id, fields=changed)
    return case


def set_status(session: Session, case: ReferralCase, status: str,
               advocate: Advocate) -> ReferralCase:
    """Move the case to an HTCDS cas_Status value (Active, FollowUp, Closed, ClosedReferred).

    Closed / ClosedReferred go through close_case's rules; reopening a closed
    case (Active / FollowUp) clears closed_at. Audited ("case_status").
    """
    if status not in htcds.CASE_STATUSES:
        raise CaseError(f"status must be one of {htcds.CASE_STATUSES}")
    if status in (htcds.CLOSED, htcds.CLOSED_REFERRED):
        return close_case(session, case, advocate, referred=status == htcds.CLOSED_REFERRED)
    previous = case.status
    if previous == status:
        return case
    case.status, case.closed_at, case.closed_by = status, None, None
    case.updated_at = utcnow()
    record_event(session, "case_status", advocate=advocate, conversation_id=case.conversation_id,
                 case_id=case.id, status_from=previous, status_to=status)
    return case


def refer(session: Session, case: ReferralCase, receiving_org: str, advocate: Advocate, *,
          reason: str | None = None) -> ReferralCase:
    """Record the referral to a receiving organisation (a directory organization id).

    Sets receiving_org, referred_at, referred_by (and referral_reason when given).
    Needs the texter's active consent for that organisation, or a case with the
    minor or imminent-danger flag (the safety path, docs/referrals.md).
    Audited ("case_refer", with basis "consent" or "safety").
    """
    from bot.referrals.consent import shareable_fields

    if is_closed(case):
        raise CaseError("the case is closed; reopen it to refer")
    org = _clean(case, "receiving_org", receiving_org, advocate)
    if org is None:
        raise CaseError("a referral needs a receiving organisation")
    if shareable_fields(session, case, org):
        basis = "consent"
    elif case.minor or case.imminent_danger:
        basis = "safety"
    else:
        raise CaseError("no recorded consent to share with this organisation; ask the texter "
                        "first (only minor or imminent-danger cases may be referred without)")
    if reason is not None:
        case.referral_reason = _clean(case, "referral_reason", reason, advocate)
    case.receiving_org, case.referred_at, case.referred_by = org, utcnow(), advocate.id
    case.updated_at = case.referred_at
    record_event(session, "case_refer", advocate=advocate, conversation_id=case.conversation_id,
                 case_id=case.id, receiving_org=org, basis=basis)
    return case


def close_case(session: Session, case: ReferralCase, advocate: Advocate, *,
               referred: bool = False) -> ReferralCase:
    """Close: "ClosedReferred" if referred=True (needs a recorded referral), else "Closed"."""
    if is_closed(case):
        raise CaseError(f"the case is already {case.status}")
    if referred and (case.referred_at is None or case.receiving_org is None):
        raise CaseError("ClosedReferred needs a recorded referral (refer first)")
    previous = case.status
    case.status = htcds.CLOSED_REFERRED if referred else htcds.CLOSED
    case.closed_at = case.updated_at = utcnow()
    case.closed_by = advocate.id
    record_event(session, "case_close", advocate=advocate, conversation_id=case.conversation_id,
                 case_id=case.id, status_from=previous, status_to=case.status)
    return case


# The conversation's disposition -> the case status it leaves the referral case in.
CASE_STATUS_FOR_DISPOSITION: dict[str, str] = {
    "referred": htcds.CLOSED_REFERRED,
    "no_response": htcds.FOLLOW_UP,      # they may write again: keep it open for follow-up
}


def follow_disposition(session: Session, request_id: int, disposition: str,
                       advocate: Advocate) -> ReferralCase | None:
    """The conversation closed: move its episode's open case to the matching status
    (referred -> ClosedReferred, no response -> FollowUp, anything else -> Closed).

    A "referred" close needs the referral recorded on the case first (CaseError).
    """
    case = _case_of_request(session, request_id)
    if case is None or is_closed(case):
        return case
    status = CASE_STATUS_FOR_DISPOSITION.get(disposition, htcds.CLOSED)
    if status == htcds.CLOSED_REFERRED and (case.referred_at is None
                                            or case.receiving_org is None):
        raise CaseError("closing as referred needs the referral recorded on the case first "
                        "(Record referral), or pick another disposition")
    return set_status(session, case, status, advocate)


def _session_of(case: ReferralCase) -> Session:
    session = Session.object_session(case)
    if session is None:
        raise CaseError("the case is not attached to a database session")
    return session


def receiving_organisations(session: Session) -> dict[str, str]:
    """Directory organization id -> name of every organisation a case may be referred to
    (the resource directory, bot/directory/; retired services keep their organisation)."""
    return {org_id: name for org_id, name in session.execute(
        select(DirOrganization.id, DirOrganization.name).order_by(DirOrganization.name))}


def organisation_name(session: Session, org_id: str | None) -> str | None:
    """The directory name of a receiving organisation (None when unset or unknown)."""
    if not org_id:
        return None
    org = session.get(DirOrganization, org_id)
    return org.name if org is not None else None


def describe_case(case: ReferralCase) -> dict[str, Any]:
    """The case as plain values for display (our field names, HTCDS value names)."""
    def when(value: datetime | None) -> str | None:
        if value is None:
            return None
        return as_utc(value).isoformat()

    return {
        "id": case.id, "conversation_id": case.conversation_id,
        "handoff_request_id": case.handoff_request_id, "status": case.status,
        **{name: getattr(case, name) for name in EDITABLE_FIELDS},
        "receiving_org_name": organisation_name(_session_of(case), case.receiving_org),
        "opened_at": when(case.opened_at), "updated_at": when(case.updated_at),
        "referred_at": when(case.referred_at), "closed_at": when(case.closed_at),
    }
