"""Recently viewed ("Dernières consultations"): every detail page a user opens is remembered, the
newest ten are listed in the sidebar, and older views are forgotten in batches (at most twenty
kept)."""

import re

from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.navigation import RECENT_KEPT_AT_MOST, RECENT_LIMIT, RecentView
from kernel.registry import entities
from tests.statements import statements_sent


def _clients(user, count):
    entity = entities().get("client")
    made = [records.create(entity, {"first_name": f"Person{i:02d}", "last_name": f"Name{i:02d}"}, user)
            for i in range(count)]
    db.session.commit()
    return made


def _views_of(user_id):
    statement = select(RecentView).where(RecentView.user_id == user_id).order_by(RecentView.viewed_at.desc())
    return list(db.session.scalars(statement))


def _sidebar_list(page: str) -> str:
    match = re.search(r'<nav class="recently-viewed".*?</nav>', page, re.S)
    return match.group(0) if match else ""


def test_opening_a_record_remembers_it_once(staff_client, staff):
    (record,) = _clients(staff, 1)
    staff_client.get(f"/clients/{record.id}")
    first_seen = _views_of(staff.id)[0].viewed_at
    staff_client.get(f"/clients/{record.id}")
    db.session.expire_all()
    views = _views_of(staff.id)
    assert [(view.entity, view.record_id) for view in views] == [("client", record.id)]
    assert views[0].viewed_at > first_seen


def test_only_the_last_ten_are_listed(staff_client, staff):
    made = _clients(staff, RECENT_LIMIT + 2)
    for record in made:
        staff_client.get(f"/clients/{record.id}")
    staff_client.get(f"/clients/{made[0].id}")  # seen again: back on top, another one leaves the list
    sidebar = _sidebar_list(staff_client.get("/").get_data(as_text=True))
    listed = [int(found) for found in re.findall(r'href="/clients/(\d+)"', sidebar)]
    assert RECENT_LIMIT == 10
    assert listed == [made[0].id, *(record.id for record in reversed(made[3:]))]


def test_older_views_are_forgotten_once_there_are_more_than_twenty(staff_client, staff):
    made = _clients(staff, RECENT_KEPT_AT_MOST + 1)
    for record in made[:RECENT_KEPT_AT_MOST]:
        staff_client.get(f"/clients/{record.id}")
    assert RECENT_KEPT_AT_MOST == 20
    assert len(_views_of(staff.id)) == RECENT_KEPT_AT_MOST
    staff_client.get(f"/clients/{made[-1].id}")
    db.session.expire_all()
    kept = [view.record_id for view in _views_of(staff.id)]
    assert kept == [record.id for record in reversed(made[-RECENT_LIMIT:])]


def test_the_sidebar_lists_them_newest_first(staff_client, staff):
    first, second, never_opened = _clients(staff, 3)
    staff_client.get(f"/clients/{first.id}")
    staff_client.get(f"/clients/{second.id}")
    sidebar = _sidebar_list(staff_client.get("/").get_data(as_text=True))
    assert "Recently viewed" in sidebar
    assert f'href="/clients/{second.id}"' in sidebar and f'href="/clients/{first.id}"' in sidebar
    assert sidebar.index("Person01 Name01") < sidebar.index("Person00 Name00")
    assert "Person02" not in sidebar


def test_nothing_viewed_yet_shows_no_section(staff_client):
    assert _sidebar_list(staff_client.get("/").get_data(as_text=True)) == ""


def test_each_user_has_their_own_list(staff_client, staff, make_user, login_as):
    mine, theirs = _clients(staff, 2)
    staff_client.get(f"/clients/{mine.id}")
    login_as(make_user("staff")).get(f"/clients/{theirs.id}")
    sidebar = _sidebar_list(staff_client.get("/").get_data(as_text=True))
    assert "Person00" in sidebar and "Person01" not in sidebar


def test_a_record_moved_to_the_trash_leaves_the_list(staff_client, staff, admin_client):
    kept, trashed = _clients(staff, 2)
    staff_client.get(f"/clients/{kept.id}")
    staff_client.get(f"/clients/{trashed.id}")
    admin_client.post(f"/clients/{trashed.id}/delete", data={"version": "1"})
    page = staff_client.get("/")
    assert page.status_code == 200
    sidebar = _sidebar_list(page.get_data(as_text=True))
    assert "Person00" in sidebar and "Person01" not in sidebar


def test_the_sidebar_costs_one_query_per_module_whatever_the_number_of_records(staff_client, staff):
    made = _clients(staff, RECENT_LIMIT)
    staff_client.get(f"/clients/{made[0].id}")
    with statements_sent() as one_viewed:
        staff_client.get("/")
    for record in made[1:]:
        staff_client.get(f"/clients/{record.id}")
    with statements_sent() as ten_viewed:
        page = staff_client.get("/").get_data(as_text=True)
    assert _sidebar_list(page).count("<li>") == RECENT_LIMIT
    assert len(ten_viewed) == len(one_viewed)
