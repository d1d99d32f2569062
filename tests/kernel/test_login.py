"""Logging in and out: credentials, inactive accounts, language, the ``next`` page, cookie flags."""

import re
from urllib.parse import urlsplit

import pytest

from kernel.db import db
from kernel.users import User
from tests.conftest import TEST_PASSWORD


def _session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def _user(user_id) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def test_login_with_email_and_password_opens_the_dashboard(app, staff):
    client = app.test_client()
    response = client.post("/login", data={"email": "patrick@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"
    assert _session_of(client).get("_user_id") == str(staff.id)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Patrick Staff" in dashboard.get_data(as_text=True)
    assert _user(staff.id).last_login_at is not None


def test_the_email_address_is_not_case_sensitive(app, staff):
    client = app.test_client()
    response = client.post("/login", data={"email": "  Patrick@Example.ORG ", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("email, password", [
    ("patrick@example.org", "not the password"),
    ("nobody@example.org", TEST_PASSWORD),
    ("", ""),
])
def test_wrong_credentials_answer_401_with_a_message_and_log_nobody_in(app, staff, email, password):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password, "language": "en"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Wrong e-mail address or password." in page
    assert f'value="{email}"' in page  # the address typed is kept
    session = _session_of(client)
    assert "_user_id" not in session and "_fresh" not in session
    assert client.get("/").status_code == 302
    assert _user(staff.id).last_login_at is None


def test_an_inactive_user_cannot_log_in(app, make_user):
    user = make_user("staff", email="gone@example.org", active=False)
    client = app.test_client()
    response = client.post("/login", data={
        "email": "gone@example.org", "password": TEST_PASSWORD, "language": "en"})
    assert response.status_code == 401
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)
    assert "_user_id" not in _session_of(client)
    assert client.get("/").status_code == 302
    assert _user(user.id).last_login_at is None


def test_logout_is_post_only_and_ends_the_session(staff_client):
    # A link or an <img> cannot log anyone out: GET /logout does nothing.
    response = staff_client.get("/logout", follow_redirects=True)
    assert response.status_code >= 400
    assert "_user_id" in _session_of(staff_client)
    assert staff_client.get("/").status_code == 200

    response = staff_client.post("/logout")
    assert response.status_code == 302
    assert response.location == "/login"
    assert "_user_id" not in _session_of(staff_client)
    page = staff_client.get("/login").get_data(as_text=True)
    assert "You are logged out." in page  # in the user's language (English), not the default French
    assert '<html lang="en"' in page
    after = staff_client.get("/")
    assert after.status_code == 302
    assert after.location.startswith("/login")


def test_a_french_user_is_told_in_french_that_they_are_logged_out(app, make_user, login_as):
    client = login_as(make_user("staff", language="fr"))
    client.post("/logout")
    page = client.get("/login").get_data(as_text=True)
    assert "Déconnexion réussie." in page and '<html lang="fr"' in page


def test_logout_needs_a_logged_in_user(app):
    response = app.test_client().post("/logout")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_the_login_page_offers_french_and_english(app):
    page = app.test_client().get("/login").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="language"', page)
    assert '<option value="fr"' in page and "Français" in page
    assert '<option value="en"' in page and "English" in page


def test_the_language_switch_of_the_login_page_translates_it(app):
    client = app.test_client()
    response = client.get("/language/fr?next=/login")
    assert response.status_code == 302 and response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Mot de passe" in page
    client.get("/language/en")
    assert "Password" in client.get("/login").get_data(as_text=True)


def test_the_language_chosen_at_login_is_saved_and_used(app, make_user):
    user = make_user("staff", email="anglo@example.org", language="en")
    client = app.test_client()
    response = client.post("/login", data={
        "email": "anglo@example.org", "password": TEST_PASSWORD, "language": "fr"})
    assert response.status_code == 302
    assert _user(user.id).language == "fr"
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="fr"' in page
    assert "Tableau de bord" in page

    client.post("/logout")
    client.post("/login", data={"email": "anglo@example.org", "password": TEST_PASSWORD, "language": "en"})
    assert _user(user.id).language == "en"
    assert "Dashboard" in client.get("/").get_data(as_text=True)


def test_an_unknown_language_at_login_keeps_the_saved_one(app, make_user):
    user = make_user("staff", email="franco@example.org", language="fr")
    client = app.test_client()
    client.post("/login", data={"email": "franco@example.org", "password": TEST_PASSWORD, "language": "xx"})
    assert _user(user.id).language == "fr"
    assert "Tableau de bord" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["/clients/", "/clients/?q=emile&sort=-last_name", "/profile/"])
def test_next_follows_same_site_paths(app, staff, target):
    client = app.test_client()
    response = client.post("/login", query_string={"next": target},
                           data={"email": staff.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.location == target


@pytest.mark.parametrize("target", [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example/phish",
    "/\t/evil.example/phish",
    "javascript:alert(1)",
    "evil.example",
    "http:/evil.example",
])
def test_next_refuses_other_sites(app, staff, target):
    client = app.test_client()
    response = client.post("/login", query_string={"next": target},
                           data={"email": staff.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert _stays_on_this_site(response.location), response.location


def _stays_on_this_site(location: str) -> bool:
    """Read a Location as a browser does (tabs and newlines dropped, "\\" taken as "/")."""
    as_browser = location.strip("\x00 ").replace("\t", "").replace("\n", "").replace("\r", "")
    as_browser = as_browser.replace("\\", "/")
    parts = urlsplit(as_browser)
    return as_browser.startswith("/") and not as_browser.startswith("//") and not parts.scheme \
        and not parts.netloc


def test_the_login_redirect_of_a_protected_page_comes_back_to_it(app, staff):
    client = app.test_client()
    response = client.get("/profile/")
    assert response.status_code == 302
    login_url = response.location
    assert login_url.startswith("/login?next=")
    back = client.post(login_url, data={"email": staff.email, "password": TEST_PASSWORD})
    assert back.location == "/profile/"


def _session_cookie_header(response) -> str:
    headers = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert headers, "no session cookie set"
    return headers[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax(app, staff):
    response = app.test_client().post("/login", data={"email": staff.email, "password": TEST_PASSWORD})
    cookie = _session_cookie_header(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_when_asked(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    with app.app_context():
        user = User(email="secure@example.org", name="Secure", role="staff", language="en")
        user.set_password(TEST_PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()
    response = app.test_client().post("/login", base_url="https://localhost",
                                      data={"email": "secure@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = _session_cookie_header(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
