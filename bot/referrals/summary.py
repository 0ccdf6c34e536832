"""A printable referral summary for the receiving organisation, limited by consent.

Why: a partner taking a referral needs what the texter agreed to share, and
only that, on paper or a PDF the advocate prints. The same rules as the
export (bot/referrals/export.py): the frame, plus exactly the fields with
active consent for the case's receiving organisation; a minor or
imminent-danger case without consent gets the minimal safety set, marked.
Audited ("case_summary", field names only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.referrals import htcds
from bot.referrals.consent import shareable_fields
from bot.referrals.export import case_values
from bot.store.audit import record_event
from bot.store.models import Advocate, DirOrganization, DirPhone, DirService, ReferralCase


class SummaryError(ValueError):
    """No summary can be given (no receiving organisation, or nothing may be shared)."""


@dataclass(frozen=True)
class Summary:
    case_id: int
    organisation: str
    contacts: list[str]
    basis: str                         # "consent" or "safety"
    fields: list[tuple[str, str, str]]  # (HTCDS name, label, value)


def _value_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _contacts(session: Session, org_id: str) -> list[str]:
    services = session.scalars(select(DirService.id).where(DirService.organization_id == org_id))
    ids = list(services)
    if not ids:
        return []
    phones = session.scalars(select(DirPhone).where(DirPhone.service_id.in_(ids))
                             .order_by(DirPhone.id))
    return list(dict.fromkeys(f"{p.type or 'voice'} {p.number}" for p in phones))


def referral_summary(session: Session, case: ReferralCase, advocate: Advocate) -> Summary:
    if not case.receiving_org:
        raise SummaryError("pick the receiving organisation first")
    org = session.get(DirOrganization, case.receiving_org)
    if org is None:
        raise SummaryError("the receiving organisation is no longer in the directory")
    consented = shareable_fields(session, case)
    fields = set(consented)
    basis = "consent"
    if not fields:
        if not (case.minor or case.imminent_danger):
            raise SummaryError("the texter has not agreed to share anything with "
                               f"{org.name}; record their consent first")
        fields, basis = set(htcds.SAFETY_FIELDS), "safety"
    values = case_values(case, consented=bool(consented), org_name=org.name)
    rows = [(name, htcds.SHAREABLE_FIELDS.get(name, name), _value_text(values.get(name)))
            for name in htcds.SHAREABLE_FIELDS if name in fields
            and values.get(name) not in (None, "", [])]
    record_event(session, "case_summary", advocate=advocate,
                 conversation_id=case.conversation_id, case_id=case.id,
                 receiving_org=org.id, basis=basis, fields=sorted(fields))
    return Summary(case.id, org.name, _contacts(session, org.id), basis, rows)
