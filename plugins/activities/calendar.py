"""The shared calendar: whose activities a user may see, the events of a period, the iCal feed."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from flask import url_for
from sqlalchemy import or_, select

from kernel.db import db
from plugins.activities.models import CalendarSettings, CalendarShare, Call, Meeting, MeetingInvitee, Task

COLOURS = {"call": "#2f7d32", "meeting": "#1f5fa8", "task": "#b5651d"}


# -- sharing -----------------------------------------------------------------------------------

def settings_of(user_id: int) -> CalendarSettings:
    """The user's calendar settings, created (not shared, no token) the first time."""
    settings = db.session.get(CalendarSettings, user_id)
    if settings is None:
        settings = CalendarSettings(user_id=user_id, sharing="nobody")
        db.session.add(settings)
    return settings


def chosen_viewer_ids(owner_id: int) -> set[int]:
    return set(db.session.scalars(select(CalendarShare.viewer_id).where(CalendarShare.owner_id == owner_id)))


def save_sharing(owner_id: int, sharing: str, viewer_ids: set[int]) -> None:
    settings = settings_of(owner_id)
    settings.sharing = sharing if sharing in {"nobody", "chosen", "everyone"} else "nobody"
    db.session.execute(CalendarShare.__table__.delete().where(CalendarShare.owner_id == owner_id))
    if settings.sharing == "chosen":
        for viewer_id in viewer_ids - {owner_id}:
            db.session.add(CalendarShare(owner_id=owner_id, viewer_id=viewer_id))


def visible_owner_ids(user_id: int) -> set[int]:
    """The user and every colleague who shares their calendar with them."""
    shared_with_all = select(CalendarSettings.user_id).where(CalendarSettings.sharing == "everyone")
    shared_with_me = (
        select(CalendarShare.owner_id)
        .join(CalendarSettings, CalendarSettings.user_id == CalendarShare.owner_id)
        .where(CalendarShare.viewer_id == user_id, CalendarSettings.sharing == "chosen")
    )
    return {user_id} | set(db.session.scalars(shared_with_all.union(shared_with_me)))


def new_token(user_id: int) -> str:
    settings = settings_of(user_id)
    settings.ical_token = secrets.token_urlsafe(32)
    return settings.ical_token


def user_id_for_token(token: str) -> int | None:
    return db.session.scalar(select(CalendarSettings.user_id).where(CalendarSettings.ical_token == token))


# -- events ------------------------------------------------------------------------------------

def to_utc_naive(text: str) -> datetime:
    """An ISO date or date-time from the browser → naive UTC (a naive value is taken as UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def iso_utc(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def call_end(call: Call) -> datetime:
    return call.start + timedelta(minutes=call.total_minutes or 15)


LONGEST_CALL = timedelta(days=1)


def calls_between(owner_ids, start: datetime, end: datetime) -> list[Call]:
    statement = select(Call).where(
        Call.deleted_at.is_(None), Call.assigned_user_id.in_(owner_ids),
        Call.start < end, Call.start >= start - LONGEST_CALL,
    )
    return [call for call in db.session.scalars(statement) if call_end(call) > start]


def meetings_between(owner_ids, start: datetime, end: datetime) -> list[Meeting]:
    invited = select(MeetingInvitee.meeting_id).where(MeetingInvitee.user_id.in_(owner_ids))
    statement = select(Meeting).where(
        Meeting.deleted_at.is_(None), Meeting.start < end, Meeting.end > start,
        or_(Meeting.assigned_user_id.in_(owner_ids), Meeting.id.in_(invited)),
    )
    return list(db.session.scalars(statement))


def tasks_between(owner_ids, start: datetime, end: datetime) -> list[Task]:
    statement = select(Task).where(
        Task.deleted_at.is_(None), Task.assigned_user_id.in_(owner_ids), Task.due_date.is_not(None),
        Task.due_date >= start.date(), Task.due_date < end.date() + timedelta(days=1),
    )
    return list(db.session.scalars(statement))


def call_event(call: Call) -> dict:
    return _event("call", call, "calls", iso_utc(call.start), iso_utc(call_end(call)))


def meeting_event(meeting: Meeting) -> dict:
    return _event("meeting", meeting, "meetings", iso_utc(meeting.start), iso_utc(meeting.end))


def task_event(task: Task) -> dict:
    event = _event("task", task, "tasks", task.due_date.isoformat(), None)
    event["allDay"] = True
    event["durationEditable"] = False
    return event


def _event(kind: str, record, plural: str, start: str, end: str | None) -> dict:
    event = {
        "id": f"{kind}:{record.id}", "title": record.subject, "start": start,
        "color": COLOURS[kind], "url": url_for("records.show_record", plural=plural, record_id=record.id),
        "extendedProps": {"kind": kind, "recordId": record.id, "version": record.version,
                          "owner": record.assigned_user_id},
    }
    if end:
        event["end"] = end
    return event


def events_between(owner_ids, start: datetime, end: datetime) -> list[dict]:
    """Every visible call, meeting and task of the period: one query per kind."""
    return (
        [call_event(call) for call in calls_between(owner_ids, start, end)]
        + [meeting_event(meeting) for meeting in meetings_between(owner_ids, start, end)]
        + [task_event(task) for task in tasks_between(owner_ids, start, end)]
    )


def rescheduled_values(kind: str, record, start: datetime, end: datetime | None) -> dict:
    """The changes a drag or resize asks for, as raw values for ``records.update``."""
    if kind == "task":
        return {"due_date": start.date().isoformat()}
    if kind == "meeting":
        end = end or start + (record.end - record.start)
        return {"start": iso_utc(start), "end": iso_utc(end)}
    values = {"start": iso_utc(start)}
    if end is not None:
        minutes = max(int((end - start).total_seconds() // 60), 1)
        values |= {"duration_hours": minutes // 60, "duration_minutes": minutes % 60}
    return values


# -- iCal --------------------------------------------------------------------------------------

FEED_PAST = timedelta(days=90)
FEED_FUTURE = timedelta(days=365)


def ical_feed(user_id: int, now: datetime) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Passerelle//Activities//EN")
    calendar.add("version", "2.0")
    owners, start, end = {user_id}, now - FEED_PAST, now + FEED_FUTURE
    for call in calls_between(owners, start, end):
        calendar.add_component(_ical_event(Event(), f"call-{call.id}", call.subject, call.start, call_end(call)))
    for meeting in meetings_between(owners, start, end):
        event = _ical_event(Event(), f"meeting-{meeting.id}", meeting.subject, meeting.start, meeting.end)
        if meeting.location:
            event.add("location", meeting.location)
        calendar.add_component(event)
    for task in tasks_between(owners, start, end):
        event = Event()
        event.add("uid", f"task-{task.id}@passerelle")
        event.add("summary", task.subject)
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + timedelta(days=1))
        calendar.add_component(event)
    return calendar.to_ical()


def _ical_event(event, uid: str, summary: str, start: datetime, end: datetime):
    event.add("uid", f"{uid}@passerelle")
    event.add("summary", summary)
    event.add("dtstart", start.replace(tzinfo=UTC))
    event.add("dtend", end.replace(tzinfo=UTC))
    event.add("dtstamp", datetime.now(UTC))
    return event

