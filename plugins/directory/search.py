"""The resource search: keywords (stemmed, synonyms, ranked), place (postal code, radius,
distance), service area, service type (with facet counts), language, opening time, phone.

Every step is a query that reads indexes and returns at most a page: the matching services are a
subquery (``matching_services``), a page is read in index order with LIMIT, and the total and the
facet counts are counted by the database over at most ``COUNT_CAP`` matches, as the kernel's lists
do, unless the user asks for the exact figures; on PostgreSQL they are counted beside the page
(``count_beside``), while the page and its cards are read. Python only sees the page."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from dataclasses import fields as dataclass_fields
from datetime import datetime
from functools import cache, cached_property, lru_cache, partial

from sqlalchemy import (
    Float,
    Integer,
    bindparam,
    case,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import aliased

from kernel.toolkit import COUNT_CAP, Beside, OnePass, db, digits, fold, read_beside
from plugins.directory import geo
from plugins.directory.capacity.service import not_accepting_services
from plugins.directory.hours import open_at_condition
from plugins.directory.models import (
    SEARCH_FTS,
    SEARCH_NAME_TSV,
    SEARCH_TSV,
    Agency,
    Resource,
    Site,
    TaxonomyTerm,
    languages,
    phones,
    search_rows,
    search_types,
    service_areas,
    service_taxonomy,
    synonym_groups,
)
from plugins.directory.text import stem, stems_of

PAGE_SIZE = 20
FACET_LIMIT = 30
PHONE_TAIL = 10
# Without a radius, the nearest services are looked for in growing circles (km); None: everywhere.
NEAREST_RADII = (25.0, 100.0, 400.0, 1600.0, None)
# Within a radius, nearest first: in these smaller circles first (a city's centre holds a page of
# services within 5 km, and a page found there is read from a twenty-fifth of the places).
INNER_RADII = (5.0, 25.0, 100.0, 400.0)


@dataclass
class Criteria:
    keywords: str = ""
    postal_code: str = ""  # or a community's name
    radius_km: float | None = None
    sort: str = ""  # "relevance" or "distance"
    area: str = ""
    taxonomy: str = ""  # a code; its sub-codes match too
    language: str = ""
    open_at: datetime | None = None
    phone: str = ""
    page: int = 1
    exact_count: bool = False  # count every match, not only up to COUNT_CAP
    hide_full: bool = False  # leave out the programmes that accept no new referrals (their capacity)
    public_only: bool = False  # the public directory: public services of public agencies, at public places
    type_ids: tuple[int, ...] | None = None  # the type's ids and its sub-types', once ``run`` has read them

    @property
    def start(self) -> int:
        return (max(self.page, 1) - 1) * PAGE_SIZE


@dataclass
class Hit:
    service_id: int
    score: float = 0.0  # by relevance without a place: 0 when every keyword is in the name, else 1
    location_id: int | None = None
    distance_km: float | None = None


@dataclass
class Counts:
    total: int = 0
    total_is_exact: bool = True  # False: ``total`` is COUNT_CAP and there are more; facets counted among them
    facets: list[dict] = dataclass_field(default_factory=list)


@dataclass
class Outcome:
    hits: list[Hit] = dataclass_field(default_factory=list)
    counts: Counts | Beside = dataclass_field(default_factory=Counts)  # Beside: still being counted
    origin: tuple[float, float] | None = None
    approximate_origin: bool = False  # only the postal code's area is placed: distances are approximate
    unknown_postal_code: bool = False

    @property
    def total(self) -> int:
        return self._counted().total

    @property
    def total_is_exact(self) -> bool:
        return self._counted().total_is_exact

    @property
    def facets(self) -> list[dict]:
        return self._counted().facets

    def _counted(self) -> Counts:
        """The counts, waited for the first time they are asked for when they were read beside the
        page (``count_beside``): a page's cards are read meanwhile."""
        if isinstance(self.counts, Beside):
            self.counts = self.counts.result()
        return self.counts


# -- keywords ------------------------------------------------------------------------------
_SYNONYM_GROUPS = select(synonym_groups.c.words).order_by(synonym_groups.c.id)
_NEWEST_SERVICE = select(func.max(Resource.id))


def synonyms_by_stem(groups: list[str] | None = None) -> dict[str, frozenset[str]]:
    """Each stem of an administrator's synonym group → the stems of its whole group; ``groups``:
    the groups' words when already read (``_SYNONYM_GROUPS``), else they are read here."""
    if groups is None:
        groups = db.session.scalars(_SYNONYM_GROUPS)
    return _synonyms_of(tuple(groups))


@lru_cache(maxsize=4)
def _synonyms_of(groups: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """Stemmed once for the groups as they are (every search reads them: stemming them all again
    was a tenth of a search's Python)."""
    found = defaultdict(set)
    for words in groups:
        stems = set(stems_of(words.replace(",", " ")))
        stems |= {stem(word) for word in stems}
        for one in stems:
            found[one] |= stems
    return {one: frozenset(stems) for one, stems in found.items()}


def keyword_groups(keywords: str, synonym_words: list[str] | None = None) -> list[set[str]]:
    """One set of alternative stems per word typed (the word and its synonyms); ``synonym_words``
    as for ``synonyms_by_stem``."""
    synonyms = synonyms_by_stem(synonym_words)
    return [{word} | synonyms.get(word, set()) for word in dict.fromkeys(stems_of(keywords))]


@dataclass
class Keywords:
    """The keyword part of a search: every group must match, in the name or anywhere.

    Relevance is in two tiers, both read from the keyword index in service order: services whose
    names hold every word typed, then those that mention them elsewhere."""

    groups: list[set[str]]

    def fts_query(self) -> str:
        quoted = (" OR ".join('"' + alternative.replace('"', '""') + '"' for alternative in sorted(group))
                  for group in self.groups)
        return " AND ".join(f"({alternatives})" for alternatives in quoted)

    def ts_query(self) -> str:
        """The same for PostgreSQL's ``to_tsquery('simple', …)``: stems are letters and digits."""
        return " & ".join("(" + " | ".join(sorted(group)) + ")" for group in self.groups)

    def matches(self, rows, query=None):
        """PostgreSQL: the words of ``rows`` (``directory_search`` or an alias of it) match, in the
        expression of the keyword index, so that the index answers it. ``query``: a named parameter
        that will hold ``ts_query()``, in a statement built once for any keywords."""
        return func.to_tsvector(literal_column("'simple'"), rows.c.words).op("@@")(
            func.to_tsquery(literal_column("'simple'"), self.ts_query() if query is None else query))

    def services(self, tier: str = "any", since: int | None = None):
        """Service ids matching: ``"any"`` where, ``"name"`` in the name, ``"other"`` not all in the name;
        with ``since`` (PostgreSQL), only services numbered from it on."""
        if db.is_sqlite:
            fts = table(SEARCH_FTS, column("rowid"), column(SEARCH_FTS))
            anywhere = self.fts_query()
            match = {"any": anywhere, "name": f"{{name}} : ({anywhere})",
                     "other": f"({anywhere}) NOT {{name}} : ({anywhere})"}[tier]
            return select(fts.c.rowid.label("service_id")).where(fts.c[SEARCH_FTS].op("MATCH")(match))
        query = func.to_tsquery(literal_column("'simple'"), self.ts_query())
        in_words, in_name = literal_column(SEARCH_TSV).op("@@")(query), literal_column(SEARCH_NAME_TSV).op("@@")(query)
        if tier == "other":  # "NOT in the name" from the name index once: not by parsing each match's name again
            named = select(search_rows.c.service_id).where(in_name).correlate(None)
            if since is not None:
                named = named.where(search_rows.c.service_id >= since)
            found = select(search_rows.c.service_id.label("service_id")).where(
                in_words, search_rows.c.service_id.not_in(named))
            return found.where(search_rows.c.service_id >= since) if since is not None else found
        condition = {"any": in_words, "name": in_name}[tier]
        found = select(search_rows.c.service_id.label("service_id")).where(condition)
        return found.where(search_rows.c.service_id >= since) if since is not None else found


# -- other criteria ------------------------------------------------------------------------
def criteria_conditions(service, criteria: Criteria) -> list:
    """Each criterion as a condition on ``service``: ``IN`` a short list read from a narrow index, or
    a probe of an index per candidate (``EXISTS``) where the list would be long."""
    conditions = [service.not_in(select(Resource.id).where(Resource.deleted_at.is_not(None)))]  # the trash is small
    if criteria.public_only:
        conditions.append(is_public_service(service))
    if criteria.hide_full:  # the few full programmes, read from the capacity's (accepting, service) index
        conditions.append(service.not_in(not_accepting_services()))
    if criteria.area:
        conditions.append(service.in_(select(service_areas.c.service_id).where(
            service_areas.c.folded_name.like(f"%{fold(criteria.area)}%"))))
    if criteria.taxonomy:
        conditions.append(service.in_(taxonomy_services(criteria)))
    if criteria.language:  # migration d7a3b9e51c20 indexes lower(code) and lower(name)
        wanted = fold(criteria.language)
        conditions.append(select(languages.c.service_id).where(languages.c.service_id == service, or_(
            func.lower(languages.c.code) == wanted, func.lower(languages.c.name) == wanted)).exists())
    if criteria.open_at:
        conditions.append(open_at_condition(service, criteria.open_at))
    if criteria.phone:
        conditions.append(phone_condition(service, criteria.phone))
    return conditions


def is_public_service(service_column):
    """SQL: the service is shown to the public (it and its agency are marked public). A probe of
    the two primary keys per candidate: most services are usually public, so a list of them
    would be long to build for every search."""
    # Aliases: on the listed table itself (Resource.id), the same names would compare the probe's
    # row with itself, and every service would pass as soon as one is public.
    service, agency = aliased(Resource), aliased(Agency)
    return (select(service.id).join(agency, agency.id == service.organization_id)
            .where(service.id == service_column, service.public.is_(True), agency.public.is_(True),
                   agency.deleted_at.is_(None)).exists())


def is_public_place(location_column):
    """SQL: the location is shown to the public (a probe of its primary key)."""
    place = aliased(Site)
    return select(place.id).where(place.id == location_column, place.public.is_(True), place.deleted_at.is_(None)).exists()


def type_terms(code: str) -> list[int]:
    """The ids of a type and its sub-types, read first so that the database knows from its
    statistics how many services they have."""
    return list(db.session.scalars(_type_terms_statement(), _type_terms_params(code)))


@cache  # built once with named parameters: a search's first reads are then one prepared pass
def _type_terms_statement():
    code = TaxonomyTerm.code
    return select(TaxonomyTerm.id).where(or_(
        code == bindparam("type_code"), code.like(bindparam("type_code_dot")), code.like(bindparam("type_code_dash"))))


def _type_terms_params(code: str) -> dict:
    return {"type_code": code, "type_code_dot": f"{code}.%", "type_code_dash": f"{code}-%"}


def wanted_types(criteria: Criteria) -> list[int]:
    """``type_terms`` of the criteria's type, read once per search (its statements each name them)."""
    return list(criteria.type_ids) if criteria.type_ids is not None else type_terms(criteria.taxonomy)


def taxonomy_services(criteria: Criteria):
    """Services of the criteria's type or its sub-types."""
    return select(service_taxonomy.c.service_id).where(service_taxonomy.c.term_id.in_(wanted_types(criteria)))


def services_of_type_by_name(criteria: Criteria):
    """SELECT service_id, name of the type's services meeting the other criteria, in name order,
    from ``directory_search_types``: read in its index order, a page is found after a few rows instead of
    sorting the names of every service of the type. A service under several of the wanted types
    (a type and its sub-types) comes once."""
    typed = search_types
    others = criteria_conditions(typed.c.service_id, replace(criteria, taxonomy=""))
    return (select(typed.c.service_id, typed.c.name).distinct()
            .where(typed.c.term_id.in_(wanted_types(criteria)), *others)
            .order_by(typed.c.name, typed.c.service_id))


def phone_condition(service_column, phone: str):
    """A whole number (any format) or its end: "979-5555" finds 867-979-5555, as the caller
    profile search does."""
    tail = digits(phone)[-PHONE_TAIL:]
    match = phones.c.digits == tail if len(tail) == PHONE_TAIL else phones.c.digits.like(f"%{tail}")
    return service_column.in_(select(phones.c.service_id).where(match))


def phone_digits(number: str) -> str:
    return digits(number)[-PHONE_TAIL:]


def matching_services(criteria: Criteria, keywords: Keywords | None, tier: str = "any", since: int | None = None):
    """SELECT service_id of the services that meet every criterion but the place, one row each
    (with keywords and ``since``, on PostgreSQL: only among the services numbered from ``since`` on)."""
    if keywords is not None:
        if db.is_sqlite:  # "+ 0": else SQLite hands ``rowid IN (…)`` to FTS5, which runs the match per id
            statement = keywords.services(tier).subquery()
            service = statement.c.service_id + 0
        elif since is not None:  # the newest services: read backwards from the service index, the words of
            # each checked, until a page is found (a few dozen rows), or from both indexes when few match
            statement = keywords.services(tier, since).subquery()
            service = statement.c.service_id
        else:  # found once from the GIN index, rather than matched again for each row of another index
            statement = keywords.services(tier, since).cte(f"keywords_{tier}").prefix_with("MATERIALIZED")
            service = statement.c.service_id
        return select(statement.c.service_id).where(*criteria_conditions(service, criteria))
    if criteria.taxonomy:  # the other criteria tried on the type's services, without reading a service row
        typed = taxonomy_services(criteria)
        return typed.where(*criteria_conditions(typed.selected_columns.service_id,
                                                replace(criteria, taxonomy=""))).distinct()
    return select(Resource.id.label("service_id")).where(*criteria_conditions(Resource.id, criteria))


# -- running -------------------------------------------------------------------------------
PAGE_PLANNER_SETTINGS = {"max_parallel_workers_per_gather": "0", "jit": "off", "plan_cache_mode": "force_custom_plan"}


@cache
def _planner_settings():
    """SELECT of the settings the search's statements run with on PostgreSQL, until the
    transaction ends (``SET LOCAL``): no parallel workers or JIT compiling, each planned for its
    own values. Each statement reads indexes for a page or a capped count in a few milliseconds;
    at a province's scale the planner estimated some costly enough to start two workers (a bitmap
    scan of 50,000 keyword matches) or to compile them, and starting the workers on a busy 2-core
    server took longer than the statement (a facet count: 11 ms alone, 100 ms with its workers).
    And psycopg prepares a statement run five times on a connection, after which PostgreSQL may
    keep one plan for any values (a generic plan), blind to how few rows a postal code's box and
    the keywords hold: the search near a postal code took 0.9-3.5 s instead of 26-90 ms on every
    connection that had run it ten times."""
    return select(func.concat(*(func.set_config(name, value, True) for name, value in PAGE_PLANNER_SETTINGS.items())))


def _first_reads(criteria: Criteria) -> dict:
    """What a search needs before its own statements, read in one statement: the planner's
    settings (``_planner_settings``), the synonym groups, the newest service's number (where a
    keyword's first pages are looked for, ``newest_matches``), the ids of the type asked for and
    the postal code's place (up to five round trips before). The settings hold for the statements
    after this one; these small reads by index run with the defaults. Each read is built once
    with named parameters, so that the pass is too."""
    reads = OnePass()
    if not db.is_sqlite:
        reads.scalar("planner", _planner_settings(), {})
    if criteria.keywords.strip():
        reads.rows("synonyms", _SYNONYM_GROUPS, {})
        if not db.is_sqlite and not criteria.postal_code:
            reads.scalar("newest", _NEWEST_SERVICE, {})
    if criteria.taxonomy and criteria.type_ids is None:
        reads.rows("types", _type_terms_statement(), _type_terms_params(criteria.taxonomy))
    if criteria.postal_code:
        geo.add_place_reads(reads, criteria.postal_code)
    return reads.run()


def run(criteria: Criteria) -> Outcome:
    first = _first_reads(criteria)
    if criteria.taxonomy and criteria.type_ids is None:
        criteria = replace(criteria, type_ids=tuple(row.id for row in first["types"]))
    outcome = Outcome()
    if criteria.postal_code:
        place = geo.place_found(first, criteria.postal_code)
        if place is None:
            outcome.unknown_postal_code = True
            return outcome
        outcome.origin, outcome.approximate_origin = (place.latitude, place.longitude), place.approximate
    groups = keyword_groups(criteria.keywords, [row.words for row in first["synonyms"]]) if "synonyms" in first else []
    keywords = Keywords(groups) if groups else None
    if outcome.origin is not None:
        _run_near(criteria, keywords, outcome)
    elif keywords is not None:
        newest = (first["newest"] or 0) if "newest" in first else None  # 0: no service yet
        _run_by_relevance(criteria, keywords, outcome, newest)
    else:
        _run_by_name(criteria, outcome)
    if not outcome.hits and criteria.start == 0:  # nothing matches: nothing to count (nor to wait for)
        outcome.counts = Counts()
    return outcome


def count_beside(results, criteria: Criteria) -> Counts | Beside:
    """``counted(results, …)``, read beside the rest of the page on PostgreSQL (``kernel.beside``):
    it takes as long as reading the page and its cards and drawing them. ``results``: what builds
    the statement of the results, called where it is read (a statement is not shared between
    threads: SQLAlchemy fills some of its parts when they are first used; one built once for every
    search, and compiled before, may be), or gives it with the values of its named parameters."""
    return read_beside(counted, results, criteria.exact_count)


def counted(results, exact: bool) -> Counts:
    """The ``Counts`` of the statement ``results()`` builds (or of the statement and values it
    gives), up to ``COUNT_CAP`` unless ``exact``."""
    if not db.is_sqlite:  # in the transaction of its own that ``read_beside`` gives it
        db.session.execute(_planner_settings())
    statement, values = _with_values(results())
    total, facets = count_and_facets(statement, None if exact else COUNT_CAP, values)
    is_exact = total <= COUNT_CAP or exact
    return Counts(total if is_exact else COUNT_CAP, is_exact, facets)


def has_next_page(criteria: Criteria, outcome: Outcome) -> bool:
    if not outcome.total_is_exact:  # beyond the cap: another page as long as this one is full
        return len(outcome.hits) == PAGE_SIZE
    return outcome.total > criteria.page * PAGE_SIZE


def count(statement, values: dict | None = None) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()), values)


def _with_values(results) -> tuple:
    """(statement, values of its named parameters) from a statement, or from such a pair."""
    return results if isinstance(results, tuple) else (results, None)


def _ids(statement, limit: int, offset: int) -> list[int]:
    column_ = statement.selected_columns.service_id
    return list(db.session.scalars(statement.order_by(column_.desc()).limit(limit).offset(offset)))


RECENT_SERVICES = 5_000  # the newest services, where a common keyword's first pages are looked for first
RECENT_PAGES = 10  # beyond these pages, among all the services


def newest_matches(criteria: Criteria, keywords: Keywords, tier: str, limit: int, offset: int,
                   newest: int | None = None) -> list[int]:
    """``_ids`` of a keyword tier, newest first. A common keyword matches tens of thousands of
    services, which PostgreSQL would all read from the table to keep the twenty newest: it looks
    among the newest ``RECENT_SERVICES`` first (the GIN index and the service index combined),
    and among all only when they hold less than the page. ``newest``: the newest service's
    number when already read (``_first_reads``), else it is read here."""
    if not db.is_sqlite and offset + limit <= RECENT_PAGES * PAGE_SIZE:
        if newest is None:
            newest = db.session.scalar(_NEWEST_SERVICE)
        found = _ids(matching_services(criteria, keywords, tier, since=(newest or 0) - RECENT_SERVICES), limit, offset)
        if len(found) == limit:  # a full page: every service outside the window is older
            return found
    return _ids(matching_services(criteria, keywords, tier), limit, offset)


def _run_by_relevance(criteria: Criteria, keywords: Keywords, outcome: Outcome, newest: int | None = None):
    """Services naming every keyword, then the others; newest first within each (index order);
    ``newest`` as for ``newest_matches``. Counted beside the page (``count_beside``)."""
    outcome.counts = count_beside(partial(matching_services, criteria, keywords), criteria)
    start = criteria.start
    in_name = matching_services(criteria, keywords, "name")
    first = newest_matches(criteria, keywords, "name", PAGE_SIZE, start, newest)
    hits = [Hit(service_id, 0.0) for service_id in first]
    if len(first) < PAGE_SIZE:
        named = start + len(first) if first else count(in_name)
        others = newest_matches(criteria, keywords, "other", PAGE_SIZE - len(first), max(start - named, 0), newest)
        hits += [Hit(service_id, 1.0) for service_id in others]
    outcome.hits = hits


def _run_by_name(criteria: Criteria, outcome: Outcome):
    outcome.counts = count_beside(partial(matching_services, criteria, None), criteria)
    matching = matching_services(criteria, None)
    if criteria.taxonomy:
        # Not the name index of all services: names often start with the type ("Food bank …"),
        # so a type's services may all lie far along it (PostgreSQL walked 25,000 names for one
        # page of "Housing").
        page = services_of_type_by_name(criteria)
    else:
        page = matching.order_by(Resource.name, Resource.id)
    page = page.limit(PAGE_SIZE).offset(criteria.start)
    outcome.hits = [Hit(row[0]) for row in db.session.execute(page)]


def _run_near(criteria: Criteria, keywords: Keywords | None, outcome: Outcome):
    """Nearest first (or by relevance tier, then distance), each service at its nearest place;
    counted within the radius asked for (everywhere without one), beside the page (``count_beside``)."""
    latitude, longitude = outcome.origin
    by_relevance = criteria.sort == "relevance" and keywords is not None
    outcome.counts = count_beside(partial(_places_within, criteria, keywords, outcome.origin, criteria.radius_km),
                                  criteria)
    if by_relevance:
        radii = [criteria.radius_km]
    elif criteria.radius_km:
        radii = [radius for radius in INNER_RADII if radius < criteria.radius_km] + [criteria.radius_km]
    else:
        radii = list(NEAREST_RADII)
    wanted = criteria.start + PAGE_SIZE
    for radius in radii:  # the nearest services are within the first circle that holds a page of them
        places, values = _matching_places(criteria, keywords, (latitude, longitude), radius)
        near = _prepared_near_statements(places) if values else NearStatements(places)
        values = {**(values or _circle_values(Circle.of((latitude, longitude), radius))),
                  "circle_wanted": wanted, "circle_start": criteria.start, "circle_page_size": PAGE_SIZE}
        if radius == radii[-1] or db.session.scalar(near.probe, values) >= wanted:
            break
    if by_relevance:  # every keyword in the name first
        in_name = matching_services(criteria, keywords, "name")
        page = _nearest_page(near.places, lambda service: case((service.in_(in_name), 0), else_=1))
    else:
        page = near.page
    outcome.hits = _nearest_hits(list(db.session.scalars(page, values)), latitude, longitude, criteria.public_only)


def _places_within(criteria: Criteria, keywords: Keywords | None, origin, radius_km: float | None):
    """The services with a place within the radius (None: anywhere) meeting the criteria, once each,
    and the values of the statement's named parameters."""
    places, values = _matching_places(criteria, keywords, origin, radius_km)
    if values:
        return _prepared_near_statements(places).distinct, values
    return places.distinct(), None


# -- within a circle -------------------------------------------------------------------------
@dataclass(frozen=True)
class Circle:
    """A search's origin and circle in SQL terms: numbers, or named parameters (``NAMED_CIRCLE``)
    whose values ``_circle_values`` gives. No radius: the origin alone (``low_latitude`` … None)."""

    latitude: object
    longitude: object
    cos_latitude: object
    low_latitude: object = None
    high_latitude: object = None
    low_longitude: object = None
    high_longitude: object = None
    nearness_limit: object = None

    @classmethod
    def of(cls, origin, radius_km: float | None) -> Circle:
        latitude, longitude = origin
        cos_latitude = math.cos(math.radians(latitude))
        if radius_km is None:
            return cls(latitude, longitude, cos_latitude)
        return cls(latitude, longitude, cos_latitude, *geo.bounding_box(latitude, longitude, radius_km),
                   geo.nearness_limit(radius_km))


NAMED_CIRCLE = Circle(*(bindparam(f"circle_{name.name}", type_=Float) for name in dataclass_fields(Circle)))


def _circle_values(circle: Circle) -> dict:
    return {f"circle_{name.name}": getattr(circle, name.name) for name in dataclass_fields(Circle)}


def _matching_places(criteria: Criteria, keywords: Keywords | None, origin, radius_km: float | None):
    """SELECT service_id of the search rows with a place, of the services meeting the criteria,
    within the radius (if any), and the values of its named parameters: None when it was built
    with its values, or, for the usual search (keywords within a radius on PostgreSQL, and no
    other criterion), a statement built once for every such search, and its values."""
    if keywords is not None and radius_km is not None and not db.is_sqlite:
        circle = Circle.of(origin, radius_km)
        cells = geo.cells_covering(circle.low_latitude, circle.high_latitude, circle.low_longitude, circle.high_longitude)
        if _keywords_alone(criteria):
            values = {**_circle_values(circle), "circle_query": keywords.ts_query()}
            if cells is not None:
                values["circle_cells"] = cells
            return _prepared_keyword_places(criteria.public_only, cells is not None), values
        return _keyword_places_in_circle(criteria, keywords, circle, cells), None
    service = search_rows.c.service_id
    if radius_km is not None:
        service = service + 0  # "+ 0": read the box from the place index, check each place's service
    conditions = ([service.in_(matching_services(criteria, keywords))] if keywords is not None
                  else criteria_conditions(service, criteria))
    places = select(search_rows.c.service_id).where(search_rows.c.latitude.is_not(None), *conditions)
    if criteria.public_only:
        places = places.where(is_public_place(search_rows.c.location_id))
    if radius_km is None:
        return places, None
    return places.where(*_in_circle(Circle.of(origin, radius_km))), None


def _keywords_alone(criteria: Criteria) -> bool:
    """No criterion but the keywords and the place (the public directory's own limits aside): asked
    of ``criteria_conditions`` itself, so that a criterion added there is never left out of a
    statement built once without it."""
    service = search_rows.c.service_id
    return len(criteria_conditions(service, criteria)) == len(
        criteria_conditions(service, Criteria(public_only=criteria.public_only)))


@lru_cache(maxsize=4)
def _prepared_keyword_places(public_only: bool, with_cells: bool):
    """``_keyword_places_in_circle`` with named parameters (``NAMED_CIRCLE``, ``circle_query``,
    ``circle_cells``): building it took about a millisecond of a search's Python, twice a page
    (the page's circle and the count's), and the statements around it as much again."""
    cells = bindparam("circle_cells", type_=search_rows.c.cells.type) if with_cells else None
    return _keyword_places_in_circle(Criteria(public_only=public_only), Keywords([]), NAMED_CIRCLE, cells,
                                     query=bindparam("circle_query"))


def _in_circle(circle: Circle) -> list:
    """The conditions on a search row's place: in the circle's box (which the place index reads),
    then in the circle."""
    return [search_rows.c.latitude.between(circle.low_latitude, circle.high_latitude),
            search_rows.c.longitude.between(circle.low_longitude, circle.high_longitude),
            _nearness(circle) <= circle.nearness_limit]


def _nearness(circle: Circle):
    return geo.nearness(search_rows.c.latitude, search_rows.c.longitude, circle.latitude, circle.longitude,
                        circle.cos_latitude)


def _keyword_places_in_circle(criteria: Criteria, keywords: Keywords, circle: Circle, cells, query=None):
    """PostgreSQL: ``_matching_places`` with keywords and a radius, the place first; ``cells``: the
    grid cells covering the circle's box (None: a circle too wide for cells); ``query`` as for
    ``Keywords.matches``.

    A common keyword matches tens of thousands of services (50,000 for "logement" and its
    synonyms among 200,000), and reading each of them to keep the few with a place in the circle
    cost 50 to 90 ms. Each service's first search row holds its words (the others have none) and
    the grid cells of all its places (``geo.place_cells``), and one GIN index holds both. So the
    words rows wanted are those that match the keywords AND have a place in a cell covering the
    box: the index intersects the two while it reads, skipping along the keywords' entries to the
    rows of those cells, and gives a few thousand rows. The places in the circle of those services
    come from the place index alone.

    Before the cells, a service's other places were found in their own index, then their words
    rows one probe each: 4,000 probes, 5 ms of a 25 ms statement. With an index for the cells and
    one for the words, the database made a bitmap of every keyword match (50,000) before
    intersecting them: 11 ms, against 4 with the one index (bench/README.md)."""
    words = search_rows.alias("words_rows")
    near = [words.c.cells.overlap(cells)] if cells is not None else []
    found = (select(words.c.service_id).where(keywords.matches(words, query), *near)
             .cte("keyword_places").prefix_with("MATERIALIZED"))
    matched = select(found.c.service_id).where(*criteria_conditions(found.c.service_id, criteria))
    places = select(search_rows.c.service_id).where(
        search_rows.c.latitude.is_not(None), (search_rows.c.service_id + 0).in_(matched), *_in_circle(circle))
    if criteria.public_only:
        places = places.where(is_public_place(search_rows.c.location_id))
    return places


class NearStatements:
    """What a search near a place runs on its places (``_matching_places``), each built when first
    used: whether a circle holds a page (``circle_wanted`` of them), the page nearest first
    (``circle_page_size`` from ``circle_start``), and the services once each (for the count)."""

    def __init__(self, places):
        self.places = places

    @cached_property
    def probe(self):
        wanted = bindparam("circle_wanted", type_=Integer)
        return select(func.count()).select_from(self.places.distinct().limit(wanted).subquery())

    @cached_property
    def page(self):
        return _nearest_page(self.places)

    @cached_property
    def distinct(self):
        return self.places.distinct()


@lru_cache(maxsize=16)  # the statements of places built once (``_prepared_keyword_places``)
def _prepared_near_statements(places) -> NearStatements:
    return NearStatements(places)


def _nearest_page(places, first=None):
    """SELECT service_id of a page of ``places``' services, nearest first; ``first``: an order
    that comes before the distance (None: none)."""
    found = places.add_columns(_nearness(NAMED_CIRCLE).label("nearness")).cte("places")
    order = [func.min(found.c.nearness), found.c.service_id]
    if first is not None:
        order.insert(0, first(found.c.service_id))
    return (select(found.c.service_id).group_by(found.c.service_id).order_by(*order)
            .limit(bindparam("circle_page_size", type_=Integer)).offset(bindparam("circle_start", type_=Integer)))


def _nearest_hits(service_ids: list[int], latitude: float, longitude: float, public_only: bool = False) -> list[Hit]:
    """The page's services, each at its nearest place (within the radius, if any, since the service
    has a place there), in the page's order."""
    if not service_ids:
        return []
    query = select(
        search_rows.c.service_id, search_rows.c.location_id, search_rows.c.latitude, search_rows.c.longitude,
    ).where(search_rows.c.service_id.in_(service_ids), search_rows.c.latitude.is_not(None))
    if public_only:
        query = query.where(is_public_place(search_rows.c.location_id))
    rows = db.session.execute(query)
    nearest: dict[int, Hit] = {}
    for row in rows:
        distance = geo.distance_km(latitude, longitude, row.latitude, row.longitude)
        if row.service_id not in nearest or distance < nearest[row.service_id].distance_km:
            nearest[row.service_id] = Hit(row.service_id, 0.0, row.location_id, distance)
    return [nearest[service_id] for service_id in service_ids if service_id in nearest]


def count_and_facets(results, cap: int | None, values: dict | None = None) -> tuple[int, list[dict]]:
    """How many results (up to ``cap`` + 1 when a cap is given), and the service types among them
    with how many of those results have each.

    The facets are counted over the same capped results as the total: counting each type up to the
    cap over every match would still have to find every match (a type's services must be checked
    against the keywords, the place and the other criteria), which is what costs. So when the
    total is capped, a facet's count is "at least that many", and the screen says so.

    One statement: the results are found once (a CTE used twice is materialised), the types are
    counted on the index of (service, type) pairs, and only the few shown are named."""
    statement = _prepared_facets_statement(results, cap) if values else facets_statement(results, cap)
    rows = db.session.execute(statement, values).all()
    if not rows:  # no result has a service type
        found = results.order_by(None)
        return count(found.limit(cap + 1) if cap is not None else found, values), []
    return rows[0].total, _facets(rows, cap)


def _facets(rows, cap: int | None) -> list[dict]:
    return [{"code": code, "name": name, "name_fr": name_fr, "count": min(int(number), cap or number)}
            for _total, code, name, name_fr, number in rows]


@lru_cache(maxsize=16)
def _prepared_facets_statement(results, cap: int | None):
    """``facets_statement`` of results built once (with named parameters): built once too."""
    return facets_statement(results, cap)


def facets_statement(results, cap: int | None):
    """SELECT total, code, name, name_fr, count: the service types among the results (capped)."""
    found = results.order_by(None)
    if cap is not None:
        found = found.limit(cap + 1)
    found = found.cte("results")
    total = select(func.count()).select_from(found).scalar_subquery()
    counts = (select(service_taxonomy.c.term_id, func.count(func.distinct(service_taxonomy.c.service_id))
                     .label("count"))
              .where(service_taxonomy.c.service_id.in_(select(found.c.service_id)))
              .group_by(service_taxonomy.c.term_id).subquery())
    return (select(total.label("total"), TaxonomyTerm.code, TaxonomyTerm.name, TaxonomyTerm.name_fr,
                   func.sum(counts.c.count).label("count"))
            .join(counts, counts.c.term_id == TaxonomyTerm.id).where(TaxonomyTerm.deleted_at.is_(None))
            .group_by(TaxonomyTerm.code, TaxonomyTerm.name, TaxonomyTerm.name_fr)
            .order_by(func.sum(counts.c.count).desc(), TaxonomyTerm.code)
            .limit(FACET_LIMIT))
