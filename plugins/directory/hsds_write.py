"""Writing the directory as an HSDS 3 CSV data package, each row checked against the official
JSON Schema of its object (``schema/<object>.json``)."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

from sqlalchemy import select

from kernel.toolkit import db
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

# table → its object's schema file
SCHEMAS = {"organizations": "organization", "services": "service", "locations": "location", "addresses": "address",
           "accessibility": "accessibility", "service_at_location": "service_at_location", "phones": "phone",
           "schedules": "schedule", "service_areas": "service_area", "languages": "language",
           "taxonomies": "taxonomy", "taxonomy_terms": "taxonomy_term", "attributes": "attribute"}
EXTENSIONS = {"organizations": ["name_fr", "description_fr"], "services": ["name_fr", "description_fr"],
              "taxonomy_terms": ["name_fr"]}
DEFAULT_SCHEMA_FOLDER = Path("/work/shared/data/hsds-3/schema")


class InvalidExport(Exception):
    """Some rows do not follow the HSDS schema; the message lists them."""


def stable_id(kind: str, value) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"passerelle:{kind}:{value}"))


def _string(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- one record → one HSDS object (flat: its one-to-one fields), shared by the export and the API --
SERVICE_FIELDS = ("name", "alternate_name", "description", "url", "email", "interpretation_services",
                  "application_process", "fees_description", "wait_time", "accreditations", "eligibility_description",
                  "minimum_age", "maximum_age", "licenses", "alert", "name_fr", "description_fr")
LOCATION_FIELDS = ("location_type", "url", "name", "alternate_name", "description", "transportation", "latitude",
                   "longitude")
ADDRESS_FIELDS = ("attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country",
                  "address_type")
ADDRESS_TYPES = ("physical", "postal", "virtual")
# plain table → (its HSDS kind for stable ids, the columns that point at records, the columns left out)
PLAIN_TABLES = {
    "service_at_location": (service_at_location, ("service_id", "location_id"), ()),
    "phones": (phones, ("service_id", "location_id", "organization_id"), ("digits",)),
    "schedules": (schedules, ("service_id", "location_id"), ()),
    "service_areas": (service_areas, ("service_id",), ("folded_name",)),
    "languages": (languages, ("service_id", "location_id"), ()),
    "taxonomies": (taxonomies, (), ()),
}


def hsds_id_of(record, kind: str) -> str:
    """A record's HSDS id: the one it was imported with, else one derived from its database id."""
    return record.hsds_id or stable_id(kind, record.id)


def organization_object(agency, agency_id: str) -> dict:
    return {"id": agency_id, "name": agency.name, "alternate_name": agency.alternate_name,
            "description": agency.description or "", "email": agency.email, "website": agency.website,
            "name_fr": agency.name_fr, "description_fr": agency.description_fr}


def service_object(service, service_id: str, organization_id: str | None) -> dict:
    return {"id": service_id, "organization_id": organization_id, "status": service.status or "active",
            **{name: getattr(service, name) for name in SERVICE_FIELDS}}


def location_object(site, site_id: str, organization_id: str | None) -> dict:
    return {"id": site_id, "organization_id": organization_id, **{name: getattr(site, name) for name in LOCATION_FIELDS}}


def address_object(site, site_id: str) -> dict | None:
    if not (site.address_1 or site.city or site.postal_code):
        return None
    values = {name: getattr(site, name) or "" for name in ADDRESS_FIELDS}
    # The schema requires one of its types: a place typed by staff without one is at its place's type.
    values["address_type"] = values["address_type"] or (
        site.location_type if site.location_type in ADDRESS_TYPES else "physical")
    return {"id": site.address_hsds_id or stable_id("address", site.id), "location_id": site_id, **values}


def accessibility_object(site, site_id: str) -> dict | None:
    if not site.accessibility:
        return None
    return {"id": stable_id("accessibility", site_id), "location_id": site_id, "description": site.accessibility}


def term_object(term, term_id: str) -> dict:
    return {"id": term_id, "code": term.code, "name": term.name, "description": term.description or "",
            "parent_id": term.parent_hsds_id, "taxonomy": term.taxonomy, "language": term.language,
            "taxonomy_id": term.taxonomy_hsds_id, "term_uri": term.term_uri, "name_fr": term.name_fr}


def attribute_object(link, service_id: str, term_id: str) -> dict:
    """A service's link to a taxonomy term (``directory_service_taxonomy`` row)."""
    return {"id": link.hsds_id or stable_id("attribute", link.id), "link_id": service_id,
            "taxonomy_term_id": term_id, "link_type": "service_type", "link_entity": "service"}


def plain_object(row, kind: str, references: dict[str, dict], skip=()) -> dict | None:
    """A row of a plain table, its record columns as HSDS ids (``references``: column → {db id: HSDS id});
    None when it points at records of which none is known (in the trash, or not public)."""
    values = dict(row._mapping)
    exported = {"id": values.pop("hsds_id") or stable_id(kind, values["id"])}
    values.pop("id")
    for column, id_map in references.items():
        values[column] = id_map.get(values[column]) if values.get(column) is not None else None
    if references and not any(values.get(column) for column in references):
        return None
    exported.update({name: value for name, value in values.items() if name not in skip})
    return exported


class Exporter:
    def __init__(self):
        self.agency_ids = self._hsds_ids(Agency, "organizations")
        self.service_ids = self._hsds_ids(Resource, "services")
        self.site_ids = self._hsds_ids(Site, "locations")
        self.term_ids = self._hsds_ids(TaxonomyTerm, "taxonomy_terms")

    @staticmethod
    def _hsds_ids(model, kind) -> dict[int, str]:
        rows = db.session.execute(select(model.id, model.hsds_id).where(model.deleted_at.is_(None)))
        return {row.id: hsds_id_of(row, kind) for row in rows}

    def references(self, columns) -> dict[str, dict]:
        maps = {"service_id": self.service_ids, "location_id": self.site_ids, "organization_id": self.agency_ids}
        return {column: maps[column] for column in columns}

    def tables(self) -> dict[str, list[dict]]:
        return {
            "organizations": self.organizations(), "services": self.services(), "locations": self.locations(),
            "addresses": self.addresses(), "accessibility": self.accessibility(),
            "service_at_location": self.plain("service_at_location"), "phones": self.plain("phones"),
            "schedules": self.plain("schedules"), "service_areas": self.plain("service_areas"),
            "languages": self.plain("languages"), "taxonomies": self.plain("taxonomies"),
            "taxonomy_terms": self.terms(), "attributes": self.attributes(),
        }

    def _records(self, model):
        return db.session.scalars(select(model).where(model.deleted_at.is_(None)).order_by(model.id))

    def organizations(self):
        return [organization_object(a, self.agency_ids[a.id]) for a in self._records(Agency)]

    def services(self):
        return [service_object(s, self.service_ids[s.id], self.agency_ids.get(s.organization_id))
                for s in self._records(Resource)]

    def locations(self):
        return [location_object(s, self.site_ids[s.id], self.agency_ids.get(s.organization_id))
                for s in self._records(Site)]

    def addresses(self):
        return [row for s in self._records(Site) if (row := address_object(s, self.site_ids[s.id]))]

    def accessibility(self):
        return [row for s in self._records(Site) if (row := accessibility_object(s, self.site_ids[s.id]))]

    def terms(self):
        return [term_object(t, self.term_ids[t.id]) for t in self._records(TaxonomyTerm)]

    def attributes(self):
        rows = db.session.execute(select(service_taxonomy).order_by(service_taxonomy.c.id))
        return [attribute_object(row, self.service_ids[row.service_id], self.term_ids[row.term_id]) for row in rows
                if row.service_id in self.service_ids and row.term_id in self.term_ids]

    def plain(self, kind: str):
        table, columns, skip = PLAIN_TABLES[kind]
        references = self.references(columns)
        rows = (plain_object(row, kind, references, skip) for row in db.session.execute(select(table).order_by(table.c.id)))
        return [row for row in rows if row is not None]


# -- checking against the schemas ---------------------------------------------------------
def load_schemas(folder: Path) -> dict[str, dict]:
    return {table: json.loads((folder / f"{name}.json").read_text()) for table, name in SCHEMAS.items()}


def as_json_object(row: dict, schema: dict) -> dict:
    """A CSV row typed as the schema says (numbers as numbers), empty cells left out."""
    properties = schema.get("properties", {})
    typed = {}
    for name, value in row.items():
        if value in (None, ""):
            if name in schema.get("required", []):
                typed[name] = ""
            continue
        kind = properties.get(name, {}).get("type")
        typed[name] = float(value) if kind == "number" else str(value) if kind == "string" else value
    return typed


def schema_errors(tables: dict[str, list[dict]], folder: Path) -> list[str]:
    from jsonschema import Draft202012Validator, FormatChecker

    schemas = load_schemas(folder)
    errors = []
    for table, rows in tables.items():
        validator = Draft202012Validator(schemas[table], format_checker=FormatChecker())
        for row in rows:
            for error in validator.iter_errors(as_json_object(row, schemas[table])):
                errors.append(f"{table} {row.get('id')}: {error.message}")
    return errors


def columns_of(table: str, rows: list[dict], schema: dict) -> list[str]:
    """The schema's flat properties in its order, then our extension columns."""
    flat = [name for name, spec in schema.get("properties", {}).items() if spec.get("type") not in ("array", "object")
            and "$ref" not in spec and spec.get("type") is not None]
    present = {key for row in rows for key in row}
    return flat + [name for name in EXTENSIONS.get(table, []) if name not in flat and name in present]


def write_package(folder: Path, schema_folder: Path = DEFAULT_SCHEMA_FOLDER) -> dict[str, int]:
    """Write the CSV files and datapackage.json; raise InvalidExport when a row breaks the schema."""
    tables = Exporter().tables()
    errors = schema_errors(tables, schema_folder)
    if errors:
        raise InvalidExport("\n".join(errors[:50]))
    schemas = load_schemas(schema_folder)
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for table, rows in tables.items():
        columns = columns_of(table, rows, schemas[table])
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            # Not kernel.export.csv_writer: an HSDS package is data exchanged between systems, read by
            # programs, not spreadsheets; a quote before "+1 613…" or "-" would corrupt the values.
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({key: _string(value) for key, value in row.items()} for row in rows)
        resources.append({"name": table, "path": f"{table}.csv", "profile": "tabular-data-resource",
                          "schema": {"fields": [{"name": column, "type": _field_type(schemas[table], column)}
                                                for column in columns]}})
    package = {"name": "passerelle-resources", "profile": "tabular-data-package", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    return {table: len(rows) for table, rows in tables.items()}


def _field_type(schema: dict, column: str) -> str:
    kind = schema.get("properties", {}).get(column, {}).get("type", "string")
    return kind if kind in {"string", "number", "integer", "boolean"} else "string"
