"""Calendar benchmark (issue 5): the month view with 5,000 calls, meetings and tasks, seeded.

The activities of December 2026 belong to the benchmark user and to two colleagues who share their
calendar with them (one with everyone, one with chosen colleagues); a fourth user's activities of
the same month, not shared, and the activities of the months around it, are there to be left out.
The figure is the server time of the request FullCalendar's month view makes for its events."""

from __future__ import annotations

import random
import urllib.parse
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select

from bench.harness import Bench, Figure
from kernel.db import db

SEED = 2026
IN_MONTH = 5_000          # visible to the benchmark user in December 2026
HIDDEN_IN_MONTH = 1_000   # an unshared colleague's, same month
AROUND = 10_000           # visible, in the months before and after
MONTH = date(2026, 12, 1)
# FullCalendar's month view of December 2026 in French (weeks from Monday): six weeks.
VIEW = {"start": "2026-11-30T00:00:00", "end": "2027-01-11T00:00:00", "timeZone": "America/Iqaluit"}
SUBJECTS = ["Suivi du dossier", "Rendez-vous emploi", "Appel de relance", "Atelier CV", "Point d'équipe",
            "Follow-up call", "Intake interview", "Housing search", "Francisation", "Partner meeting"]


def moment_in(rng: random.Random, first: date, days: int) -> datetime:
    day = first + timedelta(days=rng.randrange(days))
    return datetime(day.year, day.month, day.day, rng.randrange(12, 23), rng.choice([0, 15, 30, 45]))


def activity_rows(rng: random.Random, count: int, owners: list[int], first: date, days: int):
    """Calls, meetings and tasks in equal parts, at random moments of the period."""
    calls, meetings, tasks = [], [], []
    for index in range(count):
        owner, subject = rng.choice(owners), f"{rng.choice(SUBJECTS)} {index}"
        start = moment_in(rng, first, days)
        stamp = {"assigned_user_id": owner, "created_by_id": owner, "updated_by_id": owner, "version": 1,
                 "custom": {}, "search_text": subject.lower()}
        if index % 3 == 0:
            calls.append(stamp | {"subject": subject, "start": start, "duration_hours": 0, "status": "planned",
                                  "duration_minutes": rng.choice([15, 30, 45]), "direction": "outbound"})
        elif index % 3 == 1:
            meetings.append(stamp | {"subject": subject, "start": start, "status": "planned",
                                     "end": start + timedelta(minutes=rng.choice([30, 60, 90]))})
        else:
            tasks.append(stamp | {"subject": subject, "status": rng.choice(["not_started", "in_progress"]),
                                  "due_date": start.date(), "priority": "medium"})
    return calls, meetings, tasks


def generate(users) -> None:
    from plugins.activities.models import CalendarSettings, CalendarShare, Call, Meeting, MeetingInvitee, Task

    hidden, me, everyone, chosen = (user.id for user in users[:4])
    rng = random.Random(SEED)
    batches = [
        activity_rows(rng, IN_MONTH, [me, everyone, chosen], MONTH, 31),
        activity_rows(rng, HIDDEN_IN_MONTH, [hidden], MONTH, 31),
        activity_rows(rng, AROUND, [me, everyone, chosen], MONTH - timedelta(days=120), 100),
        activity_rows(rng, AROUND, [me, everyone, chosen], MONTH + timedelta(days=45), 100),
    ]
    for calls, meetings, tasks in batches:
        for model, rows in ((Call, calls), (Meeting, meetings), (Task, tasks)):
            db.session.execute(insert(model.__table__), rows)
    # a few of the hidden colleague's meetings of the month invite the benchmark user
    invited = db.session.scalars(select(Meeting.id).where(Meeting.assigned_user_id == hidden).limit(20))
    db.session.execute(insert(MeetingInvitee.__table__), [{"meeting_id": id_, "user_id": me} for id_ in invited])
    for user_id, sharing in ((hidden, "nobody"), (me, "nobody"), (everyone, "everyone"), (chosen, "chosen")):
        if db.session.get(CalendarSettings, user_id) is None:
            db.session.add(CalendarSettings(user_id=user_id, sharing=sharing))
    db.session.add(CalendarShare(owner_id=chosen, viewer_id=me))
    db.session.commit()


def ensure_data(bench: Bench) -> None:
    """Made once per database: the share between two bench users marks it (other scenarios make
    calls of their own, so counting calls does not tell)."""
    from plugins.activities.models import CalendarShare

    _hidden, me, _everyone, chosen = (user.id for user in bench.users[:4])
    if db.session.scalar(select(func.count()).select_from(CalendarShare)
                         .where(CalendarShare.owner_id == chosen, CalendarShare.viewer_id == me)):
        return
    print(f"# generating {IN_MONTH:,} activities in December 2026 and {2 * AROUND + HIDDEN_IN_MONTH:,} others …",
          flush=True)
    generate(bench.users)
    bench.analyze()


def calendar_month(bench: Bench):
    """Issue 5: the calendar's month view with 5,000 activities, p95 of the server time."""
    ensure_data(bench)
    path = "/activities/calendar/events?" + urllib.parse.urlencode(VIEW)
    events = bench.opener.open(bench.base + path).read().count(b'"kind"')
    if events < IN_MONTH:
        raise RuntimeError(f"the month view shows {events} events, expected at least {IN_MONTH}")
    yield Figure(f"calendar: month view events, {events:,} activities (p95)", bench.p95(path), "ms", 300)
