"""A patient attacker, who stays under the limit per minute, is stopped by an hourly window: by
default fewer than 100 guesses on an account in any hour (OWASP ASVS 2.2.1), not 600."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.security import throttle
from kernel.security.models import ThrottleCounter
from kernel.users import User
from tests.conftest import TEST_PASSWORD

VICTIM = "victim@example.org"
START = datetime(2027, 3, 1, 10, 0, 5, tzinfo=UTC)


class Clock:
    """The throttle's clock, moved by the test (the windows follow it, not the wall clock)."""

    moment = START

    @classmethod
    def now(cls, tz=None):
        return cls.moment


@pytest.fixture
def clock(monkeypatch):
    Clock.moment = START
    monkeypatch.setattr(throttle, "datetime", type("ThrottleDatetime", (datetime,), {"now": Clock.now}))
    return Clock


@pytest.fixture
def throttled(make_app):
    def build(**overrides):
        app = make_app(RATELIMIT_ENABLED=True, **overrides)
        with app.app_context():
            user = User(email=VICTIM, name="Victim", role="staff", language="en")
            user.set_password(TEST_PASSWORD)
            db.session.add(user)
            db.session.commit()
            db.session.remove()
        return app

    return build


def _try(app, password="wrong password", address="10.0.0.1"):
    return app.test_client().post("/login", data={"email": VICTIM, "password": password, "language": "en"},
                                  environ_base={"REMOTE_ADDR": address}).status_code


def test_a_new_minute_does_not_give_back_the_hours_allowance(throttled, clock):
    app = throttled(LOGIN_RATE_LIMIT="3 per minute; 5 per hour")
    assert [_try(app) for _attempt in range(4)] == [401, 401, 401, 429]
    clock.moment += timedelta(minutes=1)
    assert [_try(app), _try(app)] == [401, 429]  # the fifth guess of the hour, then no more
    assert _try(app, TEST_PASSWORD) == 429  # even the right password waits
    clock.moment += timedelta(hours=1)
    assert _try(app, TEST_PASSWORD) == 302


def test_by_default_an_account_gets_fewer_than_a_hundred_guesses_an_hour(throttled, clock):
    """Nine guesses a minute, each minute from a new address: never over 10 per minute, yet
    stopped at the 51st guess of the hour (so at most 100 across two consecutive windows)."""
    app = throttled()
    answers = []
    for minute in range(6):
        clock.moment = START + timedelta(minutes=minute)
        answers += [_try(app, address=f"10.0.1.{minute}") for _guess in range(9)]
    assert answers[:50] == [401] * 50
    assert set(answers[50:]) == {429}


def test_the_table_holds_one_counter_per_window_and_a_right_password_gives_both_back(throttled, clock):
    app = throttled(LOGIN_RATE_LIMIT="3 per minute; 5 per hour")
    assert _try(app) == 401
    assert _try(app, TEST_PASSWORD) == 302
    with app.app_context():
        counts = sorted(db.session.scalars(select(ThrottleCounter.count)))
    assert counts == [1, 1, 1, 1]  # account and address, minute and hour: the right one not counted
