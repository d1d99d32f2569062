"""The OpenAPI document describes the API of every enabled entity and is a valid OpenAPI 3 document."""

import pytest
from openapi_spec_validator import validate

URL = "/api/v1/openapi.json"


@pytest.fixture
def spec(app):
    response = app.test_client().get(URL)
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(spec, ref: str):
    assert ref.startswith("#/"), f"external reference {ref}"
    node = spec
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def test_it_is_public_and_an_openapi_3_document(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Passerelle" and spec["info"]["version"]
    validate(spec)


def test_every_reference_resolves(spec):
    refs = set(_refs(spec))
    assert "#/components/schemas/Client" in refs
    for ref in refs:
        _resolve(spec, ref)


def test_the_client_schema_has_the_fields_of_a_client(spec):
    client = spec["components"]["schemas"]["Client"]
    properties = client["properties"]
    for name in ("id", "version", "first_name", "last_name", "email", "phone", "file_status",
                 "cv_up_to_date", "date_of_birth", "assigned_user_id", "created_at"):
        assert name in properties, name
    assert properties["id"].get("readOnly") is True and properties["version"].get("readOnly") is True
    assert properties["cv_up_to_date"]["type"] == "boolean"
    assert properties["date_of_birth"].get("format") == "date"


def test_the_clients_paths_and_operations(spec):
    assert set(spec["paths"]["/api/v1/clients"]) >= {"get", "post"}
    one = spec["paths"]["/api/v1/clients/{record_id}"]
    assert set(one) >= {"get", "patch", "delete"}
    listing = spec["paths"]["/api/v1/clients"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"q", "sort", "page", "per_page", "file_status"} <= names
    assert {"200", "401", "403"} <= set(listing["responses"])
    post = spec["paths"]["/api/v1/clients"]["post"]
    assert {"201", "422"} <= set(post["responses"])
    assert _resolve(spec, post["requestBody"]["content"]["application/json"]["schema"]["$ref"]) is \
        spec["components"]["schemas"]["Client"]
    assert {"200", "412", "422"} <= set(one["patch"]["responses"])
    assert {"204", "412"} <= set(one["delete"]["responses"])
    assert "If-Match" in {parameter["name"] for parameter in one["patch"]["parameters"]}


def test_operations_ask_for_the_bearer_token(spec):
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    for path in ("/api/v1/clients", "/api/v1/clients/{record_id}"):
        for operation in spec["paths"][path].values():
            assert operation["security"] == [{"bearer": []}]

