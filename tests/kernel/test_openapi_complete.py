"""The OpenAPI document describes the whole API (issue 17): every route of the app's URL map under
/api/v1/, the kernel's and every enabled plugin's, with its methods, parameters, bodies, answers,
errors and security; and nothing else. It validates, what the routes really answer fits it, a
disabled plugin's routes are not in it, and a route nobody described fails here, saying how to
describe it."""

import re
import types

import pytest
from flask import Blueprint, jsonify
from marshmallow import fields
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from openapi_spec_validator import validate

from kernel.openapi import HOW_TO_DESCRIBE, UNDESCRIBED, undescribed_routes
from kernel.registry import entities
from kernel.toolkit import ApiSchema, api_operation, hookimpl, token_required

URL = "/api/v1/openapi.json"
IGNORED = {"HEAD", "OPTIONS"}


def document(app) -> dict:
    response = app.test_client().get(URL)
    assert response.status_code == 200
    return response.get_json()


def rule_paths(app) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every API rule of the URL map; an ``<entity:…>`` part stands for
    each enabled entity's plural."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        plurals = [entity.plural for entity in entities()] if "<entity:" in rule.rule else [None]
        for plural in plurals:
            path = re.sub(r"<entity:\w+>", plural or "", rule.rule)
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", path)
            found |= {(path, method) for method in rule.methods - IGNORED}
    return found


def documented_paths(spec) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, operations in spec["paths"].items() for method in operations}


def inlined(spec, node):
    """``node`` with every ``$ref`` replaced by what it points at (the document has no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return inlined(spec, target)
        return {key: inlined(spec, value) for key, value in node.items()}
    if isinstance(node, list):
        return [inlined(spec, item) for item in node]
    return node


def answer_schema(spec, path: str, method: str, status: int) -> dict:
    responses = spec["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} answered {status}, which the document does not list"
    return inlined(spec, responses[str(status)])["content"]["application/json"]["schema"]


def assert_fits(spec, path: str, method: str, response) -> dict:
    """The answer's status is documented for the operation, and its JSON fits the schema given."""
    body = response.get_json()
    OAS30ReadValidator(answer_schema(spec, path, method, response.status_code),
                       format_checker=OAS30ReadValidator.FORMAT_CHECKER).validate(body)
    return body


@pytest.fixture
def spec(app):
    return document(app)


# -- the document and the URL map -------------------------------------------------------------
def test_the_document_validates(spec):
    validate(spec)


def test_every_api_route_of_the_url_map_is_in_the_document_with_its_methods(app, spec):
    missing = rule_paths(app) - documented_paths(spec)
    assert not missing, f"API routes missing from the document: {sorted(missing)}"


def test_every_documented_operation_is_a_route_of_the_url_map(app, spec):
    extra = documented_paths(spec) - rule_paths(app)
    assert not extra, f"the document describes routes the app does not have: {sorted(extra)}"
    adapter = app.url_map.bind("localhost")
    for path, method in documented_paths(spec):
        rule, _arguments = adapter.match(re.sub(r"\{\w+\}", "1", path), method=method, return_rule=True)
        assert rule.rule.startswith("/api/v1/"), (path, method, rule.rule)


def test_every_route_is_described(app, spec):
    undescribed = undescribed_routes(app)
    assert not undescribed, f"these API routes are not described: {undescribed}; {HOW_TO_DESCRIBE}"
    marked = [(path, method) for path, operations in spec["paths"].items()
              for method, operation in operations.items() if operation.get(UNDESCRIBED)]
    assert marked == []


def test_every_operation_has_answers_security_and_the_errors_of_its_kind(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation["summary"] and operation["tags"], where
            codes = set(operation["responses"])
            assert any(code.startswith("2") for code in codes), where
            assert {"400", "503"} <= codes, where
            if operation["security"]:
                assert operation["security"] == [{"bearer": []}] and {"401", "403"} <= codes, where
            if "{" in path:
                assert "404" in codes, where
            if method in ("post", "put", "patch", "delete"):
                assert "409" in codes, where
            if "requestBody" in operation:
                assert "422" in codes and operation["requestBody"]["content"]["application/json"]["schema"], where
            path_names = set(re.findall(r"\{(\w+)\}", path))
            declared = {parameter["name"] for parameter in operation.get("parameters", ()) if parameter["in"] == "path"}
            assert declared == path_names, where


def test_a_route_asking_for_a_token_refuses_a_request_without_one_and_the_public_one_does_not(app, spec):
    client = app.test_client()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answer = client.open(re.sub(r"\{\w+\}", "1", path), method=method.upper(), json={})
            if operation["security"]:
                assert answer.status_code == 401, f"{method.upper()} {path} answered {answer.status_code}"
                assert_fits(spec, path, method, answer)
            else:  # a public route may be switched off by a setting, or name nothing (documented 404)
                allowed = {200, 404} if "404" in operation["responses"] else {200}
                assert answer.status_code in allowed, f"{method.upper()} {path} is public but answered {answer.status_code}"


def test_the_standard_error_answers_are_the_kernels(spec):
    responses = spec["components"]["responses"]
    assert {"BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "PreconditionFailed",
            "UnprocessableEntity", "TooManyRequests", "ServiceUnavailable"} <= set(responses)
    validation = inlined(spec, responses["UnprocessableEntity"])["content"]["application/json"]["schema"]
    assert {"required": ["errors"]} in validation["anyOf"]
    assert validation["properties"]["errors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    assert "Retry-After" in responses["TooManyRequests"]["headers"]


# -- entity schemas ----------------------------------------------------------------------------
def test_entity_schemas_list_required_read_only_choices_and_formats(app, spec):
    schemas = spec["components"]["schemas"]
    formats = {"email": "email", "url": "uri", "date": "date", "datetime": "date-time"}
    for entity in entities():
        name = "".join(part.capitalize() for part in entity.name.split("_"))
        schema, changes = schemas[name], schemas[f"{name}Changes"]
        required = {field for field, meta in entity.fields.items() if meta.required and meta.editable}
        assert set(schema["required"]) == required | {"id", "version", "created_at", "updated_at"}, name
        assert "required" not in changes, name  # a PATCH sends only what changes
        for field, meta in entity.fields.items():
            prop = schema["properties"][field]
            assert prop.get("readOnly", False) is (not meta.editable), (name, field)
            assert prop.get("nullable", False) is (not meta.required), (name, field)
            if meta.kind in formats:
                assert prop["format"] == formats[meta.kind], (name, field)
            if meta.kind == "choice":
                values = [value for value, _label in meta.choices.all_items()]
                assert prop["enum"] == values + ([] if meta.required else [None]), (name, field)
        for basic in ("id", "version", "created_at"):
            assert schema["properties"][basic]["readOnly"] is True


def test_the_clients_list_filters_are_typed_from_their_fields(spec):
    parameters = {parameter["name"]: parameter for parameter in spec["paths"]["/api/v1/clients"]["get"]["parameters"]}
    assert {"q", "sort", "page", "per_page"} <= set(parameters)
    assert "in_progress" in parameters["file_status"]["schema"]["enum"]
    assert parameters["cv_up_to_date"]["schema"]["type"] == "boolean"


# -- what the routes answer fits the document ----------------------------------------------------
def test_the_records_answers_fit_the_document(app, spec, admin, token_for):
    client, headers = app.test_client(), token_for(admin)
    created = client.post("/api/v1/clients", headers=headers, json={
        "last_name": "Tremblay", "first_name": "Zoé", "email": "zoe@example.org", "file_status": "open",
        "date_of_birth": "1990-05-01"})
    record = assert_fits(spec, "/api/v1/clients", "post", created)
    assert created.status_code == 201
    OAS30WriteValidator(inlined(spec, spec["components"]["schemas"]["Client"])).validate(
        {"last_name": "Roy", "email": "roy@example.org"})
    assert_fits(spec, "/api/v1/clients", "get", client.get("/api/v1/clients", headers=headers))
    one = f"/api/v1/clients/{record['id']}"
    assert_fits(spec, "/api/v1/clients/{record_id}", "get", client.get(one, headers=headers))
    refused = client.post("/api/v1/clients", headers=headers, json={"email": "nope"})
    assert set(assert_fits(spec, "/api/v1/clients", "post", refused)["errors"]) == {"last_name", "email"}
    stale = client.patch(one, headers={**headers, "If-Match": '"99"'}, json={"first_name": "Zoë"})
    assert stale.status_code == 412 and assert_fits(spec, "/api/v1/clients/{record_id}", "patch", stale)["version"] == 1
    assert_fits(spec, "/api/v1/clients/{record_id}", "get", client.get("/api/v1/clients/99999", headers=headers))
    duplicates = client.get("/api/v1/clients/duplicates?last_name=Tremblay&first_name=Zoe", headers=headers)
    assert assert_fits(spec, "/api/v1/clients/duplicates", "get", duplicates)["items"][0]["id"] == record["id"]


def test_the_calendars_answers_fit_the_document(app, spec, admin, make_user, token_for):
    client, headers = app.test_client(), token_for(admin)
    colleague = make_user("staff", email="colleague@example.org")
    meeting = client.post("/api/v1/meetings", headers=headers, json={
        "subject": "Intake", "start": "2026-03-02T10:00:00", "end": "2026-03-02T11:00:00",
        "assigned_user_id": admin.id})
    assert meeting.status_code == 201, meeting.get_json()
    meeting_id = meeting.get_json()["id"]
    events = client.get("/api/v1/activities/calendar/events?start=2026-03-01&end=2026-04-01", headers=headers)
    assert [event["title"] for event in assert_fits(spec, "/api/v1/activities/calendar/events", "get", events)["events"]] == [
        "Intake"]
    assert_fits(spec, "/api/v1/activities/calendar/events", "get", client.get("/api/v1/activities/calendar/events", headers=headers))
    invitees = f"/api/v1/meetings/{meeting_id}/invitees"
    put = client.put(invitees, headers=headers, json={"invitees": [colleague.id]})
    assert assert_fits(spec, "/api/v1/meetings/{meeting_id}/invitees", "put", put) == {"invitees": [colleague.id]}
    assert_fits(spec, "/api/v1/meetings/{meeting_id}/invitees", "get", client.get(invitees, headers=headers))
    assert_fits(spec, "/api/v1/meetings/{meeting_id}/invitees", "put",
                client.put(invitees, headers=headers, json={"invitees": "everyone"}))
    shared = client.put("/api/v1/activities/calendar/sharing", headers=headers, json={"sharing": "chosen", "viewers": [colleague.id]})
    assert assert_fits(spec, "/api/v1/activities/calendar/sharing", "put", shared) == {"sharing": "chosen", "viewers": [colleague.id]}
    assert_fits(spec, "/api/v1/activities/calendar/sharing", "get", client.get("/api/v1/activities/calendar/sharing", headers=headers))


def test_the_directory_search_and_the_tokens_answers_fit_the_document(app, spec, admin, token_for):
    client, headers = app.test_client(), token_for(admin)
    agency = client.post("/api/v1/agencies", headers=headers, json={"name": "Community kitchens"})
    resource = client.post("/api/v1/resources", headers=headers, json={
        "name": "Food bank", "organization_id": assert_fits(spec, "/api/v1/agencies", "post", agency)["id"]})
    assert resource.status_code == 201, resource.get_json()
    found = client.get("/api/v1/directory/search?q=food", headers=headers)
    assert [hit["name"] for hit in assert_fits(spec, "/api/v1/directory/search", "get", found)["results"]] == [
        "Food bank"]
    assert_fits(spec, "/api/v1/directory/search", "get",
                client.get("/api/v1/directory/search?radius=-3", headers=headers))
    from kernel.testing import TEST_PASSWORD

    token = client.post("/api/v1/tokens", headers=headers, json={"password": TEST_PASSWORD, "name": "robot"})
    assert token.status_code == 201 and assert_fits(spec, "/api/v1/tokens", "post", token)["name"] == "robot"
    assert_fits(spec, "/api/v1/tokens", "post", client.post("/api/v1/tokens", headers=headers, json={"password": "no"}))


def test_the_incoming_call_answers_fit_the_document(app, spec, admin, token_for):
    client, headers = app.test_client(), token_for(admin)
    line = client.post("/api/v1/source-lines", headers=headers, json={"name": "Main line", "code": "main"})
    assert_fits(spec, "/api/v1/source-lines", "post", line)
    call = {"line": "main", "caller": "867-979-1234", "call_id": "call-1"}
    started = client.post("/api/v1/contactcenter/incoming", headers=headers, json=call)
    assert started.status_code == 201
    contact = assert_fits(spec, "/api/v1/contactcenter/incoming", "post", started)
    again = client.post("/api/v1/contactcenter/incoming", headers=headers, json=call)
    assert again.status_code == 200 and assert_fits(spec, "/api/v1/contactcenter/incoming", "post", again) == contact
    unknown = client.post("/api/v1/contactcenter/incoming", headers=headers, json={"line": "nowhere"})
    assert "line" in assert_fits(spec, "/api/v1/contactcenter/incoming", "post", unknown)["errors"]


# -- enabled plugins only; a plugin's own routes ---------------------------------------------------
def test_a_disabled_plugins_routes_and_records_are_not_in_the_document(make_app):
    app = make_app(plugins=("clients",))
    with app.app_context():
        spec = document(app)
        validate(spec)
        assert documented_paths(spec) == rule_paths(app)
    assert "/api/v1/clients" in spec["paths"] and "Client" in spec["components"]["schemas"]
    for gone in ("/api/v1/directory/search", "/api/v1/activities/calendar/events", "/api/v1/contactcenter/incoming",
                 "/api/v1/partners", "/api/v1/meetings/{meeting_id}/invitees"):
        assert gone not in spec["paths"], gone
    assert "Partner" not in spec["components"]["schemas"]


class StampSchema(ApiSchema):
    note = fields.String(required=True)


stamps = Blueprint("stamps", __name__, url_prefix="/api/v1/stamps")


@stamps.route("/<int:stamp_id>", methods=["PUT"])
@api_operation("Stamp something", tags=["Stamps"], request=StampSchema, responses={200: StampSchema, 422: None},
               query=[{"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}])
@token_required
def stamp(stamp_id):
    return jsonify(note=str(stamp_id))


@stamps.route("/forgotten")
@token_required
def forgotten():
    return jsonify()


@hookimpl
def passerelle_blueprints():
    return [stamps]


stamps_plugin = types.ModuleType("stamps_plugin")
stamps_plugin.passerelle_blueprints = passerelle_blueprints


def test_a_plugins_described_route_is_in_the_document_and_an_undescribed_one_is_named(make_app):
    app = make_app(extra_plugins={"stamps": stamps_plugin}, plugins=("clients", "stamps"))
    with app.app_context():
        assert undescribed_routes(app) == ["GET /api/v1/stamps/forgotten (stamps.forgotten)"]
        spec = document(app)
    validate(spec)
    put = spec["paths"]["/api/v1/stamps/{stamp_id}"]["put"]
    assert put["security"] == [{"bearer": []}] and put["tags"] == ["Stamps"]
    assert {(parameter["name"], parameter["in"], parameter["schema"]["type"]) for parameter in put["parameters"]} == {
        ("stamp_id", "path", "integer"), ("dry_run", "query", "boolean")}
    assert put["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Stamp"}
    assert spec["components"]["schemas"]["Stamp"]["required"] == ["note"]
    assert {"200", "400", "401", "403", "404", "409", "413", "422", "503"} == set(put["responses"])
    forgotten_route = spec["paths"]["/api/v1/stamps/forgotten"]["get"]
    assert forgotten_route[UNDESCRIBED] is True and forgotten_route["security"] == [{"bearer": []}]
