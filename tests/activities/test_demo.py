"""The demo data of a new installation gives a living calendar, kanban and dashboard."""

from datetime import date, timedelta

from markupsafe import escape
from sqlalchemy import func, select

from kernel.db import db, utcnow
from kernel.setup import demo_password, first_start
from kernel.users import User
from plugins.activities.models import Call, Document, DocumentLink, Meeting, MeetingInvitee, Note, Task
from tests.conftest import login


def count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_demo_activities_are_related_to_demo_records_and_users(app):
    assert first_start(load_demo=True)
    today = date.today()
    assert count(Call) > 20 and count(Meeting) > 5 and count(Note) == 3
    assert count(Task, Task.status == "completed") and count(Task, Task.status != "completed")
    assert count(Task, Task.due_date < today, Task.status != "completed")  # some are overdue
    assert count(Call, Call.related_to.like("client:%")) and count(Call, Call.related_to.like("partner:%"))
    assert count(MeetingInvitee)
    assert db.session.scalar(select(DocumentLink.related)).startswith("client:")
    assert db.session.scalar(select(Document.category)) == "cv"

    staff = db.session.scalar(select(User).where(User.role == "staff"))
    supervisor = db.session.scalar(select(User).where(User.role == "supervisor"))
    assert count(Call, Call.assigned_user_id == staff.id) and count(Call, Call.assigned_user_id == supervisor.id)
    client = login(app.test_client(), staff, password=demo_password(staff.email))
    monday = today - timedelta(days=today.weekday())
    period = {"start": (monday - timedelta(days=7)).isoformat() + "T00:00:00",
              "end": (monday + timedelta(days=14)).isoformat() + "T00:00:00"}
    events = client.get("/activities/calendar/events", query_string=period).json
    assert {event["kind"] for event in events} == {"call", "meeting", "task"}
    # the supervisor shares with everyone: the staff member sees some of their activities too
    owners = {row.assigned_user_id for row in db.session.scalars(select(Call).where(
        Call.id.in_([event["recordId"] for event in events if event["kind"] == "call"])))}
    assert supervisor.id in owners
    assert client.get("/tasks/kanban").status_code == 200
    dashboard = client.get("/").get_data(as_text=True)  # the demo users speak French
    assert "Mes prochains appels et réunions" in dashboard and "Mes tâches ouvertes" in dashboard
    next_call = db.session.scalar(select(Call.subject).where(Call.assigned_user_id == staff.id, Call.start > utcnow())
                                  .order_by(Call.start))
    assert str(escape(next_call)) in dashboard
