"""The OpenAPI document of the REST API (``GET /api/v1/openapi.json``).

Every rule of the app's URL map under ``/api/v1/`` is in it, the kernel's and every enabled
plugin's, so a disabled plugin's routes are not. A view describes its route with
:func:`api_operation` (in the toolkit)::

    @blueprint.route("/api/v1/bookmarks/<int:bookmark_id>/visits", methods=["GET", "POST"])
    @api_operation("A bookmark's visits", method="GET", responses={200: VisitsSchema})
    @api_operation("Count a visit", method="POST", request=VisitSchema, responses={201: VisitSchema})
    @token_required
    def visits(bookmark_id): ...

The builder adds what the kernel itself gives: the path parameters typed from the URL converters,
the bearer-token security (none for ``public=True``) and the kernel's standard error answers.
A route whose path has an ``<entity:…>`` part appears once for each enabled entity; the values of
its description may then be functions of the entity. A route left undescribed still appears,
marked ``x-undescribed``, and the test of the document fails naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import EXCLUDE, Schema
from werkzeug.routing import FloatConverter, IntegerConverter, UUIDConverter

from kernel.entities import Entity, FieldMeta

API_PREFIX = "/api/v1/"
OPENAPI_VERSION = "3.0.3"
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ENTITY_CONVERTER = "entity"  # kernel.app.EntityConverter: the plural of an enabled entity
UNDESCRIBED = "x-undescribed"
_OPERATIONS = "api_operations"
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")

HOW_TO_DESCRIBE = (
    "describe it with @api_operation(summary, method=…, query=…, request=…, responses={…}) from "
    "kernel.toolkit on its view (see docs/plugins.md, 'Describing API routes')")


@dataclass(frozen=True)
class Operation:
    """What a view says of one of its methods (every method when ``method`` is None)."""

    summary: str
    method: str | None = None
    description: str = ""
    query: object = None
    parameters: object = ()
    request: object = None
    responses: Mapping = field(default_factory=dict)
    tags: object = ()
    public: bool = False

    def applies_to(self, method: str) -> bool:
        return self.method is None or self.method == method


def api_operation(summary: str, *, method: str | None = None, description: str = "", query=None,
                  parameters=(), request=None, responses: Mapping | None = None, tags=(),
                  public: bool = False) -> Callable:
    """Describe the decorated API view in the OpenAPI document; one decorator per method when the
    methods differ (``method="PUT"``), or one for all of them.

    - ``query``: the query parameters, a marshmallow schema (one parameter per field) or a list
      of OpenAPI parameter objects;
    - ``parameters``: other OpenAPI parameter objects (headers such as ``If-Match``);
    - ``request``: the JSON body, a marshmallow schema or a JSON schema (a dict);
    - ``responses``: ``{status: schema}``; ``None`` is no body for a success, and the kernel's
      standard answer for an error (``{422: None}``); a dict with a ``description`` is taken as
      a whole OpenAPI response object;
    - ``tags``: the document's sections; ``public=True`` for a route that needs no token.

    On a route whose path has an ``<entity:…>`` part, any of these may be a function of the
    entity. Path parameters, security and the errors every route may give are added by the
    builder."""
    operation = Operation(summary=summary, method=method.upper() if method else None, description=description,
                          query=query, parameters=parameters, request=request, responses=dict(responses or {}),
                          tags=tags, public=public)

    def describe(view):
        # functools.wraps copies __dict__: the list follows the view through other decorators
        view.__dict__.setdefault(_OPERATIONS, []).append(operation)
        return view

    return describe


class ApiSchema(Schema):
    """The shape of a JSON body a route takes or answers, for its description: other keys are
    ignored (taken as they come by clients), so the document does not forbid them."""

    class Meta:
        unknown = EXCLUDE


def operation_of(view, method: str) -> Operation | None:
    for operation in getattr(view, _OPERATIONS, ()):
        if operation.applies_to(method):
            return operation
    return None


# -- the URL map -----------------------------------------------------------------------------
def api_rules(app) -> list:
    """The rules under ``/api/v1/``, in path order."""
    return sorted((rule for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX)),
                  key=lambda rule: (rule.rule, rule.endpoint))


def methods_of(rule) -> list[str]:
    return sorted(set(rule.methods or ()) - IGNORED_METHODS)


def undescribed_routes(app) -> list[str]:
    """``"POST /api/v1/… (endpoint)"`` of every API route whose view does not describe that method."""
    return [f"{method} {rule.rule} ({rule.endpoint})" for rule in api_rules(app) for method in methods_of(rule)
            if operation_of(app.view_functions[rule.endpoint], method) is None]


def rule_arguments(rule) -> list[tuple[str, str]]:
    """``[(name, converter name)]`` of a rule's variable parts, in order."""
    return [(match["name"], match["converter"] or "default") for match in _ARGUMENT.finditer(rule.rule)]


def entity_argument(rule) -> str | None:
    return next((name for name, converter in rule_arguments(rule) if converter == ENTITY_CONVERTER), None)


def openapi_path(rule, entity: Entity | None = None) -> str:
    """``/api/v1/<entity:plural>/<int:record_id>`` → ``/api/v1/clients/{record_id}``."""
    def replace(match):
        if match["converter"] == ENTITY_CONVERTER:
            return entity.plural
        return "{" + match["name"] + "}"

    return _ARGUMENT.sub(replace, rule.rule)


def path_parameters(rule) -> list[dict]:
    return [{"name": name, "in": "path", "required": True, "schema": converter_schema(rule._converters[name])}
            for name, converter in rule_arguments(rule) if converter != ENTITY_CONVERTER]


def converter_schema(converter) -> dict:
    if isinstance(converter, IntegerConverter):
        return {"type": "integer", **({} if converter.signed else {"minimum": 0})}
    if isinstance(converter, FloatConverter):
        return {"type": "number"}
    if isinstance(converter, UUIDConverter):
        return {"type": "string", "format": "uuid"}
    return {"type": "string"}


# -- entity schemas ----------------------------------------------------------------------------
RECORD_BASICS = {
    "id": {"type": "integer", "readOnly": True},
    "version": {"type": "integer", "readOnly": True,
                "description": "Changes at every save; send it back (If-Match) to update or delete."},
    "created_at": {"type": "string", "format": "date-time", "readOnly": True},
    "updated_at": {"type": "string", "format": "date-time", "readOnly": True},
    "created_by_id": {"type": "integer", "readOnly": True, "nullable": True},
    "updated_by_id": {"type": "integer", "readOnly": True, "nullable": True},
}
ALWAYS_IN_ANSWERS = ("id", "version", "created_at", "updated_at")
KIND_SCHEMAS = {
    "text": {"type": "string"},
    "longtext": {"type": "string"},
    "email": {"type": "string", "format": "email"},
    "phone": {"type": "string", "description": "Any way of writing it; stored in one readable format."},
    "url": {"type": "string", "format": "uri", "description": "http or https; example.org is taken as https://example.org."},
    "integer": {"type": "integer", "format": "int32"},
    "decimal": {"type": "string", "format": "decimal", "description": "A number, as text: 12.50."},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time",
                 "description": "Without an offset, in the token's user's time zone; answered in UTC."},
    "boolean": {"type": "boolean"},
    "choice": {"type": "string"},
    "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166 country code."},
    "user": {"type": "integer", "description": "The id of an active user."},
    "reference": {"type": "integer"},
    "related": {"type": "string", "pattern": "^[a-z_]+:[0-9]+$", "description": "A record of another module: client:42."},
}


def field_schema(meta: FieldMeta) -> dict:
    """The JSON schema of one entity field's value, from its metadata."""
    schema = {**KIND_SCHEMAS[meta.kind], "title": str(meta.label)}
    if meta.help:
        schema["description"] = " ".join(filter(None, (str(meta.help), schema.get("description"))))
    if meta.max_length:
        schema["maxLength"] = meta.max_length
    if meta.kind == "choice":
        schema["enum"] = [value for value, _label in meta.choices.all_items()]
    if meta.kind == "reference":
        schema["description"] = f"The id of a record: {reference_target(meta)}."
    if not meta.editable:
        schema["readOnly"] = True
    if meta.required and schema["type"] == "string" and "enum" not in schema:
        schema["minLength"] = 1  # blank is refused as missing
    if not meta.required:
        schema["nullable"] = True
        if "enum" in schema:
            schema["enum"].append(None)
    return schema


def reference_target(meta: FieldMeta) -> str:
    from kernel.registry import entities

    target = entities().by_table(meta.target)
    return f"{target.name} ({target.plural})" if target else meta.target


def parameter_schema(meta: FieldMeta) -> dict:
    """A field's schema as a query parameter's (a filter's): no readOnly, no null."""
    schema = {key: value for key, value in field_schema(meta).items() if key not in ("readOnly", "nullable")}
    if "enum" in schema:
        schema["enum"] = [value for value in schema["enum"] if value is not None]
    return schema


def entity_schema(entity: Entity) -> dict:
    """A record as the API answers it and as ``POST`` takes it: required fields listed (the
    read-only ones are required in answers only), unknown fields refused."""
    properties = {name: field_schema(meta) for name, meta in entity.fields.items()}
    properties.update(RECORD_BASICS)
    required = [name for name, meta in entity.fields.items() if meta.required and meta.editable]
    return {"type": "object", "title": str(entity.label), "properties": properties,
            "required": required + list(ALWAYS_IN_ANSWERS), "additionalProperties": False}


def changes_schema(entity: Entity) -> dict:
    """What ``PATCH`` takes: any of the editable fields, and the version read; the record's other
    basics may be sent back as read (they are ignored)."""
    properties = {name: field_schema(meta) for name, meta in entity.fields.items() if meta.editable}
    properties.update(RECORD_BASICS)
    properties["version"] = {"type": "integer", "description": "The version read (or send If-Match)."}
    return {"type": "object", "title": f"{entity.label} (changes)",
            "properties": properties, "additionalProperties": False}


def component_name(entity: Entity) -> str:
    """``service_record`` → ``ServiceRecord``: entity names are unique, model class names need not be."""
    return "".join(part.capitalize() for part in entity.name.split("_"))


def entity_ref(entity: Entity) -> dict:
    return {"$ref": f"#/components/schemas/{component_name(entity)}"}


def changes_ref(entity: Entity) -> dict:
    return {"$ref": f"#/components/schemas/{component_name(entity)}Changes"}


# -- the kernel's standard answers ---------------------------------------------------------------
ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string", "description": "What went wrong, in the token's user's language."},
    "message": {"type": "string", "description": "More about it (HTTP errors)."}}}
FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": 'The messages of each field: {"email": ["Enter a valid e-mail address…"]}.'}
VALIDATION_ERRORS = {"type": "object", "properties": {"error": {"type": "string"}, "errors": FIELD_ERRORS},
                     "anyOf": [{"required": ["errors"]}, {"required": ["error"]}],
                     "description": "The messages of each field, or one message when no field is to blame."}
STALE_VERSION = {"type": "object", "required": ["error", "version"], "properties": {
    "error": {"type": "string"}, "version": {"type": "integer", "description": "The record's current version."}}}

STANDARD_ERRORS = {
    400: ("BadRequest", "Error", "The request cannot be used: not the JSON object expected, text that cannot "
                                 "be saved (a NUL), a number too large, a value the database refuses."),
    401: ("Unauthorized", "Error", "No valid API token: send Authorization: Bearer <token>."),
    403: ("Forbidden", "Error", "The token's user may not do this (the API, or this action)."),
    404: ("NotFound", "Error", "Nothing has this id (or it is in the trash)."),
    409: ("Conflict", "Error", "Nothing was saved: the record is closed, or someone else saved at the same moment."),
    412: ("PreconditionFailed", "StaleVersion", "Someone changed the record since it was read: read it again "
                                                "and retry."),
    413: ("PayloadTooLarge", "Error", "The request is larger than the server takes."),
    422: ("UnprocessableEntity", "ValidationErrors", "Some values are not valid: the messages of each field."),
    429: ("TooManyRequests", "Error", "Too many attempts: wait the seconds of Retry-After."),
    503: ("ServiceUnavailable", "Error", "The database does not answer: nothing was saved; try again in a moment."),
}
RESPONSE_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": 'Bearer realm="passerelle"'}},
    429: {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
    503: {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds, when known"}},
}


def add_standard_components(spec: APISpec) -> None:
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", ERROR)
    spec.components.schema("ValidationErrors", VALIDATION_ERRORS)
    spec.components.schema("StaleVersion", STALE_VERSION)
    for status, (name, schema, description) in STANDARD_ERRORS.items():
        response = {"description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
        if status in RESPONSE_HEADERS:
            response["headers"] = RESPONSE_HEADERS[status]
        spec.components.response(name, response)


def automatic_errors(method: str, operation: Operation, rule) -> set[int]:
    """What the kernel may answer to any such request, whatever the view does: unusable input
    (400), the database away (503), no token or no right (401, 403), an id of nothing (404), a
    save that lost a race (409), a body too large or holding unsavable text (413, 422)."""
    errors = {400, 503}
    if not operation.public:
        errors |= {401, 403}
    if path_parameters(rule):
        errors.add(404)
    if method in WRITE_METHODS:
        errors.add(409)
    if operation.request is not None:
        errors |= {413, 422}
    return errors


def error_response(status: int) -> dict:
    if status in STANDARD_ERRORS:
        return {"$ref": f"#/components/responses/{STANDARD_ERRORS[status][0]}"}
    return {"description": HTTPStatus(status).phrase,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


# -- the document ------------------------------------------------------------------------------
def build_document(app, entities, *, title: str, version: str, description: str) -> dict:
    """The OpenAPI document of ``app``'s API routes and of the ``entities`` enabled."""
    spec = APISpec(title=title, version=version, openapi_version=OPENAPI_VERSION, plugins=[MarshmallowPlugin()],
                   info={"description": description})
    add_standard_components(spec)
    for entity in entities:
        spec.components.schema(component_name(entity), entity_schema(entity))
        spec.components.schema(f"{component_name(entity)}Changes", changes_schema(entity))
    for rule in api_rules(app):
        view = app.view_functions[rule.endpoint]
        argument = entity_argument(rule)
        for entity in (list(entities) if argument else [None]):
            spec.path(path=openapi_path(rule, entity), operations={
                method.lower(): operation_object(rule, method, operation_of(view, method), entity)
                for method in methods_of(rule)})
    return spec.to_dict()


def operation_object(rule, method: str, operation: Operation | None, entity: Entity | None) -> dict:
    if operation is None:
        return undescribed_object(rule, method, entity)

    def value(of):  # a description's value, or its value for the entity of the path
        return of(entity) if callable(of) and not isinstance(of, type) else of

    parameters = path_parameters(rule) + query_parameters(value(operation.query)) + list(value(operation.parameters))
    answer = {
        "operationId": operation_id(rule, method, entity),
        "summary": operation.summary,
        "tags": list(value(operation.tags)) or default_tags(rule, entity),
        "security": [] if operation.public else [{"bearer": []}],
        "responses": responses_object(method, operation, rule, value),
    }
    if operation.description:
        answer["description"] = operation.description
    if parameters:
        answer["parameters"] = parameters
    request = value(operation.request)
    if request is not None:
        answer["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    return answer


def query_parameters(query) -> list:
    if query is None:
        return []
    if isinstance(query, list | tuple):
        return list(query)
    return [{"in": "query", "schema": query}]  # a marshmallow schema: apispec makes one parameter per field


def responses_object(method: str, operation: Operation, rule, value) -> dict:
    declared = {int(status): value(answer) for status, answer in operation.responses.items()}
    responses = {str(status): error_response(status) for status in automatic_errors(method, operation, rule)}
    for status, answer in declared.items():
        responses[str(status)] = response_object(status, answer)
    return dict(sorted(responses.items()))


def response_object(status: int, answer) -> dict:
    if answer is None:
        return error_response(status) if status >= 400 else {"description": HTTPStatus(status).phrase}
    if isinstance(answer, dict) and "description" in answer:
        return answer
    return {"description": HTTPStatus(status).phrase, "content": {"application/json": {"schema": answer}}}


def operation_id(rule, method: str, entity: Entity | None) -> str:
    parts = [rule.endpoint.replace(".", "_"), method.lower()]
    if entity is not None:
        parts.append(entity.name)
    return "_".join(parts)


def default_tags(rule, entity: Entity | None) -> list[str]:
    if entity is not None:
        return [str(entity.label_plural)]
    return [rule.endpoint.partition(".")[0]]


def undescribed_object(rule, method: str, entity: Entity | None) -> dict:
    """The least that is known of a route its view does not describe: it exists, with these
    path parameters, behind a token."""
    return {
        "operationId": operation_id(rule, method, entity), "summary": "Not described yet",
        "tags": default_tags(rule, entity), "security": [{"bearer": []}], "parameters": path_parameters(rule),
        "responses": {"default": {"description": "Not described yet"}}, UNDESCRIBED: True,
    }
