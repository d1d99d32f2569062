"""Favourites: a star next to every record's title, and the top bar's list of starred records."""

import re

from sqlalchemy import func, select

from kernel import records
from kernel.db import Base, db
from kernel.navigation import Favourite
from kernel.registry import entities
from plugins.clients.models import Client
from tests.conftest import TEST_PASSWORD, csrf_token_from, login
from tests.kernel import tiny_plugin
from tests.statements import statements_sent

HTMX = {"HX-Request": "true"}


def _client_named(user, first, last):
    record = records.create(entities().get("client"), {"first_name": first, "last_name": last}, user)
    db.session.commit()
    return record


def _favourite_rows(user_id):
    return db.session.scalar(select(func.count()).select_from(Favourite).where(Favourite.user_id == user_id))


def _favourites_menu(page: str) -> str:
    match = re.search(r'<div class="menu-panel favourites-list" id="favourites-list".*?</div>', page, re.S)
    assert match, "no favourites menu in the page"
    return match.group(0)


def test_the_star_is_next_to_the_title_and_starts_empty(staff_client, staff):
    record = _client_named(staff, "Émile", "Noël")
    page = staff_client.get(f"/clients/{record.id}").get_data(as_text=True)
    star = re.search(r'<form[^>]*class="favourite-toggle".*?</form>', page, re.S).group(0)
    assert f'action="/clients/{record.id}/favourite"' in star and f'hx-post="/clients/{record.id}/favourite"' in star
    assert 'name="csrf_token"' in star and 'name="favourite" value="1"' in star
    assert 'aria-pressed="false"' in star and 'aria-label="Add to favourites"' in star
    assert page.index("favourite-toggle") < page.index('<h1 id="record-title">')


def test_starring_with_htmx_swaps_the_button_and_updates_the_menu(staff_client, staff):
    record = _client_named(staff, "Émile", "Noël")
    response = staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"}, headers=HTMX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert 'aria-pressed="true"' in fragment and 'aria-label="Remove from favourites"' in fragment
    assert 'name="favourite" value="0"' in fragment
    menu = _favourites_menu(fragment)
    assert 'hx-swap-oob="true"' in menu and "Émile Noël" in menu
    assert _favourite_rows(staff.id) == 1

    again = staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"}, headers=HTMX)
    assert again.status_code == 200 and _favourite_rows(staff.id) == 1  # asking twice changes nothing

    removed = staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "0"}, headers=HTMX)
    assert 'aria-pressed="false"' in removed.get_data(as_text=True)
    assert _favourite_rows(staff.id) == 0


def test_without_javascript_the_star_posts_and_comes_back_to_the_record(staff_client, staff):
    record = _client_named(staff, "Zoé", "Côté")
    response = staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/clients/{record.id}")
    page = staff_client.get(f"/clients/{record.id}").get_data(as_text=True)
    assert 'aria-pressed="true"' in page
    row = db.session.scalar(select(Favourite))
    assert (row.user_id, row.entity, row.record_id) == (staff.id, "client", record.id)
    assert row.created_at is not None


def test_the_top_bar_lists_my_favourites_with_their_module_and_a_link(staff_client, staff, make_user, login_as):
    first = _client_named(staff, "Zoé", "Côté")
    second = _client_named(staff, "Émile", "Noël")
    not_mine = _client_named(staff, "John", "Smith")
    for record in (first, second):
        staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"})
    login_as(make_user("staff")).post(f"/clients/{not_mine.id}/favourite", data={"favourite": "1"})

    menu = _favourites_menu(staff_client.get("/").get_data(as_text=True))
    assert f'<a href="/clients/{first.id}">Zoé Côté</a>' in menu
    assert f'<a href="/clients/{second.id}">Émile Noël</a>' in menu
    assert "Clients" in menu and "John Smith" not in menu
    assert menu.index("Émile Noël") < menu.index("Zoé Côté")  # sorted by title, accents ignored


def test_an_empty_menu_says_how_to_add_favourites(staff_client):
    menu = _favourites_menu(staff_client.get("/").get_data(as_text=True))
    assert "No favourites yet" in menu


def test_a_record_in_the_trash_is_not_listed_and_cannot_be_starred(staff_client, staff, admin_client):
    record = _client_named(staff, "Zoé", "Côté")
    staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"})
    assert admin_client.post(f"/clients/{record.id}/delete", data={"version": "1"}).status_code == 302

    dashboard = staff_client.get("/")
    assert dashboard.status_code == 200
    assert "Zoé Côté" not in _favourites_menu(dashboard.get_data(as_text=True))
    assert staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"}).status_code == 404


def test_a_favourite_of_a_disabled_plugin_is_not_listed_and_breaks_nothing(make_app, make_user):
    with_tiny = make_app(extra_plugins={"tiny": tiny_plugin})
    with with_tiny.app_context():
        Base.metadata.create_all(db.engine, tables=[tiny_plugin.Bookmark.__table__])
        user = make_user("staff")
        client = login(with_tiny.test_client(), user)
        client.post("/bookmarks/new", data={"name": "Open Referral"})
        bookmark_id = db.session.scalar(select(tiny_plugin.Bookmark.id))
        client.post(f"/bookmarks/{bookmark_id}/favourite", data={"favourite": "1"})
        assert "Open Referral" in _favourites_menu(client.get("/").get_data(as_text=True))

    without_tiny = make_app()
    with without_tiny.app_context():
        client = login(without_tiny.test_client(), user)
        page = client.get("/")
        assert page.status_code == 200
        assert "Open Referral" not in _favourites_menu(page.get_data(as_text=True))
        assert _favourite_rows(user.id) == 1  # kept for when the plugin comes back


def test_the_menu_costs_one_query_per_module_whatever_the_number_of_favourites(staff_client, staff):
    clients = [_client_named(staff, f"Person{i}", f"Name{i}") for i in range(8)]
    staff_client.post(f"/clients/{clients[0].id}/favourite", data={"favourite": "1"})
    with statements_sent() as one_favourite:
        staff_client.get("/")
    for record in clients[1:]:
        staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"})
    with statements_sent() as eight_favourites:
        page = staff_client.get("/").get_data(as_text=True)
    assert all(f"Person{i} Name{i}" in _favourites_menu(page) for i in range(8))
    assert len(eight_favourites) == len(one_favourite)


def test_a_read_only_user_may_star_what_they_can_see(staff, readonly, login_as):
    record = _client_named(staff, "Zoé", "Côté")
    reader = login_as(readonly)
    assert reader.post(f"/clients/{record.id}/favourite", data={"favourite": "1"}).status_code == 302
    assert _favourite_rows(readonly.id) == 1


def test_starring_needs_the_csrf_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user("staff")
        record = _client_named(user, "Zoé", "Côté")
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data())
        client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
        page = client.get(f"/clients/{record.id}").get_data(as_text=True)
        header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

        refused = client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"}, headers=HTMX)
        assert refused.status_code == 400 and _favourite_rows(user.id) == 0
        accepted = client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"},
                               headers={**HTMX, "X-CSRFToken": header_token})
        assert accepted.status_code == 200 and _favourite_rows(user.id) == 1


def test_deleting_a_user_deletes_their_favourites(staff_client, staff):
    record = _client_named(staff, "Zoé", "Côté")
    staff_client.post(f"/clients/{record.id}/favourite", data={"favourite": "1"})
    db.session.delete(db.session.merge(staff))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Favourite)) == 0
    assert db.session.get(Client, record.id) is not None
