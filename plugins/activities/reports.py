"""Report columns (calls and meetings of a client, contact or partner in the period; a call's
duration in minutes) and the standard reports of activities per staff member per month."""

from sqlalchemy import func, select

from kernel.toolkit import ReportColumn, StandardReport, entities, hookimpl, related_key
from kernel.toolkit import lazy_gettext as _l

OWNERS = ("client", "contact", "partner")


def count_of(model_name, entity_name):
    def expression(period):
        from plugins.activities import models

        model = getattr(models, model_name)
        owner = entities().get(entity_name).model
        return (select(func.count(model.id))
                .where(model.related_to == related_key(entity_name, owner.id), model.deleted_at.is_(None),
                       period.contains(model.start))
                .scalar_subquery())

    return expression


def call_minutes(_period):
    from plugins.activities.models import Call

    return Call.duration_hours * 60 + Call.duration_minutes


@hookimpl
def passerelle_report_columns():
    columns = [ReportColumn("call", "minutes", _l("Duration in minutes"), call_minutes)]
    for owner in OWNERS:
        columns += [
            ReportColumn(owner, f"{owner}_calls", _l("Calls in the period"), count_of("Call", owner),
                         permission="activities.view"),
            ReportColumn(owner, f"{owner}_meetings", _l("Meetings in the period"), count_of("Meeting", owner),
                         permission="activities.view"),
        ]
    return columns


@hookimpl
def passerelle_standard_reports():
    return [
        StandardReport(
            key="calls_per_staff_member", entity="call", title=_l("Calls per staff member per month"),
            description=_l("Calls of the period by month and assigned staff member, with their total duration."),
            group_by=["start:month", "assigned_user_id"], aggregates=["count", "sum:activities.minutes"],
            period="last_12_months", period_field="start", chart="bar",
        ),
        StandardReport(
            key="meetings_per_staff_member", entity="meeting", title=_l("Meetings per staff member per month"),
            description=_l("Meetings of the period by month and assigned staff member."),
            group_by=["start:month", "assigned_user_id"], aggregates=["count"],
            period="last_12_months", period_field="start", chart="bar",
        ),
        StandardReport(
            key="tasks_per_staff_member", entity="task", title=_l("Tasks per staff member per month"),
            description=_l("Tasks due in the period by month and assigned staff member."),
            group_by=["due_date:month", "assigned_user_id"], aggregates=["count"],
            period="last_12_months", period_field="due_date", chart="bar",
        ),
    ]
