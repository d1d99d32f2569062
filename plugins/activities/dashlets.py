"""Dashboard blocks: my upcoming calls and meetings, my open tasks, overdue tasks."""

from __future__ import annotations

from sqlalchemy import select

from kernel.toolkit import STAFF, SUPERVISOR, Dashlet, clock, db, utcnow
from kernel.toolkit import lazy_gettext as _l
from plugins.activities.models import OPEN_TASK_STATUSES, Call, Meeting, Task

SHOWN = 5


def activity_dashlets() -> list[Dashlet]:
    # Everyone's work, whatever their workspace: what is late first, then what comes.
    return [
        Dashlet("activities:overdue-tasks", _l("Overdue tasks"), render_overdue_tasks, "activities.view",
                (STAFF, SUPERVISOR), order=10),
        Dashlet("activities:upcoming", _l("My upcoming calls and meetings"), render_upcoming,
                "activities.view", (STAFF, SUPERVISOR), order=11),
        Dashlet("activities:open-tasks", _l("My open tasks"), render_open_tasks, "activities.view", (STAFF,),
                order=12),
    ]


def _upcoming(model, user_id, now):
    return db.session.scalars(
        select(model).where(model.deleted_at.is_(None), model.assigned_user_id == user_id, model.start >= now)
        .order_by(model.start).limit(SHOWN)
    ).all()


def render_upcoming(user):
    now = utcnow()
    rows = [("calls", call) for call in _upcoming(Call, user.id, now)]
    rows += [("meetings", meeting) for meeting in _upcoming(Meeting, user.id, now)]
    rows.sort(key=lambda row: row[1].start)
    return "activities/dashlet_upcoming.html", {"rows": rows[:SHOWN]}


def open_tasks_statement(user_id=None):
    statement = select(Task).where(Task.deleted_at.is_(None), Task.status.in_(OPEN_TASK_STATUSES))
    if user_id is not None:
        statement = statement.where(Task.assigned_user_id == user_id)
    return statement.order_by(Task.due_date.is_(None), Task.due_date, Task.id)


def render_open_tasks(user):
    tasks = db.session.scalars(open_tasks_statement(user.id).limit(SHOWN)).all()
    return "activities/dashlet_tasks.html", {"tasks": tasks, "empty": _l("No open task."),
                                             "today": clock.today(user)}


def render_overdue_tasks(user):
    today = clock.today(user)
    statement = open_tasks_statement(user.id).where(Task.due_date < today)
    tasks = db.session.scalars(statement.limit(SHOWN)).all()
    return "activities/dashlet_tasks.html", {"tasks": tasks, "empty": _l("No overdue task."), "today": today}
