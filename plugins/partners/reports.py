"""Report columns and standard reports over partners."""

from sqlalchemy import func, select

from kernel.toolkit import ReportColumn, StandardReport, hookimpl
from kernel.toolkit import lazy_gettext as _l


def contact_count(_period):
    from plugins.partners.models import Contact, Partner

    return (select(func.count(Contact.id))
            .where(Contact.partner_id == Partner.id, Contact.deleted_at.is_(None))
            .scalar_subquery())


@hookimpl
def passerelle_report_columns():
    return [ReportColumn("partner", "contacts", _l("Number of contacts"), contact_count)]


@hookimpl
def passerelle_standard_reports():
    return [
        StandardReport(
            key="partners_by_sector", entity="partner", title=_l("Partners by sector and status"),
            description=_l("How many partners the organisation works with, by sector and status."),
            group_by=["sector", "status"], aggregates=["count", "sum:partners.contacts"], chart="bar",
        ),
    ]
