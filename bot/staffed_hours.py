"""Staffed hours: when advocates are expected to be on shift.

Written like "mon-fri 09:00-17:00, sat 10:00-14:00" in the hotline's time zone
(HOTLINE_ADVOCATE_HOURS, HOTLINE_TIMEZONE). Empty means always staffed: a
request then waits HOTLINE_HANDOFF_UNCLAIMED_MINUTES before the texter is told
nobody is free. Outside staffed hours the texter is told at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))?\s+"
                    r"(?P<t1>\d{1,2}:\d{2})-(?P<t2>\d{1,2}:\d{2})$")


@dataclass(frozen=True)
class Shift:
    days: frozenset[int]
    start: time
    end: time


def _time(text: str) -> time:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


def parse_hours(spec: str) -> tuple[Shift, ...]:
    """Parse the setting; raises ValueError with the offending part."""
    shifts = []
    for part in filter(None, (p.strip().lower() for p in spec.split(","))):
        match = _RANGE.match(part)
        if not match or match["d1"] not in DAYS or (match["d2"] and match["d2"] not in DAYS):
            raise ValueError(f"HOTLINE_ADVOCATE_HOURS: can't read {part!r} "
                             "(expected e.g. 'mon-fri 09:00-17:00')")
        first = DAYS.index(match["d1"])
        last = DAYS.index(match["d2"] or match["d1"])
        days = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        start, end = _time(match["t1"]), _time(match["t2"])
        if end <= start:
            raise ValueError(f"HOTLINE_ADVOCATE_HOURS: {part!r} ends before it starts")
        shifts.append(Shift(frozenset(days), start, end))
    return tuple(shifts)


def is_staffed(shifts: tuple[Shift, ...], now: datetime, timezone: str) -> bool:
    """True when `now` falls in a shift (no shifts configured: always staffed)."""
    if not shifts:
        return True
    local = now.astimezone(ZoneInfo(timezone))
    return any(local.weekday() in s.days and s.start <= local.time() < s.end for s in shifts)
