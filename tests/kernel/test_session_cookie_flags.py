"""The session cookie: HttpOnly and SameSite=Lax always, Secure whenever the site is served over
HTTPS (``BASE_URL``) even if ``SESSION_COOKIE_SECURE`` was forgotten; no remember-me cookie; the
client address kept with a session and in the security log fits its column whatever a proxy
passes on."""

import pytest
from itsdangerous import BadSignature
from sqlalchemy import select

from kernel.db import db
from kernel.security.models import SecurityEvent, UserSession
from kernel.users import User
from tests.conftest import TEST_PASSWORD


def _add_user(app, email="cookie@example.org"):
    with app.app_context():
        user = User(email=email, name="Cookie", role="staff", language="en")
        user.set_password(TEST_PASSWORD)
        db.session.add(user)
        db.session.commit()
        db.session.remove()
    return email


def _login(app, email, **options):
    return app.test_client().post("/login", data={"email": email, "password": TEST_PASSWORD}, **options)


def test_the_session_cookie_is_secure_when_the_site_is_served_over_https(make_app):
    app = make_app(BASE_URL="https://crm.example.org", SESSION_COOKIE_SECURE=False)
    response = _login(app, _add_user(app), base_url="https://crm.example.org")
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("session=")  # no remember-me cookie
    assert "Secure" in cookies[0] and "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]


def test_a_login_sets_only_the_session_cookie(app):
    response = _login(app, _add_user(app))
    cookies = response.headers.getlist("Set-Cookie")
    assert [cookie.split("=")[0] for cookie in cookies] == ["session"]


def test_an_overlong_forwarded_address_still_lets_the_user_in(make_app):
    app = make_app(TRUSTED_PROXIES=1, RATELIMIT_ENABLED=True)
    email = _add_user(app)
    response = _login(app, email, headers={"X-Forwarded-For": "z" * 300})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(UserSession.address)) == "z" * 64
        assert db.session.scalar(select(SecurityEvent.address).where(SecurityEvent.event == "login.succeeded")) == "z" * 64


def test_pages_after_the_login_do_not_sign_the_cookie_again(app):
    """The cookie is set at the sign-in and lasts the session's age limit from then; the server
    keeps the idle time (``test_sessions_end_on_the_server``), so later pages leave it alone."""
    client = app.test_client()
    login = client.post("/login", data={"email": _add_user(app), "password": TEST_PASSWORD})
    assert login.headers.getlist("Set-Cookie")
    client.get("/")  # the first page takes the sign-in's message out of the session
    page = client.get("/clients/")
    assert page.status_code == 200
    assert page.headers.getlist("Set-Cookie") == []
    assert client.get("/clients/").status_code == 200  # still signed in


def test_the_cookie_signer_is_made_once_per_set_of_keys(app):
    """Flask made the session cookie's signer again for every request (``SignedCookies``)."""
    interface, current_key, fallbacks = app.session_interface, app.secret_key, app.config["SECRET_KEY_FALLBACKS"]
    signer = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is signer
    try:
        app.secret_key = "an older key"
        signed_before = interface.get_signing_serializer(app).dumps({"kept": 1})
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = current_key, ["an older key"]
        rotated = interface.get_signing_serializer(app)
        assert rotated is not signer
        assert rotated.loads(signed_before) == {"kept": 1}  # a cookie signed with the older key still reads
        with pytest.raises(BadSignature):
            signer.loads(signed_before)
    finally:
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = current_key, fallbacks


def test_a_signed_in_browser_stays_signed_in_across_requests(app):
    client = app.test_client()
    assert client.post("/login", data={"email": _add_user(app), "password": TEST_PASSWORD}).status_code == 302
    assert client.get("/profile/").status_code == 200
    assert client.get("/profile/").status_code == 200
