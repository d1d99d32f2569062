"""Behind a reverse proxy (TRUSTED_PROXIES = 1) the security log records the client's address
from X-Forwarded-For; without it, a forged X-Forwarded-For is ignored."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.security.events import LOGIN_FAILED
from kernel.security.models import SecurityEvent


@pytest.mark.parametrize("proxies, address", [(1, "203.0.113.7"), (0, "127.0.0.1")])
def test_failed_login_is_logged_with_the_client_address(make_app, staff, proxies, address):
    app = make_app(TRUSTED_PROXIES=proxies)
    with app.app_context():
        app.test_client().post("/login", data={"email": staff.email, "password": "wrong password"},
                               headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        db.session.remove()
        logged = db.session.scalars(select(SecurityEvent.address).where(SecurityEvent.event == LOGIN_FAILED)).all()
        db.session.remove()
    assert logged == [address]
