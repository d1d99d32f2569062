"""The routes of the HSDS API: GET only, no token, 404 while the public directory is off,
rate-limited per address with the public pages' limit."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request, url_for
from sqlalchemy import select

from kernel.toolkit import LANGUAGES, api_operation, db, limiter, savable_text
from kernel.toolkit import gettext as _
from plugins.directory.hsds_api import scope
from plugins.directory.hsds_api.describe import (
    ID_PARAMETER_NOTE,
    LIST_PARAMETERS,
    ROOT_SCHEMA,
    TAG,
    list_responses,
    object_responses,
    parameters_of,
)
from plugins.directory.hsds_api.objects import Builder, in_order
from plugins.directory.hsds_api.params import MAX_ID_LENGTH, BadParameter, Query, read_query
from plugins.directory.models import Agency, Resource, Site, TaxonomyTerm, service_at_location
from plugins.directory.public.views import is_on, page_limit

blueprint = Blueprint("directory_hsds", __name__, url_prefix="/api/v1/directory/hsds")
HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/latest/hsds/overview.html"
rate_limited = limiter.shared_limit(page_limit, scope="directory_hsds")


@blueprint.url_value_preprocessor
def language_from_address(_endpoint, _values):
    """``?lang=fr|en``: the language of the error messages (the data is in both)."""
    if request.args.get("lang") in LANGUAGES:
        g.url_language = request.args["lang"]


@blueprint.before_request
def only_when_on():
    if not is_on():
        return jsonify({"error": _("This directory is not public.")}), 404
    return None


@blueprint.errorhandler(BadParameter)
def bad_parameter(error):
    return jsonify({"error": str(error)}), 400


def usable_id(hsds_id: str) -> bool:
    """An id the database can be asked about (an HSDS id is at most 255 characters)."""
    return len(hsds_id) <= MAX_ID_LENGTH and savable_text(hsds_id)


def not_found():
    return jsonify({"error": _("There is no public record with this id.")}), 404


def query_for(endpoint: str) -> Query:
    return read_query(request.args, LIST_PARAMETERS[endpoint])


def paged(statement, query: Query, build) -> dict:
    """The HSDS page object: the counts, where this page stands, and its objects."""
    page = scope.page_of(statement, query)
    contents = build(page.ids) if page.ids else []
    total_pages = -(-page.total // query.per_page)
    db.session.rollback()  # read-only: the transaction ends before the answer goes out
    return {"total_items": page.total, "total_pages": total_pages, "page_number": query.page,
            "per_page": query.per_page, "size": len(contents), "first_page": query.page == 1,
            "last_page": query.page >= total_pages, "empty": not contents, "contents": contents}


def records(model, ids: list[int]) -> list:
    found = {record.id: record for record in db.session.scalars(select(model).where(model.id.in_(ids)))}
    return in_order(found, ids)


def one(objects: list[dict]):
    db.session.rollback()
    return jsonify(objects[0])


# -- the routes ------------------------------------------------------------------------------------
@blueprint.route("/")
@api_operation("About this HSDS API", public=True, tags=[TAG], responses={200: ROOT_SCHEMA, 404: None, 429: None})
@rate_limited
def about():
    return jsonify({"version": HSDS_VERSION, "profile": HSDS_PROFILE,
                    "openapi_url": url_for("api.openapi", _external=True)})


@blueprint.route("/services")
@api_operation("Public services (HSDS)", public=True, tags=[TAG], query=parameters_of("services"),
               responses=list_responses("service"))
@rate_limited
def services():
    query = query_for("services")
    return jsonify(paged(scope.services_statement(query), query,
                         lambda ids: Builder().services(records(Resource, ids), full=query.full)))


@blueprint.route("/services/<string:hsds_id>")
@api_operation("A public service, with its phones, hours, places, languages and types (HSDS)", public=True,
               tags=[TAG], description=ID_PARAMETER_NOTE, responses=object_responses("service"))
@rate_limited
def service(hsds_id):
    read_query(request.args, frozenset())
    if not usable_id(hsds_id):
        return not_found()
    found = scope.record_id(Resource, "services", hsds_id, scope.public_service_conditions())
    if found is None:
        return not_found()
    return one(Builder().services(records(Resource, [found]), full=True))


@blueprint.route("/organizations")
@api_operation("Public organisations (HSDS)", public=True, tags=[TAG], query=parameters_of("organizations"),
               responses=list_responses("organization"))
@rate_limited
def organizations():
    query = query_for("organizations")
    return jsonify(paged(scope.organizations_statement(query), query, lambda ids: Builder().organizations(
        records(Agency, ids), full=query.full, full_service=query.full_service)))


@blueprint.route("/organizations/<string:hsds_id>")
@api_operation("A public organisation, with its phones, places and services (HSDS)", public=True, tags=[TAG],
               description=ID_PARAMETER_NOTE, query=parameters_of("organization"),
               responses=object_responses("organization"))
@rate_limited
def organization(hsds_id):
    query = read_query(request.args, LIST_PARAMETERS["organization"])
    if not usable_id(hsds_id):
        return not_found()
    found = scope.record_id(Agency, "organizations", hsds_id, scope.public_agency_conditions())
    if found is None:
        return not_found()
    return one(Builder().organizations(records(Agency, [found]), full=True, full_service=query.full_service))


@blueprint.route("/locations")
@api_operation("Public places (HSDS)", public=True, tags=[TAG], query=parameters_of("locations"),
               responses=list_responses("location"))
@rate_limited
def locations():
    query = query_for("locations")
    return jsonify(paged(scope.locations_statement(query), query,
                         lambda ids: Builder().locations(records(Site, ids))))


@blueprint.route("/locations/<string:hsds_id>")
@api_operation("A public place, with its address, phones, hours and languages (HSDS)", public=True, tags=[TAG],
               description=ID_PARAMETER_NOTE, responses=object_responses("location"))
@rate_limited
def location(hsds_id):
    read_query(request.args, frozenset())
    if not usable_id(hsds_id):
        return not_found()
    found = scope.record_id(Site, "locations", hsds_id, scope.public_site_conditions())
    if found is None:
        return not_found()
    return one(Builder().locations(records(Site, [found])))


@blueprint.route("/service_at_locations")
@api_operation("Public services at their public places (HSDS)", public=True, tags=[TAG],
               query=parameters_of("service_at_locations"), responses=list_responses("service_at_location"))
@rate_limited
def service_at_locations():
    query = query_for("service_at_locations")
    return jsonify(paged(scope.service_at_locations_statement(query), query,
                         lambda ids: Builder().service_at_locations(link_rows(ids), full=query.full)))


@blueprint.route("/service_at_locations/<string:hsds_id>")
@api_operation("A public service at one of its public places, with both (HSDS)", public=True, tags=[TAG],
               description=ID_PARAMETER_NOTE, responses=object_responses("service_at_location"))
@rate_limited
def service_at_location_one(hsds_id):
    read_query(request.args, frozenset())
    if not usable_id(hsds_id):
        return not_found()
    found = scope.link_id(hsds_id)
    if found is None:
        return not_found()
    return one(Builder().service_at_locations(link_rows([found]), full=True))


@blueprint.route("/taxonomy_terms")
@api_operation("Service types (HSDS taxonomy terms)", public=True, tags=[TAG], query=parameters_of("taxonomy_terms"),
               responses=list_responses("taxonomy_term"))
@rate_limited
def taxonomy_terms():
    query = query_for("taxonomy_terms")
    return jsonify(paged(scope.terms_statement(query), query, lambda ids: Builder().terms(records(TaxonomyTerm, ids))))


@blueprint.route("/taxonomy_terms/<string:hsds_id>")
@api_operation("A service type (HSDS taxonomy term)", public=True, tags=[TAG], description=ID_PARAMETER_NOTE,
               responses=object_responses("taxonomy_term"))
@rate_limited
def taxonomy_term(hsds_id):
    read_query(request.args, frozenset())
    if not usable_id(hsds_id):
        return not_found()
    found = scope.record_id(TaxonomyTerm, "taxonomy_terms", hsds_id, scope.term_conditions())
    if found is None:
        return not_found()
    return one(Builder().terms(records(TaxonomyTerm, [found])))


# -- service at location rows ------------------------------------------------------------------
def link_rows(ids: list[int]) -> list:
    link = service_at_location
    found = {row.id: row for row in db.session.execute(select(link).where(link.c.id.in_(ids)))}
    return in_order(found, ids)
