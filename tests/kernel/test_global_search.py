"""Global search: one box in the top bar searches every module the user may view, with the quick
search of the lists (case and accents ignored), grouped by module."""

import re
import types

from sqlalchemy import select

from kernel import hookimpl, records
from kernel.db import Base, db
from kernel.permissions import ADMINISTRATOR, Permission
from kernel.registry import entities
from tests.conftest import login
from tests.kernel import tiny_plugin


def _add_clients(user, names):
    entity = entities().get("client")
    for first, last in names:
        records.create(entity, {"first_name": first, "last_name": last}, user)
    db.session.commit()


def _group(page: str, heading_id: str) -> str:
    match = re.search(rf'<section class="card search-group" aria-labelledby="{heading_id}">.*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_the_top_bar_has_a_search_box(staff_client):
    page = staff_client.get("/").get_data(as_text=True)
    box = re.search(r'<form class="global-search".*?</form>', page, re.S).group(0)
    assert 'action="/search"' in box and 'name="q"' in box and 'role="search"' in box
    assert '<label class="visually-hidden" for="global-search">Search all modules</label>' in box


def test_results_are_grouped_by_module_ignoring_case_and_accents(staff_client, staff):
    _add_clients(staff, [("Émile", "Noël"), ("Zoé", "Côté"), ("John", "Smith")])
    page = staff_client.get("/search?q=EMILE noel").get_data(as_text=True)
    clients = _group(page, "search-client")
    assert "Clients" in clients and "Émile Noël" in clients
    assert "Zoé" not in clients and "John Smith" not in clients
    assert 'href="/clients/?q=EMILE+noel"' in clients  # "see all" opens the module's list
    assert 'value="EMILE noel"' in page  # the box keeps what was typed


def test_at_most_ten_results_per_module(staff_client, staff):
    _add_clients(staff, [(f"Tremblay{i:02d}", "Tremblay") for i in range(12)])
    clients = _group(staff_client.get("/search?q=tremblay").get_data(as_text=True), "search-client")
    assert clients.count("<li>") == 10
    assert "Only the first 10 are shown." in clients and "See all results in Clients" in clients
    assert 'href="/clients/?q=tremblay"' in clients


def test_no_query_and_no_match(staff_client, staff):
    _add_clients(staff, [("Zoé", "Côté")])
    empty = staff_client.get("/search").get_data(as_text=True)
    assert "search every module at once" in empty and "search-group" not in empty
    nothing = staff_client.get("/search?q=nobody").get_data(as_text=True)
    assert "Nothing matches “nobody”." in nothing


def test_records_in_the_trash_are_not_found(staff_client, staff, admin_client):
    _add_clients(staff, [("Zoé", "Côté")])
    record_id = db.session.scalar(select(entities().get("client").model.id))
    admin_client.post(f"/clients/{record_id}/delete", data={"version": "1"})
    assert "Zoé Côté" not in staff_client.get("/search?q=zoe").get_data(as_text=True)


def _admins_only_tiny_plugin():
    """The tiny plugin's bookmarks, but only administrators may see them."""
    restricted = types.ModuleType("tiny_restricted")
    restricted.passerelle_entities = hookimpl(lambda: [tiny_plugin.Bookmark])
    restricted.passerelle_permissions = hookimpl(lambda: [
        Permission(f"tiny.{action}", f"tiny {action}", (ADMINISTRATOR,)) for action in ("view", "create")
    ])
    return restricted


def test_only_modules_the_user_may_view_are_searched(make_app, make_user):
    app = make_app(extra_plugins={"tiny": _admins_only_tiny_plugin()})
    with app.app_context():
        Base.metadata.create_all(db.engine, tables=[tiny_plugin.Bookmark.__table__])
        admin, staff = make_user("administrator"), make_user("staff")
        _add_clients(staff, [("Ada", "Référence")])
        records.create(entities().get("bookmark"), {"name": "Référence annuelle"}, admin)
        db.session.commit()

        admin_page = login(app.test_client(), admin).get("/search?q=reference").get_data(as_text=True)
        assert "Référence annuelle" in _group(admin_page, "search-bookmark")
        assert "Ada Référence" in _group(admin_page, "search-client")

        staff_page = login(app.test_client(), staff).get("/search?q=reference").get_data(as_text=True)
        assert "Ada Référence" in _group(staff_page, "search-client")
        assert _group(staff_page, "search-bookmark") == "" and "Référence annuelle" not in staff_page


def test_search_needs_a_login(app):
    response = app.test_client().get("/search?q=x")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
