"""A public directory for the HSDS API's tests, and its answers checked against the official HSDS 3
JSON schemas (tests/directory/data/hsds-3/schema, with their licence).

The sample (tests/directory/public_helpers.py) has one public agency with three public services, two
of them at public places; to it are added a second public agency created by staff (no HSDS ids:
the ids the export derives) with a service having phones, hours and languages at a public place,
and an agency that is not public whose service is marked public (so never shown)."""

from __future__ import annotations

import json
from functools import cache

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import insert

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.directory import index
from plugins.directory.models import languages, phones, schedules, service_at_location, service_taxonomy
from tests.directory.package import HSDS_DATA, TERM_FOOD
from tests.directory.public_helpers import load_public_sample

BASE = "https://passerelle.test/hsds/"
API = "/api/v1/directory/hsds"


@cache
def registry() -> Registry:
    resources = [(BASE + path.name, Resource(contents=json.loads(path.read_text()), specification=DRAFT202012))
                 for path in (HSDS_DATA / "schema").glob("*.json") if path.name != "openapi.json"]
    return Registry().with_resources(resources)


def schema_errors(document: dict, schema: str) -> list[str]:
    validator = Draft202012Validator({"$ref": BASE + f"{schema}.json"}, registry=registry(),
                                     format_checker=FormatChecker())
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def assert_valid(document: dict, schema: str) -> None:
    errors = schema_errors(document, schema)
    assert not errors, (schema, document.get("id"), errors[:10])


def create(entity: str, values: dict, user):
    return records.create(entities().get(entity), values, user)


def insert_rows(table, rows: list[dict]) -> None:
    """Rows of a plain table that give different columns: the others are NULL."""
    columns = {key for row in rows for key in row}
    db.session.execute(insert(table), [{column: row.get(column) for column in columns} for row in rows])


def add_staff_agency(admin) -> dict:
    """A public agency, its public service at a public place, with phones, hours, languages and a type."""
    agency = create("agency", {"name": "Maison Benoît", "description": "Repas et écoute.", "public": True,
                               "website": "https://maison.example.org"}, admin)
    site = create("resource_location", {"name": "Maison Benoît, rue Saint-Denis", "organization_id": agency.id,
                                        "location_type": "physical", "address_1": "12 rue Saint-Denis", "city": "Montréal",
                                        "state_province": "QC", "postal_code": "H2X 3K8", "country": "CA",
                                        "accessibility": "Rampe d'accès", "public": True}, admin)
    service = create("resource", {"name": "Community meals", "name_fr": "Repas communautaires",
                                  "organization_id": agency.id, "public": True, "status": "active",
                                  "minimum_age": 16, "description": "Hot meals at noon."}, admin)
    db.session.flush()
    db.session.execute(insert(service_at_location).values(service_id=service.id, location_id=site.id))
    insert_rows(phones, [
        {"service_id": service.id, "number": "514 555 0909", "digits": "5145550909", "type": "voice",
         "extension": "12"},
        {"location_id": site.id, "number": "514 555 0910", "digits": "5145550910", "type": "fax"},
        {"organization_id": agency.id, "number": "514 555 0911", "digits": "5145550911", "type": "voice"}])
    insert_rows(schedules, [
        {"service_id": service.id, "freq": "WEEKLY", "byday": "MO,WE,FR", "opens_at": "11:30", "closes_at": "13:30"},
        {"location_id": site.id, "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00",
         "closes_at": "17:00"}])
    insert_rows(languages, [{"service_id": service.id, "code": "fr", "name": "French"},
                                           {"service_id": service.id, "code": "es", "name": "Spanish"},
                                           {"location_id": site.id, "code": "en", "name": "English"}])
    term_id = db.session.scalar(entities().get("taxonomy_term").model.__table__.select()
                                .with_only_columns(entities().get("taxonomy_term").model.id)
                                .where(entities().get("taxonomy_term").model.hsds_id == TERM_FOOD))
    db.session.execute(insert(service_taxonomy).values(service_id=service.id, term_id=term_id))
    return {"agency": agency.id, "site": site.id, "service": service.id}


def add_hidden_agency(admin) -> dict:
    """An agency that is not public: its service, marked public, is not shown either."""
    agency = create("agency", {"name": "Private network", "description": "Not public.", "public": False}, admin)
    service = create("resource", {"name": "Hidden meals", "organization_id": agency.id, "public": True}, admin)
    return {"agency": agency.id, "service": service.id}


def load_api_directory(app, tmp_path, admin) -> dict:
    app.config["DIRECTORY_PUBLIC"] = True
    ids = {"sample": load_public_sample(app, tmp_path), "staff": add_staff_agency(admin),
           "hidden": add_hidden_agency(admin)}
    db.session.flush()
    index.rebuild()
    db.session.commit()
    return ids


def get_json(client, path: str, status: int = 200, **args) -> dict:
    response = client.get(API + path, query_string=args)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    assert response.is_json
    return response.get_json()
