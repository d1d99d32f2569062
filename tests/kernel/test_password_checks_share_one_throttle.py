"""Every screen that takes a password goes through one throttled check, logs each refusal, and
an unknown or inactive account costs the same work as a real one (one argon2 verification)."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.security import passwords
from kernel.security.models import SecurityEvent
from tests.conftest import TEST_PASSWORD, login
from tests.contactcenter.helpers import fresh, make_contact, make_profile


@pytest.fixture
def throttled_app(make_app, still_throttle_window):  # all attempts in one window, however slow the machine
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        yield app
        db.session.remove()


def _events(event):
    db.session.expire_all()
    return db.session.scalars(select(SecurityEvent).where(SecurityEvent.event == event)
                              .order_by(SecurityEvent.id)).all()


def test_force_close_approval_is_no_longer_a_password_oracle(throttled_app, make_user):
    from plugins.contactcenter.models import Contact

    agent = make_user("staff", email="agent@example.org")
    make_user("supervisor", email="sam@example.org")
    contact = make_contact(agent, profile=make_profile(agent))
    client = login(throttled_app.test_client(), agent)

    def force(password):
        return client.post(f"/contactcenter/contacts/{contact.id}/force-close", data={
            "version": fresh(Contact, contact.id).version, "reason": "Caller hung up",
            "approver_email": "sam@example.org", "approver_password": password})

    assert [force(f"guess {number}").status_code for number in range(3)] == [422] * 3
    assert force(TEST_PASSWORD).status_code == 429  # the right one too, once throttled
    failures = _events("password.check_failed")
    assert [(event.user_email, event.details["purpose"]) for event in failures] == [
        ("sam@example.org", "force_close")] * 3
    assert _events("throttled")[0].details["purpose"] == "force_close"
    # One throttle: the supervisor's login waits as well.
    response = throttled_app.test_client().post("/login", data={"email": "sam@example.org",
                                                                 "password": TEST_PASSWORD},
                                                 environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 429


@pytest.mark.parametrize("path, field, extra", [
    ("/profile/password", "current", {"password": "seven green lanterns", "confirmation": "seven green lanterns"}),
    ("/profile/tokens", "current", {"name": "Script"}),
    ("/sae/registration/exit", "password", {}),
])
def test_every_password_form_counts_against_the_same_throttle(throttled_app, make_user, path, field, extra):
    user = make_user("staff", email="kim@example.org")
    client = login(throttled_app.test_client(), user)  # a right password: not counted
    if path == "/sae/registration/exit":
        assert client.post("/sae/registration/start").status_code == 302  # the kiosk is open
    statuses = [client.post(path, data={field: "not it", **extra}).status_code for _attempt in range(3)]
    assert 429 not in statuses
    assert client.post(path, data={field: TEST_PASSWORD, **extra}).status_code == 429
    assert len(_events("password.check_failed")) == 3


def test_an_unknown_or_inactive_account_costs_one_hash_verification_like_a_real_one(app, make_user, monkeypatch):
    make_user("staff", email="real@example.org")
    make_user("staff", email="gone@example.org", active=False)
    calls = []
    real = passwords.hasher

    class CountingHasher:
        def verify(self, stored, password):
            calls.append(stored)
            return real.verify(stored, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(passwords, "hasher", CountingHasher())
    client = app.test_client()
    for email in ("real@example.org", "nobody@example.org", "gone@example.org"):
        calls.clear()
        response = client.post("/login", data={"email": email, "password": "wrong password"})
        assert response.status_code == 401
        assert len(calls) == 1, email
        assert calls[0].startswith("$argon2id$")
