"""Find services for a need and a place: what the assistant and advocates search.

A place is what the texter gave: a state, a ZIP (its prefix matches ZIP areas),
a city (matched against the city areas staff entered) or a county named with
the word county / condado. Texter look-ups (`offer`) only ever return active,
verified, current services (bot/directory/status.py); advocate searches may
also see the rest, marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.loader import Content, contains_phrase, normalize
from bot.directory.areas import SPECIFICITY, AreaKind, place_key
from bot.directory.status import offerable
from bot.directory.taxonomy import Need
from bot.store.models import DirLanguage, DirSchedule, DirService, DirServiceArea

_ZIP = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Place:
    """Where the texter is, as far as we know. `text`: their words, for county names."""

    state: str | None = None
    zip: str | None = None
    city: str | None = None
    text: str = ""

    @property
    def known(self) -> bool:
        return bool(self.state or self.zip or self.city)


def place_from_text(session: Session, content: Content, text: str,
                    state_hint: str | None = None) -> Place:
    """Read a place from a message: ZIP, a city staff listed, a state name or code."""
    zip_match = _ZIP.search(text or "")
    zip_code = zip_match.group(1) if zip_match else None
    norm = normalize(text or "")
    city_state, city = None, None
    values = session.scalars(select(DirServiceArea.value)
                             .where(DirServiceArea.kind == AreaKind.CITY.value).distinct())
    for value in sorted({v for v in values if v}, key=len, reverse=True):
        st, _, name = value.partition("/")
        if contains_phrase(norm, normalize(name)):
            city_state, city = st, name
            break
    state = None
    if zip_code:
        found = content.state_for_zip(zip_code)
        state = found.code if found else None
    if state is None and city_state:
        state = city_state
    if state is None and text:
        found = content.lookup_state(text)
        state = found.code if found else None
    return Place(state=state or state_hint, zip=zip_code, city=city, text=norm)


def _area_score(area: DirServiceArea, place: Place) -> int:
    """How specifically an area covers the place (0: not at all)."""
    try:
        kind = AreaKind(area.kind or "")
    except ValueError:
        return 0
    value = area.value or ""
    if kind is AreaKind.NATIONAL:
        return SPECIFICITY[kind]
    if kind is AreaKind.STATE:
        return SPECIFICITY[kind] if place.state and value == place.state else 0
    if kind is AreaKind.ZIP:
        return SPECIFICITY[kind] + len(value) if place.zip and place.zip.startswith(value) else 0
    state, _, name = value.partition("/")
    if place.state and state != place.state:
        return 0
    if kind is AreaKind.CITY:
        ok = place.city is not None and place_key(value) == place_key(f"{state}/{place.city}")
        return SPECIFICITY[kind] if ok else 0
    county = normalize(name.removesuffix(" County").removesuffix(" county"))
    named = any(contains_phrase(place.text, f"{county} {w}") or
                contains_phrase(place.text, f"{w} de {county}") or
                contains_phrase(place.text, f"{w} {county}")
                for w in ("county", "condado"))
    return SPECIFICITY[AreaKind.COUNTY] if named else 0


@dataclass(frozen=True)
class Match:
    service: DirService
    score: int          # the most specific area that covers the place
    speaks: bool        # offers the texter's language

    @property
    def local(self) -> bool:
        return self.score > SPECIFICITY[AreaKind.NATIONAL]


def search(session: Session, *, need: Need | None, place: Place, lang: str | None = None,
           today: date, max_age_days: int, only_offerable: bool = True,
           open_at: datetime | None = None, text: str = "",
           local_timezone: str = "UTC") -> list[Match]:
    """Services covering the place (any place when none is known), best first.

    Best = most specific area, then the texter's language, then most recently
    verified. `only_offerable` (texters) keeps only active, verified, current ones.
    `open_at` keeps services whose schedule says they are open then (hours
    without an HSDS timezone offset are read in `local_timezone`, the hotline's
    HOTLINE_TIMEZONE). `text` filters by words in the name or description.
    """
    query = select(DirService).order_by(DirService.name)
    if need is not None:
        query = query.where(DirService.service_type == need.value)
    services = list(session.scalars(query))
    if only_offerable:
        services = [s for s in services if offerable(s, today, max_age_days)]
    words = normalize(text)
    if words:
        services = [s for s in services
                    if contains_phrase(normalize(f"{s.name} {s.alternate_name or ''} "
                                                 f"{s.description or ''}"), words)]
    if not services:
        return []
    ids = [s.id for s in services]
    areas: dict[str, list[DirServiceArea]] = {}
    for area in session.scalars(select(DirServiceArea).where(DirServiceArea.service_id.in_(ids))):
        areas.setdefault(area.service_id, []).append(area)
    speaking: set[str] = set()
    if lang:
        speaking = set(session.scalars(select(DirLanguage.service_id).where(
            DirLanguage.service_id.in_(ids), DirLanguage.code == lang)))
    schedules: dict[str, list[DirSchedule]] = {}
    if open_at is not None:
        for sched in session.scalars(select(DirSchedule)
                                     .where(DirSchedule.service_id.in_(ids))):
            schedules.setdefault(sched.service_id, []).append(sched)
    matches = []
    for s in services:
        score = max((_area_score(a, place) for a in areas.get(s.id, [])), default=0) \
            if place.known else 1
        if score == 0:
            continue
        if open_at is not None and not is_open(schedules.get(s.id, []), open_at,
                                               local_timezone):
            continue
        matches.append(Match(s, score, s.id in speaking))
    matches.sort(key=lambda m: (-m.score, not m.speaks,
                                -(m.service.assured_date or date.min).toordinal()))
    return matches


def is_open(schedules: list[DirSchedule], at: datetime, local_timezone: str = "UTC") -> bool:
    """True when a weekly schedule says the service is open at that moment.

    `timezone` is HSDS's hours-from-UTC; without one the hours are local time in
    `local_timezone` (an IANA name, daylight saving included). A closing time
    before the opening time runs past midnight.
    """
    for sched in schedules:
        if (sched.freq or "WEEKLY").upper() != "WEEKLY" or not sched.opens_at \
                or not sched.closes_at:
            continue
        zone = timezone(timedelta(hours=sched.timezone)) if sched.timezone is not None \
            else ZoneInfo(local_timezone)
        local = at.astimezone(zone)
        if sched.valid_from and local.date() < sched.valid_from:
            continue
        if sched.valid_to and local.date() > sched.valid_to:
            continue
        days = {d.strip().upper()[-2:] for d in (sched.byday or ",".join(_DAYS)).split(",")}
        now = local.strftime("%H:%M")
        opens, closes = sched.opens_at[:5], sched.closes_at[:5]
        today = _DAYS[local.weekday()]
        yesterday = _DAYS[(local.weekday() - 1) % 7]
        if opens <= closes:
            if today in days and opens <= now <= closes:
                return True
        elif (today in days and now >= opens) or (yesterday in days and now <= closes):
            return True
    return False
