"""Service areas: national, state, county, city or ZIP prefix, and how HSDS holds them.

HSDS service_area has free `extent` / `extent_type`; ours are written with
extent_type "hotline_area" and extent "state=TX", "county=TX/Harris",
"city=TX/Houston", "zip=770" or "national=US", so another HSDS reader sees a
readable name and we read our own back exactly.
"""

from __future__ import annotations

import re
from enum import Enum

from bot.content.loader import normalize

EXTENT_TYPE = "hotline_area"


class AreaKind(str, Enum):
    NATIONAL = "national"
    STATE = "state"
    COUNTY = "county"
    CITY = "city"
    ZIP = "zip"


# Most specific first: a ZIP-level listing beats a state-wide one.
SPECIFICITY: dict[AreaKind, int] = {AreaKind.ZIP: 5, AreaKind.CITY: 4, AreaKind.COUNTY: 3,
                                    AreaKind.STATE: 2, AreaKind.NATIONAL: 1}


class AreaError(ValueError):
    """A service area that cannot be understood."""


def normal_value(kind: AreaKind, value: str) -> str:
    """The stored form: state codes upper-case, county/city "TX/Houston", ZIP digits."""
    value = value.strip()
    if kind is AreaKind.NATIONAL:
        return "US"
    if kind is AreaKind.STATE:
        if not re.fullmatch(r"[A-Za-z]{2}", value):
            raise AreaError("a state area is a two-letter code (TX)")
        return value.upper()
    if kind is AreaKind.ZIP:
        if not re.fullmatch(r"\d{3,5}", value):
            raise AreaError("a ZIP area is a 3- to 5-digit ZIP prefix (770 or 77002)")
        return value
    state, sep, place = value.partition("/")
    if not sep or not re.fullmatch(r"[A-Za-z]{2}", state.strip()) or not place.strip():
        raise AreaError(f"a {kind.value} area is written ST/Name (TX/Houston)")
    return f"{state.strip().upper()}/{' '.join(place.split())}"


def extent(kind: AreaKind, value: str) -> str:
    return f"{kind.value}={normal_value(kind, value)}"


def display_name(kind: AreaKind, value: str) -> str:
    if kind is AreaKind.NATIONAL:
        return "United States"
    if kind is AreaKind.ZIP:
        return f"ZIP {value}"
    if kind in (AreaKind.COUNTY, AreaKind.CITY):
        state, _, place = value.partition("/")
        suffix = " County" if kind is AreaKind.COUNTY and "county" not in place.lower() else ""
        return f"{place}{suffix}, {state}"
    return value


def parse_extent(extent_type: str | None, text: str | None) -> tuple[str | None, str | None]:
    """(kind, value) of one of our extents; (None, None) for anyone else's."""
    if extent_type != EXTENT_TYPE or not text or "=" not in text:
        return None, None
    kind_text, _, value = text.partition("=")
    try:
        kind = AreaKind(kind_text.strip())
        return kind.value, normal_value(kind, value)
    except (ValueError, AreaError):
        return None, None


def place_key(value: str) -> str:
    """County/city values compared without case or accents ("TX/houston" == "TX/Houston")."""
    state, _, place = value.partition("/")
    return f"{state.upper()}/{normalize(place)}"
