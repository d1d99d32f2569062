"""Loading HSDS tables into the directory: each row checked, each rejected row reported with its
reason, everything in the caller's single transaction (the caller commits or rolls back)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from sqlalchemy import delete, insert, select

from kernel.toolkit import TEXT_MAX, NotAWebAddress, db, fold, web_address
from plugins.directory import index
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
    taxonomies,
)
from plugins.directory.search import phone_digits

KEPT_TABLES = ("taxonomies", "taxonomy_terms", "organizations", "services", "locations", "addresses",
               "accessibility", "service_at_location", "phones", "schedules", "service_areas", "languages",
               "attributes")
SERVICE_STATUSES = {"active", "inactive", "defunct", "temporarily closed"}


class Rejected(Exception):
    """A row that cannot be loaded; the message says why."""


@dataclass
class Report:
    loaded: dict[str, int] = dataclass_field(default_factory=dict)
    rejected: list[str] = dataclass_field(default_factory=list)  # "table line N (id): reason"
    notes: list[str] = dataclass_field(default_factory=list)

    def reject(self, table: str, number: int, row: dict, reason: str) -> None:
        self.rejected.append(f"{table}.csv line {number + 1} ({row.get('id') or '?'}): {reason}")

    def count(self, table: str) -> None:
        self.loaded[table] = self.loaded.get(table, 0) + 1


# -- values --------------------------------------------------------------------------------
def text(row, name, required=False, limit=TEXT_MAX):
    value = (row.get(name) or "").strip()
    if not value:
        if required:
            raise Rejected(f"{name} is required")
        return None
    if limit and len(value) > limit:
        raise Rejected(f"{name} is longer than {limit} characters")
    return value


def longtext(row, name):
    return text(row, name, limit=None)


def web(row, name, report, table):
    """An http(s) address, or None with a note: other schemes (javascript:, data:…) would become
    links that run script in the CRM (the row itself is kept)."""
    value = text(row, name)
    if value is None:
        return None
    try:
        address = web_address(value)
    except NotAWebAddress:
        report.notes.append(f"{table} {row.get('id')}: {name} {value[:80]!r} is not an http(s) address and was left out")
        return None
    if len(address) > TEXT_MAX:  # "https://" added to an address that just fitted
        report.notes.append(f"{table} {row.get('id')}: {name} is longer than {TEXT_MAX} characters and was left out")
        return None
    return address


def number(row, name, kind=float):
    value = (row.get(name) or "").strip()
    if not value:
        return None
    try:
        return kind(float(value)) if kind is int else kind(value)
    except ValueError:
        raise Rejected(f"{name} is not a number: {value!r}") from None


def day(row, name):
    value = (row.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise Rejected(f"{name} is not a date (YYYY-MM-DD): {value!r}") from None


def clock(row, name):
    value = (row.get(name) or "").strip()
    if not value:
        return None
    parts = value.split(":")
    if len(parts) < 2 or not all(part[:2].isdigit() for part in parts[:2]) or int(parts[0]) > 24 or int(parts[1][:2]) > 59:
        raise Rejected(f"{name} is not a time (HH:MM): {value!r}")
    return f"{int(parts[0]):02d}:{int(parts[1][:2]):02d}:00"


def identifier(row):
    value = text(row, "id", required=True)
    return value


class Ids:
    """HSDS id → database id, per table, for the references between rows."""

    def __init__(self):
        self.maps: dict[str, dict[str, int]] = {}

    def add(self, table: str, hsds_id: str, db_id: int) -> None:
        self.maps.setdefault(table, {})[hsds_id] = db_id

    def find(self, table: str, row: dict, column: str, required: bool = False):
        value = (row.get(column) or "").strip()
        if not value:
            if required:
                raise Rejected(f"{column} is required")
            return None
        found = self.maps.get(table, {}).get(value)
        if found is None and required:
            raise Rejected(f"{column} {value} is not in {table}")
        return found


# -- the load ------------------------------------------------------------------------------
def load_tables(tables: dict[str, list[dict]], report: Report, on_row=None) -> None:
    ids = Ids()
    for table in sorted(set(tables) - set(KEPT_TABLES)):
        if tables[table]:
            report.notes.append(f"{table}: {len(tables[table])} rows not kept (not used by the directory)")
    _prime_existing(ids)
    steps = [("taxonomies", _taxonomy), ("taxonomy_terms", _term), ("organizations", _agency),
             ("services", _service), ("locations", _location), ("addresses", _address),
             ("accessibility", _accessibility), ("service_at_location", _service_at_location),
             ("phones", _phone), ("schedules", _schedule), ("service_areas", _area), ("languages", _language),
             ("attributes", _attribute)]
    sites: dict[str, Site] = {}
    for table, loader in steps:
        for number, row in enumerate(tables.get(table, []), start=1):
            try:  # a loader checks every value before it writes anything
                if loader(row, ids, report, sites) is not False:
                    report.count(table)
            except Rejected as reason:
                report.reject(table, number, row, str(reason))
            if on_row:
                on_row()
        db.session.flush()
    db.session.flush()
    index.rebuild()


def _prime_existing(ids: Ids) -> None:
    for table, model in (("organizations", Agency), ("services", Resource), ("locations", Site),
                         ("taxonomy_terms", TaxonomyTerm)):
        for row in db.session.execute(select(model.hsds_id, model.id).where(model.hsds_id.is_not(None))):
            ids.add(table, row.hsds_id, row.id)
    for row in db.session.execute(select(taxonomies.c.hsds_id, taxonomies.c.id)):
        ids.add("taxonomies", row.hsds_id, row.id)


def _upsert(model, table: str, values: dict, ids: Ids):
    record = db.session.scalar(select(model).where(model.hsds_id == values["hsds_id"]))
    if record is None:
        record = model(**values)
        db.session.add(record)
    else:
        for name, value in values.items():
            setattr(record, name, value)
    db.session.flush()
    ids.add(table, values["hsds_id"], record.id)
    return record


def _replace_row(table, values: dict) -> int:
    db.session.execute(delete(table).where(table.c.hsds_id == values["hsds_id"]))
    return db.session.execute(insert(table).values(**values)).inserted_primary_key[0]


def _taxonomy(row, ids, report, sites):
    values = {"hsds_id": identifier(row), "name": text(row, "name", required=True),
              "description": longtext(row, "description"), "uri": web(row, "uri", report, "taxonomies"), "version": text(row, "version")}
    ids.add("taxonomies", values["hsds_id"], _replace_row(taxonomies, values))


def _term(row, ids, report, sites):
    values = {"hsds_id": identifier(row), "code": text(row, "code"), "name": text(row, "name", required=True),
              "name_fr": text(row, "name_fr"), "description": longtext(row, "description"),
              "parent_hsds_id": text(row, "parent_id"), "taxonomy": text(row, "taxonomy"),
              "taxonomy_hsds_id": text(row, "taxonomy_id"), "language": text(row, "language"),
              "term_uri": web(row, "term_uri", report, "taxonomy_terms")}
    _upsert(TaxonomyTerm, "taxonomy_terms", values, ids)


def _agency(row, ids, report, sites):
    values = {"hsds_id": identifier(row), "name": text(row, "name", required=True), "name_fr": text(row, "name_fr"),
              "alternate_name": text(row, "alternate_name"), "description": longtext(row, "description"),
              "description_fr": longtext(row, "description_fr"), "email": text(row, "email"),
              "website": web(row, "website", report, "organizations")}
    _upsert(Agency, "organizations", values, ids)


def _service(row, ids, report, sites):
    status = text(row, "status") or "active"
    if status not in SERVICE_STATUSES:
        raise Rejected(f"status {status!r} is not one of {', '.join(sorted(SERVICE_STATUSES))}")
    values = {"hsds_id": identifier(row), "organization_id": ids.find("organizations", row, "organization_id", True),
              "name": text(row, "name", required=True), "name_fr": text(row, "name_fr"),
              "alternate_name": text(row, "alternate_name"), "description": longtext(row, "description"),
              "description_fr": longtext(row, "description_fr"), "url": web(row, "url", report, "services"),
              "email": text(row, "email"), "status": status,
              "eligibility_description": longtext(row, "eligibility_description"),
              "minimum_age": number(row, "minimum_age", int), "maximum_age": number(row, "maximum_age", int),
              "fees_description": longtext(row, "fees_description"),
              "application_process": longtext(row, "application_process"),
              "interpretation_services": longtext(row, "interpretation_services"),
              "wait_time": text(row, "wait_time"), "accreditations": longtext(row, "accreditations"),
              "licenses": text(row, "licenses"), "alert": longtext(row, "alert")}
    _upsert(Resource, "services", values, ids)


def _coordinate(row, name, bound, report):
    value = number(row, name)
    if value is not None and not -bound <= value <= bound:
        report.notes.append(f"locations {row.get('id')}: {name} {value:g} is out of range and was left out")
        return None
    return value


def _location(row, ids, report, sites):
    location_type = text(row, "location_type") or "physical"
    if location_type not in {"physical", "postal", "virtual"}:
        raise Rejected(f"location_type {location_type!r} is not physical, postal or virtual")
    organization = ids.find("organizations", row, "organization_id")
    if row.get("organization_id") and organization is None:
        report.notes.append(f"locations {row.get('id')}: organization {row['organization_id']} is not in the package")
    values = {"hsds_id": identifier(row), "organization_id": organization,
              "name": text(row, "name") or text(row, "id"), "alternate_name": text(row, "alternate_name"),
              "location_type": location_type, "description": longtext(row, "description"),
              "transportation": longtext(row, "transportation"), "url": web(row, "url", report, "locations"),
              "latitude": _coordinate(row, "latitude", 90, report), "longitude": _coordinate(row, "longitude", 180, report)}
    sites[values["hsds_id"]] = _upsert(Site, "locations", values, ids)


def _site_of(row, sites, ids) -> Site:
    location = (row.get("location_id") or "").strip()
    site = sites.get(location)
    if site is None and ids.find("locations", row, "location_id"):
        site = db.session.get(Site, ids.find("locations", row, "location_id"))
    if site is None:
        raise Rejected(f"location_id {location or '(empty)'} is not in locations")
    return site


def _address(row, ids, report, sites):
    site = _site_of(row, sites, ids)
    if site.address_hsds_id and site.address_hsds_id != row.get("id"):
        report.notes.append(f"addresses {row.get('id')}: location {row.get('location_id')} keeps its first address")
        return False
    address_type = text(row, "address_type") or "physical"
    if address_type not in {"physical", "postal", "virtual"}:
        raise Rejected(f"address_type {address_type!r} is not physical, postal or virtual")
    values = {"address_hsds_id": identifier(row), "address_1": text(row, "address_1"), "address_2": text(row, "address_2"),
              "city": text(row, "city"), "region": text(row, "region"), "state_province": text(row, "state_province"),
              "postal_code": text(row, "postal_code"), "country": text(row, "country"), "address_type": address_type,
              "attention": text(row, "attention")}
    for name, value in values.items():
        setattr(site, name, value)


def _accessibility(row, ids, report, sites):
    site = _site_of(row, sites, ids)
    parts = [longtext(row, "description"), longtext(row, "details")]
    site.accessibility = "\n".join(part for part in parts if part) or None


def _service_at_location(row, ids, report, sites):
    values = {"hsds_id": identifier(row), "service_id": ids.find("services", row, "service_id", True),
              "location_id": ids.find("locations", row, "location_id", True), "description": longtext(row, "description")}
    ids.add("service_at_location", values["hsds_id"], _replace_row(service_at_location, values))


def _phone(row, ids, report, sites):
    raw = text(row, "number", required=True, limit=50).strip('"').strip()
    if not phone_digits(raw):
        raise Rejected(f"number {raw!r} has no digits")
    values = {"hsds_id": identifier(row), "service_id": ids.find("services", row, "service_id"),
              "location_id": ids.find("locations", row, "location_id"),
              "organization_id": ids.find("organizations", row, "organization_id"),
              "number": raw, "digits": phone_digits(raw), "extension": text(row, "extension", limit=20),
              "type": text(row, "type", limit=50), "description": longtext(row, "description")}
    if not (values["service_id"] or values["location_id"] or values["organization_id"]):
        raise Rejected("the phone belongs to no service, location or organization of the package")
    _replace_row(phones, values)


def _schedule(row, ids, report, sites):
    values = {"hsds_id": identifier(row), "service_id": ids.find("services", row, "service_id"),
              "location_id": ids.find("locations", row, "location_id"),
              "valid_from": day(row, "valid_from"), "valid_to": day(row, "valid_to"), "dtstart": day(row, "dtstart"),
              "until": day(row, "until"), "timezone": number(row, "timezone"), "count": number(row, "count", int),
              "wkst": text(row, "wkst", limit=2), "freq": text(row, "freq", limit=10),
              "interval": number(row, "interval", int), "byday": text(row, "byday", limit=50),
              "byweekno": text(row, "byweekno"), "bymonthday": text(row, "bymonthday"),
              "byyearday": text(row, "byyearday"), "opens_at": clock(row, "opens_at"),
              "closes_at": clock(row, "closes_at"), "description": longtext(row, "description"),
              "schedule_link": web(row, "schedule_link", report, "schedules"), "attending_type": longtext(row, "attending_type"),
              "notes": longtext(row, "notes")}
    if not (values["service_id"] or values["location_id"]):
        raise Rejected("the schedule belongs to no service or location of the package")
    _replace_row(schedules, values)


def _area(row, ids, report, sites):
    name = text(row, "name")
    values = {"hsds_id": identifier(row), "service_id": ids.find("services", row, "service_id", True), "name": name,
              "folded_name": fold(name)[:TEXT_MAX] if name else None, "description": longtext(row, "description"),
              "extent": longtext(row, "extent"), "extent_type": text(row, "extent_type", limit=50),
              "uri": web(row, "uri", report, "service_areas")}
    _replace_row(service_areas, values)


def _language(row, ids, report, sites):
    values = {"hsds_id": identifier(row), "service_id": ids.find("services", row, "service_id"),
              "location_id": ids.find("locations", row, "location_id"), "name": text(row, "name"),
              "code": text(row, "code", limit=20), "note": longtext(row, "note")}
    if not (values["service_id"] or values["location_id"]):
        raise Rejected("the language belongs to no service or location of the package")
    _replace_row(languages, values)


def _attribute(row, ids, report, sites):
    if (row.get("link_entity") or "").strip() != "service":
        report.notes.append(f"attributes {row.get('id')}: only service types (link_entity service) are kept")
        return False
    values = {"hsds_id": identifier(row), "service_id": ids.find("services", row, "link_id", True),
              "term_id": ids.find("taxonomy_terms", row, "taxonomy_term_id", True)}
    _replace_row(service_taxonomy, values)
