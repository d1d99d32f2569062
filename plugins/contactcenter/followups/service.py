"""Scheduling and working follow-ups: the queue's filters, each attempt's outcomes, unreachable
after too many failed attempts, and the unmet needs turned into service gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from kernel.toolkit import db, utcnow
from plugins.contactcenter.followups.models import DONE, DUE, UNREACHABLE, FollowUp, FollowUpOutcome
from plugins.contactcenter.models import CHANNELS, Contact, Profile, Referral, ServiceGap

DEFAULT_MAX_ATTEMPTS = 3
QUEUE_FILTERS = ("due", "mine", "overdue", "all")


class FollowUpRefused(ValueError):
    """A follow-up that cannot be scheduled as asked (the message is translated)."""


@dataclass
class Outcome:
    referral_id: int | None
    reached: bool
    contacted_service: bool | None = None
    got_help: bool | None = None
    why_not: str | None = None
    new_need_term_id: int | None = None
    note: str | None = None


def max_attempts() -> int:
    return int(current_app.config.get("CONTACTCENTER_FOLLOWUP_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def schedule(contact: Contact, user, *, due_at: datetime, channel: str, reason: str, consent: bool,
             assignee_id: int | None = None) -> FollowUp:
    from kernel.toolkit import gettext as _

    if not consent:
        raise FollowUpRefused(_("The caller must agree to be contacted again."))
    if channel not in CHANNELS.values():
        raise FollowUpRefused(_("Choose a channel from the list."))
    followup = FollowUp(contact_id=contact.id, assignee_id=assignee_id or user.id, due_at=due_at, channel=channel,
                        reason=(reason or "").strip()[:2000], consent_to_contact=True, status=DUE, attempts=0,
                        created_at=utcnow(), created_by_id=user.id)
    db.session.add(followup)
    db.session.flush()
    return followup


def queue_statement(user, which: str = "due", now: datetime | None = None):
    now = now or utcnow()
    statement = select(FollowUp).where(FollowUp.status == DUE)
    if which == "mine":
        statement = statement.where(FollowUp.assignee_id == user.id)
    elif which == "overdue":
        statement = statement.where(FollowUp.due_at < now)
    elif which == "due":
        statement = statement.where(FollowUp.due_at <= end_of_day(now))
    return statement.order_by(FollowUp.due_at, FollowUp.id)


def end_of_day(moment: datetime) -> datetime:
    return moment.replace(hour=23, minute=59, second=59, microsecond=0)


def queue(user, which: str = "due", limit: int = 200) -> list[tuple[FollowUp, Contact, Profile | None]]:
    """The follow-ups with their contact and caller profile, in one query."""
    followups = queue_statement(user, which).limit(limit).subquery()
    rows = db.session.execute(
        select(FollowUp, Contact, Profile)
        .join(followups, followups.c.id == FollowUp.id)
        .join(Contact, Contact.id == FollowUp.contact_id)
        .outerjoin(Profile, Profile.id == Contact.profile_id)
        .order_by(FollowUp.due_at, FollowUp.id)
    )
    return [tuple(row) for row in rows]


def referrals_to_follow(followup: FollowUp) -> list[Referral]:
    return list(db.session.scalars(select(Referral).where(Referral.contact_id == followup.contact_id)
                                   .order_by(Referral.id)))


def record_attempt(followup: FollowUp, outcomes: list[Outcome], user) -> str:
    """Records one attempt; the follow-up is done once the caller is reached, unreachable after
    the last failed attempt allowed. Returns the follow-up's new status."""
    now = utcnow()
    reached = any(outcome.reached for outcome in outcomes)
    for outcome in outcomes or [Outcome(referral_id=None, reached=False, why_not="no_answer")]:
        db.session.add(FollowUpOutcome(followup_id=followup.id, recorded_at=now, recorded_by_id=user.id,
                                       **outcome.__dict__))
        if outcome.reached and outcome.new_need_term_id:
            record_gap(followup, outcome.new_need_term_id, outcome.note, user)
        if outcome.reached and outcome.got_help is False and outcome.referral_id:
            record_unmet_referral(followup, outcome, user)
    followup.attempts += 1
    if reached:
        close(followup, DONE, now)
    elif followup.attempts >= max_attempts():
        close(followup, UNREACHABLE, now)
    db.session.flush()
    return followup.status


def close(followup: FollowUp, status: str, now: datetime) -> None:
    followup.status, followup.closed_at = status, now


def record_unmet_referral(followup: FollowUp, outcome: Outcome, user) -> None:
    from plugins.contactcenter.workflow import resource_term

    referral = db.session.get(Referral, outcome.referral_id)
    term_id = resource_term(referral.resource_id) if referral else None
    if term_id:
        record_gap(followup, term_id, outcome.note or outcome.why_not, user)


def record_gap(followup: FollowUp, term_id: int, note: str | None, user) -> None:
    """A need unmet at follow-up is a service gap of the contact (added even once the contact is
    closed: the follow-up is what found it)."""
    contact = db.session.get(Contact, followup.contact_id)
    postal_code = None
    if contact is not None and contact.profile_id:
        profile = db.session.get(Profile, contact.profile_id)
        postal_code = getattr(profile, "postal_code", None)
    db.session.add(ServiceGap(contact_id=followup.contact_id, term_id=term_id, postal_code=postal_code,
                              note=(note or "")[:2000] or None, created_by_id=getattr(user, "id", None)))


def calendar_items(owner_ids: set[int], start: datetime, end: datetime) -> list:
    """The follow-ups to do of these assignees due from ``start`` to ``end``, half an hour each."""
    from datetime import timedelta

    from flask import url_for

    from kernel.toolkit import CalendarItem
    from kernel.toolkit import gettext as _

    followups = db.session.scalars(select(FollowUp).where(FollowUp.status == DUE, FollowUp.assignee_id.in_(owner_ids),
                                                          FollowUp.due_at >= start, FollowUp.due_at < end))
    return [CalendarItem(title=_("Follow-up") + (f" — {followup.reason[:60]}" if followup.reason else ""),
                         start=followup.due_at, end=followup.due_at + timedelta(minutes=30), kind="followup",
                         url=url_for("contactcenter.work_followup", followup_id=followup.id))
            for followup in followups]
