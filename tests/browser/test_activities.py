"""Activities in a real browser: drag a task card to another kanban column, and create a meeting by
clicking a slot of the calendar."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.activities.models import Meeting, Task
from tests.conftest import TEST_PASSWORD


def log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()


def add_task(app, user, subject):
    with app.app_context():
        task = records.create(entities().get("task"), {"subject": subject, "status": "not_started"},
                              db.session.get(type(user), user.id))
        db.session.commit()
        task_id = task.id
        db.session.remove()
    return task_id


def task_status(app, task_id):
    with app.app_context():
        status = db.session.get(Task, task_id).status
        db.session.remove()
    return status


def drag(page, source, target):
    """Drag with the mouse, in small steps, as a person does (SortableJS's pointer mode)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(start["x"] + 30, start["y"] + 30, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 20, steps=20)
    page.mouse.up()


def test_drag_a_task_card_to_another_column(live_app, live_server, live_user, page, browser_errors):
    user = live_user("staff", email="kanban@example.org")
    task_id = add_task(live_app, user, "Rappeler Anne")
    log_in(page, live_server, "kanban@example.org")
    page.goto(f"{live_server}/tasks/kanban")
    card = page.locator(f'.kanban-card[data-id="{task_id}"]')
    target = page.locator('.kanban-cards[data-status="in_progress"]')
    drag(page, card, target)
    expect(target.locator(f'.kanban-card[data-id="{task_id}"]')).to_be_visible()
    expect(card.locator("select[name=status]")).to_have_value("in_progress")
    assert task_status(live_app, task_id) == "in_progress"
    assert browser_errors == []


def test_create_a_meeting_by_clicking_a_calendar_slot(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="calendar@example.org")
    log_in(page, live_server, "calendar@example.org")
    page.goto(f"{live_server}/activities/calendar")
    expect(page.locator(".fc-timegrid")).to_be_visible()
    page.locator('.fc-timegrid-slot-lane[data-time="10:00:00"]').click()
    expect(page).to_have_url(re.compile(r"/meetings/new\?status=planned&start=\d{4}-\d\d-\d\dT10%3A00"))
    page.get_by_label("Subject").fill("Réunion cliquée")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Réunion cliquée")).to_be_visible()
    with live_app.app_context():
        meeting = db.session.scalar(select(Meeting))
        assert meeting.subject == "Réunion cliquée" and meeting.end > meeting.start
        db.session.remove()
    assert browser_errors == []
