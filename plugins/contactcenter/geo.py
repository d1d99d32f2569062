"""Where a postal code is: the administrator's table first, then Canadian forward sortation
areas (pypostalcode) and US ZIP codes (zipcodes), both offline."""

from __future__ import annotations

import csv
import io
import math
import re
from functools import lru_cache

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import OperationalError

from kernel.db import db
from plugins.contactcenter.models import postal_codes

EARTH_RADIUS_KM = 6371.0
_CANADIAN = re.compile(r"^[A-Z]\d[A-Z](\d[A-Z]\d)?$")
_ZIP = re.compile(r"^\d{5}(\d{4})?$")


def normalise_postal_code(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


def locate(value: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a postal code, or None when it is unknown."""
    code = normalise_postal_code(value)
    if not code:
        return None
    return _from_table(code) or _from_packages(code)


def _from_table(code: str):
    for candidate in dict.fromkeys((code, code[:3])):
        row = db.session.execute(
            select(postal_codes.c.latitude, postal_codes.c.longitude).where(postal_codes.c.code == candidate)
        ).first()
        if row:
            return float(row.latitude), float(row.longitude)
    return None


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


def nearness(latitude_column, longitude_column, latitude: float, longitude: float):
    """SQL for the haversine term of the distance to a point (0 here, 1 at the antipode): it grows
    with the distance, so the database orders and limits by it; ``distance_km`` names the few shown."""
    half_dlat = (latitude_column - latitude) * (math.pi / 360)
    half_dlon = (longitude_column - longitude) * (math.pi / 360)
    if not has_trigonometry():  # flat-earth approximation, close within a few hundred kilometres
        scale = math.cos(math.radians(latitude)) ** 2
        return half_dlat * half_dlat + half_dlon * half_dlon * scale
    cos_origin = math.cos(math.radians(latitude))
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


def bounding_box(latitude: float, longitude: float, radius_km: float):
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle, for an indexed prefilter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def load_postal_code_csv(content: str) -> tuple[int, list[str]]:
    """Replace the administrator's table with a CSV of postal_code,latitude,longitude.

    Returns (rows loaded, errors); nothing is loaded when there is an error."""
    rows, errors = [], []
    for number, row in enumerate(csv.DictReader(io.StringIO(content)), start=2):
        code = normalise_postal_code(row.get("postal_code") or row.get("code") or "")
        try:
            latitude, longitude = float(row.get("latitude") or ""), float(row.get("longitude") or "")
        except ValueError:
            errors.append(f"{number}: {code or '?'}")
            continue
        if not code or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            errors.append(f"{number}: {code or '?'}")
            continue
        rows.append({"code": code, "latitude": latitude, "longitude": longitude})
    if errors or not rows:
        return 0, errors
    unique = list({row["code"]: row for row in rows}.values())
    db.session.execute(delete(postal_codes))
    db.session.execute(insert(postal_codes), unique)
    return len(unique), []
