"""The REST API of every entity, from the same schemas and permissions as the screens.

Authentication is by personal API token (``Authorization: Bearer <token>``). ``PATCH`` and
``DELETE`` honour ``If-Match`` with the record's version and answer 412 when it is stale.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import force_locale
from marshmallow import ValidationError

from kernel import access_log, listing, records
from kernel.db import db
from kernel.i18n import gettext as _
from kernel.openapi import api_operation, build_document, changes_ref, entity_ref, parameter_schema
from kernel.registry import entities
from kernel.schemas import dump, dump_many, schema_for
from kernel.security.events import record_deletion
from kernel.users import user_and_record_for_token, user_for_token

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
        token = token.strip()
        user = _user_of(token, kwargs) if scheme.lower() == "bearer" and token else None
        if user is None:
            return problem(401, _("A valid API token is required (Authorization: Bearer <token>)."))
        g._login_user = user  # Flask-Login's current_user for this request, without a session
        g.api_user = user
        if not user.can("kernel.api"):
            return problem(403, _("You are not allowed to do this."))
        return view(*args, **kwargs)

    return wrapped


def _user_of(token: str, view_arguments: dict):
    """The token's user; the record the address names (``/clients/42``) is read with the token and
    kept for the request, so that the view's ``records.get`` finds it in the session."""
    entity = entities().by_plural(view_arguments.get("plural", ""))
    record_id = view_arguments.get("record_id")
    if entity is None or not isinstance(record_id, int):
        return user_for_token(token)
    user, g.api_record_read = user_and_record_for_token(token, entity.model, record_id)
    return user


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
    schema = schema_for(entity)
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


def list_parameters(entity) -> list[dict]:
    """The list's query parameters: search, sort, page, and each filterable field (equals)."""
    return [
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Quick search."},
        {"name": "sort", "in": "query", "schema": {"type": "string"},
         "description": "A sortable field, or -field for the reverse order."},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
        {"name": "count", "in": "query", "schema": {"type": "string", "enum": ["exact"]},
         "description": f"Counting stops after {listing.COUNT_CAP:,} records (total_is_exact false) unless "
                        "count=exact: an exact count reads every matching row."},
        {"name": "per_page", "in": "query", "schema": {
            "type": "integer", "minimum": 1, "maximum": listing.MAX_PAGE_SIZE, "default": listing.DEFAULT_PAGE_SIZE}},
    ] + [
        {"name": meta.name, "in": "query", "description": "Only the records with this value.",
         "schema": parameter_schema(meta)}
        for meta in entity.fields.values() if meta.filterable
    ]


def record_page(entity) -> dict:
    return {"type": "object", "required": ["items", "total", "page", "per_page", "pages"], "properties": {
        "items": {"type": "array", "items": entity_ref(entity)}, "total": {"type": "integer"},
        "total_is_exact": {"type": "boolean"},
        "page": {"type": "integer"}, "per_page": {"type": "integer"}, "pages": {"type": "integer"}}}


def record_answer(entity) -> dict:
    return {"description": str(entity.label), "headers": {"ETag": ETAG_HEADER},
            "content": {"application/json": {"schema": entity_ref(entity)}}}


def created_answer(entity) -> dict:
    return {"description": f"{entity.label}: created", "headers": {
        "ETag": ETAG_HEADER, "Location": {"schema": {"type": "string"}, "description": "The record's address."}},
        "content": {"application/json": {"schema": entity_ref(entity)}}}


ETAG_HEADER = {"schema": {"type": "string"}, "description": 'The record\'s version: "3".'}
IF_MATCH = {"name": "If-Match", "in": "header", "schema": {"type": "string"},
            "description": "The version read, as in its ETag: refused with 412 if the record changed since."}


@bp.route("/<entity:plural>", methods=["GET"])
@api_operation("List records", description="A page of the records, searched, filtered and sorted.",
               query=list_parameters, responses={200: record_page, 422: None})
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
        exact_count=request.args.get("count") == "exact",
    )
    return jsonify(
        items=dump_many(entity, page.records),
        total=page.total, total_is_exact=page.total_is_exact, page=page.page, per_page=page.per_page,
        pages=page.pages,
    )


@bp.route("/<entity:plural>", methods=["POST"])
@api_operation("Create a record", request=entity_ref, responses={201: created_answer})
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
@api_operation("Read a record", method="GET", responses={200: record_answer})
@api_operation("Change a record", method="PATCH", description="Only the fields sent change.",
               parameters=[IF_MATCH], request=changes_ref, responses={200: record_answer, 412: None})
@api_operation("Move a record to the trash", method="DELETE", parameters=[IF_MATCH],
               responses={204: None, 412: None})
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
        access_log.note_read(entity, found.id)
        return with_etag(jsonify(dump(entity, found)), found)
    if request.method == "DELETE":
        return _delete(entity, found)
    return _patch(entity, found)


def _refused_as_stale(found, stale: records.StaleRecord):
    """412, with the record's version. A save refused before it wrote knows the version: the
    answer is made before the rollback, which expires the token's user (read again for the
    answer's language) and the record (read again for its version): two statements fewer for most
    saves of a record many people save at once (about one request in eight of the bench's
    ``load``). After a failed write the session is rolled back first."""
    if stale.current_version is None:
        db.session.rollback()
        return _stale_answer(found.version)
    answer = _stale_answer(stale.current_version)
    db.session.rollback()
    return answer


def _stale_answer(version: int):
    return problem(412, _("Someone changed this record since you read it; read it again and retry."), version=version)


def _patch(entity, found):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(400, _("Send a JSON object."))
    try:
        records.update(entity, found, body, g.api_user, expected_version=expected_version(body))
    except records.StaleRecord as stale:
        return _refused_as_stale(found, stale)
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
    except records.StaleRecord as stale:
        return _refused_as_stale(found, stale)
    except records.RecordClosed as closed:
        db.session.rollback()
        return _closed(closed)
    record_deletion(entity.name, "api", [found.id], user=g.api_user)
    db.session.commit()
    return "", 204


@bp.route("/openapi.json")
@api_operation("This document", public=True, tags=["API"], responses={200: {
    "description": "The OpenAPI document of the enabled modules' API.",
    "content": {"application/json": {"schema": {"type": "object"}}}}})
def openapi():
    return jsonify(build_openapi())


def build_openapi() -> dict:
    """The OpenAPI document of every API route of the app and of its enabled entities (in English,
    like the API's names)."""
    with force_locale("en"):
        return build_document(
            current_app, list(entities()), title="Passerelle", version=API_VERSION,
            description="REST API of the enabled Passerelle modules. Authenticate with a personal API token: "
                        "Authorization: Bearer <token>. Errors answer {\"error\": message}; invalid values "
                        "answer 422 with {\"errors\": {field: [messages]}}.")
