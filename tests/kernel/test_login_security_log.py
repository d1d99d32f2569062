"""The security log records logins, logouts, password changes and resets, role and activation
changes, ended sessions, tokens made and revoked."""

from sqlalchemy import select

from kernel.db import db
from kernel.security.models import SecurityEvent
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "seven green lanterns"


def _events():
    db.session.expire_all()
    return [(row.event, row.user_email) for row in db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id))]


def test_a_users_own_actions_are_logged(app, staff):
    client = app.test_client()
    client.post("/login", data={"email": staff.email, "password": "wrong password"})
    client.post("/login", data={"email": staff.email, "password": TEST_PASSWORD})
    client.post("/profile/tokens", data={"name": "Script", "current": TEST_PASSWORD})
    client.post("/profile/password", data={"current": TEST_PASSWORD, "password": NEW_PASSWORD,
                                           "confirmation": NEW_PASSWORD})
    client.post("/logout")
    client.post("/password/forgot", data={"email": staff.email})
    assert _events() == [
        ("login.failed", staff.email), ("login.succeeded", staff.email), ("token.created", staff.email),
        ("password.changed", staff.email), ("logout", staff.email), ("password.reset_requested", staff.email),
    ]


def test_an_administrators_changes_to_a_user_are_logged(app, admin_client, staff):
    admin_client.post(f"/admin/users/{staff.id}/edit", data={
        "name": staff.name, "email": staff.email, "role": "supervisor", "language": "en"})  # and inactive
    admin_client.post(f"/admin/users/{staff.id}/sign-out")
    db.session.expire_all()
    rows = db.session.scalars(select(SecurityEvent).where(SecurityEvent.target_id == str(staff.id))
                              .order_by(SecurityEvent.id)).all()
    assert [(row.event, row.user_email) for row in rows] == [
        ("user.role_changed", "admin@example.org"), ("user.deactivated", "admin@example.org"),
        ("sessions.ended", "admin@example.org"), ("sessions.ended", "admin@example.org")]
    assert rows[0].details == {"old": "staff", "new": "supervisor"}


def test_a_force_close_approval_is_logged(app, make_user, login_as):
    from plugins.contactcenter.models import Contact
    from tests.contactcenter.helpers import fresh, make_contact, make_profile

    agent = make_user("staff", email="agent@example.org")
    make_user("supervisor", email="sam@example.org")
    contact = make_contact(agent, profile=make_profile(agent))
    response = login_as(agent).post(f"/contactcenter/contacts/{contact.id}/force-close", data={
        "version": fresh(Contact, contact.id).version, "reason": "Caller hung up",
        "approver_email": "sam@example.org", "approver_password": TEST_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == "force_close.approved"))
    assert (row.user_email, row.target_id, row.details) == ("agent@example.org", str(contact.id),
                                                            {"approver": "sam@example.org"})
