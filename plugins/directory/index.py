"""The search tables, derived from the directory and rewritten for the services that change.

``directory_search_types``: each service under each of its types, with its name (a search by type
sorted by name reads it in index order). ``directory_search``: one row per service and place it is
delivered at, with the place's coordinates. The service's first row also holds the stems of
everything a keyword may hit: its names (both languages, alternate name), then ``NAME_END``, then
the rest (descriptions, eligibility, agency, service types); and the grid cells of all the
service's places (``geo.place_cells``). Keeping the words on one row per service lets the keyword
index answer with service ids, one per service, without de-duplicating places.

The keyword index is, on SQLite, the FTS5 table ``directory_search_fts`` (rowid = service id, columns
``name`` and ``other``) fed by triggers; on PostgreSQL, GIN indexes on ``to_tsvector('simple', …)``
of the words and of their name part (migration ``c4e1f0a2b7d3``)."""

from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import delete, insert, select

from kernel.toolkit import db
from plugins.directory.geo import place_cells
from plugins.directory.hours import opening_rows
from plugins.directory.models import (
    Agency,
    Resource,
    Site,
    TaxonomyTerm,
    opening_hours,
    schedules,
    search_rows,
    search_types,
    service_at_location,
    service_taxonomy,
)
from plugins.directory.text import stems_of

NAME_TEXT = ("name", "name_fr", "alternate_name")
OTHER_TEXT = ("description", "description_fr", "eligibility_description", "interpretation_services")
NAME_END = "|"  # never part of a stem (text.stems_of keeps letters and digits)


def words_for(service, agency_name: str, term_texts: list[str]) -> str:
    """`` <stems of the names> | <stems of the rest> ``."""
    names = [getattr(service, name, None) or "" for name in NAME_TEXT]
    others = [getattr(service, name, None) or "" for name in OTHER_TEXT] + [agency_name, *term_texts]
    return f" {' '.join(stems_of(' '.join(names)))} {NAME_END} {' '.join(stems_of(' '.join(others)))} "


def rebuild(service_ids: list[int] | None = None) -> None:
    """Rewrite the search rows and opening hours of some services (all when None)."""
    services = _services(service_ids)
    ids = [service.id for service in services]
    scope = ids if service_ids is not None else None
    _delete_rows(scope)
    if not services:
        return
    agencies = _agency_names({service.organization_id for service in services})
    terms = _term_texts(ids)
    places = _places(ids)
    names = {service.id: service.name or "" for service in services}
    types = [{"term_id": term_id, "name": names[service_id], "service_id": service_id}
             for service_id, term_id in _type_links(ids)]
    rows, hours = [], []
    for service in services:
        words = words_for(service, agencies.get(service.organization_id, ""), terms.get(service.id, []))
        service_places = places.get(service.id) or [(None, None, None)]
        cells = place_cells([(latitude, longitude) for _id, latitude, longitude in service_places
                             if latitude is not None and longitude is not None
                             and math.isfinite(latitude) and math.isfinite(longitude)]) or None
        for location_id, latitude, longitude in service_places:
            rows.append({"service_id": service.id, "location_id": location_id, "latitude": latitude,
                         "longitude": longitude, "words": words, "cells": cells})
            words, cells = "", None  # the keyword index holds each service once, with all its places
    for service_id, service_schedules in _schedules(ids).items():
        hours.extend(opening_rows(service_id, service_schedules))
    _insert(search_rows, rows)
    _insert(opening_hours, hours)
    _insert(search_types, types)


def _chunks(values, size=900):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _services(service_ids):
    query = select(Resource).where(Resource.deleted_at.is_(None))
    if service_ids is None:
        return list(db.session.scalars(query))
    found = []
    for chunk in _chunks(service_ids):
        found.extend(db.session.scalars(query.where(Resource.id.in_(chunk))))
    return found


def _delete_rows(service_ids) -> None:
    if service_ids is None:
        for derived in (search_rows, opening_hours, search_types):
            db.session.execute(delete(derived))
        return
    for chunk in _chunks(service_ids):
        for derived in (search_rows, opening_hours, search_types):
            db.session.execute(delete(derived).where(derived.c.service_id.in_(chunk)))


def _agency_names(agency_ids) -> dict[int, str]:
    names = {}
    for chunk in _chunks(agency_ids):
        for row in db.session.execute(select(Agency.id, Agency.name, Agency.name_fr).where(Agency.id.in_(chunk))):
            names[row.id] = f"{row.name or ''} {row.name_fr or ''}"
    return names


def _term_texts(service_ids) -> dict[int, list[str]]:
    texts = defaultdict(list)
    for chunk in _chunks(service_ids):
        query = (select(service_taxonomy.c.service_id, TaxonomyTerm.name, TaxonomyTerm.name_fr, TaxonomyTerm.code)
                 .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy.c.term_id)
                 .where(service_taxonomy.c.service_id.in_(chunk), TaxonomyTerm.deleted_at.is_(None)))
        for row in db.session.execute(query):
            texts[row.service_id].append(f"{row.name or ''} {row.name_fr or ''}")
    return texts


def _type_links(service_ids) -> list[tuple[int, int]]:
    links = []
    for chunk in _chunks(service_ids):
        links.extend(db.session.execute(select(service_taxonomy.c.service_id, service_taxonomy.c.term_id)
                                        .where(service_taxonomy.c.service_id.in_(chunk))).all())
    return links


def _places(service_ids) -> dict[int, list[tuple]]:
    places = defaultdict(list)
    for chunk in _chunks(service_ids):
        query = (select(service_at_location.c.service_id, Site.id, Site.latitude, Site.longitude)
                 .join(Site, Site.id == service_at_location.c.location_id)
                 .where(service_at_location.c.service_id.in_(chunk), Site.deleted_at.is_(None)))
        for row in db.session.execute(query):
            places[row.service_id].append((row.id, row.latitude, row.longitude))
    return places


def _schedules(service_ids) -> dict[int, list[dict]]:
    found = defaultdict(list)
    for chunk in _chunks(service_ids):
        for row in db.session.execute(select(schedules).where(schedules.c.service_id.in_(chunk))):
            found[row.service_id].append(dict(row._mapping))
    return found


def _insert(table, rows, batch=5000) -> None:
    for start in range(0, len(rows), batch):
        db.session.execute(insert(table), rows[start:start + batch])


def services_at(location_id: int) -> list[int]:
    return list(db.session.scalars(
        select(service_at_location.c.service_id).where(service_at_location.c.location_id == location_id)))


def services_of_agency(agency_id: int) -> list[int]:
    return list(db.session.scalars(select(Resource.id).where(Resource.organization_id == agency_id)))


def services_with_term(term_id: int) -> list[int]:
    return list(db.session.scalars(
        select(service_taxonomy.c.service_id).where(service_taxonomy.c.term_id == term_id)))


def refresh_after_save(entity, record) -> None:
    """Keep the search rows in step when staff edit a resource through the generic screens."""
    affected = {
        "resource": lambda: [record.id],
        "resource_location": lambda: services_at(record.id),
        "agency": lambda: services_of_agency(record.id),
        "taxonomy_term": lambda: services_with_term(record.id),
    }.get(entity.name)
    if affected is not None:
        db.session.flush()
        rebuild(affected())
