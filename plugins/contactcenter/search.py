"""The resource search: keywords (stemmed, synonyms, ranked), place (postal code, radius,
distance), service area, service type (with facet counts), language, opening time, phone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime

from sqlalchemy import and_, func, literal_column, or_, select, table

from kernel.db import db
from kernel.text import digits, fold
from plugins.contactcenter import geo
from plugins.contactcenter.hours import open_at_condition
from plugins.contactcenter.models import (
    SEARCH_FTS,
    Resource,
    TaxonomyTerm,
    languages,
    phones,
    search_rows,
    service_areas,
    service_taxonomy,
    synonym_groups,
)
from plugins.contactcenter.text import stem, stems_of

PAGE_SIZE = 20
NEAREST_CANDIDATES = 2000
FACET_LIMIT = 30
PHONE_TAIL = 10


@dataclass
class Criteria:
    keywords: str = ""
    postal_code: str = ""
    radius_km: float | None = None
    sort: str = ""  # "relevance" or "distance"
    area: str = ""
    taxonomy: str = ""  # a code; its sub-codes match too
    language: str = ""
    open_at: datetime | None = None
    phone: str = ""
    page: int = 1


@dataclass
class Hit:
    service_id: int
    score: float = 0.0
    location_id: int | None = None
    distance_km: float | None = None


@dataclass
class Outcome:
    hits: list[Hit] = dataclass_field(default_factory=list)
    total: int = 0
    facets: list[dict] = dataclass_field(default_factory=list)
    origin: tuple[float, float] | None = None
    unknown_postal_code: bool = False


# -- keywords ------------------------------------------------------------------------------
def synonyms_by_stem() -> dict[str, set[str]]:
    """Each stem of an administrator's synonym group → the stems of its whole group."""
    groups = defaultdict(set)
    for (words,) in db.session.execute(select(synonym_groups.c.words)):
        stems = {stem(word) for word in stems_of(words.replace(",", " "))} | set(stems_of(words.replace(",", " ")))
        for one in stems:
            groups[one] |= stems
    return groups


def keyword_groups(keywords: str) -> list[set[str]]:
    """One set of alternative stems per word typed (the word and its synonyms)."""
    synonyms = synonyms_by_stem()
    return [{word} | synonyms.get(word, set()) for word in dict.fromkeys(stems_of(keywords))]


def fts_match(groups: list[set[str]]) -> str:
    quoted = (" OR ".join('"' + alternative.replace('"', '""') + '"' for alternative in sorted(group))
              for group in groups)
    return " AND ".join(f"({alternatives})" for alternatives in quoted)


def keyword_source(groups: list[set[str]]):
    """(rowid, score) of the matching search rows; lower scores rank first."""
    if db.engine.dialect.name == "sqlite":
        fts = table(SEARCH_FTS)
        return (select(literal_column("rowid").label("row_id"), literal_column("rank").label("score"))
                .select_from(fts).where(literal_column(SEARCH_FTS).op("MATCH")(fts_match(groups)))).subquery()
    conditions = [or_(*(search_rows.c.words.like(f"% {alternative} %") for alternative in group)) for group in groups]
    return (select(search_rows.c.id.label("row_id"), earliest_mention(groups).label("score"))
            .where(and_(*conditions))).subquery()


def earliest_mention(groups: list[set[str]]):
    """Relevance without a full-text engine: a word met early (in the name, which comes first in
    the indexed words) ranks above one met only in the description."""
    positions = [
        func.least(*(func.nullif(func.strpos(search_rows.c.words, f" {alternative} "), 0) for alternative in group))
        for group in groups
    ]
    score = positions[0]
    for position in positions[1:]:
        score = score + position
    return score


# -- other criteria ------------------------------------------------------------------------
def criteria_conditions(criteria: Criteria) -> list:
    """Each criterion as ``service_id IN (…)``: uncorrelated, so the database reads it once."""
    service = search_rows.c.service_id
    conditions = []
    if criteria.area:
        conditions.append(service.in_(select(service_areas.c.service_id).where(
            service_areas.c.folded_name.like(f"%{fold(criteria.area)}%"))))
    if criteria.taxonomy:
        conditions.append(service.in_(
            select(service_taxonomy.c.service_id).join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy.c.term_id)
            .where(or_(TaxonomyTerm.code == criteria.taxonomy, TaxonomyTerm.code.like(f"{criteria.taxonomy}.%"),
                       TaxonomyTerm.code.like(f"{criteria.taxonomy}-%")))))
    if criteria.language:
        wanted = fold(criteria.language)
        conditions.append(service.in_(select(languages.c.service_id).where(
            or_(func.lower(languages.c.code) == wanted, func.lower(languages.c.name) == wanted))))
    if criteria.open_at:
        conditions.append(open_at_condition(service, criteria.open_at))
    if criteria.phone:
        conditions.append(phone_condition(service, criteria.phone))
    return conditions


def phone_condition(service_column, phone: str):
    tail = digits(phone)[-PHONE_TAIL:]
    match = phones.c.digits == tail if len(tail) >= 7 else phones.c.digits.like(f"%{tail}")
    return service_column.in_(select(phones.c.service_id).where(match))


def phone_digits(number: str) -> str:
    return digits(number)[-PHONE_TAIL:]


# -- running -------------------------------------------------------------------------------
def run(criteria: Criteria) -> Outcome:
    outcome = Outcome()
    if criteria.postal_code:
        outcome.origin = geo.locate(criteria.postal_code)
        if outcome.origin is None:
            outcome.unknown_postal_code = True
            return outcome
    groups = keyword_groups(criteria.keywords) if criteria.keywords.strip() else []
    source = keyword_source(groups) if groups else None
    if outcome.origin is not None:
        _run_near(criteria, source, outcome)
    else:
        _run_anywhere(criteria, source, outcome)
    return outcome


def _base(criteria: Criteria, source, *columns):
    query = select(*columns).select_from(search_rows)
    if source is not None:
        query = query.join(source, source.c.row_id == search_rows.c.id)
    query = query.join(Resource, Resource.id == search_rows.c.service_id).where(Resource.deleted_at.is_(None))
    return query.where(*criteria_conditions(criteria))


def _run_anywhere(criteria: Criteria, source, outcome: Outcome) -> None:
    """All matches in one query; ranking, paging and counting on the (service, score) pairs."""
    score = source.c.score if source is not None else literal_column("0.0")
    rows = db.session.execute(_base(criteria, source, search_rows.c.service_id, score.label("score"),
                                    Resource.name)).all()
    best: dict[int, tuple] = {}
    for row in rows:
        current = best.get(row.service_id)
        if current is None or (row.score or 0.0) < current[0]:
            best[row.service_id] = (row.score or 0.0, fold(row.name))
    ordered = sorted(best.items(), key=lambda item: (item[1][0], item[1][1], item[0]))
    start = (max(criteria.page, 1) - 1) * PAGE_SIZE
    outcome.hits = [Hit(service_id, values[0]) for service_id, values in ordered[start:start + PAGE_SIZE]]
    outcome.total = len(ordered)
    outcome.facets = facet_counts([service_id for service_id, _values in ordered]) if ordered else []


def _run_near(criteria: Criteria, source, outcome: Outcome) -> None:
    latitude, longitude = outcome.origin
    score = source.c.score if source is not None else literal_column("0.0")
    query = _base(criteria, source, search_rows.c.service_id, search_rows.c.location_id, search_rows.c.latitude,
                  search_rows.c.longitude, score.label("score")).where(search_rows.c.latitude.is_not(None))
    if criteria.radius_km:
        low_lat, high_lat, low_lon, high_lon = geo.bounding_box(latitude, longitude, criteria.radius_km)
        query = query.where(search_rows.c.latitude.between(low_lat, high_lat),
                            search_rows.c.longitude.between(low_lon, high_lon))
    else:
        query = query.order_by(_approximate_distance(latitude, longitude)).limit(NEAREST_CANDIDATES)
    best = _nearest_per_service(db.session.execute(query).all(), latitude, longitude, criteria.radius_km)
    by_distance = criteria.sort != "relevance" or source is None
    key = (lambda hit: (hit.distance_km, hit.score)) if by_distance else (lambda hit: (hit.score, hit.distance_km))
    ordered = sorted(best.values(), key=key)
    start = (max(criteria.page, 1) - 1) * PAGE_SIZE
    outcome.hits, outcome.total = ordered[start:start + PAGE_SIZE], len(ordered)
    outcome.facets = facet_counts([hit.service_id for hit in ordered]) if ordered else []


def _approximate_distance(latitude: float, longitude: float):
    """Equirectangular squared distance: orders by nearness without trigonometry in SQL."""
    import math

    scale = math.cos(math.radians(latitude)) ** 2
    return ((search_rows.c.latitude - latitude) * (search_rows.c.latitude - latitude)
            + (search_rows.c.longitude - longitude) * (search_rows.c.longitude - longitude) * scale)


def _nearest_per_service(rows, latitude, longitude, radius_km) -> dict[int, Hit]:
    best: dict[int, Hit] = {}
    for row in rows:
        distance = geo.distance_km(latitude, longitude, row.latitude, row.longitude)
        if radius_km and distance > radius_km:
            continue
        current = best.get(row.service_id)
        if current is None or distance < current.distance_km:
            best[row.service_id] = Hit(row.service_id, row.score or 0.0, row.location_id, distance)
    return best


def facet_counts(service_ids) -> list[dict]:
    """Service types among the results, with how many results have each."""
    if isinstance(service_ids, list):
        service_ids = service_ids[:30000]
    query = (select(TaxonomyTerm.code, TaxonomyTerm.name, TaxonomyTerm.name_fr,
                    func.count(func.distinct(service_taxonomy.c.service_id)).label("count"))
             .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy.c.term_id)
             .where(service_taxonomy.c.service_id.in_(service_ids), TaxonomyTerm.deleted_at.is_(None))
             .group_by(TaxonomyTerm.code, TaxonomyTerm.name, TaxonomyTerm.name_fr)
             .order_by(func.count(func.distinct(service_taxonomy.c.service_id)).desc(), TaxonomyTerm.code)
             .limit(FACET_LIMIT))
    return [dict(row._mapping) for row in db.session.execute(query)]


