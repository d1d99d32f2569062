"""Plugins: discovery by entry point, enabling a subset, requirements, and a third-party plugin
that adds a record type, a menu entry and a page without any change to the kernel."""

import types

import pytest
from sqlalchemy import select

from kernel.db import Base, db
from kernel.plugins import PluginError, installed_plugins
from plugins.clients.models import Client
from tests.conftest import login
from tests.kernel import tiny_plugin


def test_built_in_plugins_are_found_through_entry_points():
    import plugins.clients

    assert installed_plugins()["clients"] is plugins.clients


def _with_tiny_table(app):
    with app.app_context():
        Base.metadata.create_all(db.engine, tables=[tiny_plugin.Bookmark.__table__])


def test_a_plugin_from_the_tests_adds_a_record_type_a_menu_entry_and_a_page(make_app, make_user):
    app = make_app(extra_plugins={"tiny": tiny_plugin})
    _with_tiny_table(app)
    with app.app_context():
        user = make_user_in(app, make_user)
        client = login(app.test_client(), user)
        # The menu entry and the module's actions, on the module's own pages (the sidebar shows
        # only the current module's actions; its entity dashlets are no one's default).
        listing = client.get("/bookmarks/").get_data(as_text=True)
        assert "Bookmarks" in listing and "Tiny hello" in listing and "Create a bookmark" in listing
        assert "Hello from the tiny plugin" in client.get("/tiny/hello").get_data(as_text=True)
        created = client.post("/bookmarks/new", data={"name": "Open Referral", "url": "https://openreferral.org"})
        assert created.status_code == 302
        assert "Open Referral" in client.get("/bookmarks/?q=referral").get_data(as_text=True)


def make_user_in(app, make_user):
    return make_user("staff")


def test_a_disabled_plugin_disappears_and_keeps_its_data(make_app, make_user):
    app = make_app()
    with app.app_context():
        user = make_user("staff")
        login(app.test_client(), user).post("/clients/new", data={"last_name": "Tremblay"})
    only_tiny = make_app(extra_plugins={"tiny": tiny_plugin}, PASSERELLE_PLUGINS="tiny")
    _with_tiny_table(only_tiny)
    with only_tiny.app_context():
        client = login(only_tiny.test_client(), user)
        assert client.get("/clients/").status_code == 404
        assert client.get("/clients/new").status_code == 404
        assert "Clients" not in client.get("/").get_data(as_text=True)
        assert "Tremblay" == db.session.scalar(select(Client.last_name))
        headers = _token_header(user)
        assert client.get("/api/v1/clients", headers=headers).status_code == 404
        paths = client.get("/api/v1/openapi.json").get_json()["paths"]
        assert "/api/v1/clients" not in paths and "/api/v1/bookmarks" in paths


def _token_header(user):
    from kernel.users import create_token

    token = create_token(db.session.merge(user), "t")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_missing_required_plugin_stops_the_start_with_a_clear_error(make_app):
    needy = types.ModuleType("needy")
    needy.REQUIRES = ("bookkeeping",)
    with pytest.raises(PluginError, match="plugin 'needy' requires plugin 'bookkeeping', which is not installed"):
        make_app(extra_plugins={"needy": needy})


def test_a_required_plugin_that_is_disabled_is_named(make_app):
    needy = types.ModuleType("needy")
    needy.REQUIRES = ("clients",)
    with pytest.raises(PluginError, match="requires plugin 'clients', which is not enabled"):
        make_app(extra_plugins={"needy": needy}, PASSERELLE_PLUGINS="needy")


def test_an_unknown_plugin_in_the_setting_is_an_error(make_app):
    with pytest.raises(PluginError, match="not installed: nosuch"):
        make_app(PASSERELLE_PLUGINS="clients,nosuch")
