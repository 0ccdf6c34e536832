"""The directory as HSDS tables: one shape shared by the CSV and the JSON forms.

Why one shape: the tabular (CSV data package) and the nested JSON forms of HSDS
hold the same rows. Both are read into a Bundle (HSDS table name -> rows with
HSDS field names) and written from one, so there is a single upsert path
(`apply_bundle`) and a single read path (`bundle_from_db`), and a round trip
through either form keeps the same fields.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory import taxonomy
from bot.directory.areas import parse_extent
from bot.store.models import (
    DirLanguage,
    DirLocation,
    DirOrganization,
    DirPhone,
    DirSchedule,
    DirService,
    DirServiceArea,
    DirServiceAtLocation,
    utcnow,
)

Bundle = dict[str, list[dict[str, Any]]]

# HSDS table -> (model, the HSDS fields we keep). Order = upsert order (parents first).
ORG_FIELDS = ("id", "name", "alternate_name", "description", "email", "website")
SERVICE_FIELDS = ("id", "organization_id", "name", "alternate_name", "description", "url",
                  "email", "status", "interpretation_services", "application_process",
                  "fees_description", "eligibility_description", "minimum_age", "maximum_age",
                  "assured_date", "assurer_email", "last_modified")
LOCATION_FIELDS = ("id", "location_type", "organization_id", "name", "description",
                   "latitude", "longitude")
ADDRESS_FIELDS = ("id", "location_id", "address_1", "address_2", "city", "region",
                  "state_province", "postal_code", "country", "address_type")
SAL_FIELDS = ("id", "service_id", "location_id", "description")
PHONE_FIELDS = ("id", "service_id", "organization_id", "location_id", "number", "extension",
                "type", "description")
LANGUAGE_FIELDS = ("id", "service_id", "location_id", "phone_id", "name", "code", "note")
SCHEDULE_FIELDS = ("id", "service_id", "location_id", "freq", "byday", "opens_at", "closes_at",
                   "valid_from", "valid_to", "description", "timezone")
AREA_FIELDS = ("id", "service_id", "name", "description", "extent", "extent_type", "uri")
ATTRIBUTE_FIELDS = ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value")
TERM_FIELDS = ("id", "code", "name", "description", "taxonomy", "taxonomy_id")

TABLES: dict[str, tuple[type, tuple[str, ...]]] = {
    "organizations": (DirOrganization, ORG_FIELDS),
    "services": (DirService, SERVICE_FIELDS),
    "locations": (DirLocation, LOCATION_FIELDS),
    "service_at_locations": (DirServiceAtLocation, SAL_FIELDS),
    "phones": (DirPhone, PHONE_FIELDS),
    "languages": (DirLanguage, LANGUAGE_FIELDS),
    "schedules": (DirSchedule, SCHEDULE_FIELDS),
    "service_areas": (DirServiceArea, AREA_FIELDS),
}
ALL_TABLES = (*TABLES, "addresses", "attributes", "taxonomy_terms")
# How each column's value is written in HSDS.
INT_FIELDS = frozenset({"minimum_age", "maximum_age", "extension"})
FLOAT_FIELDS = frozenset({"latitude", "longitude", "timezone"})
DATE_FIELDS = frozenset({"assured_date", "valid_from", "valid_to"})
DATETIME_FIELDS = frozenset({"last_modified"})
# Attribute link_type of the service's source (ours; HSDS attributes are open).
SOURCE_LINK = "source"
SERVICE_TYPE_LINK = "service_type"


class BundleError(ValueError):
    """An HSDS file or data package that cannot be read."""


@dataclass
class ImportResult:
    """What an import did, per HSDS table: rows added, updated, and skipped with why."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, bucket: dict[str, int], table: str) -> None:
        bucket[table] = bucket.get(table, 0) + 1


def empty_bundle() -> Bundle:
    return {name: [] for name in ALL_TABLES}


# --------------------------------------------------------------------------- values


def to_python(name: str, value: Any) -> Any:
    """An HSDS value (CSV string or JSON value) as the column's Python value."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    try:
        if name in INT_FIELDS:
            return int(float(value))
        if name in FLOAT_FIELDS:
            return float(value)
        if name in DATE_FIELDS:
            return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        if name in DATETIME_FIELDS:
            if isinstance(value, datetime):
                return value
            return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise BundleError(f"{name}: {value!r} is not a valid value") from exc
    return value


def to_hsds(name: str, value: Any) -> Any:
    """A column's value as HSDS JSON writes it (dates as ISO strings)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- import


def apply_bundle(session: Session, bundle: Bundle) -> ImportResult:
    """Upsert every row by its HSDS id: a second import of the same list updates, never adds.

    Rows pointing at a parent that is neither in the bundle nor in the database
    are skipped (and listed) rather than failing the whole import; a location's
    unknown organization is dropped to null (HSDS allows a location without one).
    """
    result = ImportResult()
    for table, (model, fields) in TABLES.items():
        for row in bundle.get(table, []):
            _upsert(session, table, model, fields, row, result)
        session.flush()
    for row in bundle.get("addresses", []):
        loc = session.get(DirLocation, row.get("location_id"))
        if loc is None:
            result.skipped.append(f"addresses {row.get('id')}: unknown location")
            continue
        loc.address_id = row.get("id")
        for name in ADDRESS_FIELDS[2:]:
            setattr(loc, name, to_python(name, row.get(name)))
    _apply_attributes(session, bundle.get("attributes", []), result)
    for row in bundle.get("service_areas", []):
        area = session.get(DirServiceArea, row.get("id"))
        if area is not None:
            area.kind, area.value = parse_extent(area.extent_type, area.extent)
    session.flush()
    return result


_PARENTS: dict[str, tuple[tuple[str, type, bool], ...]] = {
    # column, parent model, required
    "services": (("organization_id", DirOrganization, True),),
    "locations": (("organization_id", DirOrganization, False),),
    "service_at_locations": (("service_id", DirService, True), ("location_id", DirLocation, True)),
    "phones": (("service_id", DirService, False), ("organization_id", DirOrganization, False),
               ("location_id", DirLocation, False)),
    "languages": (("service_id", DirService, False), ("location_id", DirLocation, False),
                  ("phone_id", DirPhone, False)),
    "schedules": (("service_id", DirService, False), ("location_id", DirLocation, False)),
    "service_areas": (("service_id", DirService, True),),
}


def _upsert(session: Session, table: str, model: type, fields: tuple[str, ...],
            row: dict[str, Any], result: ImportResult) -> None:
    rid = row.get("id")
    if not rid:
        result.skipped.append(f"{table}: a row without an id")
        return
    values = {name: to_python(name, row.get(name)) for name in fields}
    for column, parent, required in _PARENTS.get(table, ()):
        ref = values.get(column)
        if ref is not None and session.get(parent, ref) is None:
            if required:
                result.skipped.append(f"{table} {rid}: unknown {column}")
                return
            values[column] = None
        elif ref is None and required:
            result.skipped.append(f"{table} {rid}: no {column}")
            return
    if table == "phones" and not values.get("number"):
        result.skipped.append(f"phones {rid}: no number")
        return
    if table == "services":
        values["status"] = values.get("status") or "active"
        values["last_modified"] = values.get("last_modified") or utcnow()
    if table == "organizations":
        values["description"] = values.get("description") or values.get("name") or ""
    existing = session.get(model, rid)
    if existing is None:
        session.add(model(**values))
        result.count(result.added, table)
        return
    for name, value in values.items():
        setattr(existing, name, value)
    if table == "organizations":
        existing.updated_at = utcnow()
    result.count(result.updated, table)


def _apply_attributes(session: Session, rows: list[dict[str, Any]],
                      result: ImportResult) -> None:
    """Service attributes we understand: our need (taxonomy term) and the source."""
    by_term = {taxonomy.term_id(n): n for n in taxonomy.Need}
    for row in rows:
        service = session.get(DirService, row.get("link_id") or "")
        if service is None:
            continue
        link_type = row.get("link_type")
        if link_type == SOURCE_LINK:
            service.source = row.get("value") or None
            continue
        need = by_term.get(row.get("taxonomy_term_id") or "")
        if need is None and link_type == SERVICE_TYPE_LINK:
            need = taxonomy.parse_need(row.get("value"))
        if need is not None:
            service.service_type = need.value


# --------------------------------------------------------------------------- export


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: to_hsds(name, getattr(obj, name)) for name in fields}


def bundle_from_db(session: Session) -> Bundle:
    """Every directory row as HSDS tables (retired and unverified services too)."""
    bundle = empty_bundle()
    services = list(session.scalars(select(DirService).order_by(DirService.name)))
    bundle["organizations"] = [_row(o, ORG_FIELDS) for o in session.scalars(
        select(DirOrganization).order_by(DirOrganization.name))]
    bundle["services"] = [_row(s, SERVICE_FIELDS) for s in services]
    for loc in session.scalars(select(DirLocation).order_by(DirLocation.id)):
        bundle["locations"].append(_row(loc, LOCATION_FIELDS))
        if loc.address_id:
            address = {name: getattr(loc, name) for name in ADDRESS_FIELDS[2:]}
            bundle["addresses"].append({"id": loc.address_id, "location_id": loc.id, **address})
    for table, model, fields in (("service_at_locations", DirServiceAtLocation, SAL_FIELDS),
                                 ("phones", DirPhone, PHONE_FIELDS),
                                 ("languages", DirLanguage, LANGUAGE_FIELDS),
                                 ("schedules", DirSchedule, SCHEDULE_FIELDS),
                                 ("service_areas", DirServiceArea, AREA_FIELDS)):
        bundle[table] = [_row(obj, fields)
                         for obj in session.scalars(select(model).order_by(model.id))]
    needs_used: set[taxonomy.Need] = set()
    for s in services:
        if s.service_type:
            need = taxonomy.Need(s.service_type)
            needs_used.add(need)
            bundle["attributes"].append({
                "id": _attribute_id(s.id, SERVICE_TYPE_LINK), "link_id": s.id,
                "taxonomy_term_id": taxonomy.term_id(need), "link_type": SERVICE_TYPE_LINK,
                "link_entity": "service", "value": need.value})
        if s.source:
            bundle["attributes"].append({
                "id": _attribute_id(s.id, SOURCE_LINK), "link_id": s.id,
                "taxonomy_term_id": SOURCE_TERM_ID, "link_type": SOURCE_LINK,
                "link_entity": "service", "value": s.source})
    bundle["taxonomy_terms"] = [term_row(n) for n in taxonomy.Need if n in needs_used]
    if any(a["link_type"] == SOURCE_LINK for a in bundle["attributes"]):
        bundle["taxonomy_terms"].append(SOURCE_TERM)
    return bundle


def _attribute_id(service_id: str, link_type: str) -> str:
    return str(uuid.uuid5(uuid.UUID(taxonomy.TAXONOMY_ID), f"{service_id}/{link_type}"))


def term_row(need: taxonomy.Need) -> dict[str, Any]:
    return {"id": taxonomy.term_id(need), "code": need.value, "name": taxonomy.label(need, "en"),
            "description": f"{taxonomy.label(need, 'en')} ({taxonomy.label(need, 'es')})",
            "taxonomy": taxonomy.TAXONOMY_NAME, "taxonomy_id": taxonomy.TAXONOMY_ID}


SOURCE_TERM_ID = _attribute_id(taxonomy.TAXONOMY_ID, SOURCE_LINK)
SOURCE_TERM = {"id": SOURCE_TERM_ID, "code": SOURCE_LINK, "name": "Source",
               "description": "Where the entry comes from (a partner list, a call, the BRIEF).",
               "taxonomy": taxonomy.TAXONOMY_NAME, "taxonomy_id": taxonomy.TAXONOMY_ID}
