"""Receiving organisation type for reports: a coarse class, never the organisation.

From the resource directory (bot/directory/): an organisation with a service
covering the whole country is "national", any other "local".
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import DirOrganization, DirService, DirServiceArea

TYPES = ("national", "local", "none")


def organisation_types(session: Session) -> dict[str, str]:
    """Directory organization id -> "national" or "local"."""
    national = set(session.scalars(
        select(DirService.organization_id)
        .join(DirServiceArea, DirServiceArea.service_id == DirService.id)
        .where(DirServiceArea.kind == "national")))
    return {org_id: "national" if org_id in national else "local"
            for org_id in session.scalars(select(DirOrganization.id))}


def organisation_type(types: dict[str, str], org_id: str | None) -> str:
    """"national", "local" or "none" (no receiving organisation yet)."""
    if not org_id:
        return "none"
    return types.get(org_id, "local")
