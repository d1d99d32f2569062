"""Dates the activities module fills in are the organisation's dates: a CV uploaded at 20:06 in
Iqaluit on 3 December is received on the 3rd, and a task due on the 3rd is not overdue yet."""

from datetime import date

from sqlalchemy import select

from kernel.db import db
from plugins.activities.models import Document
from tests.activities.helpers import create
from tests.activities.test_documents import PDF, upload


def test_a_cv_uploaded_in_the_evening_is_dated_that_day(staff, staff_client, freeze_clock):
    freeze_clock("2026-12-03 20:06", "America/Iqaluit")
    person = create("client", {"last_name": "Kilabuk"}, staff)
    assert upload(staff_client, PDF, link=f"client:{person.id}", category="cv").status_code == 302
    assert db.session.scalar(select(Document.cv_date)) == date(2026, 12, 3)


def test_a_task_due_today_is_not_overdue_in_the_evening(staff, staff_client, freeze_clock):
    freeze_clock("2026-12-03 20:00", "America/Iqaluit")
    create("task", {"subject": "Due today", "due_date": "2026-12-03", "status": "not_started",
                    "assigned_user_id": staff.id}, staff)
    create("task", {"subject": "Due yesterday", "due_date": "2026-12-02", "status": "not_started",
                    "assigned_user_id": staff.id}, staff)
    from plugins.activities.dashlets import render_overdue_tasks

    _template, context = render_overdue_tasks(staff)
    subjects = [task.subject for task in context["tasks"]]
    assert subjects == ["Due yesterday"]
