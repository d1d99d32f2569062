"""Administrators read the security log: newest first, a page at a time, filtered by event, user,
address and period, and export the filtered events as CSV. Nobody else sees it, and no route
changes or deletes an event."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event as sql_event
from sqlalchemy import func, select

from kernel.db import db
from kernel.security.models import SecurityEvent

NOON = datetime(2026, 3, 10, 12, 0)  # UTC; 08:00 in Iqaluit, the organisation's zone


def _add(kind="login.succeeded", email="ann@example.org", address="203.0.113.5", when=NOON, user_id=None, **details):
    db.session.add(SecurityEvent(event=kind, user_email=email, address=address, occurred_at=when, user_id=user_id,
                                 details=details))
    db.session.commit()


def _rows(html: str) -> int:
    return html.count('<tr class="event-')


def test_only_administrators_have_the_screen_and_its_menu_entry(admin_client, login_as, make_user):
    assert 'href="/admin/security-log"' in admin_client.get("/").get_data(as_text=True)
    assert admin_client.get("/admin/security-log").status_code == 200
    for role in ("supervisor", "staff", "readonly"):
        client = login_as(make_user(role))
        assert 'href="/admin/security-log"' not in client.get("/").get_data(as_text=True)
        assert client.get("/admin/security-log").status_code == 403
        assert client.get("/admin/security-log/export.csv").status_code == 403


def test_events_are_listed_newest_first_a_page_at_a_time(admin_client):
    for minute in range(60):
        _add(kind="token.created", email=f"user{minute:02d}@example.org", when=NOON + timedelta(minutes=minute))
    first = admin_client.get("/admin/security-log?event=token.created").get_data(as_text=True)
    assert _rows(first) == 50
    assert first.index("user59@example.org") < first.index("user58@example.org")
    assert "60 events" in first
    assert 'href="/admin/security-log?page=2&amp;event=token.created"' in first
    second = admin_client.get("/admin/security-log?event=token.created&page=2").get_data(as_text=True)
    assert _rows(second) == 10 and "user09@example.org" in second and "user10@example.org" not in second


def test_the_page_takes_as_many_queries_for_fifty_events_as_for_two(admin_client):
    def queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sql_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert admin_client.get("/admin/security-log").status_code == 200
        finally:
            sql_event.remove(db.engine, "before_cursor_execute", listener)
        return sum("security_events" in statement for statement in statements)

    _add(), _add()
    few = queries()
    for _ in range(48):
        _add(kind="data.exported", what="list", filters="city__equals=Iqaluit")
    assert queries() == few


@pytest.mark.parametrize(("query", "expected"), [
    ("event=login.failed", {"bob@example.org"}),
    ("address=198.51.100.9", {"cy@example.org"}),
    ("from=2026-03-10&to=2026-03-10", {"ann@example.org", "bob@example.org"}),
    ("from=2026-03-11", {"cy@example.org"}),
    ("to=2026-03-09", {"dee@example.org"}),
])
def test_filters(admin_client, query, expected):
    _add(email="ann@example.org")
    _add(kind="login.failed", email="bob@example.org", when=NOON + timedelta(hours=10))  # 18:00 in Iqaluit
    _add(email="cy@example.org", address="198.51.100.9", when=NOON + timedelta(days=1))
    _add(email="dee@example.org", when=NOON - timedelta(days=1))
    html = admin_client.get(f"/admin/security-log?{query}").get_data(as_text=True)
    shown = {email for email in ("ann", "bob", "cy", "dee") if f"<td data-label=\"User\">{email}@" in html}
    assert {f"{name}@example.org" for name in shown} == expected


def test_a_users_filter_finds_their_events(admin_client, staff):
    _add(email=staff.email, user_id=staff.id)
    _add(email="other@example.org")
    html = admin_client.get(f"/admin/security-log?user={staff.id}").get_data(as_text=True)
    assert _rows(html) == 1 and staff.email in html


@pytest.mark.parametrize("query", ["from=tomorrow", "to=2026-02-30", "user=abc", "address=" + "9" * 65])
def test_a_bad_filter_gets_a_clear_message(admin_client, query):
    response = admin_client.get(f"/admin/security-log?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html


def test_the_filtered_events_export_as_csv_and_the_export_is_logged(admin_client, admin):
    _add(kind="login.failed", email="bob@example.org", address="198.51.100.9")
    _add(kind="data.exported", email="ann@example.org", what="list", filters="city__equals=Iqaluit")
    response = admin_client.get("/admin/security-log/export.csv?event=data.exported")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["Date and time", "Event", "Code", "User"]
    own_export, ann = rows[1:]
    assert (ann[0], ann[1], ann[2], ann[3], ann[8]) == (
        "2026-03-10 08:00:00", "Data exported", "data.exported", "ann@example.org",
        "what: list; filters: city__equals=Iqaluit")
    assert (own_export[3], own_export[8]) == (admin.email, 'what: security_log; filters: {"event": "data.exported"}')


def test_no_route_changes_or_deletes_an_event(app, admin_client):
    _add()
    before = db.session.scalar(select(func.count()).select_from(SecurityEvent))
    for method in ("post", "put", "patch", "delete"):
        assert getattr(admin_client, method)("/admin/security-log").status_code in (404, 405)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SecurityEvent)) == before
    methods = {method for rule in app.url_map.iter_rules() if rule.endpoint.startswith("security_log.")
               for method in rule.methods}
    assert methods == {"GET", "HEAD", "OPTIONS"}


def test_the_screen_speaks_french(make_user, login_as):
    client = login_as(make_user("administrator", language="fr"))
    _add(kind="login.failed")
    html = client.get("/admin/security-log").get_data(as_text=True)
    assert "Journal de sécurité" in html and "Échec de connexion" in html
