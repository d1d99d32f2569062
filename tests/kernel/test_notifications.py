"""Notifications: assigning a record or @mentioning someone notifies them; the bell counts the unread
ones; the notifications page lists them and marks them read."""

import re
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import event, select, text

from kernel import records
from kernel.db import db
from kernel.entities import FieldMeta
from kernel.i18n import lazy_gettext as _l
from kernel.notifications import ASSIGNED, MENTIONED, Notification, mentions_in, new_mentions, notify
from kernel.registry import entities
from kernel.users import User
from tests.conftest import csrf_token_from


def client_entity():
    return entities().get("client")


def notifications_of(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)))


def create_client(author, **values):
    with current_app.test_request_context():  # validation messages need a locale
        record = records.create(client_entity(), {"last_name": "Tremblay", "first_name": "Jean", **values}, author)
    db.session.commit()
    return record


def update_client(record, author, **values):
    with current_app.test_request_context():
        records.update(client_entity(), record, values, author)
    db.session.commit()


# -- assignment -----------------------------------------------------------------------------

def test_a_record_assigned_to_someone_else_notifies_them(admin_client, admin, staff):
    response = admin_client.post("/clients/new", data={
        "first_name": "Jean", "last_name": "Tremblay", "assigned_user_id": str(staff.id)})
    assert response.status_code == 302
    [notification] = notifications_of(staff)
    assert notification.kind == ASSIGNED
    assert notification.text == "Ada Admin assigned a record to you: Jean Tremblay"
    assert notification.entity == "client" and notification.record_id is not None
    assert notification.read_at is None
    assert notifications_of(admin) == []


def test_assigning_to_oneself_or_keeping_the_assignee_notifies_nobody(app, admin, staff):
    record = create_client(staff)  # assigned to the author by default
    update_client(record, staff, assigned_user_id=staff.id)
    update_client(record, admin, city="Iqaluit")  # assignee unchanged
    assert notifications_of(staff) == []


def test_a_new_assignee_is_notified(app, admin, staff, readonly):
    record = create_client(admin, assigned_user_id=staff.id)
    update_client(record, admin, assigned_user_id=readonly.id)
    assert [n.kind for n in notifications_of(readonly)] == [ASSIGNED]
    assert len(notifications_of(staff)) == 1  # only for the first assignment


# -- @mentions ------------------------------------------------------------------------------

def test_a_mention_notifies_the_user_once(app, admin, staff):
    record = create_client(admin, description="Call @patrick about the CV.")
    [notification] = notifications_of(staff)
    assert notification.kind == MENTIONED
    assert notification.text == "Ada Admin mentioned you in Jean Tremblay"

    update_client(record, admin, description="Call @patrick about the CV. He called back.")
    assert len(notifications_of(staff)) == 1  # the mention was already there


def test_mentions_match_the_email_local_part_or_the_name_without_spaces_or_accents(app, admin, make_user):
    emile = make_user("staff", email="enoel@example.org", name="Émile Noël")
    marie = make_user("staff", email="mtc@example.org", name="Marie-Ève Côté")
    inactive = make_user("staff", email="gone@example.org", name="Gone User", active=False)
    record = create_client(admin)
    update_client(record, admin, description="@EmileNoel and @marie-evecote, see (@ENOEL). Not @gone, @nobody.")
    assert [n.kind for n in notifications_of(emile)] == [MENTIONED]  # once, though mentioned twice
    assert [n.kind for n in notifications_of(marie)] == [MENTIONED]
    assert notifications_of(inactive) == []


def test_an_email_address_or_a_mention_of_oneself_notifies_nobody(app, admin, staff):
    create_client(staff, description="Write to patrick@example.org. Note to self: @patrick")
    create_client(admin, description="Write to patrick@example.org or ada@example.org")
    assert notifications_of(staff) == []


def test_only_mentions_new_in_a_long_text_field_count():
    entity = SimpleNamespace(fields={
        "description": FieldMeta("longtext", "Description"), "notes": FieldMeta("longtext", "Notes"),
        "city": FieldMeta("text", "City"),
    })
    changes = {
        "description": ("Ask @ana.", "Ask @ana and @bob."),
        "notes": (None, "@Chloé: call."),
        "city": ("@dan", "@eve"),
    }
    assert new_mentions(entity, changes) == {"bob", "chloe"}
    assert mentions_in("mail me at me@example.org, @fin. (@gus)") == {"fin", "gus"}


def test_notify_renders_the_message_in_the_recipients_language(app, make_user):
    french = make_user("staff", language="fr")
    notify(french.id, "test", _l("Trash"))
    db.session.commit()
    assert notifications_of(french)[0].text == "Corbeille"
    assert notify(123456, "test", "Nobody") is None


# -- the bell and the notifications page ----------------------------------------------------

def _notify_many(user, count):
    for number in range(count):
        notify(user, "test", f"Message {number}", entity="client", record=number + 1)
    db.session.commit()


def _statements_on_notifications(client, path):
    seen = []

    def remember(_conn, _cursor, statement, *_args):
        if "FROM notifications" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        page = client.get(path).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return page, seen


def test_the_bell_shows_the_unread_count_counted_once_per_page(staff_client, staff):
    page = staff_client.get("/").get_data(as_text=True)
    assert 'href="/notifications"' in page and "unread notification" not in page

    _notify_many(staff, 2)
    page, statements = _statements_on_notifications(staff_client, "/")
    assert "2 unread notifications" in page
    assert re.search(r'class="notification-count"[^>]*>2<', page)
    assert len(statements) == 1 and "count(" in statements[0].lower()


def test_the_bell_is_read_with_the_menus_shortcuts(staff_client, staff):
    _notify_many(staff, 3)
    for path in ("/", "/profile/"):  # pages without reads of their own for the layout
        page, statements = _statements_on_notifications(staff_client, path)
        assert "3 unread notifications" in page, path
        assert len(statements) == 1 and "FROM favourites" in statements[0], (path, statements)


def test_the_bell_counts_alone_when_the_menus_cannot_be_read(staff_client, staff, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from kernel import navigation

    def failing(_user):
        raise OperationalError("SELECT favourites", {}, Exception("the database went away"))

    _notify_many(staff, 2)
    monkeypatch.setattr(navigation, "_layout_reads", failing)
    page = staff_client.get("/")
    assert page.status_code == 200 and "2 unread notifications" in page.get_data(as_text=True)


def test_the_unread_count_uses_the_index(app, staff):
    if not db.is_sqlite:
        pytest.skip("the query plan is checked on SQLite")
    plan = db.session.execute(text(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM notifications WHERE user_id = :user AND read_at IS NULL"
    ), {"user": staff.id}).all()
    assert any("COVERING INDEX ix_notifications_user_read" in str(row) for row in plan), plan


def test_the_page_lists_newest_first_with_links_and_marks_read(staff_client, staff, readonly):
    _notify_many(staff, 3)
    page = staff_client.get("/notifications").get_data(as_text=True)
    assert page.index("Message 2") < page.index("Message 1") < page.index("Message 0")
    assert 'href="/clients/3"' in page and "Mark all as read" in page

    first = notifications_of(staff)[0]
    assert staff_client.post(f"/notifications/{first.id}/read").status_code == 302
    assert "2 unread notifications" in staff_client.get("/").get_data(as_text=True)
    assert notifications_of(staff)[0].read_at is not None

    other = notify(readonly, "test", "Not yours")
    db.session.commit()
    assert staff_client.post(f"/notifications/{other.id}/read").status_code == 404

    assert staff_client.post("/notifications/read-all").status_code == 302
    assert all(n.read_at for n in notifications_of(staff))
    assert "unread notification" not in staff_client.get("/").get_data(as_text=True)
    assert notifications_of(readonly)[0].read_at is None


def test_the_page_is_paginated(staff_client, staff):
    _notify_many(staff, 25)
    first = staff_client.get("/notifications").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Message 24" in first and "Message 4<" not in first
    second = staff_client.get("/notifications?page=2").get_data(as_text=True)
    assert "Message 4<" in second and "Message 0<" in second and "Message 5<" not in second


def test_marking_read_needs_the_csrf_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user("staff", email="csrf@example.org")
        _notify_many(user, 1)
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                    "csrf_token": csrf_token_from(login_page)})
        assert client.post("/notifications/read-all").status_code == 400
        token = csrf_token_from(client.get("/notifications").get_data(as_text=True))
        assert client.post("/notifications/read-all", data={"csrf_token": token}).status_code == 302
        assert all(n.read_at for n in notifications_of(user))
        db.session.remove()


def test_notifications_go_with_their_user(app, staff):
    _notify_many(staff, 1)
    db.session.delete(db.session.get(User, staff.id))
    db.session.commit()
    assert db.session.scalars(select(Notification)).all() == []
