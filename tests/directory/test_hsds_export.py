"""The export is a CSV data package that validates against the HSDS 3 JSON Schemas and that the
import reads back to the same data."""

import csv
import json

import jsonschema
from sqlalchemy import select

from kernel.db import db
from plugins.directory.models import Resource
from tests.directory.package import load_sample, official_data, run_cli
from tests.directory.snapshot import snapshot
from tests.directory.test_hsds_import import _empty_directory

SCHEMA_OF = {"organizations": "organization", "services": "service", "locations": "location", "addresses": "address",
             "phones": "phone", "schedules": "schedule", "service_areas": "service_area", "languages": "language",
             "taxonomies": "taxonomy", "taxonomy_terms": "taxonomy_term", "attributes": "attribute",
             "service_at_location": "service_at_location", "accessibility": "accessibility"}


def _typed(row: dict, schema: dict) -> dict:
    properties, typed = schema["properties"], {}
    for name, value in row.items():
        if value == "" and name not in schema.get("required", []):
            continue
        typed[name] = float(value) if properties.get(name, {}).get("type") == "number" else value
    return typed


def assert_valid_package(folder):
    package = json.loads((folder / "datapackage.json").read_text())
    assert {resource["path"] for resource in package["resources"]} >= {"services.csv", "organizations.csv"}
    schemas = official_data() / "schema"
    for resource in package["resources"]:
        schema = json.loads((schemas / f"{SCHEMA_OF[resource['name']]}.json").read_text())
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        with (folder / resource["path"]).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                errors = [error.message for error in validator.iter_errors(_typed(row, schema))]
                assert not errors, (resource["name"], row.get("id"), errors)


def round_trip(app, tmp_path):
    before = snapshot()
    result = run_cli(app, "export-hsds", tmp_path / "export")
    assert result.exit_code == 0, result.output
    assert_valid_package(tmp_path / "export")
    _empty_directory()
    result = run_cli(app, "import-hsds", tmp_path / "export")
    assert result.exit_code == 0, result.output
    assert snapshot() == before


def test_the_official_example_round_trips_through_a_valid_export(app, tmp_path):
    assert run_cli(app, "import-hsds", official_data() / "csv").exit_code == 0
    round_trip(app, tmp_path)


def test_the_json_example_round_trips_too(app, tmp_path):
    assert run_cli(app, "import-hsds", official_data() / "json").exit_code == 0
    round_trip(app, tmp_path)


def test_french_names_service_types_and_holidays_round_trip(app, tmp_path):
    official_data()
    load_sample(app, tmp_path)
    round_trip(app, tmp_path)
    assert db.session.scalar(select(Resource.name_fr).where(Resource.name == "Housing help")) == "Aide au logement"
    with (tmp_path / "export" / "attributes.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == 5


def test_records_created_by_staff_get_stable_hsds_ids(app, tmp_path, admin):
    from kernel import records
    from kernel.registry import entities

    official_data()
    agency = records.create(entities().get("agency"), {"name": "Maison Benoît"}, admin)
    records.create(entities().get("resource"), {"name": "Repas", "organization_id": agency.id}, admin)
    db.session.commit()
    for folder in ("one", "two"):
        assert run_cli(app, "export-hsds", tmp_path / folder).exit_code == 0
    assert (tmp_path / "one" / "services.csv").read_text() == (tmp_path / "two" / "services.csv").read_text()
    assert_valid_package(tmp_path / "one")
