"""Issue 18: what a search needs before its own statements (on PostgreSQL the planner's settings
for its transaction, the synonym groups, the ids of the type asked for, the postal code's place) is
read in one statement, not one round trip each."""

from sqlalchemy import text

from kernel.db import db
from plugins.directory.search import PAGE_PLANNER_SETTINGS, Criteria, run
from tests.directory.helpers import names_in, sample_client, search
from tests.statements import statements_sent

FIRST_READS = ("directory_synonym_groups", "directory_postal_codes", "directory_taxonomy_terms")


def test_the_first_reads_of_a_search_are_one_statement(app, tmp_path, staff_client):
    sample_client(app, tmp_path, staff_client)
    with app.test_request_context():
        defaults = {} if db.is_sqlite else {name: _setting(name) for name in PAGE_PLANNER_SETTINGS}
        db.session.commit()
        with statements_sent() as sent:
            outcome = run(Criteria(keywords="logement", postal_code="K1P 1J1", radius_km=500, taxonomy="BD-1800"))
        assert not outcome.unknown_postal_code and outcome.origin is not None
        assert all(table in sent[0] for table in FIRST_READS), sent[0]
        assert not any(table in later for later in sent[1:] for table in FIRST_READS[:2])  # the facets name the types
        if not db.is_sqlite:  # the planner's settings hold for the rest of the search's transaction
            assert "set_config" in sent[0]
            for name, value in PAGE_PLANNER_SETTINGS.items():
                assert _setting(name) == value
            db.session.commit()  # and end with it (SET LOCAL): the pooled connection is left as it was
            assert {name: _setting(name) for name in PAGE_PLANNER_SETTINGS} == defaults
        db.session.rollback()


def _setting(name: str) -> str:
    return db.session.execute(text(f"SHOW {name}")).scalar()


def test_the_search_page_finds_with_what_it_read_first(app, tmp_path, staff_client):
    """The synonyms, the type and the place read together still shape the results."""
    client = sample_client(app, tmp_path, staff_client)
    assert "Community kitchen" in names_in(search(client, type="BD-1800"))
    assert "Social housing" in names_in(search(client, postal_code="K1P 1J1", radius=10))
    assert "Unknown postal code" in search(client, q="logement", postal_code="Z9Z 9Z9")


def test_a_keyword_search_reads_the_newest_service_with_its_first_reads(app, tmp_path, staff_client):
    """On PostgreSQL a keyword's first pages are looked for among the newest services: the newest
    one's number comes with the first reads, not in a round trip of its own."""
    sample_client(app, tmp_path, staff_client)
    with app.test_request_context():
        with statements_sent() as sent:
            outcome = run(Criteria(keywords="logement"))
        assert outcome.hits
        newest = [index for index, statement in enumerate(sent) if "max(directory_services.id)" in statement]
        assert newest == ([] if db.is_sqlite else [0]), sent
        db.session.rollback()


def test_a_type_and_a_postal_code_are_read_with_parameters(app, tmp_path, staff_client, monkeypatch):
    """The first reads are built once and given their values (a prepared pass, which SQLAlchemy
    finds compiled without walking it again), and each search still finds its own."""
    from plugins.directory import search as search_module

    passes = []

    class Recorded(search_module.OnePass):
        def run(self, *args, **kwargs):
            passes.append(self._all_prepared)
            return super().run(*args, **kwargs)

    monkeypatch.setattr(search_module, "OnePass", Recorded)
    client = sample_client(app, tmp_path, staff_client)
    with app.test_request_context():
        run(Criteria(keywords="logement", taxonomy="BD-1800", postal_code="K1P 1J1", radius_km=10))
        run(Criteria(keywords="repas", taxonomy="BH-8000", postal_code="10001", radius_km=10))
        db.session.rollback()
    assert passes == [True, True]
    assert "Community kitchen" in names_in(search(client, type="BD-1800"))
    assert "Social housing" in names_in(search(client, postal_code="K1P1J1", radius=10))
