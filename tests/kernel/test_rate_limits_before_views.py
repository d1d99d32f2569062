"""Flask-Limiter's check before each view is skipped when there is nothing to check there (issue
18: 4 % of ``serve``'s time under the API's load); limits of the whole application, default limits
and a blueprint's limits are still checked before every view, and a view's own limit by its
decorator (``tests/contactcenter/test_warm_referrals.py``, ``tests/directory/``)."""

import pytest
from flask import Blueprint
from flask_limiter._manager import LimitManager

from kernel.ratelimit import limiter


@pytest.fixture
def resolutions(monkeypatch):
    """How often Flask-Limiter worked out which limits apply to a request."""
    counted = []
    original = LimitManager.resolve_limits

    def counting(self, *args, **kwargs):
        counted.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(LimitManager, "resolve_limits", counting)
    return counted


@pytest.fixture
def limits_restored(monkeypatch):
    """The limiter is shared by every app of the test run: what a test adds to it is taken away."""
    manager = limiter.limit_manager
    for name in ("_application_limits", "_default_limits", "_blueprint_limits"):
        monkeypatch.setattr(manager, name, type(getattr(manager, name))(getattr(manager, name)))


def test_a_view_without_limits_is_not_looked_up(make_app, resolutions, staff, token_for):
    headers = token_for(staff)
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/api/v1/clients", headers=headers).status_code == 200
    assert resolutions == []


@pytest.mark.parametrize("setting", ["RATELIMIT_APPLICATION", "RATELIMIT_DEFAULT"])
def test_limits_of_every_view_are_still_checked(make_app, limits_restored, resolutions, setting):
    app = make_app(RATELIMIT_ENABLED=True, **{setting: "2 per minute"})
    client = app.test_client()
    assert [client.get("/login").status_code for _ in range(3)] == [200, 200, 429]
    assert resolutions


def test_a_blueprint_s_limit_is_still_checked(make_app, limits_restored, resolutions):
    blueprint = Blueprint("limited_for_a_test", __name__)

    @blueprint.route("/limited-for-a-test")
    def limited():
        return "ok"

    limiter.limit("2 per minute")(blueprint)
    app = make_app(RATELIMIT_ENABLED=True)
    app.register_blueprint(blueprint)
    client = app.test_client()
    assert [client.get("/limited-for-a-test").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/login").status_code == 200  # other views: the blueprint's limit is not theirs
