"""The sidebar lists modules; only the module of the page shown lists its actions (create, list,
kanban…). The "+" menu keeps quick-create for every module."""

import re

from kernel import records
from kernel.db import db
from kernel.registry import entities


def _sidebar(page: str) -> str:
    return re.search(r'<aside class="sidebar".*?</aside>', page, re.S).group(0)


def _actions(page: str) -> list[str]:
    """The hrefs of every action list in the sidebar."""
    lists = re.findall(r'<ul class="actions".*?</ul>', _sidebar(page), re.S)
    return [href for block in lists for href in re.findall(r'href="([^"]+)"', block)]


def test_the_dashboard_lists_modules_without_their_actions(staff_client):
    page = staff_client.get("/").get_data(as_text=True)
    assert 'href="/clients/"' in _sidebar(page) and 'href="/tasks/"' in _sidebar(page)
    assert _actions(page) == []
    quick_create = re.search(r'<details class="topbar-menu quick-create">.*?</details>', page, re.S).group(0)
    for link in ("/clients/new", "/partners/new", "/tasks/new", "/calls/new", "/helpline-contacts/new"):
        assert f'href="{link}"' in quick_create


def test_a_list_shows_the_actions_of_its_module_only(staff_client):
    page = staff_client.get("/tasks/").get_data(as_text=True)
    actions = _actions(page)
    assert "/tasks/new" in actions and "/tasks/kanban" in actions and "/tasks/history" in actions
    assert "/clients/new" not in actions and "/calls/new" not in actions
    assert re.search(r'<li class="module current" data-name="tasks">', page)


def test_a_record_page_shows_the_actions_of_its_module(staff_client, staff):
    client = records.create(entities().get("client"), {"first_name": "Aputi", "last_name": "Kilabuk"}, staff)
    db.session.commit()
    actions = _actions(staff_client.get(f"/clients/{client.id}").get_data(as_text=True))
    assert actions == ["/clients/new", "/clients/"]


def test_a_plugin_screen_belongs_to_the_module_of_its_menu_item(staff_client):
    page = staff_client.get("/tasks/kanban").get_data(as_text=True)
    assert "/tasks/new" in _actions(page)
    assert '<li><a href="/tasks/kanban" aria-current="page">' in page


def test_the_actions_are_translated(make_user, login_as):
    page = login_as(make_user("staff", language="fr")).get("/tasks/").get_data(as_text=True)
    assert "Créer une tâche" in _sidebar(page)
