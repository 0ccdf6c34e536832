"""Receiving organisation type for reports: a coarse class, never the organisation."""

from __future__ import annotations

from functools import lru_cache

from bot.content.loader import load_content


@lru_cache(maxsize=1)
def _types() -> dict[str, str]:
    content = load_content()
    types = {r: "national" for r in content.resources}
    types.update({r.id: "state" for s in content.states for r in s.resources})
    return types


def organisation_type(resource_id: str | None) -> str:
    """"national", "state" or "none" (no receiving organisation yet)."""
    if not resource_id:
        return "none"
    return _types().get(resource_id, "other")
