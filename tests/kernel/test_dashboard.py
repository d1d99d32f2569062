"""The dashboard made of dashlets: defaults per role, customising it (add, remove, move, reorder,
reset) with plain forms, plugins' dashlets, permissions, and saved layouts that name a dashlet
whose plugin is disabled."""

import re
import types
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from kernel import hookimpl
from kernel.dashboard import DashboardLayout, Dashlet
from kernel.db import db
from kernel.permissions import EVERYONE, MANAGERS, STAFF, Permission
from plugins.clients.models import Client
from tests.conftest import csrf_token_from, login

# -- a tiny plugin offering dashlets ---------------------------------------------------------

NEW = "clients:new-client"  # the guide's "New client" action, first on a staff dashboard


def render_news(user):
    return f"<p>Fresh news for {user.name}</p>"


def render_secrets(user):
    return "<p>Secret figures of the board</p>"


def render_broken(user):
    raise RuntimeError("the news server is down")


@hookimpl
def passerelle_permissions():
    return [Permission("news.secrets", "See the board's figures", MANAGERS)]


@hookimpl
def passerelle_dashlets():
    return [
        Dashlet(key="news.latest", title="Latest news", render=render_news, default_roles=(STAFF,)),
        Dashlet(key="news.secrets", title="Board figures", render=render_secrets, permission="news.secrets",
                default_roles=EVERYONE),
        Dashlet(key="news.broken", title="Broken news", render=render_broken),
    ]


news_plugin = types.ModuleType("news_plugin")
news_plugin.LABEL = "News"
news_plugin.passerelle_permissions = passerelle_permissions
news_plugin.passerelle_dashlets = passerelle_dashlets


# -- helpers ---------------------------------------------------------------------------------


def saved_keys(user):
    layout = db.session.scalar(select(DashboardLayout).where(DashboardLayout.user_id == user.id))
    return None if layout is None else layout.dashlets


def save_keys(user, keys):
    db.session.add(DashboardLayout(user_id=user.id, dashlets=keys))
    db.session.commit()


def shown_keys(html: str) -> list[str]:
    """The dashlets on the page, in their order."""
    return re.findall(r'<section class="card dashlet" id="dashlet-([^"]+)"', html)


def addable_keys(html: str) -> list[str]:
    select_html = html.split('id="dashlet-to-add"', 1)[1].split("</select>", 1)[0] if "dashlet-to-add" in html else ""
    return re.findall(r'<option value="([^"]+)"', select_html)


def dashboard(client, customise=False) -> str:
    response = client.get("/?customise=1" if customise else "/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


ONLY_CLIENTS = "clients"  # the other modules' dashlets would only make the expected lists longer
CLIENTS_AND_NEWS = "clients,news"


@pytest.fixture
def app(make_app):
    """The usual app (see conftest), with the clients module only."""
    app = make_app(PASSERELLE_PLUGINS=ONLY_CLIENTS)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def with_news(make_app):
    """An app with the news plugin enabled next to the clients module."""
    app = make_app(extra_plugins={"news": news_plugin}, PASSERELLE_PLUGINS=CLIENTS_AND_NEWS)
    with app.app_context():
        yield app


# -- defaults per role -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["administrator", "supervisor", "readonly"])
def test_managers_and_readers_get_the_figures_of_every_module_by_default(make_user, login_as, role):
    user = make_user(role)
    html = dashboard(login_as(user))
    assert shown_keys(html) == ["figures:client"]
    assert "Clients: figures" in html and "My clients" not in html
    assert ("Create a client" in html) == (role != "readonly")
    assert saved_keys(user) is None  # looking does not save anything


def test_staff_get_their_own_records_by_default(staff, staff_client):
    html = dashboard(staff_client)
    assert shown_keys(html) == ["clients:new-client", "mine:client"]  # the guide's "New client" first
    assert "My clients" in html and "Clients: figures" not in html
    assert 'href="/clients/?mine=1"' in html


def test_my_records_shows_the_five_latest_assigned_to_me_and_the_figures_count_them(
        staff, make_user, staff_client):
    other = make_user("staff")
    start = datetime(2026, 1, 1)
    for number in range(7):
        db.session.add(Client(last_name=f"Mine{number}", assigned_user_id=staff.id,
                              updated_at=start + timedelta(days=number)))
    db.session.add(Client(last_name="Theirs", assigned_user_id=other.id))
    db.session.add(Client(last_name="Binned", assigned_user_id=staff.id, deleted_at=start))
    db.session.commit()

    html = dashboard(staff_client)
    assert re.findall(r">\s*(Mine\d)\s*</a>", html) == ["Mine6", "Mine5", "Mine4", "Mine3", "Mine2"]
    assert "Theirs" not in html and "Binned" not in html

    staff_client.post("/dashboard/add", data={"key": "figures:client"})
    figures = dashboard(staff_client).split('id="dashlet-figures:client"', 1)[1]
    assert '<span class="figure">8</span>' in figures and "My items: 7" in figures


def count_queries(client, path="/") -> int:
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_records(staff, staff_client):
    staff_client.post("/dashboard/add", data={"key": "figures:client"})
    db.session.add(Client(last_name="First", assigned_user_id=staff.id))
    db.session.commit()
    with_one = count_queries(staff_client)
    db.session.add_all([Client(last_name=f"More{number}", assigned_user_id=staff.id) for number in range(9)])
    db.session.commit()
    assert count_queries(staff_client) == with_one


# -- customising -----------------------------------------------------------------------------


def test_customise_mode_offers_the_forms_and_the_dashlets_not_shown(staff_client):
    plain = dashboard(staff_client)
    assert "Move up" not in plain and 'href="/?customise=1"' in plain
    html = dashboard(staff_client, customise=True)
    assert addable_keys(html) == ["figures:client"]
    assert "Move up" in html and "Move down" in html and "Remove" in html
    assert re.search(r'<button type="submit" name="direction" value="up" data-move="up" disabled>', html)
    assert "Reset to the defaults" not in html  # nothing to reset yet


def test_add_remove_move_and_reset(staff, staff_client):
    added = staff_client.post("/dashboard/add", data={"key": "figures:client"})
    assert added.status_code == 302 and added.location.endswith("/?customise=1#dashlet-figures:client")
    assert saved_keys(staff) == [NEW, "mine:client", "figures:client"]
    html = dashboard(staff_client, customise=True)
    assert shown_keys(html) == [NEW, "mine:client", "figures:client"]
    assert addable_keys(html) == []
    assert "Reset to the defaults" in html

    staff_client.post("/dashboard/move", data={"key": "figures:client", "direction": "up"})
    assert saved_keys(staff) == [NEW, "figures:client", "mine:client"]
    assert shown_keys(dashboard(staff_client)) == [NEW, "figures:client", "mine:client"]
    staff_client.post("/dashboard/move", data={"key": "mine:client", "direction": "down"})  # already last
    assert saved_keys(staff) == [NEW, "figures:client", "mine:client"]

    staff_client.post("/dashboard/remove", data={"key": "mine:client"})
    assert saved_keys(staff) == [NEW, "figures:client"]
    html = dashboard(staff_client, customise=True)
    assert shown_keys(html) == [NEW, "figures:client"] and addable_keys(html) == ["mine:client"]

    staff_client.post("/dashboard/remove", data={"key": "figures:client"})
    staff_client.post("/dashboard/remove", data={"key": NEW})
    assert saved_keys(staff) == []
    assert "Your dashboard is empty" in dashboard(staff_client)

    staff_client.post("/dashboard/reset")
    assert saved_keys(staff) is None
    assert shown_keys(dashboard(staff_client)) == [NEW, "mine:client"]


def test_drag_and_drop_saves_the_new_order_of_the_shown_dashlets(staff, staff_client):
    staff_client.post("/dashboard/add", data={"key": "figures:client"})
    response = staff_client.post("/dashboard/order", data={"key": ["figures:client", NEW, "mine:client"]})
    assert response.status_code == 204
    assert saved_keys(staff) == ["figures:client", NEW, "mine:client"]
    refused = staff_client.post("/dashboard/order", data={"key": ["figures:client"]})
    assert refused.status_code == 400
    assert saved_keys(staff) == ["figures:client", NEW, "mine:client"]


def test_an_unknown_dashlet_cannot_be_added(staff, staff_client):
    response = staff_client.post("/dashboard/add", data={"key": "nosuch"})
    assert response.status_code == 400 and "cannot be added" in response.get_data(as_text=True)
    assert saved_keys(staff) is None


def test_every_dashboard_form_needs_the_csrf_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True, PASSERELLE_PLUGINS=ONLY_CLIENTS)
    with app.app_context():
        user = make_user("staff")
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                    "csrf_token": csrf_token_from(page)})
        html = dashboard(client, customise=True)
        assert html.count('name="csrf_token"') >= 4  # move, remove, add, and the top bar's forms
        for path in ("/dashboard/add", "/dashboard/remove", "/dashboard/move", "/dashboard/order",
                     "/dashboard/reset"):
            assert client.post(path, data={"key": "figures:client", "direction": "up"}).status_code == 400
        assert saved_keys(user) is None
        accepted = client.post("/dashboard/add", data={"key": "figures:client", "csrf_token": csrf_token_from(html)})
        assert accepted.status_code == 302
        assert saved_keys(user) == [NEW, "mine:client", "figures:client"]


# -- plugins' dashlets and permissions -------------------------------------------------------


def test_a_plugins_dashlet_appears_on_the_dashboard_of_its_default_roles(with_news, make_user):
    user = make_user("staff", name="Sam Staff")
    html = dashboard(login(with_news.test_client(), user), customise=True)
    assert shown_keys(html) == [NEW, "mine:client", "news.latest"]
    assert "Latest news" in html and "Fresh news for Sam Staff" in html
    assert "news.broken" in addable_keys(html)


def test_a_dashlet_whose_permission_the_user_lacks_is_neither_shown_nor_addable(with_news, make_user):
    staff = make_user("staff")
    client = login(with_news.test_client(), staff)
    html = dashboard(client, customise=True)
    assert "Board figures" not in html and "Secret figures" not in html
    assert "news.secrets" not in addable_keys(html)
    assert client.post("/dashboard/add", data={"key": "news.secrets"}).status_code == 400
    assert saved_keys(staff) is None

    supervisor = make_user("supervisor")
    html = dashboard(login(with_news.test_client(), supervisor))
    assert shown_keys(html) == ["figures:client", "news.secrets"] and "Secret figures of the board" in html


def test_a_dashlet_that_fails_is_replaced_by_a_message(with_news, make_user):
    user = make_user("staff")
    save_keys(user, ["news.broken", "news.latest"])
    html = dashboard(login(with_news.test_client(), user))
    assert shown_keys(html) == ["news.broken", "news.latest"]
    assert "This dashlet could not be shown" in html and "Fresh news for" in html


def test_a_saved_layout_naming_a_disabled_plugins_dashlet_still_renders(make_app, make_user):
    without_news = make_app(PASSERELLE_PLUGINS=ONLY_CLIENTS)
    with without_news.app_context():
        user = make_user("staff")
        save_keys(user, ["news.latest", "figures:client", "mine:client"])
        client = login(without_news.test_client(), user)
        html = dashboard(client, customise=True)
        assert shown_keys(html) == ["figures:client", "mine:client"]
        assert "Latest news" not in html and "news.latest" not in addable_keys(html)

        client.post("/dashboard/move", data={"key": "mine:client", "direction": "up"})
        assert saved_keys(user) == ["news.latest", "mine:client", "figures:client"]  # kept for later

    with_news = make_app(extra_plugins={"news": news_plugin}, PASSERELLE_PLUGINS=CLIENTS_AND_NEWS)
    with with_news.app_context():
        html = dashboard(login(with_news.test_client(), user))
        assert shown_keys(html) == ["news.latest", "mine:client", "figures:client"]
