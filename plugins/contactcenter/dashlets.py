"""Dashboard blocks: my open contacts, contacts waiting on my lines (which also takes the agent to
a new call), and today's figures."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask_babel import get_timezone
from sqlalchemy import case, func, select

from kernel.toolkit import ADMINISTRATOR, READONLY, STAFF, SUPERVISOR, Dashlet, db
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.models import CLOSED, INCOMPLETE, OPEN, Contact, Referral, SourceLine
from plugins.contactcenter.workflow import agent_line_ids, waiting_statement

SHOWN = 8
WORKSPACE = ("contact_centre",)  # an agent's and their supervisor's first page, before their tasks


def contactcenter_dashlets() -> list[Dashlet]:
    return [
        Dashlet("contactcenter:waiting", _l("Contacts waiting on my lines"), render_waiting, "contactcenter.edit",
                (STAFF, SUPERVISOR), order=5, workspaces=WORKSPACE),
        Dashlet("contactcenter:my-open", _l("My open contacts"), render_my_open, "contactcenter.view", (STAFF, SUPERVISOR),
                order=6, workspaces=WORKSPACE),
        Dashlet("contactcenter:today", _l("Today's contacts"), render_today, "contactcenter.view",
                (SUPERVISOR, ADMINISTRATOR, READONLY), order=7, workspaces=WORKSPACE),
    ]


def render_my_open(user):
    contacts = list(db.session.scalars(
        select(Contact).where(Contact.deleted_at.is_(None), Contact.status == OPEN, Contact.assigned_user_id == user.id)
        .order_by(Contact.started_at.desc()).limit(SHOWN)))
    return "contactcenter/dashlet_contacts.html", {"contacts": contacts, "empty": _l("No open contact."), "take": False}


def render_waiting(user):
    contacts = list(db.session.scalars(waiting_statement(user).limit(SHOWN)))
    lines = list(db.session.scalars(select(SourceLine).where(SourceLine.deleted_at.is_(None),
                                                             SourceLine.active.is_(True)).order_by(SourceLine.name)))
    return "contactcenter/dashlet_waiting.html", {"contacts": contacts, "lines": lines, "mine": set(agent_line_ids(user)),
                                             "empty": _l("No contact is waiting."), "take": True}


def start_of_today_utc() -> datetime:
    """Midnight in the user's time zone, in UTC (as dates are stored)."""
    zone = get_timezone()
    local_midnight = zone.localize(datetime.combine(datetime.now(zone).date(), time()))
    return local_midnight.astimezone(UTC).replace(tzinfo=None)


def render_today(user):
    since = start_of_today_utc()
    row = db.session.execute(
        select(func.count(), func.count(case((Contact.status == OPEN, 1))),
               func.count(case((Contact.status == CLOSED, 1))), func.count(case((Contact.status == INCOMPLETE, 1))))
        .where(Contact.deleted_at.is_(None), Contact.started_at >= since)).one()
    referrals = db.session.scalar(select(func.count()).select_from(Referral)
                                  .where(Referral.deleted_at.is_(None), Referral.created_at >= since))
    by_line = db.session.execute(
        select(SourceLine.name, func.count(Contact.id)).join(SourceLine, SourceLine.id == Contact.line_id)
        .where(Contact.deleted_at.is_(None), Contact.started_at >= since)
        .group_by(SourceLine.name).order_by(SourceLine.name)).all()
    return "contactcenter/dashlet_today.html", {"total": row[0], "open": row[1], "closed": row[2], "incomplete": row[3],
                                           "referrals": referrals, "by_line": by_line}
