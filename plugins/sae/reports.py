"""What the SAE module adds to reports: columns on clients (their latest case file's status and
counsellor, their placements) and on case files, and the standard reports "SAE caseload",
"Placements" and "Outcomes". Every column needs ``sae.view``."""

from __future__ import annotations

from sqlalchemy import func, select

from kernel.toolkit import ReportColumn, StandardReport
from kernel.toolkit import lazy_gettext as _l
from plugins.sae.models import CASE_STATUSES, OPEN_STEP_STATUSES, ActionStep, CaseFile, Placement


def _latest_case_file(column):
    """A column of the client's latest case file (by intake date), correlated with the client."""
    from plugins.clients.models import Client

    return (select(column).where(CaseFile.client_id == Client.id, CaseFile.deleted_at.is_(None))
            .order_by(CaseFile.intake_date.desc(), CaseFile.id.desc()).limit(1).scalar_subquery())


def client_case_status(period):
    return _latest_case_file(CaseFile.status)


def client_counsellor(period):
    return _latest_case_file(CaseFile.assigned_user_id)


def client_placements(period):
    from plugins.clients.models import Client

    return (select(func.count(Placement.id)).join(CaseFile, CaseFile.id == Placement.case_file_id)
            .where(CaseFile.client_id == Client.id, CaseFile.deleted_at.is_(None), Placement.deleted_at.is_(None),
                   period.contains(Placement.start_date))
            .scalar_subquery())


def case_file_placements(period):
    return (select(func.count(Placement.id))
            .where(Placement.case_file_id == CaseFile.id, Placement.deleted_at.is_(None),
                   period.contains(Placement.start_date))
            .scalar_subquery())


def case_file_open_steps(period):
    return (select(func.count(ActionStep.id))
            .where(ActionStep.case_file_id == CaseFile.id, ActionStep.deleted_at.is_(None),
                   ActionStep.status.in_(OPEN_STEP_STATUSES))
            .scalar_subquery())


def report_columns() -> list[ReportColumn]:
    return [
        ReportColumn("client", "case_file_status", _l("SAE case file status"), client_case_status, kind="choice",
                     choices=CASE_STATUSES, permission="sae.view"),
        ReportColumn("client", "counsellor", _l("SAE counsellor"), client_counsellor, kind="user",
                     permission="sae.view"),
        ReportColumn("client", "placements", _l("SAE placements in the period"), client_placements,
                     permission="sae.view"),
        ReportColumn("case_file", "placements", _l("Placements in the period"), case_file_placements,
                     permission="sae.view"),
        ReportColumn("case_file", "open_steps", _l("Open action-plan steps"), case_file_open_steps,
                     permission="sae.view"),
    ]


def standard_reports() -> list[StandardReport]:
    return [
        StandardReport(
            key="sae_caseload", title=_l("SAE caseload"), entity="case_file",
            description=_l("Open, active and on-hold case files by counsellor and status."),
            group_by=["assigned_user_id", "status"], aggregates=["count"],
            filters="status__in=open&status__in=active&status__in=on_hold", chart="bar",
        ),
        StandardReport(
            key="sae_placements", title=_l("SAE placements"), entity="placement",
            description=_l("Placements that started in the period, with employer, hours and wage."),
            columns=["start_date", "case_file_id", "employer_id", "position", "hours_per_week", "hourly_wage",
                     "outcome"],
            period="last_12_months", period_field="start_date", sort="-start_date",
        ),
        StandardReport(
            key="sae_outcomes", title=_l("SAE outcomes"), entity="case_file",
            description=_l("Case files closed in the period, by outcome."),
            group_by=["outcome"], aggregates=["count"], filters="status__in=closed",
            period="this_year", period_field="closure_date", chart="pie",
        ),
    ]
