"""How the HSDS API's routes are described in the OpenAPI document (``/api/v1/openapi.json``): the
query parameters each endpoint takes (as in the HSDS 3 API specification) and the shapes answered."""

from __future__ import annotations

TAG = "Open Referral HSDS"
SPECIFICATION = "https://docs.openreferral.org/en/latest/hsds/api_reference.html"
PAGING = frozenset({"page", "per_page"})
SERVICE_FILTERS = frozenset({"search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "full"})
# endpoint → the parameters it takes (besides ``lang`` and ``format=json``)
LIST_PARAMETERS = {
    "services": PAGING | SERVICE_FILTERS,
    "service_at_locations": PAGING | SERVICE_FILTERS | {"postcode", "proximity"},
    "organizations": PAGING | {"search", "full", "full_service"},
    "organization": frozenset({"full_service"}),
    "locations": PAGING | {"search", "organization_id", "modified_after"},
    "taxonomy_terms": PAGING | {"search", "taxonomy_id", "parent_id", "top_only"},
}
PARAMETERS = {
    "page": ("integer", "The page wanted, from 1."),
    "per_page": ("integer", "How many objects a page holds (1 to 200, 50 by default)."),
    "search": ("string", "Words to find (services: the resource search's keyword index; others: their names)."),
    "full": ("boolean", "true: the fully nested objects, as /{id} answers them."),
    "full_service": ("boolean", "true: an organisation's services fully nested (else their ids)."),
    "taxonomy_term_id": ("string", "Only the services of this service type (a taxonomy term's id)."),
    "taxonomy_id": ("string", "Only the services with a term of this taxonomy."),
    "organization_id": ("string", "Only what this organisation offers."),
    "modified_after": ("string", "Only what changed on or after this date and time (ISO 8601, UTC by default)."),
    "postcode": ("string", "Only the services at a place with this postal code (or near it, with proximity)."),
    "proximity": ("integer", "With postcode: only the services at a place within this many metres of its centre."),
    "parent_id": ("string", "Only the terms under this term."),
    "top_only": ("boolean", "true: only the terms with no parent."),
}
COMMON = [
    {"name": "lang", "in": "query", "required": False, "description": "The language of error messages (fr, en).",
     "schema": {"type": "string", "enum": ["fr", "en"]}},
    {"name": "format", "in": "query", "required": False, "description": "Only json is offered.",
     "schema": {"type": "string", "enum": ["json"]}},
]
ID_PARAMETER_NOTE = ("The id is the record's HSDS id: the one it was imported with, or the one the HSDS export "
                     "gives it. A record that is not public answers 404, as an unknown id does.")
ROOT_SCHEMA = {"type": "object", "properties": {
    "version": {"type": "string", "description": "HSDS version of this API."},
    "profile": {"type": "string", "format": "uri", "description": "The HSDS profile of this API."},
    "openapi_url": {"type": "string", "format": "uri", "description": "This API's OpenAPI document."}}}


def parameters_of(endpoint: str) -> list[dict]:
    names = sorted(LIST_PARAMETERS[endpoint])
    return [{"name": name, "in": "query", "required": False, "description": PARAMETERS[name][1],
             "schema": {"type": PARAMETERS[name][0]}} for name in names] + COMMON


def hsds_object(kind: str) -> dict:
    return {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}},
            "title": f"An HSDS 3 {kind} object ({SPECIFICATION}; schema/{kind}.json)"}


def page_schema(kind: str) -> dict:
    counts = {name: {"type": "integer"} for name in ("total_items", "total_pages", "page_number", "per_page", "size")}
    flags = {name: {"type": "boolean"} for name in ("first_page", "last_page", "empty")}
    return {"type": "object", "properties": {**counts, **flags, "contents": {"type": "array",
                                                                            "items": hsds_object(kind)}}}


def list_responses(kind: str) -> dict:
    """A page of objects; 400 for a parameter it cannot use, 404 while the public directory is off."""
    return {200: page_schema(kind), 404: None, 429: None}


def object_responses(kind: str) -> dict:
    return {200: hsds_object(kind), 404: None, 429: None}
