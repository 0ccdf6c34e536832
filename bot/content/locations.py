"""Which US state or territory a map point is in, from data/content/state_locations.yml.

Why a table and not a GIS library: the hotline must run offline on a small
machine, and the answer only has to be good enough to look up the right state's
resources; the reply names the state, so a texter near a border can correct it.
The shapes live in content, not code, so they are reviewed like any other content.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.loader import DEFAULT_ROOT, ContentError

FILE_NAME = "state_locations.yml"
BOX_MARGIN = 0.05  # degrees (~5 km): coastlines and river borders are not straight
FOREIGN_RADIUS = 0.5  # a foreign city wins only when it is this close (degrees)

Point = tuple[str, float, float]  # (code, lat, lon); code "" for a city outside the US


@dataclass(frozen=True)
class StateBox:
    code: str
    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float
    centroid_lat: float
    centroid_lon: float

    def contains(self, lat: float, lon: float, margin: float = BOX_MARGIN) -> bool:
        return (self.lat_min - margin <= lat <= self.lat_max + margin
                and self.lon_min - margin <= lon <= self.lon_max + margin)


@dataclass(frozen=True)
class StateLocations:
    boxes: tuple[StateBox, ...]
    cities: tuple[Point, ...]
    foreign: tuple[Point, ...]

    def state_at(self, lat: float, lon: float) -> str | None:
        """The 2-letter code of the US state/territory at (lat, lon), or None if none fits."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        codes = {box.code for box in self.boxes if box.contains(lat, lon)}
        if not codes:
            return None
        points: list[Point] = [(box.code, box.centroid_lat, box.centroid_lon)
                               for box in self.boxes if box.code in codes]
        points += [city for city in self.cities if city[0] in codes]
        best = min(points, key=lambda p: _distance(lat, lon, p[1], p[2]))
        near = [_distance(lat, lon, c[1], c[2]) for c in self.foreign]
        near = [d for d in near if d < FOREIGN_RADIUS ** 2]
        if near and min(near) < _distance(lat, lon, best[1], best[2]):
            return None
        return best[0]


def _distance(lat: float, lon: float, plat: float, plon: float) -> float:
    """Squared equirectangular distance in degrees of latitude (fine at city scale)."""
    dlon = (lon - plon) * math.cos(math.radians((lat + plat) / 2))
    return (lat - plat) ** 2 + dlon ** 2


@functools.lru_cache(maxsize=4)
def load_locations(root: Path = DEFAULT_ROOT) -> StateLocations:
    """Read and check the table once per process (it changes only with a deploy)."""
    path = Path(root) / FILE_NAME
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{FILE_NAME}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{FILE_NAME}: must be a mapping")
    boxes = tuple(_box(entry, i) for i, entry in enumerate(_list(data, "states")))
    known = {box.code for box in boxes}
    if len(known) != len(boxes):
        raise ContentError(f"{FILE_NAME}: a state is listed twice")
    cities = []
    for i, entry in enumerate(_list(data, "cities")):
        where = f"{FILE_NAME} city #{i + 1}"
        if not (isinstance(entry, list) and len(entry) == 3):
            raise ContentError(f"{where}: must be [code, lat, lon]")
        code = _code(entry[0], where)
        if code not in known:
            raise ContentError(f"{where}: {code!r} has no entry under states")
        cities.append((code, *_lat_lon(entry[1:], where)))
    foreign = []
    for i, entry in enumerate(_list(data, "foreign_cities")):
        where = f"{FILE_NAME} foreign city #{i + 1}"
        foreign.append(("", *_lat_lon(entry, where)))
    return StateLocations(boxes, tuple(cities), tuple(foreign))


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise ContentError(f"{FILE_NAME}: '{key}' must be a non-empty list")
    return value


def _code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
        raise ContentError(f"{where}: the code must be two capital letters")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):
        raise ContentError(f"{where}: {value!r} is not a number")
    return float(value)


def _pair(value: Any, where: str) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2):
        raise ContentError(f"{where}: must be a pair of numbers")
    return _number(value[0], where), _number(value[1], where)


def _lat_lon(value: Any, where: str) -> tuple[float, float]:
    lat, lon = _pair(value, where)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ContentError(f"{where}: ({lat}, {lon}) is not a place on Earth")
    return lat, lon


def _box(entry: Any, i: int) -> StateBox:
    where = f"{FILE_NAME} state #{i + 1}"
    if not isinstance(entry, dict):
        raise ContentError(f"{where}: must be a mapping")
    code = _code(entry.get("code"), where)
    lat = _pair(entry.get("lat"), f"{where} lat")
    lon = _pair(entry.get("lon"), f"{where} lon")
    centroid = _lat_lon(entry.get("centroid"), f"{where} centroid")
    if lat[0] > lat[1] or lon[0] > lon[1]:
        raise ContentError(f"{where}: give each range as [min, max]")
    return StateBox(code, *lat, *lon, *centroid)


def state_for_location(lat: float, lon: float) -> str | None:
    """The state at (lat, lon) by the shipped table; see `StateLocations.state_at`."""
    return load_locations().state_at(lat, lon)
