"""Where a caller is, from a postal code or a community name, finest source first, all offline:

1. the administrator's table of full postal codes (or of community names);
2. the directory's own locations: a full postal code (or a city) used by locations with
   coordinates is at their centre;
3. the communities of Nunavut, bundled (the organisation's region);
4. Canadian forward sortation areas (pypostalcode) and US ZIP codes (zipcodes).

Only the first three are precise: a forward sortation area (the first three characters) may cover
hundreds of kilometres in the North (X0A is all of outer Nunavut), so a distance from its point is
said to be approximate."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.exc import OperationalError

from kernel.toolkit import OnePass, db, fold
from plugins.directory.models import Site, communities, postal_codes

EARTH_RADIUS_KM = 6371.0
_CANADIAN = re.compile(r"^[A-Z]\d[A-Z](\d[A-Z]\d)?$")
_ZIP = re.compile(r"^\d{5}(\d{4})?$")


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    approximate: bool = False  # only the point of a postal code's area is known


# The communities of Nunavut (latitude, longitude), where the organisation works.
NUNAVUT_COMMUNITIES = {
    "Iqaluit": (63.7467, -68.5170), "Rankin Inlet": (62.8084, -92.0853), "Arviat": (61.1078, -94.0583),
    "Baker Lake": (64.3176, -96.0220), "Cambridge Bay": (69.1169, -105.0597), "Igloolik": (69.3762, -81.7997),
    "Pond Inlet": (72.6994, -77.9590), "Pangnirtung": (66.1466, -65.7012), "Kugluktuk": (67.8264, -115.0931),
    "Kinngait": (64.2300, -76.5400), "Cape Dorset": (64.2300, -76.5400), "Gjoa Haven": (68.6258, -95.8779),
    "Clyde River": (70.4741, -68.5862), "Taloyoak": (69.5370, -93.5300), "Chesterfield Inlet": (63.3389, -90.7119),
    "Coral Harbour": (64.1364, -83.1639), "Naujaat": (66.5219, -86.2353), "Whale Cove": (62.1722, -92.5778),
    "Hall Beach": (68.7747, -81.2219), "Sanirajak": (68.7747, -81.2219), "Kimmirut": (62.8475, -69.8694),
    "Qikiqtarjuaq": (67.5558, -64.0300), "Arctic Bay": (73.0364, -85.1528), "Resolute": (74.6969, -94.8297),
    "Grise Fiord": (76.4181, -82.8939), "Sanikiluaq": (56.5436, -79.2247), "Kugaaruk": (68.5336, -89.8250),
}
_BUNDLED_COMMUNITIES = {fold(name): point for name, point in NUNAVUT_COMMUNITIES.items()}


def normalise_postal_code(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


def looks_like_postal_code(value: str) -> bool:
    code = normalise_postal_code(value)
    return bool(_CANADIAN.match(code) or _ZIP.match(code))


def find_place(value: str) -> Place | None:
    """Where a postal code or a community is, or None when it is unknown."""
    reads = OnePass()
    add_place_reads(reads, value)
    return place_found(reads.run(), value)


def add_place_reads(reads: OnePass, value: str) -> None:
    """Add the reads that place a postal code to another statement's (``place_found`` then reads
    them): a search sends them with its other first reads."""
    if looks_like_postal_code(value):
        code = normalise_postal_code(value)
        if len(code) > 3:
            reads.rows("place:exact", _prepared_table_point("exact_code"), {"exact_code": code})
            reads.rows("place:directory", _prepared_directory_point(), {"spellings": _spellings(code)})
        area = code[:5] if _ZIP.match(code) else code[:3]
        reads.rows("place:area", _prepared_table_point("area_code"), {"area_code": area})


def place_found(found: dict, value: str) -> Place | None:
    """``find_place(value)`` from what ``add_place_reads`` read; a community is looked up here."""
    if looks_like_postal_code(value):
        return _postal_code_place(normalise_postal_code(value), found)
    return _community(value)


def locate(value: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a postal code or a community, or None when it is unknown."""
    place = find_place(value)
    return (place.latitude, place.longitude) if place else None


def _postal_code_place(code: str, found: dict) -> Place | None:
    """The finest place known for a postal code: the administrator's table, then the directory's
    own places, then its area (the table, then the packages). The database's three are read in
    one statement: a search near a postal code made three round trips before its own."""
    for key in ("place:exact", "place:directory"):
        rows = found.get(key)
        if rows and rows[0].latitude is not None:
            return Place(float(rows[0].latitude), float(rows[0].longitude))
    area = found["place:area"]
    point = (float(area[0].latitude), float(area[0].longitude)) if area else _from_packages(code)
    if point is None:
        return None
    return Place(*point, approximate=not _ZIP.match(code))  # a ZIP code's own centre is precise enough


def _table_point(code):
    return (select(postal_codes.c.latitude.label("latitude"), postal_codes.c.longitude.label("longitude"))
            .where(postal_codes.c.code == code).limit(1))


@cache  # built once with a named parameter, so that a search's first reads are one prepared pass
def _prepared_table_point(parameter: str):
    return _table_point(bindparam(parameter))


@cache
def _prepared_directory_point():
    return _directory_point_query(Site.postal_code.in_(bindparam("spellings", expanding=True)))


def _spellings(code: str) -> list[str]:
    """How a postal code may be written in the directory (its column is indexed as written)."""
    spaced = f"{code[:3]} {code[3:]}" if _CANADIAN.match(code) else code
    return list(dict.fromkeys((code, spaced, code.lower(), spaced.lower())))


def _directory_point_query(condition):
    return select(func.avg(Site.latitude).label("latitude"), func.avg(Site.longitude).label("longitude")).where(
        condition, Site.latitude.is_not(None), Site.longitude.is_not(None), Site.deleted_at.is_(None))


def _directory_point(condition) -> Place | None:
    row = db.session.execute(_directory_point_query(condition)).first()
    if row is None or row.latitude is None:
        return None
    return Place(float(row.latitude), float(row.longitude))


def _community(value: str) -> Place | None:
    name = " ".join(fold(value).split())
    if not name:
        return None
    row = db.session.execute(select(communities.c.latitude, communities.c.longitude)
                             .where(communities.c.folded_name == name)).first()
    if row:
        return Place(float(row.latitude), float(row.longitude))
    if name in _BUNDLED_COMMUNITIES:
        return Place(*_BUNDLED_COMMUNITIES[name])
    return _directory_point(func.lower(Site.city) == name)


@lru_cache(maxsize=4096)
def _from_packages(code: str):
    if _CANADIAN.match(code):
        return _canadian(code[:3])
    if _ZIP.match(code):
        return _american(code[:5])
    return None


@lru_cache(maxsize=1)
def _canadian_database():
    from pypostalcode import PostalCodeDatabase

    return PostalCodeDatabase()


def _canadian(area: str):
    try:
        place = _canadian_database()[area]
    except (KeyError, IndexError, ValueError):
        return None
    return float(place.latitude), float(place.longitude)


def _american(zip_code: str):
    import zipcodes

    try:
        found = zipcodes.matching(zip_code)
    except (TypeError, ValueError):
        return None
    if not found:
        return None
    return float(found[0]["lat"]), float(found[0]["long"])


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearness(latitude_column, longitude_column, latitude, longitude, cos_latitude=None):
    """SQL for the haversine term of the distance to a point (0 here, 1 at the antipode): it grows
    with the distance, so the database orders and limits by it; ``distance_km`` names the few shown.
    ``latitude`` and ``longitude``: numbers, or named parameters, and then ``cos_latitude`` too
    (the cosine of the latitude, which the statement takes as a value)."""
    half_dlat = (latitude_column - latitude) * (math.pi / 360)
    half_dlon = (longitude_column - longitude) * (math.pi / 360)
    cos_origin = math.cos(math.radians(latitude)) if cos_latitude is None else cos_latitude
    if not has_trigonometry():  # flat-earth approximation, close within a few hundred kilometres
        return half_dlat * half_dlat + half_dlon * half_dlon * (cos_origin * cos_origin)
    return (func.sin(half_dlat) * func.sin(half_dlat)
            + cos_origin * func.cos(latitude_column * (math.pi / 180)) * func.sin(half_dlon) * func.sin(half_dlon))


def nearness_limit(radius_km: float) -> float:
    """The ``nearness`` of a point ``radius_km`` away."""
    return math.sin(min(radius_km / EARTH_RADIUS_KM, math.pi) / 2) ** 2


def has_trigonometry() -> bool:
    """PostgreSQL has sin and cos; SQLite has them when built with its math functions (≥ 3.35)."""
    if not db.is_sqlite:
        return True
    return _sqlite_trigonometry(str(db.engine.url))


@lru_cache(maxsize=8)
def _sqlite_trigonometry(_url: str) -> bool:
    try:
        db.session.execute(select(func.sin(0.0))).scalar()
    except OperationalError:
        return False
    return True


# Grid cells, at levels each twice as coarse as the one before (degrees of latitude and longitude):
# a service's search row holds the cells of all its places at every level, in an index, and a
# search near a point asks for the services with a place in the cells that cover its box, at the
# finest level that needs few of them (plugins.directory.search._keyword_places_in_circle).
CELL_SIZES = tuple(0.0625 * 2 ** level for level in range(9))  # 0.0625° (about 7 km) to 16°
MOST_CELLS = 12  # beyond a dozen, asking the index for each cell costs more than it saves


def place_cells(points) -> list[int]:
    """The cells of some points (latitude, longitude) at every level, each once."""
    return sorted({_cell_number(level, *_cell_of(size, latitude, longitude))
                   for latitude, longitude in points for level, size in enumerate(CELL_SIZES)})


def cells_covering(low_lat: float, high_lat: float, low_lon: float, high_lon: float) -> list[int] | None:
    """The cells that cover a box, at the finest level where they are at most ``MOST_CELLS``;
    None when no level covers it with so few (a circle of thousands of kilometres)."""
    for level, size in enumerate(CELL_SIZES):
        low_row, low_column = _cell_of(size, low_lat, low_lon)
        high_row, high_column = _cell_of(size, high_lat, high_lon)
        if (high_row - low_row + 1) * (high_column - low_column + 1) <= MOST_CELLS:
            return [_cell_number(level, row, column) for row in range(low_row, high_row + 1)
                    for column in range(low_column, high_column + 1)]
    return None


def _cell_of(size: float, latitude: float, longitude: float) -> tuple[int, int]:
    latitude, longitude = min(max(latitude, -90.0), 90.0), min(max(longitude, -180.0), 180.0)
    return math.floor((latitude + 90) / size), math.floor((longitude + 180) / size)


def _cell_number(level: int, row: int, column: int) -> int:
    """One integer per cell: at the finest level, rows and columns stay below 10,000."""
    return level * 100_000_000 + row * 10_000 + column


def bounding_box(latitude: float, longitude: float, radius_km: float):
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle, for an indexed prefilter.

    The circle is widest in longitude north (or south) of its centre, where a degree of longitude
    is shorter: asin(sin(r) / cos(latitude)), not r / cos(latitude), which left out the places near
    the east and west edges of a wide circle (699 km away at a radius of 700 km). A circle around
    a pole spans every longitude."""
    angle = min(radius_km / EARTH_RADIUS_KM, math.pi)
    dlat = math.degrees(angle)
    if abs(latitude) + dlat >= 90 or angle >= math.pi / 2:
        return latitude - dlat, latitude + dlat, -180.0, 180.0
    dlon = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(latitude)))))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def load_postal_code_csv(content: str) -> tuple[int, list[str]]:
    """Replace the administrator's places with a CSV of postal_code (or community), latitude and
    longitude: a file of postal codes replaces the postal codes, one of communities the communities.

    Returns (rows loaded, errors); nothing is loaded when there is an error."""
    codes, names, errors = {}, {}, []
    for number, row in enumerate(csv.DictReader(io.StringIO(content)), start=2):
        code = normalise_postal_code(row.get("postal_code") or row.get("code") or "")
        community = " ".join((row.get("community") or "").split())
        point = _point(row)
        if point is None or not (code or community) or len(community) > 255 or len(code) > 10:
            errors.append(f"{number}: {code or community or '?'}")
        elif code:
            codes[code] = {"code": code, "latitude": point[0], "longitude": point[1]}
        else:
            names[fold(community)] = {"folded_name": fold(community), "name": community,
                                      "latitude": point[0], "longitude": point[1]}
    if errors or not (codes or names):
        return 0, errors
    for table, rows in ((postal_codes, codes), (communities, names)):
        if rows:
            db.session.execute(delete(table))
            db.session.execute(insert(table), list(rows.values()))
    return len(codes) + len(names), []


def _point(row) -> tuple[float, float] | None:
    try:
        latitude, longitude = float(row.get("latitude") or ""), float(row.get("longitude") or "")
    except ValueError:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude
