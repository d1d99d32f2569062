"""Report columns (a client's or partner's programmes, services and activity numbers) and the
standard reports over programmes and services."""

from flask_babel import get_locale
from sqlalchemy import func, select

from kernel.toolkit import ReportColumn, StandardReport, entities, hookimpl, joined_text, related_key
from kernel.toolkit import lazy_gettext as _l


def _name(model):
    """The catalogue name in the user's language (French when there is no English name)."""
    if str(get_locale() or "fr") == "en":
        return func.coalesce(model.name_en, model.name_fr)
    return model.name_fr


def _owner_id(entity_name):
    return entities().get(entity_name).model.id


def programmes_of(entity_name):
    def expression(period):
        from plugins.programs.models import Participation, Programme

        return (select(joined_text(_name(Programme)))
                .join(Participation, Participation.programme_id == Programme.id)
                .where(Participation.related_to == related_key(entity_name, _owner_id(entity_name)),
                       Participation.deleted_at.is_(None), period.contains(Participation.start_date))
                .scalar_subquery())

    return expression


def services_of(entity_name):
    def expression(period):
        from plugins.programs.models import Service, ServiceRecord

        return (select(joined_text(_name(Service)))
                .join(ServiceRecord, ServiceRecord.service_id == Service.id)
                .where(ServiceRecord.related_to == related_key(entity_name, _owner_id(entity_name)),
                       ServiceRecord.deleted_at.is_(None), period.contains(ServiceRecord.start_date))
                .scalar_subquery())

    return expression


def activity_numbers_of(entity_name):
    def expression(period):
        from plugins.programs.models import ServiceRecord

        return (select(joined_text(ServiceRecord.activity_number))
                .where(ServiceRecord.related_to == related_key(entity_name, _owner_id(entity_name)),
                       ServiceRecord.deleted_at.is_(None), period.contains(ServiceRecord.start_date))
                .scalar_subquery())

    return expression


def service_count_of(entity_name):
    def expression(period):
        from plugins.programs.models import ServiceRecord

        return (select(func.count(ServiceRecord.id))
                .where(ServiceRecord.related_to == related_key(entity_name, _owner_id(entity_name)),
                       ServiceRecord.deleted_at.is_(None), period.contains(ServiceRecord.start_date))
                .scalar_subquery())

    return expression


@hookimpl
def passerelle_report_columns():
    columns = []
    for owner in ("client", "partner"):
        columns += [
            ReportColumn(owner, f"{owner}_programmes", _l("Programmes in the period"), programmes_of(owner),
                         kind="text", permission="programs.view"),
            ReportColumn(owner, f"{owner}_services", _l("Services obtained in the period"), services_of(owner),
                         kind="text", permission="programs.view"),
            ReportColumn(owner, f"{owner}_activity_numbers", _l("Activity numbers in the period"),
                         activity_numbers_of(owner), kind="text", permission="programs.view"),
            ReportColumn(owner, f"{owner}_service_count", _l("Services obtained in the period (number)"),
                         service_count_of(owner), permission="programs.view"),
        ]
    return columns


@hookimpl
def passerelle_standard_reports():
    return [
        StandardReport(
            key="services_by_activity_number", entity="service_record",
            title=_l("Services delivered by activity number"),
            description=_l("Every service delivered in the period, with its activity number, sorted by number."),
            columns=["activity_number", "service_id", "related_to", "start_date", "end_date",
                     "assigned_user_id"],
            sort="activity_number", period="last_quarter", period_field="start_date",
        ),
        StandardReport(
            key="services_per_month", entity="service_record", title=_l("Services delivered per month"),
            description=_l("Services delivered in the period, counted by service and month."),
            group_by=["start_date:month", "service_id"], aggregates=["count"],
            period="this_year", period_field="start_date", chart="line",
        ),
        StandardReport(
            key="programme_participation", entity="participation", title=_l("Programme participation"),
            description=_l("Participations that started in the period, by programme and status."),
            group_by=["programme_id", "status"], aggregates=["count"],
            period="this_year", period_field="start_date", chart="bar",
        ),
    ]
