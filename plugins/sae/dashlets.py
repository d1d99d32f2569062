"""The "My caseload" dashlet: a counsellor's open case files by status and the action-plan steps
of those files that are due within two weeks or overdue."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from kernel.toolkit import STAFF, SUPERVISOR, Dashlet, clock, db
from kernel.toolkit import lazy_gettext as _l
from plugins.sae.models import CASE_STATUSES, OPEN_STATUSES, OPEN_STEP_STATUSES, ActionStep, CaseFile

SHOWN = 5
DUE_WITHIN = timedelta(days=14)


def sae_dashlets() -> list[Dashlet]:
    # Only the SAE team (and supervisors) hold sae.view: their case files right after their clients,
    # when their workspace is the clients' or employment.
    return [Dashlet("sae:caseload", _l("My caseload"), render_caseload, "sae.view", (STAFF, SUPERVISOR), order=14,
                    workspaces=("clients", "employment"))]


def caseload_counts(user_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(CaseFile.status, func.count()).where(
            CaseFile.deleted_at.is_(None), CaseFile.assigned_user_id == user_id, CaseFile.status.in_(OPEN_STATUSES))
        .group_by(CaseFile.status)
    ).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in OPEN_STATUSES}


def steps_due(user_id: int, today: date) -> list[tuple]:
    """``(step, file number)`` of the user's open files, due soon or overdue, earliest first."""
    return db.session.execute(
        select(ActionStep, CaseFile.file_number).join(CaseFile, CaseFile.id == ActionStep.case_file_id).where(
            ActionStep.deleted_at.is_(None), CaseFile.deleted_at.is_(None), CaseFile.assigned_user_id == user_id,
            CaseFile.status.in_(OPEN_STATUSES), ActionStep.status.in_(OPEN_STEP_STATUSES),
            ActionStep.target_date <= today + DUE_WITHIN)
        .order_by(ActionStep.target_date, ActionStep.id).limit(SHOWN)
    ).all()


def render_caseload(user):
    today = clock.today(user)
    counts = caseload_counts(user.id)
    return "sae/dashlet_caseload.html", {
        "counts": [(status, CASE_STATUSES.label(status), count) for status, count in counts.items()],
        "total": sum(counts.values()), "steps": steps_due(user.id, today), "today": today, "user_id": user.id,
    }
