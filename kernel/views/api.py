"""The REST API of every entity, from the same schemas and permissions as the screens.

Authentication is by personal API token (``Authorization: Bearer <token>``). ``PATCH`` and
``DELETE`` honour ``If-Match`` with the record's version and answer 412 when it is stale.
"""

from __future__ import annotations

from functools import wraps

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, g, jsonify, request, url_for
from marshmallow import ValidationError

from kernel import listing, records
from kernel.db import db
from kernel.i18n import gettext as _
from kernel.registry import entities
from kernel.schemas import dump, entity_schema
from kernel.security.events import record_deletion
from kernel.users import user_for_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
API_VERSION = "1.0.0"


def problem(status: int, message: str, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="passerelle"'
    return response


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if user is None:
            return problem(401, _("A valid API token is required (Authorization: Bearer <token>)."))
        g._login_user = user  # Flask-Login's current_user for this request, without a session
        g.api_user = user
        if not user.can("kernel.api"):
            return problem(403, _("You are not allowed to do this."))
        return view(*args, **kwargs)

    return wrapped


def entity_or_error(plural: str, action: str):
    entity = entities().by_plural(plural)
    if entity is None:
        return None, problem(404, _("Not found."))
    if not entity.can(g.api_user, action):
        return None, problem(403, _("You are not allowed to do this."))
    return entity, None


def expected_version(body: dict | None = None):
    header = request.headers.get("If-Match")
    if header:
        return header.strip().removeprefix("W/").strip('"')
    if body and "version" in body:
        return body.get("version")
    return None


def with_etag(response, record):
    response.headers["ETag"] = f'"{record.version}"'
    return response


def field_filters(entity) -> dict:
    """``?file_status=open&assigned_user_id=3`` → coerced values; unknown names are ignored."""
    schema = entity_schema(entity)()
    filters, errors = {}, {}
    for name, value in request.args.items():
        meta = entity.fields.get(name)
        if meta is None or not meta.filterable:
            continue
        try:
            filters[name] = schema.fields[name].deserialize(value)
        except ValidationError as error:
            errors[name] = message_list(error)
    if errors:
        raise ValidationError(errors)
    return filters


def message_list(error: ValidationError) -> list[str]:
    """A field's messages as a list of texts: marshmallow keeps one (lazy) message as it is."""
    messages = error.messages
    if isinstance(messages, dict):
        return [str(text) for texts in messages.values() for text in (texts if isinstance(texts, list) else [texts])]
    return [str(text) for text in messages] if isinstance(messages, list) else [str(messages)]


@bp.route("/<entity:plural>", methods=["GET"])
@token_required
def list_records(plural):
    entity, error = entity_or_error(plural, "view")
    if error:
        return error
    try:
        filters = field_filters(entity)
    except ValidationError as invalid:
        return problem(422, _("Some filters are not valid."), errors=invalid.messages)
    statement = listing.filtered(entity, q=request.args.get("q"), equals=filters)
    page = listing.paginate(
        entity, statement, sort=request.args.get("sort"), page=request.args.get("page", 1, type=int),
        per_page=request.args.get("per_page", listing.DEFAULT_PAGE_SIZE, type=int),
    )
    return jsonify(
        items=[dump(entity, record) for record in page.records],
        total=page.total, page=page.page, per_page=page.per_page, pages=page.pages,
    )


@bp.route("/<entity:plural>", methods=["POST"])
@token_required
def create_record(plural):
    entity, error = entity_or_error(plural, "create")
    if error:
        return error
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(400, _("Send a JSON object."))
    try:
        record = records.create(entity, body, g.api_user)
    except ValidationError as invalid:
        db.session.rollback()
        return problem(422, _("Some fields are not valid."), errors=records.messages_of(invalid))
    db.session.commit()
    response = jsonify(dump(entity, record))
    response.status_code = 201
    response.headers["Location"] = url_for("api.record", plural=plural, record_id=record.id)
    return with_etag(response, record)


@bp.route("/<entity:plural>/<int:record_id>", methods=["GET", "PATCH", "DELETE"])
@token_required
def record(plural, record_id):
    action = {"GET": "view", "PATCH": "edit", "DELETE": "delete"}[request.method]
    entity, error = entity_or_error(plural, action)
    if error:
        return error
    found = records.get(entity, record_id)
    if found is None:
        return problem(404, _("Not found."))
    if request.method == "GET":
        return with_etag(jsonify(dump(entity, found)), found)
    if request.method == "DELETE":
        return _delete(entity, found)
    return _patch(entity, found)


def _stale(found):
    return problem(412, _("Someone changed this record since you read it; read it again and retry."),
                   version=found.version)


def _patch(entity, found):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(400, _("Send a JSON object."))
    try:
        records.update(entity, found, body, g.api_user, expected_version=expected_version(body))
    except records.StaleRecord:
        db.session.rollback()
        return _stale(found)
    except records.RecordClosed as closed:
        db.session.rollback()
        return _closed(closed)
    except ValidationError as invalid:
        db.session.rollback()
        return problem(422, _("Some fields are not valid."), errors=records.messages_of(invalid))
    db.session.commit()
    return with_etag(jsonify(dump(entity, found)), found)


def _closed(closed):
    return problem(409, " ".join(closed.messages["_record"]))


def _delete(entity, found):
    try:
        records.delete(entity, found, g.api_user, expected_version=expected_version())
    except records.StaleRecord:
        db.session.rollback()
        return _stale(found)
    except records.RecordClosed as closed:
        db.session.rollback()
        return _closed(closed)
    record_deletion(entity.name, "api", [found.id], user=g.api_user)
    db.session.commit()
    return "", 204


@bp.route("/openapi.json")
def openapi():
    return jsonify(build_openapi().to_dict())


def build_openapi() -> APISpec:
    spec = APISpec(
        title="Passerelle", version=API_VERSION, openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "REST API of the enabled Passerelle modules. Authenticate with a personal "
                             "API token: Authorization: Bearer <token>."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    errors = {"type": "object", "properties": {"error": {"type": "string"}, "errors": {
        "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}
    spec.components.schema("Error", errors)
    for entity in entities():
        name = component_name(entity)
        spec.components.schema(name, schema=entity_schema(entity))
        _add_entity_paths(spec, entity, name)
    return spec


def component_name(entity) -> str:
    """``service_record`` → ``ServiceRecord``: entity names are unique, model class names need not be."""
    return "".join(part.capitalize() for part in entity.name.split("_"))


def _add_entity_paths(spec: APISpec, entity, name: str) -> None:
    ref = {"$ref": f"#/components/schemas/{name}"}
    error = {"description": "error",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    one = {"description": str(entity.label), "content": {"application/json": {"schema": ref}}}
    common = {"security": [{"bearer": []}], "tags": [str(entity.label_plural)]}
    page_params = [
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "quick search"},
        {"name": "sort", "in": "query", "schema": {"type": "string"}, "description": "field, or -field"},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": listing.MAX_PAGE_SIZE}},
    ] + [
        {"name": meta.name, "in": "query", "schema": {"type": "string"}, "description": "equals"}
        for meta in entity.fields.values() if meta.filterable
    ]
    listing_schema = {"type": "object", "properties": {
        "items": {"type": "array", "items": ref}, "total": {"type": "integer"},
        "page": {"type": "integer"}, "per_page": {"type": "integer"}, "pages": {"type": "integer"}}}
    spec.path(path=f"/api/v1/{entity.plural}", operations={
        "get": {**common, "parameters": page_params, "responses": {
            "200": {"description": "page", "content": {"application/json": {"schema": listing_schema}}},
            "401": error, "403": error}},
        "post": {**common, "requestBody": {"content": {"application/json": {"schema": ref}}},
                 "responses": {"201": one, "401": error, "403": error, "422": error}},
    })
    id_param = [{"name": "record_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    if_match = [{"name": "If-Match", "in": "header", "schema": {"type": "string"},
                 "description": "the record's version, as in its ETag"}]
    spec.path(path=f"/api/v1/{entity.plural}/{{record_id}}", operations={
        "get": {**common, "parameters": id_param, "responses": {"200": one, "404": error}},
        "patch": {**common, "parameters": id_param + if_match,
                  "requestBody": {"content": {"application/json": {"schema": ref}}},
                  "responses": {"200": one, "404": error, "412": error, "422": error}},
        "delete": {**common, "parameters": id_param + if_match,
                   "responses": {"204": {"description": "in the trash"}, "404": error, "412": error}},
    })
