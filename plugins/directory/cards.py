"""Result cards: everything a card shows, loaded for a whole page in a few queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cache

from flask_babel import get_locale
from sqlalchemy import bindparam, func, select

from kernel.toolkit import OnePass, db
from plugins.directory.capacity.models import Capacity
from plugins.directory.hours import hours_language, hours_text, is_open
from plugins.directory.models import (
    Agency,
    Resource,
    Site,
    TaxonomyTerm,
    languages,
    phones,
    schedules,
    service_areas,
    service_at_location,
    service_taxonomy,
)


def is_french() -> bool:
    return str(get_locale() or "fr") == "fr"


def in_language(record, name: str, for_french: bool | None = None) -> str:
    """The French field (``name_fr``) for French readers when it is filled, else the HSDS one.
    ``for_french``: whether the reader reads French, when the caller knows (a page of cards asks once)."""
    french = getattr(record, f"{name}_fr", None)
    if (is_french() if for_french is None else for_french) and french:
        return french
    return getattr(record, name, None) or french or ""


def cards_for(hits, moment: datetime, approximate: bool = False) -> list[dict]:
    """The cards of a page of hits; ``approximate``: the distances are from a postal code's area."""
    ids = [hit.service_id for hit in hits]
    if not ids:
        return []
    found = _card_reads(ids, {hit.location_id for hit in hits if hit.location_id})
    services = {service.id: service for service in found["services"]}
    agencies = {agency.id: agency for agency in found["agencies"]}
    first_places = {link.service_id: link.location_id for link in found["places"]}
    sites = {site.id: site for site in (*found["sites"], *found["hit_sites"])}
    service_phones, service_schedules = _by_service(found["phones"]), _by_service(found["schedules"])
    capacities = {capacity.service_id: capacity for capacity in found["capacities"]}
    french, language = is_french(), hours_language()
    cards = []
    for hit in hits:
        service = services.get(hit.service_id)
        if service is None:
            continue
        site = sites.get(hit.location_id or first_places.get(service.id))
        own = service_schedules.get(service.id, [])
        cards.append({
            "service": service, "name": in_language(service, "name", french),
            "description": in_language(service, "description", french),
            "agency": agencies.get(service.organization_id), "site": site, "distance_km": hit.distance_km,
            "distance_approximate": approximate and hit.distance_km is not None,
            "phones": service_phones.get(service.id, []), "hours": hours_text(own, language), "open": is_open(own, moment),
            "capacity": capacities.get(service.id),
        })
    return cards


def _card_reads(service_ids: list[int], hit_places: set[int]) -> dict:
    """Everything the cards show, read in one statement (``kernel.onepass``): the services, their
    agencies, their places (the hit's, else the first linked), phones, schedules and capacities."""
    reads = OnePass()
    params = {"card_services": service_ids, "card_places": sorted(hit_places)}
    for key, statement in _card_statements().items():
        reads.rows(key, statement, params)
    return reads.run()


@cache  # built once, the ids parameters: the pass is built once too, and SQLAlchemy finds it compiled
def _card_statements() -> dict:
    service_ids = bindparam("card_services", expanding=True)
    first_links = _first_links(service_ids)
    return {
        "services": select(Resource).where(Resource.id.in_(service_ids)),
        "agencies": select(Agency).where(Agency.id.in_(
            select(Resource.organization_id).where(Resource.id.in_(service_ids)))),
        "places": first_links,
        # Two reads, each by an index: "linked OR the hits'" read every place (300,000 at a province's scale).
        "sites": select(Site).where(Site.id.in_(first_links.with_only_columns(service_at_location.c.location_id))),
        "hit_sites": select(Site).where(Site.id.in_(bindparam("card_places", expanding=True))),
        "phones": select(phones).where(phones.c.service_id.in_(service_ids)).order_by(phones.c.id),
        "schedules": select(schedules).where(schedules.c.service_id.in_(service_ids)).order_by(schedules.c.id),
        "capacities": select(Capacity).where(Capacity.service_id.in_(service_ids)),
    }


def _first_links(service_ids):
    """SELECT service_id, location_id of each service's first linked place (a service may be
    delivered at hundreds)."""
    links = service_at_location.alias("links")
    first = select(func.min(links.c.id)).where(links.c.service_id.in_(service_ids)).group_by(links.c.service_id)
    return select(service_at_location.c.service_id, service_at_location.c.location_id).where(
        service_at_location.c.id.in_(first))


def _by_service(rows) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.service_id].append(row._asdict())
    return grouped


def full_resource(service: Resource, moment: datetime) -> dict:
    """Everything known about one resource, for its detail view."""
    from plugins.directory.resource_form import language_name

    own_schedules = [dict(row._mapping) for row in db.session.execute(
        select(schedules).where(schedules.c.service_id == service.id).order_by(schedules.c.id))]
    sites = list(db.session.scalars(select(Site).join(service_at_location, service_at_location.c.location_id == Site.id)
                                    .where(service_at_location.c.service_id == service.id).order_by(Site.id)))
    terms = list(db.session.scalars(select(TaxonomyTerm).join(service_taxonomy, service_taxonomy.c.term_id == TaxonomyTerm.id)
                                    .where(service_taxonomy.c.service_id == service.id).order_by(TaxonomyTerm.code)))
    return {
        "service": service, "name": in_language(service, "name"), "description": in_language(service, "description"),
        "agency": db.session.get(Agency, service.organization_id), "sites": sites, "terms": terms,
        "phones": [dict(r._mapping) for r in db.session.execute(select(phones).where(phones.c.service_id == service.id).order_by(phones.c.id))],
        "areas": [dict(r._mapping) for r in db.session.execute(
            select(service_areas).where(service_areas.c.service_id == service.id).order_by(service_areas.c.id))],
        "languages": [{**r._mapping, "label": language_name(r.code, r.name)} for r in db.session.execute(
            select(languages).where(languages.c.service_id == service.id).order_by(languages.c.code, languages.c.id))],
        "hours": hours_text(own_schedules), "schedules": own_schedules, "open": is_open(own_schedules, moment),
    }
