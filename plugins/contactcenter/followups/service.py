"""Scheduling and working follow-ups: the queue's filters, each attempt's outcomes, unreachable
after too many failed attempts, and the unmet needs turned into service gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import literal, select

from kernel.toolkit import User, consents_kept, db, entities, people_without_consent, utcnow
from plugins.contactcenter.followups.models import (
    ATTEMPTED,
    CANCELLED,
    CANCELLED_EVENT,
    DONE,
    DUE,
    EDITED,
    SCHEDULED,
    UNREACHABLE,
    FollowUp,
    FollowUpChange,
    FollowUpOutcome,
)
from plugins.contactcenter.models import CHANNELS, Contact, Profile, Referral, ServiceGap

DEFAULT_MAX_ATTEMPTS = 3
QUEUE_FILTERS = ("due", "mine", "overdue", "all")
PURPOSE = "follow_up_calls"  # kernel.consent.FOLLOW_UP_CALLS
PROFILE_ENTITY = "caller_profile"
REASON_MAX = 2000
EDITABLE = ("due_at", "channel", "reason", "assignee_id")
# what the caller's consent to follow-up calls is, for one follow-up or a contact
ANONYMOUS, GIVEN, MISSING, NOT_KEPT = "anonymous", "given", "missing", "not_kept"


class FollowUpRefused(ValueError):
    """A follow-up that cannot be scheduled, changed or worked as asked (the message is
    translated; ``field`` names the input at fault, when one is)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


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


def consent_state(profile_id: int | None, ticked: bool = False) -> str:
    """The caller's consent to follow-up calls: ``anonymous`` (no profile), ``given`` or
    ``missing`` (the consents a plugin keeps, privacy's), ``not_kept`` when no enabled plugin
    keeps consents (then the agent's tick, ``ticked``, is the consent: ``given``)."""
    if not profile_id:
        return ANONYMOUS
    without = profiles_without_consent()
    if without is None:
        return GIVEN if ticked else NOT_KEPT
    missing = db.session.scalar(select(literal(True)).where(Profile.id == profile_id, Profile.id.in_(without)))
    return MISSING if missing else GIVEN


def profiles_without_consent():
    """A ``SELECT`` of the ids of caller profiles with no current consent to follow-up calls, or
    ``None`` when no enabled plugin keeps consents."""
    entity = entities().get(PROFILE_ENTITY)
    if entity is None or not consents_kept():
        return None
    return people_without_consent(entity, PURPOSE)


def without_consent_among(profile_ids) -> set[int]:
    """Which of these profiles have no current consent to follow-up calls (one query)."""
    ids = {profile_id for profile_id in profile_ids if profile_id}
    without = profiles_without_consent() if ids else None
    if without is None:
        return set()
    return set(db.session.scalars(select(Profile.id).where(Profile.id.in_(ids), Profile.id.in_(without))))


def consent_refusal(state: str) -> str | None:
    from kernel.toolkit import gettext as _

    if state == ANONYMOUS:
        return _("This caller is anonymous (no caller profile): a follow-up needs a profile and the caller's "
                 "consent to be contacted again. Find or create their profile first.")
    if state == MISSING:
        return _("The caller has no current consent to follow-up calls: record their consent first. Nothing was "
                 "saved.")
    if state == NOT_KEPT:
        return _("The caller must agree to be contacted again.")
    return None


def schedule(contact: Contact, user, *, due_at: datetime, channel: str, reason: str, consent: bool = False,
             assignee_id: int | None = None) -> FollowUp:
    """A follow-up of ``contact``, only with its caller's current consent to follow-up calls
    (``consent``: the agent's tick, which counts only where no plugin keeps consents)."""
    values = checked_values({"due_at": due_at, "channel": channel, "reason": reason,
                             "assignee_id": assignee_id or user.id})
    if refusal := consent_refusal(consent_state(contact.profile_id, consent)):
        raise FollowUpRefused(refusal, "consent")
    followup = FollowUp(contact_id=contact.id, consent_to_contact=True, status=DUE, attempts=0,
                        created_at=utcnow(), created_by_id=user.id, **values)
    db.session.add(followup)
    db.session.flush()
    note_change(followup, SCHEDULED, user)
    return followup


def checked_values(values: dict) -> dict:
    """The editable values, checked (``FollowUpRefused`` names the first one at fault)."""
    from kernel.toolkit import gettext as _

    checked = {}
    for name, value in values.items():
        if name == "due_at":
            if not isinstance(value, datetime) or not 2000 <= value.year <= 2999:
                raise FollowUpRefused(_("Give a valid date and time."), name)
        elif name == "channel":
            if value not in CHANNELS.values():
                raise FollowUpRefused(_("Choose a channel from the list."), name)
        elif name == "reason":
            value = (value or "").strip()
            if len(value) > REASON_MAX:
                raise FollowUpRefused(_("At most %(max)s characters.", max=REASON_MAX), name)
        elif name == "assignee_id":
            if not may_be_assigned(value):
                raise FollowUpRefused(_("Choose an active colleague of the contact centre."), name)
        else:
            continue
        checked[name] = value
    return checked


def may_be_assigned(user_id) -> bool:
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**31:
        return False
    user = db.session.get(User, user_id)
    return user is not None and user.active and user.can("contactcenter.view")


def assignable_users() -> list:
    from kernel.toolkit import active_users

    return [user for user in active_users() if user.can("contactcenter.view")]


def refuse_unless_due(followup: FollowUp) -> None:
    from kernel.toolkit import gettext as _

    if followup.status != DUE:
        raise FollowUpRefused(_("This follow-up is already closed."), "status")


def edit(followup: FollowUp, user, values: dict) -> dict:
    """Changes the follow-up's date, channel, reason or assignee; returns ``{field: (old, new)}``
    of what changed, each in the follow-up's history."""
    refuse_unless_due(followup)
    changes = {}
    for name, value in checked_values({name: values[name] for name in EDITABLE if name in values}).items():
        old = getattr(followup, name)
        if old != value:
            changes[name] = (old, value)
            setattr(followup, name, value)
    for name, (old, new) in changes.items():
        note_change(followup, EDITED, user, name, old, new)
    db.session.flush()
    return changes


def cancel(followup: FollowUp, user, reason: str) -> None:
    """Cancels a follow-up to do, with the reason: it leaves the queue, the calendar and the
    dashlet; its history says who cancelled it and why."""
    from kernel.toolkit import gettext as _

    refuse_unless_due(followup)
    reason = (reason or "").strip()
    if not reason:
        raise FollowUpRefused(_("Say why the follow-up is cancelled."), "cancel_reason")
    if len(reason) > REASON_MAX:
        raise FollowUpRefused(_("At most %(max)s characters.", max=REASON_MAX), "cancel_reason")
    close(followup, CANCELLED, utcnow())
    followup.cancel_reason = reason
    note_change(followup, CANCELLED_EVENT, user, "cancel_reason", None, reason)
    db.session.flush()


def work_refusal(followup: FollowUp, contact: Contact | None) -> str | None:
    """Why this follow-up may not be worked now: closed, or its caller's consent withdrawn."""
    from kernel.toolkit import gettext as _

    if followup.status != DUE:
        return _("This follow-up is already closed.")
    profile_id = contact.profile_id if contact is not None else None
    if profile_id and consent_state(profile_id, True) == MISSING:
        return _("The caller withdrew their consent to follow-up calls: this follow-up cannot be worked. "
                 "Cancel it.")
    return None


def note_change(followup: FollowUp, action: str, user, field: str | None = None, old=None, new=None) -> None:
    db.session.add(FollowUpChange(followup_id=followup.id, action=action, field=field, old_value=as_text(old),
                                  new_value=as_text(new), user_id=getattr(user, "id", None), changed_at=utcnow()))


def as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return str(value)


def history_of(followup: FollowUp) -> list[FollowUpChange]:
    return list(db.session.scalars(select(FollowUpChange).where(FollowUpChange.followup_id == followup.id)
                                   .order_by(FollowUpChange.changed_at.desc(), FollowUpChange.id.desc())))


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
    note_change(followup, ATTEMPTED, user, "attempts", followup.attempts - 1, followup.attempts)
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
