"""A request that fails unexpectedly gets the themed, translated error page (JSON for the API),
even when the database does not answer or the page's own context cannot be built; never the
server's bare page."""

import pytest
from sqlalchemy import create_engine

from kernel.db import db
from tests.conftest import login


@pytest.fixture
def failing_app(make_app):
    """An app as in production (exceptions become error pages) with routes that fail."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("a bug")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    return app


@pytest.fixture
def database_down():
    """From now on the database does not answer (the engine points at a file that cannot exist)."""

    def stop():
        db.session.remove()
        db.session.configure(bind=create_engine("sqlite:////nonexistent-folder/passerelle.db"))

    yield stop
    db.session.remove()
    db.session.configure(bind=db.engine)


@pytest.fixture
def boom_without_database(failing_app, database_down):
    """A route that fails once the database has stopped answering: the request itself got past
    everything that runs before a view (a plugin's guard may load the user)."""

    def boom():
        database_down()
        raise RuntimeError("a bug, and the database gone")

    failing_app.add_url_rule("/boom-without-database", "boom_without_database", boom)
    return "/boom-without-database"


def test_a_failing_page_shows_the_themed_error_page(failing_app, staff):
    client = login(failing_app.test_client(), staff)
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong. Nothing was saved." in page
    assert "theme.css" in page and staff.name in page  # the usual layout, with the user's menu


def test_the_error_page_renders_when_the_database_does_not_answer(failing_app, staff, boom_without_database):
    client = login(failing_app.test_client(), staff)
    response = client.get(boom_without_database, headers={"Accept-Language": "en"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong. Nothing was saved." in page and "theme.css" in page


def test_the_error_page_is_translated_when_the_database_does_not_answer(failing_app, staff, boom_without_database):
    client = login(failing_app.test_client(), staff)
    response = client.get(boom_without_database, headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Une erreur s'est produite. Rien n'a été sauvegardé." in page and "Retour au tableau de bord" in page


def test_a_page_needing_the_database_answers_503_when_it_does_not_answer(failing_app, staff, database_down):
    client = login(failing_app.test_client(), staff)
    database_down()
    response = client.get("/clients/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert "The database does not answer." in response.get_data(as_text=True)


def test_any_page_answers_503_when_the_database_is_down_before_it_starts(failing_app, staff, database_down):
    client = login(failing_app.test_client(), staff)
    database_down()
    response = client.get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 503  # loading the signed-in user already needs the database
    assert "The database does not answer." in response.get_data(as_text=True)


def test_a_static_page_when_not_even_the_template_can_be_rendered(failing_app, staff):
    def broken_context():
        raise RuntimeError("a context processor fails")

    failing_app.context_processor(broken_context)
    client = failing_app.test_client()
    response = client.get("/boom", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert page.startswith("<!doctype html>") and '<html lang="fr">' in page and "<h1>500</h1>" in page
    assert "Retour au tableau de bord" in page


def test_the_api_answers_in_json(failing_app, database_down):
    database_down()
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": "Une erreur s'est produite. Rien n'a été sauvegardé."}
