"""What the HSDS API may show, as SQL: the public records, a request's filters, and its page.

Each filter reads an index: the ``public`` flags, the references (organisation, location), the
service-type links, the keyword index of the search (services) and ``updated_at`` (migration
d9f1b3c5e7a9). Pages are read in primary-key order, so that paging is stable while records change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from kernel.toolkit import db, fold
from kernel.toolkit import gettext as _
from plugins.directory import geo
from plugins.directory.hsds_api.params import BadParameter
from plugins.directory.hsds_write import stable_id
from plugins.directory.models import (
    Agency,
    Resource,
    Site,
    TaxonomyTerm,
    service_at_location,
    service_taxonomy,
)
from plugins.directory.search import Keywords, keyword_groups

NOTHING = -1  # the id of no record: a filter naming an unknown record matches nothing
STABLE_ID_BATCH = 1000


# -- what is public --------------------------------------------------------------------------
def public_agencies():
    return select(Agency.id).where(Agency.public.is_(True), Agency.deleted_at.is_(None))


def public_service_conditions() -> list:
    """The public pages' rule: a service marked public, of an agency marked public."""
    return [Resource.public.is_(True), Resource.deleted_at.is_(None), Resource.organization_id.in_(public_agencies())]


def public_site_conditions() -> list:
    return [Site.public.is_(True), Site.deleted_at.is_(None)]


def public_agency_conditions() -> list:
    return [Agency.public.is_(True), Agency.deleted_at.is_(None)]


def term_conditions() -> list:
    return [TaxonomyTerm.deleted_at.is_(None)]


def public_services():
    return select(Resource.id).where(*public_service_conditions())


def public_sites():
    return select(Site.id).where(*public_site_conditions())


# -- HSDS ids → database ids ---------------------------------------------------------------------
def record_id(model, kind: str, hsds_id: str, conditions: list) -> int | None:
    return row_id(model.id, model.hsds_id, kind, hsds_id, conditions)


def row_id(id_column, hsds_column, kind: str, hsds_id: str, conditions: list) -> int | None:
    """The database id of the row meeting ``conditions`` whose HSDS id is ``hsds_id``: its imported
    id (unique, indexed), or the id the export derives from its database id (records created by staff)."""
    found = db.session.scalar(select(id_column).where(hsds_column == hsds_id, *conditions))
    if found is not None or not _is_uuid(hsds_id):
        return found
    # A derived id cannot be read back: the rows without an imported id are tried, their ids only.
    candidates = db.session.scalars(select(id_column).where(hsds_column.is_(None), *conditions)
                                    .execution_options(yield_per=STABLE_ID_BATCH))
    return next((candidate for candidate in candidates if stable_id(kind, candidate) == hsds_id), None)


def link_id(hsds_id: str) -> int | None:
    """A public service's link to a public place, by its HSDS id."""
    link = service_at_location
    public = [link.c.service_id.in_(public_services()), link.c.location_id.in_(public_sites())]
    return row_id(link.c.id, link.c.hsds_id, "service_at_location", hsds_id, public)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def agency_id(hsds_id: str) -> int:
    return record_id(Agency, "organizations", hsds_id, public_agency_conditions()) or NOTHING


def term_id(hsds_id: str) -> int:
    return record_id(TaxonomyTerm, "taxonomy_terms", hsds_id, term_conditions()) or NOTHING


# -- filters ---------------------------------------------------------------------------------------
def text_condition(model, text: str):
    """The quick-search text of the record holds the words (accents and case ignored)."""
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return model.search_text.like(f"%{escaped}%", escape="\\")


def service_filters(service_column, query) -> list:
    """The filters of ``/services`` and ``/service_at_locations`` on a column of service ids."""
    conditions = []
    groups = keyword_groups(query.search) if query.search else []
    if groups:
        conditions.append(service_column.in_(Keywords(groups).services("any")))
    elif query.search:  # nothing searchable in it (punctuation only): every text still matches
        conditions.append(service_column.in_(select(Resource.id).where(text_condition(Resource, query.search))))
    if query.organization_id:
        conditions.append(service_column.in_(select(Resource.id).where(
            Resource.organization_id == agency_id(query.organization_id))))
    if query.taxonomy_term_id:
        conditions.append(service_column.in_(select(service_taxonomy.c.service_id).where(
            service_taxonomy.c.term_id == term_id(query.taxonomy_term_id))))
    if query.taxonomy_id:
        terms = select(TaxonomyTerm.id).where(TaxonomyTerm.taxonomy_hsds_id == query.taxonomy_id, *term_conditions())
        conditions.append(service_column.in_(select(service_taxonomy.c.service_id).where(
            service_taxonomy.c.term_id.in_(terms))))
    if query.modified_after:
        conditions.append(service_column.in_(select(Resource.id).where(Resource.updated_at >= query.modified_after)))
    return conditions


def services_statement(query):
    return select(Resource.id).where(*public_service_conditions(), *service_filters(Resource.id, query))


def organizations_statement(query):
    conditions = public_agency_conditions()
    if query.search:
        conditions.append(text_condition(Agency, query.search))
    return select(Agency.id).where(*conditions)


def locations_statement(query):
    conditions = public_site_conditions()
    if query.search:
        conditions.append(text_condition(Site, query.search))
    if query.organization_id:
        conditions.append(Site.organization_id == agency_id(query.organization_id))
    if query.modified_after:
        conditions.append(Site.updated_at >= query.modified_after)
    return select(Site.id).where(*conditions)


def service_at_locations_statement(query):
    link = service_at_location
    conditions = [link.c.service_id.in_(public_services()), link.c.location_id.in_(public_sites()),
                  *service_filters(link.c.service_id, query)]
    if query.postcode and query.proximity:
        conditions.append(link.c.location_id.in_(sites_near(query.postcode, query.proximity)))
    elif query.postcode:
        conditions.append(link.c.location_id.in_(select(Site.id).where(Site.postal_code.in_(postcode_forms(query.postcode)))))
    return select(link.c.id).where(*conditions)


def sites_near(postcode: str, metres: int):
    """SELECT the places within ``metres`` of the postal code's centre: a box read from the
    latitude index, then the great-circle distance."""
    place = geo.find_place(postcode) if geo.looks_like_postal_code(postcode) else None
    if place is None:
        raise BadParameter(_("The postal code %(code)s is not known to this directory.", code=postcode))
    radius_km = metres / 1000
    low_lat, high_lat, low_lon, high_lon = geo.bounding_box(place.latitude, place.longitude, radius_km)
    nearness = geo.nearness(Site.latitude, Site.longitude, place.latitude, place.longitude)
    return select(Site.id).where(Site.latitude.between(low_lat, high_lat), Site.longitude.between(low_lon, high_lon),
                                 nearness <= geo.nearness_limit(radius_km))


def postcode_forms(postcode: str) -> list[str]:
    """The ways a postal code is written in the directory: as typed, in capitals, and a Canadian one
    with its space (``h2x1y4`` → ``H2X 1Y4``)."""
    compact = postcode.replace(" ", "").upper()
    forms = {postcode, postcode.upper(), compact}
    if len(compact) == 6:
        forms.add(f"{compact[:3]} {compact[3:]}")
    return sorted(forms)


def terms_statement(query):
    conditions = term_conditions()
    if query.search:
        conditions.append(text_condition(TaxonomyTerm, query.search))
    if query.taxonomy_id:
        conditions.append(TaxonomyTerm.taxonomy_hsds_id == query.taxonomy_id)
    if query.parent_id:
        conditions.append(TaxonomyTerm.parent_hsds_id == query.parent_id)
    if query.top_only:
        conditions.append(TaxonomyTerm.parent_hsds_id.is_(None))
    return select(TaxonomyTerm.id).where(*conditions)


# -- paging ----------------------------------------------------------------------------------------
@dataclass
class Page:
    ids: list[int]
    total: int


def page_of(statement, query) -> Page:
    """One page of the ids ``statement`` selects (in id order), and how many there are in all."""
    key = statement.selected_columns[0]
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    ids = list(db.session.scalars(statement.order_by(key).limit(query.per_page).offset(query.offset)))
    return Page(ids, total or 0)
