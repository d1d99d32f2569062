"""The HSDS objects of a page of records, nested as the HSDS 3 API nests them. The children
(phones, schedules, languages, areas, places, service types) are read in one query per kind for the
whole page, never per record."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import select

from kernel.toolkit import db
from plugins.directory.hsds_api.scope import public_service_conditions, public_site_conditions
from plugins.directory.hsds_write import (
    PLAIN_TABLES,
    accessibility_object,
    address_object,
    attribute_object,
    hsds_id_of,
    location_object,
    organization_object,
    plain_object,
    service_object,
    term_object,
)
from plugins.directory.models import (
    Agency,
    Resource,
    Site,
    TaxonomyTerm,
    service_at_location,
    service_taxonomy,
    taxonomies,
)

# Fields the schemas require: given (empty) even when the directory has nothing for them.
REQUIRED = {"organization": ("description",), "taxonomy_term": ("description",), "taxonomy": ("description",),
            "address": ("address_1", "city", "state_province", "postal_code", "country", "address_type")}
NUMBERS = frozenset({"latitude", "longitude", "minimum_age", "maximum_age", "timezone", "count", "interval",
                     "extension"})
KINDS = {Agency: "organizations", Resource: "services", Site: "locations", TaxonomyTerm: "taxonomy_terms"}


def json_object(values: dict, kind: str = "") -> dict:
    """A mapped row as JSON: dates as ISO text, numbers as numbers, empty values left out (but for
    the fields the schema requires)."""
    required = REQUIRED.get(kind, ())
    typed = {}
    for name, value in values.items():
        if value is None or value == "":
            if name in required:
                typed[name] = ""
            continue
        if name in NUMBERS and not isinstance(value, int | float):
            value = _number(value)
            if value is None:
                continue
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        typed[name] = value
    return typed


def _number(text) -> float | None:
    try:
        return float(str(text).strip())
    except ValueError:
        return None


def modified(record) -> str:
    return record.updated_at.replace(tzinfo=UTC).isoformat()


def by_id(model, ids, conditions=()) -> dict[int, object]:
    if not ids:
        return {}
    return {record.id: record for record in db.session.scalars(select(model).where(model.id.in_(ids), *conditions))}


class Builder:
    """Builds the objects of one answer; remembers the HSDS ids of the records it has read, to
    write the references of their children."""

    def __init__(self):
        self.ids: dict[str, dict[int, str]] = {"organization_id": {}, "service_id": {}, "location_id": {}}

    def remember(self, column: str, records) -> None:
        kind = KINDS[type(records[0])] if records else ""
        self.ids[column].update({record.id: hsds_id_of(record, kind) for record in records})

    def children(self, kind: str, column: str, ids) -> dict[int, list[dict]]:
        """Rows of a plain table (``PLAIN_TABLES``) pointing at ``ids`` through ``column``, grouped by it."""
        table, references, skip = PLAIN_TABLES[kind]
        grouped = defaultdict(list)
        if not ids:
            return grouped
        id_maps = {name: self.ids[name] for name in references}
        for row in db.session.execute(select(table).where(table.c[column].in_(ids)).order_by(table.c.id)):
            exported = plain_object(row, kind, id_maps, skip)
            if exported is not None:
                grouped[row._mapping[column]].append(json_object(exported, kind))
        return grouped

    # -- organisations ---------------------------------------------------------------------------
    def organizations(self, agencies: list, full: bool = False, full_service: bool = False) -> list[dict]:
        self.remember("organization_id", agencies)
        objects = [json_object(organization_object(agency, self.ids["organization_id"][agency.id]), "organization")
                   for agency in agencies]
        if not (full or full_service):
            return objects
        ids = [agency.id for agency in agencies]
        phones = self.children("phones", "organization_id", ids)
        sites = list(db.session.scalars(select(Site).where(Site.organization_id.in_(ids), *public_site_conditions())
                                        .order_by(Site.id)))
        locations = defaultdict(list)
        for site, location in zip(sites, self.locations(sites), strict=True):
            locations[site.organization_id].append(location)
        services = list(db.session.scalars(select(Resource).where(
            Resource.organization_id.in_(ids), *public_service_conditions()).order_by(Resource.id)))
        service_objects = self.services(services, full=full_service) if full_service else [
            {"id": hsds_id_of(service, "services")} for service in services]
        offered = defaultdict(list)
        for service, service_object_ in zip(services, service_objects, strict=True):
            offered[service.organization_id].append(service_object_)
        for agency, found in zip(agencies, objects, strict=True):
            found.update(phones=phones[agency.id], locations=locations[agency.id], services=offered[agency.id])
        return objects

    # -- services ------------------------------------------------------------------------------
    def services(self, services: list, full: bool = False) -> list[dict]:
        agencies = by_id(Agency, {service.organization_id for service in services})
        organizations = dict(zip(agencies, self.organizations(list(agencies.values())), strict=True))
        self.remember("service_id", services)
        objects = []
        for service in services:
            found = json_object(service_object(service, self.ids["service_id"][service.id],
                                               self.ids["organization_id"].get(service.organization_id)))
            found["last_modified"] = modified(service)
            if service.organization_id in organizations:
                found["organization"] = organizations[service.organization_id]
            objects.append(found)
        if full:
            self._add_service_children(services, objects)
        return objects

    def _add_service_children(self, services: list, objects: list[dict]) -> None:
        ids = [service.id for service in services]
        at_locations = self.service_at_locations_of(ids)
        children = {name: self.children(name, "service_id", ids) for name in ("phones", "schedules", "service_areas",
                                                                              "languages")}
        attributes = self.attributes_of(ids)
        for service, found in zip(services, objects, strict=True):
            found.update({name: rows[service.id] for name, rows in children.items()})
            found["service_at_locations"] = at_locations[service.id]
            found["attributes"] = attributes[service.id]

    def service_at_locations_of(self, service_ids: list[int]) -> dict[int, list[dict]]:
        """Each service's places (the public ones), with the place."""
        link = service_at_location
        rows = list(db.session.execute(select(link).where(
            link.c.service_id.in_(service_ids), link.c.location_id.in_(select(Site.id).where(*public_site_conditions())))
            .order_by(link.c.id)))
        sites = by_id(Site, {row.location_id for row in rows})
        locations = dict(zip(sites, self.locations(list(sites.values())), strict=True))
        grouped = defaultdict(list)
        for row in rows:
            found = json_object(plain_object(row, "service_at_location", self.ids, ()) or {})
            found["location"] = locations[row.location_id]
            grouped[row.service_id].append(found)
        return grouped

    def attributes_of(self, service_ids: list[int]) -> dict[int, list[dict]]:
        """Each service's service types, as HSDS attributes holding their taxonomy term."""
        links = list(db.session.execute(select(service_taxonomy).where(service_taxonomy.c.service_id.in_(service_ids))
                                        .order_by(service_taxonomy.c.id)))
        terms = by_id(TaxonomyTerm, {link.term_id for link in links}, [TaxonomyTerm.deleted_at.is_(None)])
        term_objects = dict(zip(terms, self.terms(list(terms.values())), strict=True))
        grouped = defaultdict(list)
        for link in links:
            if link.term_id in term_objects:
                term = term_objects[link.term_id]
                found = json_object(attribute_object(link, self.ids["service_id"][link.service_id], term["id"]))
                found["taxonomy_term"] = term
                grouped[link.service_id].append(found)
        return grouped

    # -- places ----------------------------------------------------------------------------------
    def locations(self, sites: list) -> list[dict]:
        """Places with their address, accessibility, phones, schedules and languages."""
        self.remember("location_id", sites)
        agencies = by_id(Agency, {site.organization_id for site in sites if site.organization_id},
                         [Agency.public.is_(True), Agency.deleted_at.is_(None)])
        ids = [site.id for site in sites]
        children = {name: self.children(name, "location_id", ids) for name in ("phones", "schedules", "languages")}
        objects = []
        for site in sites:
            site_id = self.ids["location_id"][site.id]
            agency = agencies.get(site.organization_id)  # a place's agency that is not public is not named
            organization = hsds_id_of(agency, "organizations") if agency is not None else None
            found = json_object(location_object(site, site_id, organization))
            found["last_modified"] = modified(site)
            address, accessibility = address_object(site, site_id), accessibility_object(site, site_id)
            found["addresses"] = [json_object(address, "address")] if address else []
            found["accessibility"] = [json_object(accessibility)] if accessibility else []
            found.update({name: rows[site.id] for name, rows in children.items()})
            objects.append(found)
        return objects

    # -- service at location ---------------------------------------------------------------------
    def service_at_locations(self, rows: list, full: bool = False) -> list[dict]:
        services = by_id(Resource, {row.service_id for row in rows})
        sites = by_id(Site, {row.location_id for row in rows})
        service_objects = dict(zip(services, self.services(list(services.values()), full=full), strict=True))
        location_objects = dict(zip(sites, self.locations(list(sites.values())), strict=True))
        objects = []
        for row in rows:
            found = json_object(plain_object(row, "service_at_location", self.ids, ()) or {"id": row.hsds_id})
            found.update(service=service_objects[row.service_id], location=location_objects[row.location_id])
            objects.append(found)
        return objects

    # -- taxonomy terms ----------------------------------------------------------------------------
    def terms(self, terms: list) -> list[dict]:
        wanted = {term.taxonomy_hsds_id for term in terms if term.taxonomy_hsds_id}
        details = {}
        if wanted:
            for row in db.session.execute(select(taxonomies).where(taxonomies.c.hsds_id.in_(wanted))):
                details[row.hsds_id] = json_object(plain_object(row, "taxonomies", {}, ()), "taxonomy")
        objects = []
        for term in terms:
            found = json_object(term_object(term, hsds_id_of(term, "taxonomy_terms")), "taxonomy_term")
            if term.taxonomy_hsds_id in details:
                found["taxonomy_detail"] = details[term.taxonomy_hsds_id]
            objects.append(found)
        return objects


def in_order(records: dict, ids: list[int]) -> list:
    return [records[record_id] for record_id in ids if record_id in records]
