"""Follow-up figures of referrals as report columns, 100 or 0 each so that their average is a
percentage: followed up, caller reached, need met; and the referral's need type to group on."""

from __future__ import annotations

from sqlalchemy import and_, case, exists, func, select

from kernel.toolkit import ReportColumn, StandardReport
from kernel.toolkit import lazy_gettext as _l


def _percent(condition):
    return case((condition, 100), else_=0)


def followed_up(period):
    from plugins.contactcenter.followups.models import FollowUp
    from plugins.contactcenter.models import Referral

    return _percent(exists().where(FollowUp.contact_id == Referral.contact_id))


def reached(period):
    from plugins.contactcenter.followups.models import FollowUpOutcome
    from plugins.contactcenter.models import Referral

    return _percent(exists().where(FollowUpOutcome.referral_id == Referral.id, FollowUpOutcome.reached.is_(True)))


def need_met(period):
    from plugins.contactcenter.followups.models import FollowUpOutcome
    from plugins.contactcenter.models import Referral

    return _percent(exists().where(and_(FollowUpOutcome.referral_id == Referral.id,
                                        FollowUpOutcome.got_help.is_(True))))


def need_type(period):
    from plugins.contactcenter.models import Referral
    from plugins.directory.models import service_taxonomy

    return (select(func.min(service_taxonomy.c.term_id)).where(service_taxonomy.c.service_id == Referral.resource_id)
            .scalar_subquery())


def followup_columns() -> list[ReportColumn]:
    return [
        ReportColumn("referral", "followed_up", _l("Followed up (%)"), followed_up, permission="contactcenter.view"),
        ReportColumn("referral", "followup_reached", _l("Reached at follow-up (%)"), reached,
                     permission="contactcenter.view"),
        ReportColumn("referral", "need_met", _l("Need met (%)"), need_met, permission="contactcenter.view"),
        ReportColumn("referral", "need_type", _l("Need type"), need_type, kind="reference",
                     target="directory_taxonomy_terms", permission="contactcenter.view"),
    ]


RATES = ["count", "avg:contactcenter.followed_up", "avg:contactcenter.followup_reached", "avg:contactcenter.need_met"]


def followup_reports() -> list[StandardReport]:
    return [
        StandardReport(
            key="contactcenter_followups_by_resource", title=_l("Follow-up outcomes per resource"),
            description=_l("Referrals made in the period, by resource: the share followed up, the share whose "
                           "caller was reached and the share that met the need."),
            entity="referral", group_by=["resource_id"], aggregates=RATES, period="this_quarter",
            period_field="created_at", chart="bar", sort="-count", top=100),
        StandardReport(
            key="contactcenter_followups_by_need_type", title=_l("Follow-up outcomes per need type"),
            description=_l("Referrals made in the period, by need type: the share followed up, the share whose "
                           "caller was reached and the share that met the need."),
            entity="referral", group_by=["contactcenter.need_type"], aggregates=RATES, period="this_quarter",
            period_field="created_at", chart="bar"),
    ]
