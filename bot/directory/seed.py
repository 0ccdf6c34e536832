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
