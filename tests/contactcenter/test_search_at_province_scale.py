"""Issue 18, province-scale data: a whole phone number typed in the quick search of the contacts'
and the caller profiles' lists is found by the digits of the phone fields (on PostgreSQL from an
index of them, not from long lists of digit trigrams), in any format, and nothing else."""

import re

import pytest
from sqlalchemy import text

from kernel.db import db
from kernel.listing import whole_phone_number
from kernel.registry import entities
from tests.conftest import login
from tests.contactcenter.helpers import make_contact, make_line, make_profile


@pytest.fixture
def callers(app, supervisor):
    line = make_line()
    for number in ("867-979-1234", "+1 (867) 979-1234", "867-979-1235", "613-867-9791"):
        make_contact(supervisor, line=line, caller=number)
    make_profile(supervisor, name="Émile Noël", phone="(867) 979-1234")
    make_profile(supervisor, name="Inès Roy", phone="867 979 1235")
    db.session.commit()


@pytest.fixture
def supervisor(app, make_user):
    return make_user("supervisor", language="en")


def listed_callers(browser, path: str) -> str:
    """The text of the list's rows."""
    response = browser.get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True).split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.parametrize("typed", ["(867) 979-1234", "8679791234", "1 867 979 1234", "+1-867-979-1234"])
def test_a_whole_number_finds_its_contacts_in_any_format(app, supervisor, callers, typed):
    html = listed_callers(login(app.test_client(), supervisor), "/helpline-contacts/?q=" + typed.replace("+", "%2B"))
    assert html.count("979-1234") == 2 and "979-1235" not in html and "613-867-9791" not in html


def test_a_whole_number_finds_its_profile(app, supervisor, callers):
    html = listed_callers(login(app.test_client(), supervisor), "/caller-profiles/?q=867.979.1234")
    assert "Émile Noël" in html and "Inès Roy" not in html


def test_part_of_a_number_and_words_are_searched_as_before(app, supervisor, callers):
    browser = login(app.test_client(), supervisor)
    html = listed_callers(browser, "/helpline-contacts/?q=979-123")
    assert "979-1234" in html and "979-1235" in html
    assert "Inès Roy" in listed_callers(browser, "/caller-profiles/?q=ines")


def test_only_a_number_alone_is_a_phone_search(app):
    contacts = entities().get("helpline_contact")
    assert whole_phone_number(contacts, "Noël 8679791234") is None
    assert whole_phone_number(contacts, "979-1234") is None
    assert whole_phone_number(contacts, "44 20 7946 0958 12") is None
    assert whole_phone_number(contacts, "+1 867 979 1234") == "8679791234"


def test_postgresql_reads_the_digits_index(app, callers):
    if db.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite's quick search reads its trigram table")
    from kernel.listing import filtered

    contacts = entities().get("helpline_contact")
    statement = filtered(contacts, q="(867) 979-1234").with_only_columns(contacts.model.id)
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}")))
    assert "ix_contactcenter_contacts_caller_number_digits" in plan


def test_a_search_with_few_matches_lists_them_newest_first(app, supervisor):
    """On PostgreSQL a search counted under the cap sorts its few matches (``id + 0``) rather
    than walk the primary key to meet them: the order is the same, newest first."""
    for name in ("Zoé Kilabuk 12345", "Marie Roy 5", "Léa Kilabuk 123456"):
        make_profile(supervisor, name=name, phone=None)
    html = listed_callers(login(app.test_client(), supervisor), "/caller-profiles/?q=kilabuk%2012345")
    assert "Marie Roy" not in html
    assert html.index("Léa Kilabuk 123456") < html.index("Zoé Kilabuk 12345")
