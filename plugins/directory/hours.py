"""Opening hours from HSDS schedules: weekly rules (byday, opens_at, closes_at) and holidays
(a schedule with a validity period and no hours closes the service over that period)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel.dates import get_day_names
from flask_babel import get_locale
from sqlalchemy import and_, or_, select

from kernel.toolkit import gettext as _
from plugins.directory.models import opening_hours, schedules

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
    """The rows of ``directory_opening_hours`` for one service's schedules."""
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


def hours_text(service_schedules: list[dict], language: str | None = None) -> list[str]:
    """The weekly hours in the reader's language (``hours_language()``, which a page of cards
    asks once): ``["Mon–Fri, 11 am–1 pm"]``, ``["lun. au ven., 11 h à 13 h"]``; schedules with the
    same hours are told once."""
    days_by_hours: dict[tuple[int, int], set[int]] = {}
    for schedule in service_schedules:
        opens, closes = minutes(schedule.get("opens_at")), minutes(schedule.get("closes_at"))
        if opens is not None and closes is not None and not is_holiday(schedule):
            days_by_hours.setdefault((opens, closes), set()).update(weekdays_of(schedule))
    language = language or hours_language()
    on_days = [(hours, days) for hours, days in days_by_hours.items() if days]  # a monthly rule has no weekday
    return [_("%(days)s, %(opens)s–%(closes)s", days=days_text(sorted(days), language),
              opens=time_text(opens, language), closes=time_text(closes, language))
            for (opens, closes), days in sorted(on_days, key=lambda item: (min(item[1]), item[0]))]


def hours_language() -> str:
    return str(get_locale() or "en")


def days_text(days: list[int], language: str) -> str:
    """``[0, 1, 2, 3, 4]`` → "Mon–Fri" / "lun. au ven."; runs of three days or more are ranges."""
    if len(days) == 7:
        return _("Every day of the week")
    names = abbreviated_day_names(language)
    parts, run = [], [days[0]]
    for day in days[1:] + [None]:
        if day is not None and day == run[-1] + 1:
            run.append(day)
            continue
        if len(run) >= 3:
            parts.append(_("%(first)s–%(last)s", first=names[run[0]], last=names[run[-1]]))
        else:
            parts.extend(names[one] for one in run)
        run = [day]
    return ", ".join(parts)


@cache  # babel reads its locale data again on every call
def abbreviated_day_names(language: str) -> dict[int, str]:
    return dict(get_day_names("abbreviated", locale=language))


def time_text(minute_of_day: int, language: str) -> str:
    """570 → "9:30 am" / "9 h 30"; 780 → "1 pm" / "13 h"."""
    hour, minute = divmod(minute_of_day, 60)
    if language.startswith("fr"):
        return f"{hour} h {minute:02d}" if minute else f"{hour} h"
    suffix = "am" if hour % 24 < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}:{minute:02d} {suffix}" if minute else f"{twelve} {suffix}"


def schedules_query(service_ids):
    return select(schedules).where(schedules.c.service_id.in_(service_ids))
