"""Staff edits of the directory: add, edit, verify and retire a service (audited).

Why one module: the console and tests go through the same checks, and every
change writes its audit row in the same transaction ("directory_add",
"directory_edit", "directory_verify", "directory_retire"). Audit details hold
ids and field names only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.directory.areas import EXTENT_TYPE, AreaError, AreaKind, display_name, extent, normal_value
from bot.directory.status import ACTIVE, RETIRED, STATUSES
from bot.directory.taxonomy import Need
from bot.store.audit import record_event
from bot.store.models import (
    Advocate,
    DirLanguage,
    DirOrganization,
    DirPhone,
    DirSchedule,
    DirService,
    DirServiceArea,
    utcnow,
)

EDITORS = frozenset({"supervisor", "admin"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9+()\-. ]{3,32}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
PHONE_TYPES = ("voice", "text", "textphone", "fax")
_DAYS = frozenset({"MO", "TU", "WE", "TH", "FR", "SA", "SU"})
_ZONE = re.compile(r"UTC([+-]\d{1,2}(?:\.5)?)", re.IGNORECASE)


def _zone_offset(text: str) -> float | None:
    """HSDS schedule.timezone (hours from UTC) from "UTC-6"; None if not written so."""
    match = _ZONE.fullmatch(text.strip())
    return float(match.group(1)) if match and abs(float(match.group(1))) <= 14 else None
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


class DirectoryError(ValueError):
    """A directory edit refused, with a message staff can act on."""


@dataclass
class ServiceForm:
    """What staff type for one service (and its organisation, phones, areas, hours)."""

    organization_name: str
    name: str
    need: str
    description: str = ""
    url: str = ""
    email: str = ""
    phones: list[tuple[str, str]] = field(default_factory=list)   # (type, number)
    areas: list[tuple[str, str]] = field(default_factory=list)    # (kind, value)
    languages: list[str] = field(default_factory=list)            # ISO 639-1 codes
    # (byday, opens, closes, zone): zone "" = the hotline's HOTLINE_TIMEZONE, or "UTC-6".
    hours: list[tuple[str, str, str, str]] = field(default_factory=list)
    eligibility: str = ""
    source: str = ""


def can_edit(advocate: Advocate) -> bool:
    return advocate.role in EDITORS


def _check(form: ServiceForm) -> None:
    if not form.organization_name.strip() or not form.name.strip():
        raise DirectoryError("an organisation name and a service name are needed")
    try:
        Need(form.need)
    except ValueError as exc:
        raise DirectoryError("pick what the service is for (the need)") from exc
    if form.email and not _EMAIL.fullmatch(form.email.strip()):
        raise DirectoryError("the e-mail address does not look like one")
    if not form.phones and not form.url.strip():
        raise DirectoryError("a service needs a phone number or a web address")
    for kind, number in form.phones:
        if kind not in PHONE_TYPES or not _PHONE.fullmatch(number.strip()):
            raise DirectoryError(f"phone {number!r}: digits, spaces, + ( ) - . only")
    if not form.areas:
        raise DirectoryError("a service needs at least one area (state, county, city or ZIP)")
    for kind, value in form.areas:
        try:
            normal_value(AreaKind(kind), value)
        except (ValueError, AreaError) as exc:
            raise DirectoryError(str(exc) if isinstance(exc, AreaError)
                                 else f"unknown area kind {kind!r}") from exc
    for code in form.languages:
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise DirectoryError(f"language {code!r}: a two-letter code (en, es)")
    for days, opens, closes, zone in form.hours:
        if not _TIME.fullmatch(opens) or not _TIME.fullmatch(closes):
            raise DirectoryError("opening hours are HH:MM (24-hour)")
        if not all(d.strip().upper() in _DAYS for d in days.split(",")):
            raise DirectoryError("days are MO,TU,WE,TH,FR,SA,SU (comma-separated)")
        if zone and _zone_offset(zone) is None:
            raise DirectoryError("a time zone after the hours is written UTC-6 or UTC+5.5")


def _require_editor(advocate: Advocate) -> None:
    if not can_edit(advocate):
        raise DirectoryError("only supervisors and admins change the directory")


def _write_children(session: Session, service: DirService, form: ServiceForm) -> None:
    for model in (DirPhone, DirLanguage, DirSchedule, DirServiceArea):
        session.execute(delete(model).where(model.service_id == service.id))
    for kind, number in form.phones:
        session.add(DirPhone(service_id=service.id, number=number.strip(), type=kind))
    for kind, value in form.areas:
        k = AreaKind(kind)
        v = normal_value(k, value)
        session.add(DirServiceArea(service_id=service.id, kind=k.value, value=v,
                                   name=display_name(k, v), extent=extent(k, v),
                                   extent_type=EXTENT_TYPE))
    for code in dict.fromkeys(form.languages):
        session.add(DirLanguage(service_id=service.id, code=code,
                                name=LANGUAGE_NAMES.get(code, code)))
    for days, opens, closes, zone in form.hours:
        session.add(DirSchedule(service_id=service.id, freq="WEEKLY", byday=days.upper(),
                                opens_at=opens, closes_at=closes,
                                timezone=_zone_offset(zone) if zone else None))


def add_service(session: Session, form: ServiceForm, advocate: Advocate) -> DirService:
    """A new (unverified) service, under an existing organisation of that name or a new one."""
    _require_editor(advocate)
    _check(form)
    org = session.scalars(select(DirOrganization)
                          .where(DirOrganization.name == form.organization_name.strip())).first()
    if org is None:
        # HSDS requires a description; until staff write one, the service's or the name.
        org = DirOrganization(name=form.organization_name.strip(),
                              description=form.description.strip()
                              or form.organization_name.strip())
        session.add(org)
        session.flush()
    service = DirService(organization_id=org.id, status=ACTIVE)
    _set_fields(service, form)
    session.add(service)
    session.flush()
    _write_children(session, service, form)
    record_event(session, "directory_add", advocate=advocate, service_id=service.id,
                 organization_id=org.id)
    return service


def _set_fields(service: DirService, form: ServiceForm) -> None:
    service.name = form.name.strip()
    service.service_type = Need(form.need).value
    service.description = form.description.strip() or None
    service.url = form.url.strip() or None
    service.email = form.email.strip() or None
    service.eligibility_description = form.eligibility.strip() or None
    service.source = form.source.strip() or None
    service.last_modified = utcnow()


def edit_service(session: Session, service: DirService, form: ServiceForm,
                 advocate: Advocate) -> DirService:
    """Change a service. Its verification stays: verify again after checking the change."""
    _require_editor(advocate)
    _check(form)
    org = session.get(DirOrganization, service.organization_id)
    if org is not None and org.name != form.organization_name.strip():
        org.name, org.updated_at = form.organization_name.strip(), utcnow()
    _set_fields(service, form)
    _write_children(session, service, form)
    record_event(session, "directory_edit", advocate=advocate, service_id=service.id)
    return service


def verify_service(session: Session, service: DirService, advocate: Advocate, *,
                   assurer_email: str, on: date | None = None) -> DirService:
    """Record who checked the entry and when (HSDS assured_date / assurer_email)."""
    _require_editor(advocate)
    if not _EMAIL.fullmatch(assurer_email.strip()):
        raise DirectoryError("the verifier's e-mail address is needed (HSDS assurer_email)")
    if service.status != ACTIVE:
        raise DirectoryError("a retired service cannot be verified; restore it first")
    service.assured_date = on or date.today()
    service.assurer_email = assurer_email.strip()
    service.last_modified = utcnow()
    record_event(session, "directory_verify", advocate=advocate, service_id=service.id)
    return service


def retire_service(session: Session, service: DirService, advocate: Advocate, *,
                   status: str = RETIRED) -> DirService:
    """Stop offering a service (HSDS status inactive / defunct); the row stays for referrals."""
    _require_editor(advocate)
    if status not in STATUSES or status == ACTIVE:
        raise DirectoryError("retire to inactive, defunct or temporarily closed")
    service.status = status
    service.last_modified = utcnow()
    record_event(session, "directory_retire", advocate=advocate, service_id=service.id,
                 status=status)
    return service


def restore_service(session: Session, service: DirService, advocate: Advocate) -> DirService:
    _require_editor(advocate)
    service.status = ACTIVE
    service.last_modified = utcnow()
    record_event(session, "directory_restore", advocate=advocate, service_id=service.id)
    return service


def form_of(session: Session, service: DirService) -> ServiceForm:
    """The edit form's values for an existing service."""
    org = session.get(DirOrganization, service.organization_id)
    sid = service.id
    phones = session.scalars(select(DirPhone).where(DirPhone.service_id == sid))
    areas = session.scalars(select(DirServiceArea).where(DirServiceArea.service_id == sid))
    langs = session.scalars(select(DirLanguage.code).where(DirLanguage.service_id == sid))
    hours = session.scalars(select(DirSchedule).where(DirSchedule.service_id == sid))
    return ServiceForm(
        organization_name=org.name if org else "", name=service.name,
        need=service.service_type or "", description=service.description or "",
        url=service.url or "", email=service.email or "",
        phones=[(p.type or "voice", p.number) for p in phones],
        areas=[(a.kind, a.value) for a in areas if a.kind and a.value],
        languages=[c for c in langs if c],
        hours=[(h.byday or "", h.opens_at or "", h.closes_at or "",
                "" if h.timezone is None else f"UTC{h.timezone:+g}") for h in hours],
        eligibility=service.eligibility_description or "", source=service.source or "")
