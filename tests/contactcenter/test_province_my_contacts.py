"""Issue 18, province-scale data: "My contacts" (``/helpline-contacts/?mine=1``) lists the agent's
contacts not in the trash, newest first (ties by id), with their count; its page and its count read
the index of the agent's contacts not in the trash (``ix_contactcenter_contacts_agent_active_started``),
on PostgreSQL without visiting the table to check ``deleted_at``."""

import re

import pytest
from sqlalchemy import text

from kernel import listing, records
from kernel.db import db
from kernel.registry import entities
from tests.conftest import login
from tests.contactcenter.helpers import make_line
from tests.statements import statements_sent

INDEX = "ix_contactcenter_contacts_agent_active_started"
STARTS = ["2026-03-02T10:00", "2026-03-05T09:30", "2026-03-05T09:30", "2026-01-20T16:45", "2026-03-04T08:00",
          "2026-02-11T11:15", "2026-03-05T09:30"]


@pytest.fixture
def agent(make_user):
    return make_user("staff", email="agent@example.org", name="Agent", language="en")


@pytest.fixture
def contacts(app, agent, make_user):
    """The agent's contacts (three started at the same minute), one of them in the trash, and another
    agent's contacts started at the same times."""
    other = make_user("staff", email="other@example.org", name="Other agent", language="en")
    line = make_line()
    entity = entities().get("helpline_contact")
    mine, theirs = [], []
    for number, started in enumerate(STARTS):
        for owner, made in ((agent, mine), (other, theirs)):
            made.append(records.create(entity, {
                "channel": "phone", "status": "open", "line_id": line.id, "caller_number": f"867-979-{1000 + number}",
                "started_at": started, "assigned_user_id": owner.id}, owner))
    db.session.commit()
    records.delete(entity, mine[4], agent)
    db.session.commit()
    return mine, theirs


def listed_ids(browser, path) -> list[int]:
    response = browser.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = html[html.index("<tbody"):html.index("</tbody>")]
    return [int(found) for found in re.findall(r'name="ids" value="(\d+)"', rows)]


def newest_first(made) -> list[int]:
    kept = [contact for contact in made if contact.deleted_at is None]
    return [contact.id for contact in sorted(kept, key=lambda contact: (contact.started_at, contact.id), reverse=True)]


def test_my_contacts_are_mine_not_trashed_newest_first(app, agent, contacts):
    mine, _theirs = contacts
    browser = login(app.test_client(), agent)
    expected = newest_first(mine)
    assert len(expected) == 6
    assert listed_ids(browser, "/helpline-contacts/?mine=1&per_page=4") == expected[:4]
    assert listed_ids(browser, "/helpline-contacts/?mine=1&per_page=4&page=2") == expected[4:]
    html = browser.get("/helpline-contacts/?mine=1&per_page=4").get_data(as_text=True)
    assert "6 records" in html and "Page 1 of 2" in html


def test_past_the_cap_my_contacts_are_counted_as_more_than(app, agent, contacts, monkeypatch):
    mine, _theirs = contacts
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    browser = login(app.test_client(), agent)
    html = browser.get("/helpline-contacts/?mine=1&per_page=2").get_data(as_text=True)
    assert "More than 3 records" in html
    assert listed_ids(browser, "/helpline-contacts/?mine=1&per_page=2&page=2") == newest_first(mine)[2:4]


def test_the_index_holds_only_the_contacts_not_in_the_trash(app):
    if db.is_sqlite:
        definition = db.session.scalar(text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": INDEX})
    else:
        definition = db.session.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": INDEX})
    assert definition is not None
    assert re.search(r"assigned_user_id.*started_at.*id", definition)
    assert "deleted_at IS NULL" in definition.replace("(", "").replace(")", "")


def test_postgresql_reads_my_contacts_and_their_count_in_one_statement(app, agent, contacts):
    """One statement reads the page and its capped count (kernel.listing), in the shape of the
    agent's index (its condition, its columns in its order); the count is run once (an InitPlan,
    not a subplan per row). Which index a plan picks on a few test rows depends on the suite's
    statistics: the plans at province scale are in bench/README.md."""
    if db.is_sqlite:
        pytest.skip("PostgreSQL only: the statement the page sends and its plan")
    browser = login(app.test_client(), agent)
    browser.get("/helpline-contacts/?mine=1")
    with statements_sent(with_parameters=True) as sent:
        browser.get("/helpline-contacts/?mine=1")
    reading = [(statement, parameters) for statement, parameters in sent
               if "FROM contactcenter_contacts" in statement and "assigned_user_id =" in statement]
    assert len(reading) == 1, "\n---\n".join(statement for statement, _ in reading)
    statement, parameters = reading[0]
    flat = " ".join(statement.split())
    assert "count(" in flat.lower() and "deleted_at IS NULL" in flat
    assert flat.endswith("ORDER BY contactcenter_contacts.started_at DESC, contactcenter_contacts.id DESC "
                         "LIMIT %(param_3)s::INTEGER OFFSET %(param_4)s::INTEGER"), flat
    plan = "\n".join(row[0] for row in db.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters))
    assert "InitPlan" in plan and "SubPlan" not in plan, plan
