"""Whether a directory service may reach a texter: verified, current and active.

Why in one place: the assistant, the console's stale page and the tests must
agree on exactly one rule, and "only verified, current entries ever reach a
texter" is a safety rule (a dead number sent to someone in danger).
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from bot.store.models import DirService

ACTIVE = "active"
RETIRED = "inactive"
STATUSES = ("active", "inactive", "defunct", "temporarily closed")  # HSDS service.status


class Freshness(str, Enum):
    CURRENT = "current"
    STALE = "stale"            # verified, but longer ago than the limit
    UNVERIFIED = "unverified"  # nobody has vouched for it (no assured_date / assurer_email)


def freshness(service: DirService, today: date, max_age_days: int) -> Freshness:
    if service.assured_date is None or not service.assurer_email:
        return Freshness.UNVERIFIED
    if (today - service.assured_date).days > max_age_days:
        return Freshness.STALE
    return Freshness.CURRENT


def offerable(service: DirService, today: date, max_age_days: int) -> bool:
    """True only for an active, verified service checked within max_age_days."""
    return service.status == ACTIVE and \
        freshness(service, today, max_age_days) is Freshness.CURRENT
