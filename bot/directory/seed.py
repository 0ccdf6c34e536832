"""The shipped directory: national entries only (data/directory/national.json).

Why only national: a local number nobody has confirmed must never reach a
texter, so local entries are added by staff (console or import), not shipped.
The seed services are unverified until staff verify them (HSDS assured_date /
assurer_email), so the assistant keeps its national fallback text until then.
Ids are uuid5 of the content resource id, so migration 0013 can map referral
cases that named a resource (receiving_org "national_hotline") to its organisation.
"""

from __future__ import annotations

import uuid
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parents[2] / "data" / "directory" / "national.json"
_NS = uuid.UUID("3f0f7d44-2b1e-4f7b-8d3c-6c1b0e9a5d10")
# data/content/resources.yml ids of the shipped national entries.
NATIONAL_IDS = ("national_hotline", "emergency_911", "ncmec", "dol_whd", "eeoc", "lifeline_988",
                "fbi_tips", "dhs_hsi", "dv_hotline", "childhelp", "immigration_legal")


def seed_id(kind: str, resource_id: str) -> str:
    """The stable HSDS id of a seed row ("organization", "national_hotline")."""
    return str(uuid.uuid5(_NS, f"{kind}:{resource_id}"))


def seed_org(resource_id: str) -> str:
    """The directory organization id of a shipped national entry."""
    return seed_id("organization", resource_id)


# What each shipped entry is for, and the languages its own text says it serves.
NEED_OF: dict[str, str] = {
    "national_hotline": "victim_services", "emergency_911": "law_enforcement",
    "ncmec": "minors", "dol_whd": "labor", "eeoc": "labor", "lifeline_988": "health",
    "fbi_tips": "law_enforcement", "dhs_hsi": "law_enforcement",
    "dv_hotline": "victim_services", "childhelp": "minors", "immigration_legal": "legal",
}
LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    "national_hotline": ("en", "es"), "lifeline_988": ("en", "es"), "dv_hotline": ("en", "es")}
PHONE_TYPE = {"call": "voice", "text": "text", "tty": "textphone"}
SEED_MODIFIED = "2026-12-02T00:00:00Z"


def national_document() -> dict:  # type: ignore[type-arg]
    """The seed as HSDS JSON, built from data/content/resources.yml (unverified).

    `python -m bot.directory.seed` writes it to data/directory/national.json; a test
    checks the shipped file matches, so a number changed in resources.yml is not
    forgotten here (existing databases: `hotline directory import` that file).
    """
    from bot.content.loader import load_content
    from bot.directory import taxonomy
    from bot.directory.bundle import (
        SERVICE_TYPE_LINK,
        SOURCE_LINK,
        SOURCE_TERM,
        _attribute_id,
        empty_bundle,
        term_row,
    )
    from bot.directory.hsds_json import page, services_from_bundle

    content = load_content()
    b = empty_bundle()
    for rid in NATIONAL_IDS:
        r = content.resources[rid]
        org, svc = seed_id("organization", rid), seed_id("service", rid)
        b["organizations"].append({"id": org, "name": r.name["en"],
                                   "alternate_name": r.name["es"], "description": r.use["en"]})
        web = r.contact.get("web")
        b["services"].append({"id": svc, "organization_id": org, "name": r.name["en"],
                              "alternate_name": r.name["es"], "description": r.use["en"],
                              "url": f"https://{web}" if web else None, "status": "active",
                              "last_modified": SEED_MODIFIED})
        for kind in ("call", "text", "tty"):
            if r.contact.get(kind):
                b["phones"].append({"id": seed_id(f"phone:{kind}", rid), "service_id": svc,
                                    "number": str(r.contact[kind]), "type": PHONE_TYPE[kind]})
        for code in LANGUAGES_OF.get(rid, ()):
            b["languages"].append({"id": seed_id(f"language:{code}", rid), "service_id": svc,
                                   "code": code, "name": {"en": "English", "es": "Spanish"}[code]})
        if r.hours == "24/7":
            b["schedules"].append({"id": seed_id("schedule", rid), "service_id": svc,
                                   "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU",
                                   "opens_at": "00:00", "closes_at": "23:59",
                                   "description": "24/7"})
        b["service_areas"].append({"id": seed_id("area", rid), "service_id": svc,
                                   "name": "United States", "extent": "national=US",
                                   "extent_type": "hotline_area"})
        need = taxonomy.Need(NEED_OF[rid])
        b["attributes"] += [
            {"id": _attribute_id(svc, SERVICE_TYPE_LINK), "link_id": svc,
             "taxonomy_term_id": taxonomy.term_id(need), "link_type": SERVICE_TYPE_LINK,
             "link_entity": "service", "value": need.value},
            {"id": _attribute_id(svc, SOURCE_LINK), "link_id": svc,
             "taxonomy_term_id": SOURCE_TERM["id"], "link_type": SOURCE_LINK,
             "link_entity": "service",
             "value": f"{r.source} (data/content/resources.yml id {rid}; not yet verified)"}]
    b["taxonomy_terms"] = [term_row(n) for n in taxonomy.Need] + [SOURCE_TERM]
    return page(services_from_bundle(b))


if __name__ == "__main__":
    import json

    SEED_FILE.write_text(json.dumps(national_document(), ensure_ascii=False, indent=2),
                         encoding="utf-8")
