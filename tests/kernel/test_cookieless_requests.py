"""A request that carries no cookie has no session to read: its user is anonymous from the start
(Flask-Login is not asked to look for one), and an API token still signs its user in. A request
with the session cookie is signed in as before."""

import pytest
from flask_login import LoginManager


@pytest.fixture
def session_lookups(monkeypatch):
    """How often Flask-Login looked for the request's user in its session."""
    looked = []
    original = LoginManager._load_user

    def counting(manager):
        looked.append(1)
        return original(manager)

    monkeypatch.setattr(LoginManager, "_load_user", counting)
    return looked


def test_a_page_asked_without_a_cookie_is_for_someone_signed_out(app, session_lookups):
    response = app.test_client(use_cookies=False).get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert session_lookups == []


def test_an_api_call_without_a_cookie_signs_in_the_token_s_user(app, staff, token_for, session_lookups):
    response = app.test_client(use_cookies=False).get("/api/v1/clients", headers=token_for(staff))
    assert response.status_code == 200
    assert session_lookups == []


def test_a_request_with_the_session_cookie_is_signed_in(staff_client, session_lookups):
    response = staff_client.get("/")
    assert response.status_code == 200
    assert session_lookups == [1]
