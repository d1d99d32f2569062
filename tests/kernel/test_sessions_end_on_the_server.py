"""Sessions live on the server: logout, a password change or reset, deactivation and "sign out
everywhere" end them, copied cookies included; they expire when idle or old; reads write nothing."""

from datetime import timedelta

from sqlalchemy import select, update

from kernel.db import db, utcnow
from kernel.security.models import UserSession
from tests.conftest import TEST_PASSWORD, login

NEW_PASSWORD = "seven green lanterns"


def _copy_cookie(app, client):
    """A second browser holding a copy of the first one's session cookie (a stolen cookie)."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie(cookie.key, cookie.value)
    return other


def _is_signed_in(client) -> bool:
    return client.get("/profile/").status_code == 200


def test_a_copied_cookie_stops_working_at_logout(app, staff_client):
    thief = _copy_cookie(app, staff_client)
    assert _is_signed_in(thief)
    assert staff_client.post("/logout").status_code == 302
    response = thief.get("/profile/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_logout_ends_every_session_of_the_user(app, staff, login_as):
    laptop, phone = login_as(staff), login_as(staff)
    assert laptop.post("/logout").status_code == 302
    assert not _is_signed_in(phone)
    assert db.session.scalar(select(UserSession.id).where(UserSession.ended_at.is_(None))) is None


def test_the_session_table_keeps_only_a_hash_of_the_cookies_secret(app, staff_client):
    with staff_client.session_transaction() as session:
        secret = session["_session_secret"]
    [row] = db.session.scalars(select(UserSession)).all()
    assert secret not in row.id and len(row.id) == 64
    assert row.address == "127.0.0.1" and row.ended_at is None


def test_a_password_change_signs_out_every_other_browser_and_keeps_this_one(app, staff, login_as):
    laptop, phone = login_as(staff), login_as(staff)
    copy_of_laptop = _copy_cookie(app, laptop)
    response = laptop.post("/profile/password", data={
        "current": TEST_PASSWORD, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert response.status_code == 302
    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone) and not _is_signed_in(copy_of_laptop)


def test_a_password_reset_signs_out_every_browser(app, staff, login_as):
    from kernel.views.auth import reset_token

    browser = login_as(staff)
    token = reset_token(staff)
    response = app.test_client().post(f"/password/reset/{token}", data={
        "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _is_signed_in(browser)


def test_deactivation_and_sign_out_everywhere_end_the_users_sessions(app, admin_client, staff, login_as):
    browser = login_as(staff)
    page = admin_client.get(f"/admin/users/{staff.id}/edit").get_data(as_text=True)
    assert "1 browser is signed in with this account." in page and "Sign out everywhere" in page
    assert admin_client.post(f"/admin/users/{staff.id}/sign-out").status_code == 302
    assert not _is_signed_in(browser)

    browser = login_as(staff)
    admin_client.post(f"/admin/users/{staff.id}/edit", data={
        "name": staff.name, "email": staff.email, "role": staff.role, "language": "en"})  # not active
    db.session.expire_all()
    assert db.session.scalar(select(UserSession.ended_at).order_by(UserSession.created_at.desc()).limit(1))
    assert not _is_signed_in(browser)


def _age_sessions(**changes):
    db.session.execute(update(UserSession).values(**changes))
    db.session.commit()


def test_an_idle_session_ends(make_app, staff):
    app = make_app(SESSION_IDLE_MINUTES=30)
    with app.app_context():
        browser = login(app.test_client(), staff)
        _age_sessions(last_seen_at=utcnow() - timedelta(minutes=29))
        assert _is_signed_in(browser)
        _age_sessions(last_seen_at=utcnow() - timedelta(minutes=31))
        assert not _is_signed_in(browser)


def test_a_session_ends_after_the_longest_time_even_when_used(make_app, staff):
    app = make_app(SESSION_MAX_DAYS=2)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(days=2)  # the cookie follows
    with app.app_context():
        browser = login(app.test_client(), staff)
        _age_sessions(created_at=utcnow() - timedelta(days=2, minutes=1))
        assert not _is_signed_in(browser)


def test_pages_that_read_write_the_last_seen_time_at_most_once_a_minute(app, staff_client):
    a_while_ago = utcnow() - timedelta(seconds=30)
    _age_sessions(last_seen_at=a_while_ago)
    assert _is_signed_in(staff_client)
    db.session.expire_all()
    assert db.session.scalar(select(UserSession.last_seen_at)) == a_while_ago  # not written
    _age_sessions(last_seen_at=utcnow() - timedelta(minutes=2))
    assert _is_signed_in(staff_client)
    db.session.expire_all()
    assert db.session.scalar(select(UserSession.last_seen_at)) > utcnow() - timedelta(minutes=1)


def test_the_profile_lists_my_sessions_and_signs_out_the_others(app, staff, login_as):
    here, elsewhere = login_as(staff), login_as(staff)
    page = here.get("/profile/").get_data(as_text=True)
    assert "Where I am signed in" in page and "This browser" in page
    assert page.count("Sign this browser out") == 1
    assert here.post("/profile/sessions/end-others").status_code == 302
    assert _is_signed_in(here) and not _is_signed_in(elsewhere)

    third = login_as(staff)
    other_id = db.session.scalar(select(UserSession.id).where(UserSession.ended_at.is_(None))
                                 .order_by(UserSession.created_at.desc()).limit(1))
    assert here.post(f"/profile/sessions/{other_id}/end").status_code == 302
    assert not _is_signed_in(third) and _is_signed_in(here)
