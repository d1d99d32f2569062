"""With CSRF protection on (as in production), a form sent without its token is refused."""

import pytest
from sqlalchemy import func, select

from kernel.db import db
from kernel.users import ApiToken, User
from plugins.clients.models import Client
from tests.conftest import TEST_PASSWORD, csrf_token_from


@pytest.fixture
def protected_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = User(email="csrf@example.org", name="Casey Staff", role="staff", language="en")
        user.set_password(TEST_PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()
        yield app
        db.session.remove()


def _log_in(app):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").data)
    response = client.post("/login", data={
        "email": "csrf@example.org", "password": TEST_PASSWORD, "language": "en", "csrf_token": token})
    assert response.status_code == 302
    return client


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_login_without_the_token_is_refused(protected_app):
    client = protected_app.test_client()
    client.get("/login")
    response = client.post("/login", data={"email": "csrf@example.org", "password": TEST_PASSWORD},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The form expired or was sent twice" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_a_form_without_the_token_is_refused_and_nothing_is_saved(protected_app):
    client = _log_in(protected_app)
    response = client.post("/clients/new", data={"first_name": "Émile", "last_name": "Noël"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The form expired or was sent twice" in page and "nothing was saved" in page
    assert _count(Client) == 0


def test_a_form_with_a_wrong_token_is_refused(protected_app):
    client = _log_in(protected_app)
    response = client.post("/clients/new", data={"last_name": "Noël", "csrf_token": "forged"})
    assert response.status_code == 400
    assert _count(Client) == 0


def test_the_token_of_another_session_is_refused(protected_app):
    someone_else = protected_app.test_client()
    foreign_token = csrf_token_from(someone_else.get("/login").data)
    client = _log_in(protected_app)
    response = client.post("/clients/new", data={"last_name": "Noël", "csrf_token": foreign_token})
    assert response.status_code == 400
    assert _count(Client) == 0


def test_a_form_with_the_token_of_its_page_is_saved(protected_app):
    client = _log_in(protected_app)
    token = csrf_token_from(client.get("/clients/new").data)
    response = client.post("/clients/new", data={
        "first_name": "Émile", "last_name": "Noël", "csrf_token": token})
    assert response.status_code == 302
    assert _count(Client) == 1
    assert "Émile Noël" in client.get(response.location).get_data(as_text=True)


def test_logout_and_profile_forms_need_the_token_too(protected_app):
    client = _log_in(protected_app)
    assert client.post("/profile/tokens", data={"name": "script", "current": TEST_PASSWORD}).status_code == 400
    assert _count(ApiToken) == 0
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still logged in

    token = csrf_token_from(client.get("/profile/").data)
    assert client.post("/profile/tokens", data={"name": "script", "current": TEST_PASSWORD, "csrf_token": token}).status_code == 302
    assert _count(ApiToken) == 1
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_the_api_uses_tokens_not_csrf(protected_app):
    with protected_app.app_context():
        from kernel.users import create_token

        user = db.session.scalar(select(User))
        token = create_token(user, "script")
        db.session.commit()
        db.session.remove()
    response = protected_app.test_client().post(
        "/api/v1/clients", json={"last_name": "Noël"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
