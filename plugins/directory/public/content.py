"""What the public pages show of a resource: only public fields, only public places.

The rule: a service is shown when it and its agency are marked public (and neither is in the
trash); of its locations, only those marked public are shown. Internal fields (alerts, wait times,
accreditations, notes, e-mail addresses) never are."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from kernel.toolkit import db
from plugins.directory.cards import cards_for, full_resource
from plugins.directory.models import Agency, Resource, Site, service_at_location

SHORT_DESCRIPTION = 240
OSM = "https://www.openstreetmap.org"


def public_service(record_id: int) -> Resource | None:
    """The service if the public may see it, else None."""
    return db.session.scalar(
        select(Resource).join(Agency, Agency.id == Resource.organization_id)
        .where(Resource.id == record_id, Resource.public.is_(True), Resource.deleted_at.is_(None),
               Agency.public.is_(True), Agency.deleted_at.is_(None)))


def public_sites_of(service_ids: list[int]) -> dict[int, list[Site]]:
    """Each service's public locations, in the order they were linked (one query for a page)."""
    if not service_ids:
        return {}
    rows = db.session.execute(
        select(service_at_location.c.service_id, Site)
        .join(Site, Site.id == service_at_location.c.location_id)
        .where(service_at_location.c.service_id.in_(service_ids), Site.public.is_(True), Site.deleted_at.is_(None))
        .order_by(service_at_location.c.id))
    sites = defaultdict(list)
    for service_id, site in rows:
        sites[service_id].append(site)
    return sites


def tel_href(number: str) -> str:
    """``tel:`` and the number's digits (and a leading +): a phone dials it whatever its format."""
    main = re.split(r"(?i)\s*(?:ext|x|poste)\.?\s*\d+$", number or "")[0]
    return "tel:" + re.sub(r"[^\d+]", "", main)


def map_links(site: Site) -> dict | None:
    """OpenStreetMap links for a place with coordinates: a map and directions to it."""
    if site.latitude is None or site.longitude is None:
        return None
    latitude, longitude = f"{site.latitude:.5f}", f"{site.longitude:.5f}"
    return {"map": f"{OSM}/?mlat={latitude}&mlon={longitude}#map=17/{latitude}/{longitude}",
            "directions": f"{OSM}/directions?to={latitude}%2C{longitude}"}


def address_of(site: Site | None) -> str:
    if site is None:
        return ""
    street = ", ".join(part for part in (site.address_1, site.address_2) if part)
    return ", ".join(part for part in (street, site.city, site.state_province, site.postal_code) if part)


def public_card(card: dict, site: Site | None) -> dict:
    phones = [{"number": phone["number"], "href": tel_href(phone["number"])} for phone in card["phones"]]
    return {
        "id": card["service"].id, "name": card["name"], "agency": card["agency"].name if card["agency"] else "",
        "description": short(card["description"]), "address": address_of(site), "phones": phones,
        "open": card["open"], "hours": card["hours"],
        "distance_km": card["distance_km"] if site is not None else None,
        "distance_approximate": card["distance_approximate"],
    }


def public_cards(hits, moment: datetime, approximate: bool) -> list[dict]:
    """The page's result cards, each at its nearest public place (the hit's, from a place search)
    or its first public place; plain values only, so that a cached page holds no record."""
    cards = cards_for(hits, moment, approximate)
    sites = public_sites_of([card["service"].id for card in cards])
    located = {hit.service_id: hit.location_id for hit in hits}
    shown = []
    for card in cards:
        places = sites.get(card["service"].id, [])
        site = next((one for one in places if one.id == located.get(card["service"].id)), places[0] if places else None)
        shown.append(public_card(card, site))
    return shown


def short(text: str | None) -> str:
    text = " ".join((text or "").split())
    if len(text) <= SHORT_DESCRIPTION:
        return text
    return text[:SHORT_DESCRIPTION].rsplit(" ", 1)[0] + "…"


def public_resource(service: Resource, moment: datetime) -> dict:
    """The resource page's content: the public fields and the public places only."""
    full = full_resource(service, moment)
    sites = public_sites_of([service.id]).get(service.id, [])
    return {
        "id": service.id, "name": full["name"], "agency": full["agency"].name if full["agency"] else "",
        "description": full["description"], "eligibility": service.eligibility_description or "",
        "fees": service.fees_description or "", "application": service.application_process or "",
        "website": service.url or "", "languages": [language["label"] for language in full["languages"]],
        "hours": full["hours"], "open": full["open"],
        "phones": [{"number": phone["number"], "href": tel_href(phone["number"])} for phone in full["phones"]],
        "places": [{"name": site.name, "address": address_of(site), "links": map_links(site),
                    "accessibility": site.accessibility or "", "transportation": site.transportation or ""}
                   for site in sites],
    }
