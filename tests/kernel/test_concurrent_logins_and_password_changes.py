"""Logins and password changes at the same moment: never a 5xx; parallel wrong guesses are
counted one by one (none slips between a read and a write of the counter), and after two
simultaneous password changes exactly one of the new passwords works."""

import threading

from sqlalchemy import select

from kernel.db import db
from kernel.security.models import UserSession
from kernel.users import User
from tests.conftest import TEST_PASSWORD

BROWSERS = 6


def _at_once(calls):
    """Run each call in its own thread, all started together; their answers' status codes."""
    start = threading.Barrier(len(calls))
    statuses = []

    def run(call):
        start.wait()
        statuses.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def _login_call(app, email, password):
    client = app.test_client()
    return lambda: client.post("/login", data={"email": email, "password": password}).status_code


def test_simultaneous_right_logins_all_get_in_again_and_again(make_app, staff, still_throttle_window):
    """An attempt is counted while its password is checked (so that parallel guesses cannot slip
    through), then given back: a right password never uses up the allowance."""
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT=f"{BROWSERS} per minute")
    for _round in range(3):
        statuses = _at_once([_login_call(app, staff.email, TEST_PASSWORD) for _browser in range(BROWSERS)])
        assert statuses == [302] * BROWSERS
    assert len(list(db.session.scalars(select(UserSession.id)))) == 3 * BROWSERS


def test_simultaneous_wrong_guesses_are_each_counted(make_app, staff, still_throttle_window):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    statuses = _at_once([_login_call(app, staff.email, "wrong password") for _browser in range(BROWSERS)])
    assert statuses == [401] * 3 + [429] * (BROWSERS - 3)


def test_two_simultaneous_password_changes_leave_one_new_password(app, staff, login_as):
    news = ["first new passphrase", "second new passphrase"]
    browsers = [login_as(staff) for _password in news]

    def change(browser, new):
        return lambda: browser.post("/profile/password", data={
            "current": TEST_PASSWORD, "password": new, "confirmation": new}).status_code

    statuses = _at_once([change(browser, new) for browser, new in zip(browsers, news, strict=True)])
    assert all(status < 500 for status in statuses), statuses
    assert 302 in statuses
    db.session.expire_all()
    logins = [_login_call(app, staff.email, password)() for password in [TEST_PASSWORD, *news]]
    assert logins[0] == 401 and sorted(logins[1:]) == [302, 401]
    assert db.session.get(User, staff.id).active
