"""A screen of a plugin that saves by itself and meets a race (a unique value saved at the same
moment, a record saved in between) or a value the database refuses gets a clear, translated answer
and its transaction is rolled back; never a 500."""

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm.exc import StaleDataError

from kernel.db import db
from kernel.navigation import Favourite
from tests.conftest import login


@pytest.fixture
def plugin_app(make_app, staff):
    app = make_app()

    def star_twice():  # what two clicks racing each other amount to
        row = {"user_id": staff.id, "entity": "client", "record_id": 1}
        db.session.execute(insert(Favourite).values(**row))
        db.session.execute(insert(Favourite).values(**row))
        db.session.commit()
        return "saved"

    def saved_in_between():
        raise StaleDataError("UPDATE statement on table 'clients' expected to update 1 row(s); 0 were matched.")

    def huge_number():
        db.session.scalar(select(Favourite).where(Favourite.record_id == 10**30))
        return "found"

    for rule, view in (("/star", star_twice), ("/stale", saved_in_between), ("/huge", huge_number),
                       ("/api/v1/star", star_twice)):
        app.add_url_rule(rule, rule, view)
    return app


def test_a_unique_value_saved_at_the_same_moment_is_a_409(plugin_app, staff):
    client = login(plugin_app.test_client(), staff)
    response = client.get("/star")
    assert response.status_code == 409
    assert "Someone else saved at the same moment: nothing was saved." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Favourite)) == 0


def test_the_api_gets_the_same_answer_in_json(plugin_app):
    response = plugin_app.test_client().get("/api/v1/star", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert response.get_json()["error"].startswith("Someone else saved at the same moment")


def test_a_record_saved_in_between_is_a_409(plugin_app, staff):
    response = login(plugin_app.test_client(), staff).get("/stale")
    assert response.status_code == 409


def test_a_number_the_database_cannot_hold_is_a_400(plugin_app, staff):
    response = login(plugin_app.test_client(), staff).get("/huge")
    assert response.status_code in {200, 400}  # PostgreSQL compares it; SQLite cannot bind it
    if response.status_code == 400:
        assert "A value sent is too large or not valid" in response.get_data(as_text=True)
