"""Repeated failed logins are slowed down (HTTP 429), per account and per address."""

import pytest

from kernel.db import db
from kernel.users import User
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def throttled_app(make_app, still_throttle_window):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        for email in ("victim@example.org", "other@example.org"):
            user = User(email=email, name=email.split("@")[0], role="staff", language="en")
            user.set_password(TEST_PASSWORD)
            db.session.add(user)
        db.session.commit()
        db.session.remove()
        yield app
        db.session.remove()


def _try(client, email, password="wrong password", address="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password, "language": "en"},
                       environ_base={"REMOTE_ADDR": address})


def test_the_fourth_failed_attempt_answers_429_with_a_readable_page(throttled_app):
    client = throttled_app.test_client()
    for _attempt in range(3):
        assert _try(client, "victim@example.org").status_code == 401
    response = _try(client, "victim@example.org")
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<html" in page
    assert "Too many attempts. Try again in 1 min." in page
    assert 0 < int(response.headers["Retry-After"]) <= 61  # the end of the full minute window
    # Even the right password waits: the attacker cannot go on guessing.
    assert _try(client, "victim@example.org", TEST_PASSWORD).status_code == 429


def test_the_address_is_counted_in_any_letter_case(throttled_app):
    client = throttled_app.test_client()
    for email in ("victim@example.org", "VICTIM@example.org", " Victim@Example.org"):
        assert _try(client, email).status_code == 401
    assert _try(client, "victim@EXAMPLE.org").status_code == 429


def test_the_account_and_the_address_are_counted_separately(throttled_app):
    client = throttled_app.test_client()
    for _attempt in range(4):
        _try(client, "victim@example.org")
    assert _try(client, "victim@example.org").status_code == 429
    # The account is throttled from any address, and the address for any account...
    assert _try(client, "victim@example.org", address="10.0.0.2").status_code == 429
    assert _try(client, "other@example.org", TEST_PASSWORD).status_code == 429
    # ...but other accounts from other addresses are not locked out.
    assert _try(client, "other@example.org", address="10.0.0.3").status_code == 401
    assert _try(client, "other@example.org", TEST_PASSWORD, address="10.0.0.4").status_code == 302


def test_the_throttling_page_is_in_french_for_a_french_visitor(throttled_app):
    client = throttled_app.test_client()
    for _attempt in range(3):
        client.post("/login", data={"email": "victim@example.org", "password": "x", "language": "fr"})
    response = client.post("/login", data={"email": "victim@example.org", "password": "x", "language": "fr"})
    assert response.status_code == 429
    assert "Trop de tentatives. Réessayez dans 1 min." in response.get_data(as_text=True)


def test_forgotten_password_requests_are_throttled_too(throttled_app):
    client = throttled_app.test_client()
    for _attempt in range(3):
        assert client.post("/password/forgot", data={"email": "victim@example.org"}).status_code == 302
    assert client.post("/password/forgot", data={"email": "victim@example.org"}).status_code == 429


def test_viewing_the_login_page_is_not_counted(throttled_app):
    client = throttled_app.test_client()
    for _attempt in range(5):
        assert client.get("/login").status_code == 200
    assert _try(client, "victim@example.org").status_code == 401
