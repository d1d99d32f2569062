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


class Exporter:
    def __init__(self):
        self.agency_ids = self._hsds_ids(Agency, "organizations")
        self.service_ids = self._hsds_ids(Resource, "services")
        self.site_ids = self._hsds_ids(Site, "locations")
        self.term_ids = self._hsds_ids(TaxonomyTerm, "taxonomy_terms")

    @staticmethod
    def _hsds_ids(model, kind) -> dict[int, str]:
        rows = db.session.execute(select(model.id, model.hsds_id).where(model.deleted_at.is_(None)))
        return {row.id: row.hsds_id or stable_id(kind, row.id) for row in rows}

    def tables(self) -> dict[str, list[dict]]:
        return {
            "organizations": self.organizations(), "services": self.services(), "locations": self.locations(),
            "addresses": self.addresses(), "accessibility": self.accessibility(),
            "service_at_location": self.plain(service_at_location, "service_at_location",
                                              {"service_id": self.service_ids, "location_id": self.site_ids}),
            "phones": self.phones(), "schedules": self.plain(
                schedules, "schedules", {"service_id": self.service_ids, "location_id": self.site_ids}),
            "service_areas": self.plain(service_areas, "service_areas", {"service_id": self.service_ids},
                                        skip=("folded_name",)),
            "languages": self.plain(languages, "languages", {"service_id": self.service_ids, "location_id": self.site_ids}),
            "taxonomies": self.plain(taxonomies, "taxonomies", {}),
            "taxonomy_terms": self.terms(), "attributes": self.attributes(),
        }

    def _records(self, model):
        return db.session.scalars(select(model).where(model.deleted_at.is_(None)).order_by(model.id))

    def organizations(self):
        return [{"id": self.agency_ids[a.id], "name": a.name, "alternate_name": a.alternate_name,
                 "description": a.description or "", "email": a.email, "website": a.website,
                 "name_fr": a.name_fr, "description_fr": a.description_fr} for a in self._records(Agency)]

    def services(self):
        names = ("name", "alternate_name", "description", "url", "email", "interpretation_services",
                 "application_process", "fees_description", "wait_time", "accreditations", "eligibility_description",
                 "minimum_age", "maximum_age", "licenses", "alert", "name_fr", "description_fr")
        return [{"id": self.service_ids[s.id], "organization_id": self.agency_ids.get(s.organization_id),
                 "status": s.status or "active", **{name: getattr(s, name) for name in names}} for s in self._records(Resource)]

    def locations(self):
        names = ("location_type", "url", "name", "alternate_name", "description", "transportation", "latitude",
                 "longitude")
        return [{"id": self.site_ids[s.id], "organization_id": self.agency_ids.get(s.organization_id),
                 **{name: getattr(s, name) for name in names}} for s in self._records(Site)]

    def addresses(self):
        names = ("attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country",
                 "address_type")
        return [{"id": s.address_hsds_id or stable_id("address", s.id), "location_id": self.site_ids[s.id],
                 **{name: getattr(s, name) or "" for name in names}}
                for s in self._records(Site) if s.address_1 or s.city or s.postal_code]

    def accessibility(self):
        return [{"id": stable_id("accessibility", self.site_ids[s.id]), "location_id": self.site_ids[s.id],
                 "description": s.accessibility} for s in self._records(Site) if s.accessibility]

    def phones(self):
        references = {"service_id": self.service_ids, "location_id": self.site_ids, "organization_id": self.agency_ids}
        return self.plain(phones, "phones", references, skip=("digits",))

    def terms(self):
        return [{"id": self.term_ids[t.id], "code": t.code, "name": t.name, "description": t.description or "",
                 "parent_id": t.parent_hsds_id, "taxonomy": t.taxonomy, "language": t.language,
                 "taxonomy_id": t.taxonomy_hsds_id, "term_uri": t.term_uri, "name_fr": t.name_fr}
                for t in self._records(TaxonomyTerm)]

    def attributes(self):
        rows = db.session.execute(select(service_taxonomy).order_by(service_taxonomy.c.id))
        return [{"id": row.hsds_id or stable_id("attribute", row.id), "link_id": self.service_ids.get(row.service_id),
                 "taxonomy_term_id": self.term_ids.get(row.term_id), "link_type": "service_type",
                 "link_entity": "service"} for row in rows
                if row.service_id in self.service_ids and row.term_id in self.term_ids]

    def plain(self, table, kind: str, references: dict, skip=()):
        rows = []
        for row in db.session.execute(select(table).order_by(table.c.id)):
            values = dict(row._mapping)
            exported = {"id": values.pop("hsds_id") or stable_id(kind, values["id"])}
            values.pop("id")
            for column, id_map in references.items():
                values[column] = id_map.get(values[column]) if values.get(column) is not None else None
            if references and not any(values.get(column) for column in references):
                continue  # its service or place is in the trash
            exported.update({name: value for name, value in values.items() if name not in skip})
            rows.append(exported)
        return rows


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
