"""Issue 18: every response says where its server time went (Server-Timing by layer, read by
bench/pages.py); the layout's fixed parts are rendered once per language and set of rights and
still differ between users who may do different things. Nothing here looks at durations."""

import re

from kernel import records
from kernel.db import db
from kernel.registry import entities


def test_every_page_names_its_layers_and_counts_its_statements(staff_client, staff):
    person = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": "Côté"}, staff)
    db.session.commit()
    timing = staff_client.get(f"/clients/{person.id}").headers["Server-Timing"]
    names = re.findall(r"(\w+);dur=[0-9.]+", timing)
    assert names == ["app", "route", "db", "render"]
    statements = int(re.search(r'db;dur=[0-9.]+;desc="(\d+) statements"', timing).group(1))
    assert 1 <= statements <= 8


def _sidebar(page: str) -> str:
    return re.search(r'<aside class="sidebar".*?</aside>', page, re.S).group(0)


def test_the_cached_sidebar_follows_rights_language_and_page(admin_client, staff_client, make_user, login_as):
    admin_page = admin_client.get("/clients/").get_data(as_text=True)
    staff_page = staff_client.get("/clients/").get_data(as_text=True)
    assert "/admin/users" in admin_page and "/admin/users" not in staff_page
    assert _sidebar(admin_page) != _sidebar(staff_page)
    # the current module follows the page, the cache notwithstanding
    assert 'aria-current="true"' in _sidebar(staff_client.get("/partners/").get_data(as_text=True))
    partners_link = re.search(r'<li class="module current"[^>]*>\s*<a class="module-link" href="([^"]+)"',
                              staff_client.get("/partners/").get_data(as_text=True)).group(1)
    assert partners_link == "/partners/"
    french = login_as(make_user("staff", language="fr"))
    assert _sidebar(french.get("/clients/").get_data(as_text=True)) != _sidebar(staff_page)
