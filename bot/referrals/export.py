"""Export referral cases as CSV or JSON with HTCDS field and value names.

Only consented fields leave: each case's record holds the fields the texter
agreed to share with the case's receiving organisation (plus the identifying
frame: case id, receiving org, con_Consent). A case without active consent is
left out, except on the safety path: with `safety_reason` given by a
supervisor, admin or the CLI, a case flagged minor or imminent danger is
exported with the fixed minimal set SAFETY_FIELDS (no free text). Every export
writes one audit row ("export") naming the cases, the basis of each and the
reason, even when nothing was exported.

Formats (docs/referrals.md): CSV has one column per export field in a fixed
order (`htcds.export_columns`); a field that is not shared is an empty cell,
picklists with several values are space-separated (as ODK does for "select
multiple"), and free text that a spreadsheet would run as a formula gets a
leading apostrophe. JSON holds a header and `records`, each with only the
shared keys; several values are lists. Yes/no fields use con_Consent's value
names TRUE / FALSE; dates are YYYY-MM-DD (UTC).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.referrals import htcds
from bot.referrals.consent import shareable_fields
from bot.store.audit import CLI, record_event
from bot.store.models import Advocate, DirOrganization, ReferralCase, utcnow

FORMATS: tuple[str, ...] = ("csv", "json")
# Why a case without consent may still be exported (stored in the audit row),
# and the case flag each reason applies to.
SAFETY_REASONS: dict[str, str] = {
    "minor_mandatory_report": "minor",
    "imminent_danger": "imminent_danger",
}
SAFETY_ROLES = ("supervisor", "admin")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    """An export that is not allowed (bad range or format, safety path without the role)."""


@dataclass(frozen=True)
class ExportResult:
    content: str                      # the CSV or JSON text
    format: str
    case_ids: tuple[int, ...]         # exported, in order
    safety_case_ids: tuple[int, ...]  # exported with the safety path's fields
    withheld_case_ids: tuple[int, ...] = field(default=())  # in range, not exported
    audit_event_id: int | None = None


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _flag(value: bool) -> str:
    return htcds.TRUE if value else htcds.FALSE


def case_values(case: ReferralCase, consented: bool,
                reference: htcds.Reference | None = None,
                org_name: str | None = None) -> dict[str, Any]:
    """Every export field of a case, HTCDS names and values (before consent filtering)."""
    reference = reference or htcds.load_reference()
    methods = list(case.methods_of_control or [])
    form_methods = [v for v in reference.values(htcds.VIC_METHODS_OF_CONTROL)
                    if v in {htcds.METHODS_OF_CONTROL_VALUES[m] for m in methods}]
    values: dict[str, Any] = {
        htcds.EXT_CASE_ID: case.id,
        htcds.EXT_RECEIVING_ORG: case.receiving_org,
        htcds.EXT_RECEIVING_ORG_NAME: org_name,
        htcds.CON_CONSENT: _flag(consented),
        htcds.CAS_STATUS: case.status,
        htcds.CAS_REFERRAL_DATE: _day(case.referred_at),
        htcds.CAS_REASON: case.referral_reason,
        htcds.CAS_DETAILS: case.referral_details,
        htcds.VIC_TRAFFICKING_STATUS: case.trafficking_status,
        htcds.VIC_STATUS_ORG: case.trafficking_status_org,
        htcds.VIC_METHODS_OF_CONTROL: form_methods,
        htcds.VIC_TYPE_OF_EXPLOITATION: list(case.types_of_exploitation or []),
        htcds.VIC_LABOUR_INDUSTRY: list(case.forced_labour_industry or []),
        htcds.VIC_SEX_EXPLOITATION: list(case.types_of_sex_exploitation or []),
        htcds.VIC_RECRUITMENT: list(case.methods_of_recruitment or []),
        htcds.VIC_LOCATION: f"US-{case.state}" if case.state else None,
        htcds.EXT_LANGUAGE: case.language,
        htcds.EXT_MINOR: _flag(case.minor),
        htcds.EXT_IMMINENT_DANGER: _flag(case.imminent_danger),
        htcds.EXT_DATE_OPENED: _day(case.opened_at),
        htcds.EXT_DATE_CLOSED: _day(case.closed_at),
    }
    for name in reference.methods_of_control_fields:
        values[name] = _flag(name in methods)
    return values


def shared_record(values: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """Only the frame and the shared fields (Methods of Control columns go with
    vic_Methods_of_Control), in export column order."""
    allowed = set(htcds.FRAME_FIELDS) | set(fields)
    if htcds.VIC_METHODS_OF_CONTROL in allowed:
        allowed |= set(htcds.load_reference().methods_of_control_fields)
    return {name: values[name] for name in htcds.export_columns() if name in allowed}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(htcds.export_columns()), lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _csv_cell(v) for k, v in record.items()})
    return out.getvalue()


def to_json(records: list[dict[str, Any]], header: dict[str, Any]) -> str:
    return json.dumps({**header, "records": records}, ensure_ascii=False, indent=2) + "\n"


def _check_request(date_from: date, date_to: date, fmt: str, advocate: Advocate | None,
                   actor: str | None, safety_reason: str | None) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {FORMATS}")
    if date_to < date_from:
        raise ExportError("the end date is before the start date")
    if advocate is None and not actor:
        raise ExportError("an export needs an advocate or an actor name (it is audited)")
    if safety_reason is None:
        return
    if safety_reason not in SAFETY_REASONS:
        raise ExportError(f"safety reason must be one of {tuple(SAFETY_REASONS)}")
    allowed = advocate.role in SAFETY_ROLES if advocate is not None else actor == CLI
    if not allowed:
        raise ExportError("only a supervisor or admin may export on the safety path")


def export_cases(session: Session, date_from: date, date_to: date, fmt: str, *,
                 advocate: Advocate | None = None, actor: str | None = None,
                 receiving_org: str | None = None,
                 safety_reason: str | None = None) -> ExportResult:
    """Export cases opened from date_from to date_to (inclusive, UTC) as "csv" or "json".

    receiving_org: only cases referred to that organisation. A case without a
    receiving organisation has nobody to share with and is withheld.
    safety_reason (a key of SAFETY_REASONS): also export cases carrying that
    reason's flag (minor / imminent danger) without consent, SAFETY_FIELDS only;
    needs a supervisor or admin, or the CLI actor. The caller commits (the
    audit row is in the same transaction).
    """
    _check_request(date_from, date_to, fmt, advocate, actor, safety_reason)
    reference = htcds.load_reference()
    htcds.check_mapping(reference)
    start = datetime.combine(date_from, time.min, tzinfo=timezone.utc)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=timezone.utc)
    query = select(ReferralCase).where(ReferralCase.opened_at >= start,
                                       ReferralCase.opened_at < end)
    if receiving_org is not None:
        query = query.where(ReferralCase.receiving_org == receiving_org)
    cases = session.execute(query.order_by(ReferralCase.opened_at, ReferralCase.id)).scalars()

    records: list[dict[str, Any]] = []
    exported: list[int] = []
    safety: list[int] = []
    withheld: list[int] = []
    for case in cases:
        consented = shareable_fields(session, case) if case.receiving_org else frozenset()
        fields = set(consented)
        flag = SAFETY_REASONS.get(safety_reason or "")
        on_safety_path = (case.receiving_org is not None and flag is not None
                          and bool(getattr(case, flag)))
        if on_safety_path:
            fields |= set(htcds.SAFETY_FIELDS)
            safety.append(case.id)
        if not fields:
            withheld.append(case.id)
            continue
        org = session.get(DirOrganization, case.receiving_org) if case.receiving_org else None
        values = case_values(case, consented=bool(consented), reference=reference,
                             org_name=org.name if org is not None else None)
        records.append(shared_record(values, fields))
        exported.append(case.id)

    exported_at = utcnow()
    if fmt == "csv":
        content = to_csv(records)
    else:
        content = to_json(records, {
            "standard": "IOM Human Trafficking Case Data Standard (HTCDS), CC BY 4.0",
            "date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
            "exported_at": exported_at.isoformat(), "receiving_org": receiving_org,
        })
    event = record_event(
        session, "export", advocate=advocate, actor=None if advocate else actor,
        format=fmt, date_from=date_from.isoformat(), date_to=date_to.isoformat(),
        receiving_org=receiving_org, case_ids=exported, safety_case_ids=safety,
        withheld_case_ids=withheld, safety_reason=safety_reason)
    session.flush()
    return ExportResult(content=content, format=fmt, case_ids=tuple(exported),
                        safety_case_ids=tuple(safety), withheld_case_ids=tuple(withheld),
                        audit_event_id=event.id)
