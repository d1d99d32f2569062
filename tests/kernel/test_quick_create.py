"""The "+" menu of the top bar: "Create a …" for every module the user may create records in."""

import re

from kernel.db import Base, db
from tests.conftest import login
from tests.kernel import tiny_plugin


def _quick_create_menu(page: str) -> str:
    match = re.search(r'<details class="topbar-menu quick-create">.*?</details>', page, re.S)
    return match.group(0) if match else ""


def test_staff_get_a_create_link_for_each_module(make_app, make_user):
    app = make_app(extra_plugins={"tiny": tiny_plugin})
    with app.app_context():
        Base.metadata.create_all(db.engine, tables=[tiny_plugin.Bookmark.__table__])
        client = login(app.test_client(), make_user("staff"))
        menu = _quick_create_menu(client.get("/").get_data(as_text=True))
        assert '<a href="/clients/new">Create a client</a>' in menu
        assert '<a href="/bookmarks/new">Create a bookmark</a>' in menu
        assert '<span class="visually-hidden">Create</span>' in menu


def test_the_menu_is_on_every_page(staff_client):
    assert "Create a client" in _quick_create_menu(staff_client.get("/clients/").get_data(as_text=True))
    assert "Create a client" in _quick_create_menu(staff_client.get("/search?q=x").get_data(as_text=True))


def test_a_read_only_user_gets_no_menu(readonly, login_as):
    page = login_as(readonly).get("/").get_data(as_text=True)
    assert _quick_create_menu(page) == ""


def test_it_is_in_french_for_a_french_user(make_user, login_as):
    page = login_as(make_user("staff", language="fr")).get("/").get_data(as_text=True)
    assert "Créer un client" in _quick_create_menu(page)
