"""Report columns and standard reports of the contact centre (see docs/reports.md)."""

from __future__ import annotations

from sqlalchemy import func, select

from kernel.toolkit import ReportColumn, StandardReport, joined_text
from kernel.toolkit import lazy_gettext as _l


def primary_need(period):
    from plugins.contactcenter.models import Contact, Need
    from plugins.directory.models import TaxonomyTerm

    return (select(joined_text(TaxonomyTerm.name)).join(Need, Need.term_id == TaxonomyTerm.id)
            .where(Need.contact_id == Contact.id, Need.is_primary.is_(True), Need.deleted_at.is_(None))
            .scalar_subquery())


def all_needs(period):
    from plugins.contactcenter.models import Contact, Need
    from plugins.directory.models import TaxonomyTerm

    return (select(joined_text(TaxonomyTerm.name)).join(Need, Need.term_id == TaxonomyTerm.id)
            .where(Need.contact_id == Contact.id, Need.deleted_at.is_(None)).scalar_subquery())


def referrals_of_contact(period):
    from plugins.contactcenter.models import Contact, Referral

    return (select(func.count(Referral.id)).where(Referral.contact_id == Contact.id, Referral.deleted_at.is_(None))
            .scalar_subquery())


def contacts_of_profile(period):
    from plugins.contactcenter.models import Contact, Profile

    return (select(func.count(Contact.id)).where(Contact.profile_id == Profile.id, Contact.deleted_at.is_(None),
                                                 period.contains(Contact.started_at)).scalar_subquery())


def referrals_to_resource(period):
    from plugins.contactcenter.models import Referral
    from plugins.directory.models import Resource

    return (select(func.count(Referral.id)).where(Referral.resource_id == Resource.id, Referral.deleted_at.is_(None),
                                                  period.contains(Referral.created_at)).scalar_subquery())


def channel_of_contact(model):
    """The channel of the contact a need or referral belongs to (call, SMS, chat, e-mail, walk-in)."""
    def expression(period):
        from plugins.contactcenter.models import Contact

        return select(Contact.channel).where(Contact.id == model().contact_id).scalar_subquery()

    return expression


def _referral():
    from plugins.contactcenter.models import Referral

    return Referral


def _need():
    from plugins.contactcenter.models import Need

    return Need


def report_columns() -> list[ReportColumn]:
    from plugins.contactcenter.followups.reports import followup_columns
    from plugins.contactcenter.models import CHANNELS

    return followup_columns() + [
        ReportColumn("referral", "contact_channel", _l("Channel of the contact"), channel_of_contact(_referral),
                     kind="choice", choices=CHANNELS, permission="contactcenter.view"),
        ReportColumn("service_need", "contact_channel", _l("Channel of the contact"), channel_of_contact(_need),
                     kind="choice", choices=CHANNELS, permission="contactcenter.view"),
        ReportColumn("helpline_contact", "primary_need", _l("Primary service need"), primary_need, kind="text",
                     permission="contactcenter.view"),
        ReportColumn("helpline_contact", "needs", _l("Service needs"), all_needs, kind="text",
                     permission="contactcenter.view"),
        ReportColumn("helpline_contact", "referrals", _l("Number of referrals"), referrals_of_contact,
                     permission="contactcenter.view"),
        ReportColumn("caller_profile", "contacts_in_period", _l("Contacts in the period"), contacts_of_profile,
                     permission="contactcenter.view"),
        ReportColumn("resource", "referrals_in_period", _l("Referrals in the period"), referrals_to_resource,
                     permission="contactcenter.view"),
    ]


def standard_reports() -> list[StandardReport]:
    from plugins.contactcenter.followups.reports import followup_reports

    return followup_reports() + [
        StandardReport(
            key="contactcenter_contacts_by_line_and_channel", title=_l("Contacts per line and channel"),
            description=_l("Contacts started in the period, by source line and channel."),
            entity="helpline_contact", group_by=["line_id", "channel"], aggregates=["count"],
            period="this_month", period_field="started_at", chart="bar"),
        StandardReport(
            key="contactcenter_contacts_by_channel", title=_l("Contacts per channel"),
            description=_l("Contacts started in the period, by channel: calls, SMS, chat, e-mail and walk-ins."),
            entity="helpline_contact", group_by=["channel"], aggregates=["count"], period="this_month",
            period_field="started_at", chart="pie"),
        StandardReport(
            key="contactcenter_referrals_by_channel", title=_l("Referrals per channel"),
            description=_l("Referrals made in the period, by the channel of their contact."),
            entity="referral", group_by=["contactcenter.contact_channel"], aggregates=["count"], period="this_month",
            period_field="created_at", chart="bar"),
        StandardReport(
            key="contactcenter_top_needs", title=_l("Top service needs"),
            description=_l("Service needs recorded in the period, by service type."),
            entity="service_need", group_by=["term_id"], aggregates=["count"], period="this_month",
            period_field="created_at", chart="bar"),
        StandardReport(
            key="contactcenter_service_gaps", title=_l("Service gaps by area and service type"),
            description=_l("Needs for which no resource was available, by postal code and service type."),
            entity="service_gap", group_by=["postal_code", "term_id"], aggregates=["count"], period="last_12_months",
            period_field="created_at", chart="bar"),
        StandardReport(
            key="contactcenter_referrals_by_resource", title=_l("Referrals per resource"),
            description=_l("Referrals made in the period, by resource."),
            entity="referral", group_by=["resource_id"], aggregates=["count"], period="this_month",
            period_field="created_at", chart="bar", sort="-count", top=100),
        StandardReport(
            key="contactcenter_incomplete_contacts", title=_l("Contacts closed incomplete"),
            description=_l("Contacts forced closed in the period, with the reason and who approved."),
            entity="helpline_contact",
            columns=["started_at", "line_id", "assigned_user_id", "incomplete_reason", "approved_by_id",
                     "contactcenter.primary_need"],
            filters="status__in=incomplete", sort="-started_at", period="this_month", period_field="started_at"),
    ]
