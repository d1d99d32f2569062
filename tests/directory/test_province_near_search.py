"""Issue 18, province-scale directory: a keyword search near a postal code finds the places in the
circle first (on PostgreSQL, one GIN index over the words and the cells of services' places). Its results are
those of a plain computation over every search row: the services matching the keywords with a
place in the circle, nearest first (then by id), each at its nearest place, counted up to the cap,
with their service types counted among them. Bench data (``bench.directory``), on a small scale:
services at one or two places, around ten cities."""

import threading
from dataclasses import replace

import pytest
from sqlalchemy import select, text, update

from bench import directory as bench_directory
from kernel.db import db
from plugins.directory import geo
from plugins.directory import search as directory_search
from plugins.directory.models import Agency, Resource, Site, TaxonomyTerm, search_rows, service_taxonomy
from plugins.directory.search import Criteria, Keywords, keyword_groups

ORIGINS = ["H2X 1Y4", "K1P 1J1", "M5V 2T6"]
KEYWORDS = ["logement", "food", "emploi", "counselling anxiety"]


PAGE_SIZE = 3  # pages of three: several pages of the small data set are compared


@pytest.fixture
def bench_directory_data(app, staff, monkeypatch):
    monkeypatch.setattr(directory_search, "PAGE_SIZE", PAGE_SIZE)
    bench_directory.generate(staff.id, services=400, locations=600, seed=18)
    return app


def keyword_services(keywords: str) -> set[int]:
    found = set(db.session.scalars(Keywords(keyword_groups(keywords)).services("any")))
    trashed = set(db.session.scalars(select(Resource.id).where(Resource.deleted_at.is_not(None))))
    return found - trashed


def plain_near(keywords: str, origin: tuple[float, float], radius_km: float | None, without_place: int | None = None):
    """{service: (distance, location)} at each matching service's nearest place within the radius
    (``without_place``: a place left out)."""
    wanted = keyword_services(keywords)
    nearest = {}
    rows = db.session.execute(select(search_rows.c.service_id, search_rows.c.location_id, search_rows.c.latitude,
                                     search_rows.c.longitude).where(search_rows.c.latitude.is_not(None)))
    for service_id, location_id, latitude, longitude in rows:
        if service_id not in wanted or location_id == without_place:
            continue
        distance = geo.distance_km(origin[0], origin[1], latitude, longitude)
        if radius_km is not None and distance > radius_km:
            continue
        if service_id not in nearest or distance < nearest[service_id][0]:
            nearest[service_id] = (distance, location_id)
    return nearest


def type_counts(service_ids) -> dict[str, int]:
    counts = {}
    rows = db.session.execute(select(TaxonomyTerm.code, service_taxonomy.c.service_id)
                              .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy.c.term_id)
                              .where(service_taxonomy.c.service_id.in_(list(service_ids))))
    for code, _service_id in rows:
        counts[code] = counts.get(code, 0) + 1
    return counts


def check_near(criteria: Criteria, cap: int):
    outcome = directory_search.run(criteria)
    expected = plain_near(criteria.keywords, outcome.origin, criteria.radius_km)
    order = sorted(expected, key=lambda service_id: (expected[service_id][0], service_id))
    page = order[criteria.start:criteria.start + PAGE_SIZE]
    assert [hit.service_id for hit in outcome.hits] == page, criteria
    assert [hit.location_id for hit in outcome.hits] == [expected[service_id][1] for service_id in page]
    assert [round(hit.distance_km, 6) for hit in outcome.hits] == [round(expected[s][0], 6) for s in page]
    if len(expected) <= cap:
        assert (outcome.total, outcome.total_is_exact) == (len(expected), True), criteria
        assert {facet["code"]: facet["count"] for facet in outcome.facets} == type_counts(expected), criteria
    else:
        assert (outcome.total, outcome.total_is_exact) == (cap, False), criteria
    return len(expected)


def test_keywords_within_a_radius_give_the_plain_results(bench_directory_data):
    sizes = []
    for radius_km in (30.0, 60.0, 700.0):
        for postal_code in ORIGINS:
            for keywords in KEYWORDS:
                criteria = Criteria(keywords=keywords, postal_code=postal_code, radius_km=radius_km, sort="distance")
                sizes.append(check_near(criteria, directory_search.COUNT_CAP))
                if sizes[-1] > PAGE_SIZE:
                    check_near(replace(criteria, page=2), directory_search.COUNT_CAP)
    assert max(sizes) > 2 * PAGE_SIZE and min(sizes) < PAGE_SIZE  # second pages, and short lists, were compared


def test_within_a_radius_a_page_found_in_a_smaller_circle_is_the_nearest(bench_directory_data, monkeypatch):
    """Nearest first within a radius, the page is looked for in smaller circles first: where one
    holds a page, that page is the radius's nearest, and the count is still the whole radius's."""
    tried = []
    matching_places = directory_search._matching_places
    page_thread = threading.current_thread()

    def noted(criteria, keywords, origin, radius_km):
        if threading.current_thread() is page_thread:  # not the count's, read beside on PostgreSQL
            tried.append(radius_km)
        return matching_places(criteria, keywords, origin, radius_km)

    monkeypatch.setattr(directory_search, "_matching_places", noted)
    monkeypatch.setattr(directory_search, "INNER_RADII", (20.0, 30.0))
    found_inside = 0
    for postal_code in ORIGINS:
        for keywords in KEYWORDS:
            for page in (1, 2):
                criteria = Criteria(keywords=keywords, postal_code=postal_code, radius_km=60.0, sort="distance", page=page)
                tried.clear()
                outcome = directory_search.run(criteria)
                circles = list(tried)
                assert circles == [20.0, 30.0, 60.0][:len(circles)], circles
                found_inside += 60.0 not in circles
                check_near(criteria, directory_search.COUNT_CAP)  # the same page and the radius's count
                assert [hit.service_id for hit in directory_search.run(criteria).hits] == \
                    [hit.service_id for hit in outcome.hits]
    assert found_inside  # some pages came from a smaller circle, and were the nearest


def test_the_count_near_a_postal_code_stops_at_the_cap(bench_directory_data, monkeypatch):
    monkeypatch.setattr(directory_search, "COUNT_CAP", 15)
    sizes = [check_near(Criteria(keywords=keywords, postal_code="H2X 1Y4", radius_km=700.0, sort="distance"), 15)
             for keywords in KEYWORDS]
    assert max(sizes) > 15


def test_the_nearest_without_a_radius_give_the_plain_results(bench_directory_data, monkeypatch):
    """Without a radius the nearest are looked for in growing circles; each circle is a keyword
    search within a radius, and the last holds every match."""
    monkeypatch.setattr(directory_search, "NEAREST_RADII", (5.0, 15.0, 40.0, None))
    for postal_code in ORIGINS:
        for keywords in KEYWORDS:
            for page in (1, 2):
                criteria = Criteria(keywords=keywords, postal_code=postal_code, page=page)
                outcome = directory_search.run(criteria)
                expected = plain_near(keywords, outcome.origin, None)
                order = sorted(expected, key=lambda service_id: (expected[service_id][0], service_id))
                assert [hit.service_id for hit in outcome.hits] == order[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
                assert outcome.total == min(len(expected), directory_search.COUNT_CAP)


def test_by_relevance_within_a_radius_names_first_then_nearest(bench_directory_data):
    for keywords in KEYWORDS:
        criteria = Criteria(keywords=keywords, postal_code="K1P 1J1", radius_km=60.0, sort="relevance")
        outcome = directory_search.run(criteria)
        expected = plain_near(keywords, outcome.origin, 60.0)
        named = set(db.session.scalars(Keywords(keyword_groups(keywords)).services("name")))
        order = sorted(expected, key=lambda s: (s not in named, expected[s][0], s))
        assert [hit.service_id for hit in outcome.hits] == order[:PAGE_SIZE]
        assert outcome.total == len(expected)


def test_the_public_directory_near_a_place_gives_the_plain_results(bench_directory_data):
    """The public directory's searches (public services of public agencies, at public places) run
    the statements built once for keywords near a place, with their own limits."""
    db.session.execute(update(Agency).values(public=True))
    db.session.execute(update(Site).values(public=True))
    db.session.execute(update(Resource).where(Resource.id % 2 == 0).values(public=True))
    hidden_place = db.session.scalar(select(Site.id).order_by(Site.id).limit(1))
    db.session.execute(update(Site).where(Site.id == hidden_place).values(public=False))
    db.session.commit()  # on PostgreSQL the count is read beside, in a transaction of its own
    public = set(db.session.scalars(select(Resource.id).where(Resource.public.is_(True))))
    compared = 0
    for postal_code in ORIGINS:
        for keywords in KEYWORDS:
            for radius_km in (60.0, None):
                criteria = Criteria(keywords=keywords, postal_code=postal_code, radius_km=radius_km, sort="distance",
                                    public_only=True)
                outcome = directory_search.run(criteria)
                expected = {service_id: nearest for service_id, nearest
                            in plain_near(keywords, outcome.origin, radius_km, without_place=hidden_place).items()
                            if service_id in public}
                order = sorted(expected, key=lambda service_id: (expected[service_id][0], service_id))
                assert [hit.service_id for hit in outcome.hits] == order[:PAGE_SIZE], criteria
                assert outcome.total == min(len(expected), directory_search.COUNT_CAP), criteria
                compared += len(order) > PAGE_SIZE
    assert compared  # full pages were compared


def prepared_plans(fragment: str) -> tuple[int, int]:
    """(generic, custom) plans PostgreSQL has used for this connection's prepared statements that
    hold ``fragment``."""
    row = db.session.execute(text(
        "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) FROM pg_prepared_statements "
        "WHERE statement LIKE :fragment"), {"fragment": f"%{fragment}%"}).one()
    return int(row[0]), int(row[1])


def test_a_search_asked_again_and_again_is_planned_for_its_own_values(bench_directory_data):
    """psycopg prepares a statement run five times on a connection, and after five more PostgreSQL
    may plan it once for any values (a generic plan). For the search near a postal code the
    generic plan cannot see how few rows the box and the keywords hold: at a province's scale it
    took 0.9–3.5 s instead of 26–90 ms, on every connection of a server that had run it ten
    times. The search plans each statement for its values."""
    if db.is_sqlite:
        pytest.skip("PostgreSQL's plan cache")
    for _round in range(15):
        for postal_code in ORIGINS:
            db.session.commit()  # one transaction a search, as one request (a rollback drops psycopg's prepared statements)
            outcome = directory_search.run(Criteria(keywords="logement", postal_code=postal_code, radius_km=60.0,
                                                    sort="distance"))
            assert outcome.origin is not None
    generic, custom = prepared_plans("keyword_places")
    assert custom >= 30 and generic == 0
