"""Reminders of calls and meetings: a notification (and an e-mail through the outbox) some
minutes before they start, sent once by the background worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, format_datetime
from sqlalchemy import select

from kernel.toolkit import db, entities, jobs, notify, queue_email, users_by_id, utcnow
from kernel.toolkit import lazy_gettext as _l
from plugins.activities.models import Call, Meeting

DEFAULT_REMINDER_MINUTES = 15
LONGEST_REMINDER = timedelta(days=7)


def default_minutes() -> int:
    return int(current_app.config.get("ACTIVITIES_REMINDER_MINUTES", DEFAULT_REMINDER_MINUTES))


def send_emails() -> bool:
    return bool(current_app.config.get("ACTIVITIES_REMINDER_EMAILS", True))


def due_reminders(model, now):
    """Activities of ``model`` whose reminder time has come and that were not reminded yet."""
    statement = select(model).where(
        model.deleted_at.is_(None), model.reminded_at.is_(None), model.assigned_user_id.is_not(None),
        model.start > now, model.start <= now + LONGEST_REMINDER,
    )
    fallback = default_minutes()
    return [record for record in db.session.scalars(statement)
            if record.start - timedelta(minutes=_minutes(record, fallback)) <= now]


def _minutes(record, fallback: int) -> int:
    return record.reminder_minutes if record.reminder_minutes is not None else fallback


def send_due_reminders(now=None) -> int:
    """The worker's job: remind the assigned users of what starts soon; returns how many. One
    worker at a time sends them (the others skip the pass), so each reminder goes once."""
    with jobs.exclusive("activities.reminders") as mine:
        return _send_due_reminders(now or utcnow()) if mine else 0


def _send_due_reminders(now) -> int:
    due = [(entities().get("call"), call) for call in due_reminders(Call, now)]
    due += [(entities().get("meeting"), meeting) for meeting in due_reminders(Meeting, now)]
    users = users_by_id({record.assigned_user_id for _entity, record in due})
    for entity, record in due:
        remind(entity, record, users.get(record.assigned_user_id), now)
    db.session.commit()
    return len(due)


def in_zone_of(user, moment: datetime) -> datetime:
    """A stored (naive UTC) moment in the user's time zone: the worker has no request to tell it."""
    zone = ZoneInfo(user.timezone or current_app.config["DEFAULT_TIMEZONE"])
    return moment.replace(tzinfo=UTC).astimezone(zone)


def remind(entity, record, user, now) -> None:
    record.reminded_at = now  # set even for an inactive user, so that nothing is tried again
    if user is None or not user.active:
        return
    message = _l("Reminder: %(what)s “%(subject)s” starts soon.", what=entity.label, subject=record.subject)
    notify(user, "reminder", message, entity, record)
    if send_emails() and user.email:
        with force_locale(user.language):
            when = format_datetime(in_zone_of(user, record.start), "short", rebase=False)
            subject = str(_l("Reminder: %(subject)s", subject=record.subject))
            body = str(_l("%(what)s “%(subject)s” starts at %(when)s.", what=entity.label,
                          subject=record.subject, when=when))
        queue_email(user.email, subject, body)
