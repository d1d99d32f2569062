"""Password attempts are counted per account and, separately, per source address, in counters
shared by every worker (the database's throttle_counters, or Redis when configured)."""

import socket

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.security.models import SecurityEvent, ThrottleCounter
from kernel.users import User
from tests.conftest import TEST_PASSWORD

LIMIT = "5 per minute"


def _add_users(emails):
    for email in emails:
        user = User(email=email, name=email.split("@")[0].title(), role="staff", language="en")
        user.password_hash = _shared_hash()
        db.session.add(user)
    db.session.commit()


_HASH = {}


def _shared_hash():
    # One argon2 hash for every account of these tests (hashing forty passwords takes long).
    if "hash" not in _HASH:
        from kernel.security.passwords import hash_password

        _HASH["hash"] = hash_password(TEST_PASSWORD)
    return _HASH["hash"]


@pytest.fixture
def throttled(make_app, still_throttle_window):
    def build(**overrides):
        app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT=LIMIT, **overrides)
        return app

    return build


def _try(app, email, password="wrong password", address="10.0.0.1"):
    return app.test_client().post("/login", data={"email": email, "password": password, "language": "en"},
                                  environ_base={"REMOTE_ADDR": address})


def test_spraying_many_accounts_from_one_address_is_stopped(throttled):
    app = throttled()
    with app.app_context():
        emails = [f"user{number}@example.org" for number in range(40)]
        _add_users(emails)
        statuses = [_try(app, email).status_code for email in emails]
        assert statuses[:5] == [401] * 5
        assert set(statuses[5:]) == {429}
        # Another address is not locked out by this one.
        assert _try(app, "user0@example.org", TEST_PASSWORD, address="10.0.0.2").status_code == 302


def test_one_account_tried_from_many_addresses_is_stopped(throttled):
    app = throttled()
    with app.app_context():
        _add_users(["victim@example.org", "other@example.org"])
        statuses = [_try(app, "victim@example.org", address=f"10.1.0.{number}").status_code for number in range(12)]
        assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
        # Even the right password waits; other accounts from those addresses do not.
        assert _try(app, "victim@example.org", TEST_PASSWORD, address="10.2.0.1").status_code == 429
        assert _try(app, "other@example.org", TEST_PASSWORD, address="10.1.0.1").status_code == 302


def test_the_limit_holds_across_workers_sharing_the_database(throttled):
    workers = [throttled(), throttled()]  # two applications: two gunicorn workers, or two servers
    with workers[0].app_context():
        _add_users(["victim@example.org"])
    statuses = []
    for attempt in range(8):
        app = workers[attempt % 2]
        with app.app_context():
            statuses.append(_try(app, "victim@example.org", address=f"10.3.0.{attempt}").status_code)
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}


def test_counters_keep_no_address_or_email_in_clear_and_a_right_password_is_not_counted(throttled):
    app = throttled()
    with app.app_context():
        _add_users(["nadia@example.org"])
        for _attempt in range(10):  # a whole office logging in from one address
            assert _try(app, "nadia@example.org", TEST_PASSWORD).status_code == 302
        assert _try(app, "nadia@example.org").status_code == 401
        rows = db.session.execute(select(ThrottleCounter.key, ThrottleCounter.count)).all()
        assert sorted(count for _key, count in rows) == [1, 1]
        assert all("nadia" not in key and "10.0.0.1" not in key and len(key) == 64 for key, _count in rows)


def test_a_throttled_attempt_is_logged_and_answered_in_french(throttled):
    app = throttled()
    with app.app_context():
        _add_users(["victim@example.org"])
        client = app.test_client()
        for _attempt in range(5):
            client.post("/login", data={"email": "victim@example.org", "password": "x", "language": "fr"})
        response = client.post("/login", data={"email": "victim@example.org", "password": "x", "language": "fr"})
        assert response.status_code == 429
        assert "Trop de tentatives. Réessayez dans 1 min." in response.get_data(as_text=True)
        db.session.expire_all()
        events = db.session.scalars(select(SecurityEvent.event).order_by(SecurityEvent.id)).all()
        assert events == ["login.failed"] * 5 + ["throttled"]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis answers on 127.0.0.1:6379")
def test_counters_in_redis_are_shared_by_workers_too(throttled):
    redis = pytest.importorskip("redis")  # the client library; without it the database counts

    url = "redis://127.0.0.1:6379/15"
    redis.Redis.from_url(url).flushdb()
    workers = [throttled(RATELIMIT_STORAGE_URI=url), throttled(RATELIMIT_STORAGE_URI=url)]
    with workers[0].app_context():
        _add_users(["victim@example.org"])
    statuses = []
    for attempt in range(8):
        app = workers[attempt % 2]
        with app.app_context():
            statuses.append(_try(app, "victim@example.org", address=f"10.4.0.{attempt}").status_code)
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    with workers[0].app_context():
        assert db.session.scalar(select(ThrottleCounter)) is None  # nothing counted in the database
    assert redis.Redis.from_url(url).keys("passerelle:throttle:*")
    redis.Redis.from_url(url).flushdb()
