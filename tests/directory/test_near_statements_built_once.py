"""Issue 18: a search by keywords near a place (a caller's need and postal code, the usual search)
runs statements built once for every such search, with its own values as parameters; building
them took about a millisecond of a search's Python, twice a page. With another criterion the
statements are built for the search, with their values, as before. Results: the province-scale
tests (test_province_near_search.py) compare both kinds with a plain computation."""

import pytest

from kernel.db import db
from plugins.directory import search as directory_search
from plugins.directory.search import Criteria, Keywords, keyword_groups

MONTREAL, OTTAWA = (45.51, -73.57), (45.42, -75.69)


@pytest.fixture
def postgresql_only(app):
    if db.is_sqlite:
        pytest.skip("on SQLite a keyword search near a place reads the keyword index first (no cells)")


def places(keywords: str, origin, radius_km: float, **criteria):
    return directory_search._matching_places(Criteria(keywords=keywords, **criteria),
                                             Keywords(keyword_groups(keywords)), origin, radius_km)


def test_keywords_near_any_place_share_one_statement(app, postgresql_only):
    with app.test_request_context():
        housing, values = places("logement", MONTREAL, 25.0)
        food, other_values = places("food bank", OTTAWA, 60.0)
        assert housing is food
        assert values["circle_query"] != other_values["circle_query"]
        assert values["circle_latitude"] == MONTREAL[0] and other_values["circle_latitude"] == OTTAWA[0]
        assert values["circle_cells"] != other_values["circle_cells"]
        public, _values = places("logement", MONTREAL, 25.0, public_only=True)
        assert public is not housing  # the public directory's limits are part of the statement
        assert places("logement", MONTREAL, 25.0, public_only=True)[0] is public


def test_another_criterion_builds_the_statement_with_its_values(app, postgresql_only):
    with app.test_request_context():
        typed, values = places("logement", MONTREAL, 25.0, language="fr")
        assert values is None
        assert typed is not places("logement", MONTREAL, 25.0, language="fr")[0]
