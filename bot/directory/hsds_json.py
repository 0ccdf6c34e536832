"""HSDS 3.0 JSON: a page of services (like the spec's service_list) with everything nested.

Read: one service object, a list of them, a page ({"contents": [...]}), or an
organization object with its `services`. Written: a single page holding every
service, each with its organization, phones, schedules, service areas,
languages, service_at_locations (with location and address) and attributes
(our need and source) nested, as the spec's service_full example does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.directory.bundle import (
    ADDRESS_FIELDS,
    AREA_FIELDS,
    ATTRIBUTE_FIELDS,
    LANGUAGE_FIELDS,
    LOCATION_FIELDS,
    ORG_FIELDS,
    PHONE_FIELDS,
    SAL_FIELDS,
    SCHEDULE_FIELDS,
    SERVICE_FIELDS,
    TERM_FIELDS,
    Bundle,
    BundleError,
    empty_bundle,
)


def _pick(obj: dict[str, Any], fields: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    row = {name: obj.get(name) for name in fields}
    row.update({k: v for k, v in extra.items() if row.get(k) in (None, "")})
    return row


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """HSDS JSON leaves out what is unknown (its types are not nullable)."""
    return {k: v for k, v in obj.items() if v is not None and v != []}


# --------------------------------------------------------------------------- read


def services_in(document: Any) -> list[dict[str, Any]]:
    """The service objects of any HSDS JSON form we accept."""
    if isinstance(document, list):
        return [s for s in document if isinstance(s, dict)]
    if not isinstance(document, dict):
        raise BundleError("an HSDS JSON file holds a service, a list or page of services, "
                          "or an organization")
    if isinstance(document.get("contents"), list):
        return services_in(document["contents"])
    if isinstance(document.get("services"), list):  # an organization with its services
        org = {k: v for k, v in document.items() if k != "services"}
        return [{**s, "organization": s.get("organization") or org,
                 "organization_id": s.get("organization_id") or org.get("id")}
                for s in document["services"] if isinstance(s, dict)]
    if "status" in document or "service_areas" in document or "organization" in document:
        return [document]
    raise BundleError("no services found in the HSDS JSON file")


def bundle_from_json(document: Any) -> Bundle:
    """Flatten nested HSDS JSON into HSDS tables."""
    bundle = empty_bundle()
    seen: dict[tuple[str, str], dict[str, Any]] = {}

    def add(table: str, row: dict[str, Any]) -> None:
        """One row per id; the same object nested twice (a language under the service
        and under its phone) keeps the links of both."""
        key = (table, str(row.get("id")))
        if key not in seen:
            seen[key] = row
            bundle[table].append(row)
            return
        kept = seen[key]
        for name, value in row.items():
            if kept.get(name) in (None, "") and value not in (None, ""):
                kept[name] = value

    for svc in services_in(document):
        sid = svc.get("id")
        org = svc.get("organization")
        org_id = svc.get("organization_id") or (org or {}).get("id")
        if isinstance(org, dict):
            add("organizations", _pick(org, ORG_FIELDS))
        add("services", _pick(svc, SERVICE_FIELDS, organization_id=org_id))
        for phone in svc.get("phones") or []:
            add("phones", _pick(phone, PHONE_FIELDS, service_id=sid))
            for lang in phone.get("languages") or []:
                add("languages", _pick(lang, LANGUAGE_FIELDS, phone_id=phone.get("id")))
        for lang in svc.get("languages") or []:
            add("languages", _pick(lang, LANGUAGE_FIELDS, service_id=sid))
        for sched in svc.get("schedules") or []:
            add("schedules", _pick(sched, SCHEDULE_FIELDS, service_id=sid))
        for area in svc.get("service_areas") or []:
            add("service_areas", _pick(area, AREA_FIELDS, service_id=sid))
        for attr in svc.get("attributes") or []:
            add("attributes", _pick(attr, ATTRIBUTE_FIELDS, link_id=sid, link_entity="service"))
            term = attr.get("taxonomy_term")
            if isinstance(term, dict):
                add("taxonomy_terms", _pick(term, TERM_FIELDS))
        for sal in svc.get("service_at_locations") or []:
            loc = sal.get("location")
            loc_id = sal.get("location_id") or (loc or {}).get("id")
            if isinstance(loc, dict):
                add("locations", _pick(loc, LOCATION_FIELDS))
                for address in loc.get("addresses") or []:
                    add("addresses", _pick(address, ADDRESS_FIELDS, location_id=loc_id))
                for phone in loc.get("phones") or []:
                    add("phones", _pick(phone, PHONE_FIELDS, location_id=loc_id))
                for lang in loc.get("languages") or []:
                    add("languages", _pick(lang, LANGUAGE_FIELDS, location_id=loc_id))
                for sched in loc.get("schedules") or []:
                    add("schedules", _pick(sched, SCHEDULE_FIELDS, location_id=loc_id))
            add("service_at_locations", _pick(sal, SAL_FIELDS, service_id=sid,
                                              location_id=loc_id))
    return bundle


def read_json(path: Path) -> Bundle:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{path}: not a readable JSON file ({exc.__class__.__name__})") from exc
    return bundle_from_json(document)


# --------------------------------------------------------------------------- write


def _by(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    out: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.get(key), []).append(row)
    return out


def _strip(row: dict[str, Any], *drop: str) -> dict[str, Any]:
    return _clean({k: v for k, v in row.items() if k not in drop})


def services_from_bundle(bundle: Bundle) -> list[dict[str, Any]]:
    """Nested HSDS service objects (service_full shape), one per service row."""
    orgs = {o["id"]: o for o in bundle["organizations"]}
    locations = {loc["id"]: loc for loc in bundle["locations"]}
    terms = {t["id"]: t for t in bundle["taxonomy_terms"]}
    phones_by_service = _by(bundle["phones"], "service_id")
    langs_by_service = _by(bundle["languages"], "service_id")
    scheds_by_service = _by(bundle["schedules"], "service_id")
    areas_by_service = _by(bundle["service_areas"], "service_id")
    sals_by_service = _by(bundle["service_at_locations"], "service_id")
    attrs_by_service = _by(bundle["attributes"], "link_id")
    addresses_by_location = _by(bundle["addresses"], "location_id")
    langs_by_phone = _by(bundle["languages"], "phone_id")
    out = []
    for svc in bundle["services"]:
        sid = svc["id"]
        obj = _clean(dict(svc))
        org = orgs.get(svc.get("organization_id"))
        if org is not None:
            obj["organization"] = _clean(dict(org))
        obj["phones"] = [
            _clean({**_strip(p), "languages": [_strip(lang) for lang in
                                                langs_by_phone.get(p["id"], [])
                                                if not lang.get("service_id")]})
            for p in phones_by_service.get(sid, [])]
        obj["languages"] = [_strip(lang) for lang in langs_by_service.get(sid, [])]
        obj["schedules"] = [_strip(s) for s in scheds_by_service.get(sid, [])]
        obj["service_areas"] = [_strip(a) for a in areas_by_service.get(sid, [])]
        obj["attributes"] = [
            _clean({**_strip(a), "taxonomy_term": _clean(dict(terms[a["taxonomy_term_id"]]))
                    if a.get("taxonomy_term_id") in terms else None})
            for a in attrs_by_service.get(sid, [])]
        sal_objs = []
        for sal in sals_by_service.get(sid, []):
            loc = locations.get(sal.get("location_id"))
            sal_obj = _strip(sal)
            if loc is not None:
                sal_obj["location"] = _clean({
                    **_strip(loc),
                    "addresses": [_strip(a) for a in addresses_by_location.get(loc["id"], [])]})
            sal_objs.append(sal_obj)
        obj["service_at_locations"] = sal_objs
        out.append(_clean(obj))
    return out


def page(services: list[dict[str, Any]]) -> dict[str, Any]:
    """All services on one page, in the spec's paginated list shape."""
    return {"total_items": len(services), "total_pages": 1, "page_number": 1,
            "size": len(services), "first_page": True, "last_page": True,
            "empty": not services, "contents": services}


def write_json(bundle: Bundle, path: Path) -> None:
    path.write_text(json.dumps(page(services_from_bundle(bundle)), ensure_ascii=False,
                               indent=2) + "\n", encoding="utf-8")
