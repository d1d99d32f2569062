"""Passerelle's testing kit: the fixtures the project's own tests use, shipped as a pytest plugin.

Installing Passerelle registers ``kernel.testing.plugin`` through the ``pytest11`` entry point, so
any module's tests get, without a conftest: ``database_url`` (``--database-url`` for PostgreSQL),
``settings``, ``migrated``, ``make_app`` (``make_app(plugins=[...])`` or the marker
``@pytest.mark.plugins("name", ...)``), ``app``, ``make_user``, ``admin``, ``staff``, ``readonly``,
``login_as``, ``staff_client``, ``admin_client``, ``token_for``, ``freeze_clock``,
``still_throttle_window``, and for browser tests ``live_app``, ``live_server``, ``live_user``,
``page``, ``browser_errors``, ``screenshot``. See "Testing a module" in docs/plugins.md.

The helpers below are plain functions a test imports.
"""

from __future__ import annotations

import re

TEST_PASSWORD = "correct horse battery"

from kernel.testing.consent import give_consent  # noqa: E402, F401  consents a message to a person needs


def login(client, user, password=TEST_PASSWORD):
    """Log ``user`` in through the login form of a test ``client``; returns the client."""
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.data[:500]
    return client


def csrf_token_from(html: bytes | str) -> str:
    """The CSRF token of the first form of a page (for apps built with ``WTF_CSRF_ENABLED=True``)."""
    text_value = html.decode() if isinstance(html, bytes) else html
    match = re.search(r'name="csrf_token" value="([^"]+)"', text_value)
    assert match, "no CSRF token in the page"
    return match.group(1)


def migrated_plugins(settings: dict, plugins):
    """``with migrated_plugins(settings, ["clients", "volunteers"]):`` the migrations of opt-in
    plugins (``ENABLED_BY_DEFAULT = False``, which the session's ``migrated`` leaves out) applied
    for the block and undone after it: the shared test database is left as it was (their tables
    would hold foreign keys to tables that other tests drop)."""
    from contextlib import contextmanager

    from kernel import migrate
    from kernel.app import create_app
    from kernel.db import db

    @contextmanager
    def applied():
        names = [plugins] if isinstance(plugins, str) else list(plugins)
        app = create_app({**settings, "PASSERELLE_PLUGINS": ",".join(names)})
        with app.app_context():
            migrate.upgrade()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                for plugin in reversed(app.extensions["passerelle.plugins"].enabled):
                    if not getattr(plugin.module, "ENABLED_BY_DEFAULT", True) and plugin.folder("migrations"):
                        migrate.downgrade(plugin.name, "base")

    return applied()


__all__ = ["TEST_PASSWORD", "csrf_token_from", "login", "migrated_plugins"]
