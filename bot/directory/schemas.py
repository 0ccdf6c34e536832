"""The HSDS 3.0 JSON schemas we validate against, vendored in data/hsds/schema/.

Vendored (CC BY-SA 4.0, Open Referral; data/hsds/SOURCE.txt) so validation
needs no network and no checkout beside ours.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "hsds" / "schema"

# Bundle table -> the schema file describing one of its rows.
TABLE_SCHEMA: dict[str, str] = {
    "organizations": "organization.json", "services": "service.json",
    "locations": "location.json", "addresses": "address.json",
    "service_at_locations": "service_at_location.json", "phones": "phone.json",
    "languages": "language.json", "schedules": "schedule.json",
    "service_areas": "service_area.json", "attributes": "attribute.json",
    "taxonomy_terms": "taxonomy_term.json",
}


@functools.lru_cache(maxsize=32)
def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def columns_of(name: str) -> list[str]:
    """The scalar properties of a schema: its columns in the tabular form."""
    props = load_schema(name)["properties"]
    return [k for k, v in props.items() if v.get("type") not in ("array", "object")
            and "$ref" not in v]


def required_of(name: str) -> list[str]:
    return list(load_schema(name).get("required", []))
