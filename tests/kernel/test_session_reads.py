"""Hook ``passerelle_session_reads`` (toolkit 1.8): a plugin's read of a small table that most pages
need rides on the statement that reads the browser's session and its user, and what it found is
kept for the request; where no session is read (no cookie, an API call), the plugin reads it by
itself."""

import types
from functools import cache

from flask import Blueprint, jsonify
from flask_login import current_user
from sqlalchemy import select

from kernel import hookimpl, toolkit
from kernel.db import db
from kernel.request_state import SessionRead, once_per_request
from kernel.users import User
from tests.statements import statements_sent

KEY = "probe_active_emails"


@cache
def _active_emails():
    return select(User.email).where(User.active.is_(True)).order_by(User.email)


def _emails_of(rows) -> list[str]:
    return [row.email for row in rows]


EMAILS_READ = SessionRead(KEY, _active_emails, _emails_of)


def probe_plugin(own_reads: list) -> types.ModuleType:
    """A plugin declaring one session read, and a page showing what the request kept."""
    blueprint = Blueprint("probe", __name__)

    def read_it_myself():
        own_reads.append(1)
        return _emails_of(db.session.execute(_active_emails()))

    @blueprint.route("/probe/emails")
    def emails():
        signed_in = current_user.is_authenticated  # as every page that draws the menu asks
        return jsonify(signed_in=signed_in, emails=once_per_request(KEY, read_it_myself))

    plugin = types.ModuleType("probe")
    plugin.passerelle_session_reads = hookimpl(lambda: [EMAILS_READ])
    plugin.passerelle_blueprints = hookimpl(lambda: [blueprint])
    return plugin


def _probe_app(make_app, own_reads):
    return make_app(extra_plugins={"probe": probe_plugin(own_reads)}, plugins=["clients", "probe"])


def test_a_signed_in_page_finds_the_read_kept_from_the_session_statement(make_app, make_user):
    from kernel.testing import login

    own_reads = []
    app = _probe_app(make_app, own_reads)
    with app.app_context():
        staff = make_user("staff", email="bea@example.org")
        make_user("readonly", email="ali@example.org")
        make_user("staff", email="gone@example.org", active=False)
    client = login(app.test_client(), staff)
    with statements_sent() as sent:
        response = client.get("/probe/emails")
    assert response.status_code == 200
    assert response.json == {"signed_in": True, "emails": ["ali@example.org", "bea@example.org"]}  # shaped
    assert own_reads == []
    assert len(sent) == 1, "\n---\n".join(sent)  # the session, its user and the plugin's read
    assert "user_sessions" in sent[0]


def test_without_a_session_the_plugin_reads_it_itself(make_app, make_user):
    own_reads = []
    app = _probe_app(make_app, own_reads)
    with app.app_context():
        make_user("staff", email="bea@example.org")
    client = app.test_client()
    for _ in range(2):
        assert client.get("/probe/emails").json == {"signed_in": False, "emails": ["bea@example.org"]}
    assert own_reads == [1, 1]  # once per request


def test_the_reads_are_collected_once_at_start_up(make_app):
    app = _probe_app(make_app, [])
    assert app.extensions["passerelle.session_reads"] == [EMAILS_READ]


def test_plugins_get_it_from_the_toolkit():
    assert toolkit.SessionRead is SessionRead and "SessionRead" in toolkit.__all__
    assert toolkit.TOOLKIT_VERSION >= (1, 8)
