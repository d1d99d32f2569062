"""Opening hours from HSDS schedules: weekly rules (byday, opens_at, closes_at) and holidays
(a schedule with a validity period and no hours closes the service over that period)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, or_, select

from plugins.contactcenter.models import opening_hours, schedules

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def minutes(value: str | None) -> int | None:
    """``"09:30:00"`` → 570."""
    if not value:
        return None
    parts = str(value).split(":")
    try:
        return int(parts[0]) * 60 + (int(parts[1]) if len(parts) > 1 else 0)
    except ValueError:
        return None


def weekdays_of(schedule) -> list[int]:
    days = [day.strip().upper()[-2:] for day in (schedule.get("byday") or "").split(",") if day.strip()]
    known = [WEEKDAYS.index(day) for day in days if day in WEEKDAYS]
    if known:
        return known
    return list(range(7)) if (schedule.get("freq") or "").upper() in {"WEEKLY", "DAILY", ""} else []


def is_holiday(schedule) -> bool:
    return not schedule.get("opens_at") and bool(schedule.get("valid_from"))


def opening_rows(service_id: int, service_schedules: list[dict]) -> list[dict]:
    """The rows of ``cc_opening_hours`` for one service's schedules."""
    rows = []
    for schedule in service_schedules:
        opens, closes = minutes(schedule.get("opens_at")), minutes(schedule.get("closes_at"))
        if opens is None or closes is None or closes <= opens:
            continue
        for weekday in weekdays_of(schedule):
            rows.append({"service_id": service_id, "weekday": weekday, "opens": opens, "closes": closes,
                         "valid_from": schedule.get("valid_from"), "valid_to": schedule.get("valid_to")})
    return rows


def open_at_condition(service_id_column, moment: datetime):
    """SQL: the service has hours covering ``moment`` and no holiday that day; one probe of an index
    per service (most services open at a given hour: a list of them would be long to build)."""
    day, minute = moment.date(), moment.hour * 60 + moment.minute
    hours = select(opening_hours.c.service_id).where(
        opening_hours.c.service_id == service_id_column, opening_hours.c.weekday == moment.weekday(),
        opening_hours.c.opens <= minute, opening_hours.c.closes > minute,
        or_(opening_hours.c.valid_from.is_(None), opening_hours.c.valid_from <= day),
        or_(opening_hours.c.valid_to.is_(None), opening_hours.c.valid_to >= day),
    ).exists()
    holiday = select(schedules.c.service_id).where(
        schedules.c.service_id == service_id_column, schedules.c.opens_at.is_(None),
        schedules.c.valid_from <= day, or_(schedules.c.valid_to.is_(None), schedules.c.valid_to >= day),
    ).exists()
    return and_(hours, ~holiday)


def is_open(service_schedules: list[dict], moment: datetime) -> bool:
    """The same rule in Python, for result cards (schedules already loaded)."""
    day, minute = moment.date(), moment.hour * 60 + moment.minute
    if any(is_holiday(s) and _covers(s, day) for s in service_schedules):
        return False
    return any(row["weekday"] == moment.weekday() and row["opens"] <= minute < row["closes"]
               and _covers(row, day) for row in opening_rows(0, service_schedules))


def _covers(row, day: date) -> bool:
    start, end = row.get("valid_from"), row.get("valid_to")
    return (start is None or start <= day) and (end is None or end >= day)


def hours_text(service_schedules: list[dict]) -> list[str]:
    """``["MO–FR 09:00–17:00", …]`` for display."""
    lines = []
    for schedule in service_schedules:
        if schedule.get("opens_at") and schedule.get("closes_at"):
            days = ",".join(WEEKDAYS[day] for day in weekdays_of(schedule))
            lines.append(f"{days} {str(schedule['opens_at'])[:5]}–{str(schedule['closes_at'])[:5]}")
    return lines


def schedules_query(service_ids):
    return select(schedules).where(schedules.c.service_id.in_(service_ids))
