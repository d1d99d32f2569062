"""The shared calendar: whose activities a user may see, the events of a period, the iCal feed."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from sqlalchemy import or_, select

from kernel.toolkit import active_users, clock, db
from plugins.activities.models import (
    LONGEST_MEETING,
    SHARING_CHOICES,
    CalendarSettings,
    CalendarShare,
    Call,
    Meeting,
    MeetingInvitee,
    Task,
)

COLOURS = {"call": "#2f7d32", "meeting": "#1f5fa8", "task": "#a0561a"}  # white text on these: 4.5:1 at least (WCAG AA)
SHARING = ("nobody", "chosen", "everyone")


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
    settings.sharing = sharing if sharing in SHARING else "nobody"
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


def chosen_owners(visible: set[int], user_id: int, owner: str) -> set[int]:
    """Whose activities the calendar shows: ``"me"``, one colleague's id (nobody's when that
    colleague does not share with the user), or by default everyone visible."""
    if owner == "me":
        return {user_id}
    if owner.isdigit():
        return {int(owner)} & visible
    return visible


def sharing_context(user) -> dict:
    """What the sharing form shows; reads only (the profile page saves nothing)."""
    settings = db.session.get(CalendarSettings, user.id)
    token = settings.ical_token if settings else None
    return {
        "sharing": settings.sharing if settings else "nobody", "choices": SHARING_CHOICES,
        "chosen": chosen_viewer_ids(user.id),
        "colleagues": [colleague for colleague in active_users() if colleague.id != user.id],
        "feed_url": url_for("activities.ical_feed", token=token, _external=True) if token else None,
    }


def new_token(user_id: int) -> str:
    settings = settings_of(user_id)
    settings.ical_token = secrets.token_urlsafe(32)
    return settings.ical_token


def user_id_for_token(token: str) -> int | None:
    return db.session.scalar(select(CalendarSettings.user_id).where(CalendarSettings.ical_token == token))


# -- events ------------------------------------------------------------------------------------
# The calendar shows every date in the user's time zone (the profile's, else DEFAULT_TIMEZONE), so
# that everyone in the organisation sees a meeting at the same hour whatever their browser says.
# FullCalendar is given that zone by name: it sends and receives wall-clock times without offset.

def user_zone() -> ZoneInfo:
    return clock.local_zone()


def to_local_naive(text: str, zone: ZoneInfo) -> datetime:
    """An ISO date or date-time from the browser → wall-clock time in ``zone``. A time without
    offset is already wall-clock time; one with an offset (or Z) is converted."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone).replace(tzinfo=None)
    return moment


def local_to_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def call_end(call) -> datetime:
    minutes = (call.duration_hours or 0) * 60 + (call.duration_minutes or 0)
    return call.start + timedelta(minutes=minutes or 15)


LONGEST_CALL = timedelta(days=1)
# only what an event needs: a month holds thousands of them
CALL_COLUMNS = (Call.id, Call.subject, Call.start, Call.duration_hours, Call.duration_minutes, Call.version)
MEETING_COLUMNS = (Meeting.id, Meeting.subject, Meeting.start, Meeting.end, Meeting.location, Meeting.version)
TASK_COLUMNS = (Task.id, Task.subject, Task.due_date, Task.version)


def calls_between(owner_ids, start: datetime, end: datetime) -> list:
    """Rows of the visible calls overlapping [start, end) (naive UTC)."""
    statement = select(*CALL_COLUMNS).where(
        Call.deleted_at.is_(None), Call.assigned_user_id.in_(owner_ids),
        Call.start < end, Call.start >= start - LONGEST_CALL,
    )
    return [call for call in db.session.execute(statement) if call.start >= start or call_end(call) > start]


def meetings_between(owner_ids, start: datetime, end: datetime) -> list:
    """Rows of the meetings overlapping [start, end) that the owners hold or are invited to."""
    invited = select(MeetingInvitee.meeting_id).where(MeetingInvitee.user_id.in_(owner_ids))
    statement = select(*MEETING_COLUMNS).where(
        Meeting.deleted_at.is_(None), Meeting.start < end, Meeting.start > start - LONGEST_MEETING, Meeting.end > start,
        or_(Meeting.assigned_user_id.in_(owner_ids), Meeting.id.in_(invited)),
    )
    return list(db.session.execute(statement))


def tasks_between(owner_ids, first_day: date, last_day: date) -> list:
    """Rows of the visible tasks due from ``first_day`` to ``last_day`` included."""
    statement = select(*TASK_COLUMNS).where(
        Task.deleted_at.is_(None), Task.assigned_user_id.in_(owner_ids),
        Task.due_date >= first_day, Task.due_date <= last_day,
    )
    return list(db.session.execute(statement))


def record_urls() -> dict[str, str]:
    """``{"call": "/calls/{}", …}``: where an event leads, completed by the page with its id."""
    return {kind: url_for("records.show_record", plural=plural, record_id=0)[:-1] + "{}"
            for kind, plural in (("call", "calls"), ("meeting", "meetings"), ("task", "tasks"))}


def events_between(owner_ids, start: datetime, end: datetime, zone: ZoneInfo) -> list[dict]:
    """Every visible call, meeting and task from ``start`` to ``end`` (wall-clock times in
    ``zone``), as FullCalendar events in that zone: one query per kind. Each event carries its
    kind, id and version (FullCalendar keeps them in ``extendedProps``); the page derives its
    colour and address from them (a month holds thousands of events: every byte counts)."""
    utc_start, utc_end = local_to_utc(start, zone), local_to_utc(end, zone)
    local_times = {}

    def wall_clock(moment: datetime) -> str:
        """The moment in the user's zone, without offset; many activities share a start or an
        end, so each distinct moment is converted once."""
        text = local_times.get(moment)
        if text is None:
            text = local_times[moment] = moment.replace(tzinfo=UTC).astimezone(zone).isoformat()[:19]
        return text

    events = [
        {"title": call.subject, "start": wall_clock(call.start), "end": wall_clock(call_end(call)),
         "kind": "call", "recordId": call.id, "version": call.version}
        for call in calls_between(owner_ids, utc_start, utc_end)
    ]
    events += [
        {"title": meeting.subject, "start": wall_clock(meeting.start), "end": wall_clock(meeting.end),
         "kind": "meeting", "recordId": meeting.id, "version": meeting.version}
        for meeting in meetings_between(owner_ids, utc_start, utc_end)
    ]
    last_day = (end - timedelta(microseconds=1)).date()
    events += [
        {"title": task.subject, "start": task.due_date.isoformat(), "allDay": True,
         "kind": "task", "recordId": task.id, "version": task.version}
        for task in tasks_between(owner_ids, start.date(), last_day)
    ]
    return events


def other_modules_items(owner_ids, start: datetime, end: datetime, zone: ZoneInfo) -> list[dict]:
    """What other modules put on these calendars (passerelle_calendar_items), read-only; the
    calendar page shows them, the API's events stay calls, meetings and tasks."""
    from kernel.toolkit import enabled_plugins

    utc_start, utc_end = local_to_utc(start, zone), local_to_utc(end, zone)

    def wall_clock(moment: datetime) -> str:
        return moment.replace(tzinfo=UTC).astimezone(zone).isoformat()[:19]

    return [{"title": item.title, "start": wall_clock(item.start), "end": wall_clock(item.end), "kind": item.kind,
             "url": item.url, "editable": False}
            for item in enabled_plugins().collect("passerelle_calendar_items", owner_ids=set(owner_ids),
                                                  start=utc_start, end=utc_end)]


def dropped_start(kind: str, record, text: str, zone: ZoneInfo) -> datetime:
    """Where a drag puts an activity's start, as wall-clock time in ``zone``. A bare date (a day of
    the month view, the all-day row) keeps a call's or meeting's time of day."""
    start = to_local_naive(text, zone)
    if kind != "task" and len(text) == len("2026-01-31"):
        start = datetime.combine(start.date(), record.start.replace(tzinfo=UTC).astimezone(zone).time())
    return start


def period_events(user_id: int, args, zone: ZoneInfo, other_modules: bool = False) -> list[dict]:
    """The events the calendar asks for: ``start`` and ``end`` of the period, ``owner`` (see
    ``chosen_owners``). KeyError or ValueError when the period is missing or not a date."""
    start, end = to_local_naive(args["start"], zone), to_local_naive(args["end"], zone)
    owners = chosen_owners(visible_owner_ids(user_id), user_id, args.get("owner", ""))
    if other_modules:
        return events_between(owners, start, end, zone) + other_modules_items(owners, start, end, zone)
    return events_between(owners, start, end, zone)


def rescheduled_values(kind: str, record, start: datetime, end: datetime | None) -> dict:
    """The changes a drag or resize asks for, as raw values for ``records.update``. ``start`` and
    ``end`` are wall-clock times in the user's zone, which the kernel's date-time fields expect."""
    if kind == "task":
        return {"due_date": start.date().isoformat()}
    if kind == "meeting":
        end = end or start + (record.end - record.start)
        return {"start": start.isoformat(), "end": end.isoformat()}
    values = {"start": start.isoformat()}
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
    for task in tasks_between(owners, start.date(), end.date()):
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

