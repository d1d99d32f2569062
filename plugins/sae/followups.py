"""Follow-ups of a placement: tasks for the counsellor 30, 60 and 90 days after it starts,
created through the activities plugin when it is enabled (and not at all otherwise).

A task is seen by everyone with ``activities.view`` (lists, calendar, dashboards, the API), most
of them not on the SAE team: its subject is generic and it holds no detail of the file. The case
file and the placement show in a panel of the task page, to those who may see SAE files
(``follow_up_details``), looked up when the page is shown."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from kernel.toolkit import User, db, enabled_plugins, entities, records
from kernel.toolkit import lazy_gettext as _l
from plugins.sae.models import CaseFile, FollowUp, Placement

FOLLOW_UP_DAYS = (30, 60, 90)


def task_entity():
    """The activities plugin's task entity, or ``None`` when that plugin is not enabled."""
    if enabled_plugins().get("activities") is None:
        return None
    return entities().get("task")


def create_follow_ups(placement, user) -> list:
    """Add the three follow-up tasks of a new placement; returns them (none without activities)."""
    tasks = task_entity()
    if tasks is None:
        return []
    case_file = db.session.get(CaseFile, placement.case_file_id)
    counsellor = db.session.get(User, case_file.assigned_user_id) if case_file.assigned_user_id else None
    language = counsellor.language if counsellor is not None else current_app.config["DEFAULT_LANGUAGE"]
    created = []
    for days in FOLLOW_UP_DAYS:
        due = placement.start_date + timedelta(days=days)
        with force_locale(language):
            subject = str(_l("Follow-up at %(days)d days", days=days))
        task = records.create(tasks, {
            "subject": subject, "status": "not_started", "priority": "medium", "due_date": due.isoformat(),
            "related_to": f"client:{case_file.client_id}", "assigned_user_id": case_file.assigned_user_id,
        }, user)
        db.session.add(FollowUp(placement_id=placement.id, task_id=task.id, days=days))
        created.append(task)
    return created


def follow_up_tasks(placement_id: int) -> list[tuple[int, object]]:
    """``(days, task)`` of a placement's follow-ups still present, in two queries."""
    tasks = task_entity()
    if tasks is None:
        return []
    rows = db.session.execute(select(FollowUp.days, FollowUp.task_id).where(FollowUp.placement_id == placement_id)
                              .order_by(FollowUp.days)).all()
    found = {task.id: task for task in db.session.scalars(
        tasks.active().where(tasks.model.id.in_([row.task_id for row in rows])))}
    return [(row.days, found[row.task_id]) for row in rows if row.task_id in found]


def follow_up_details(task_id: int):
    """The follow-up a task stands for: ``(days, placement, case file)``, or ``None`` when the task
    is not a follow-up. Callers check ``sae.view`` first."""
    row = db.session.execute(
        select(FollowUp.days, Placement, CaseFile)
        .join(Placement, Placement.id == FollowUp.placement_id)
        .join(CaseFile, CaseFile.id == Placement.case_file_id)
        .where(FollowUp.task_id == task_id, Placement.deleted_at.is_(None), CaseFile.deleted_at.is_(None))
    ).first()
    return tuple(row) if row is not None else None
