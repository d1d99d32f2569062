"""The activities panel of a client, contact or partner: what is late (open tasks past their due
date, on the user's date), what is coming (calls and meetings not over yet, open tasks) and what is done (past calls and meetings, completed tasks, notes), with
"Schedule a call", "Schedule a meeting", "Create a task" and "Add a note" linked to the record.
It stands for the kernel's four linked-record panels of calls, meetings, tasks and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache

from flask import url_for
from sqlalchemy import bindparam

from kernel.toolkit import Panel, clock, entities, utcnow
from kernel.toolkit import lazy_gettext as _l
from plugins.activities.models import OPEN_TASK_STATUSES, Call, Meeting, Note, Task

SHOWN = 10
KINDS = ("call", "meeting", "task", "note")


@dataclass
class Item:
    kind: str
    plural: str
    record: object
    when: datetime | date | None

    def is_overdue(self, today: date) -> bool:
        return self.kind == "task" and self.when is not None and self.when < today

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.when, datetime):
            return self.when
        return datetime.combine(self.when, time.max) if self.when else datetime.max


def _items(kind: str, plural: str, records, when) -> list[Item]:
    return [Item(kind, plural, record, when(record)) for record in records]


def upcoming_reads(link, now) -> dict:
    """What is coming, one limited read per kind (sent with the page's other reads)."""
    call, meeting, task = (entities().get(name) for name in ("call", "meeting", "task"))
    return {
        "upcoming_calls": call.active().where(Call.related_to == link, Call.start >= now).order_by(Call.start),
        "upcoming_meetings": meeting.active().where(Meeting.related_to == link, Meeting.end >= now)
        .order_by(Meeting.start),
        "open_tasks": task.active().where(Task.related_to == link, Task.status.in_(OPEN_TASK_STATUSES))
        .order_by(Task.due_date.is_(None), Task.due_date),
    }


def history_reads(link, now) -> dict:
    call, meeting, task, note = (entities().get(name) for name in KINDS)
    return {
        "past_calls": call.active().where(Call.related_to == link, Call.start < now).order_by(Call.start.desc()),
        "past_meetings": meeting.active().where(Meeting.related_to == link, Meeting.end < now)
        .order_by(Meeting.start.desc()),
        "completed_tasks": task.active().where(Task.related_to == link, Task.status == "completed")
        .order_by(Task.updated_at.desc()),
        "notes": note.active().where(Note.related_to == link).order_by(Note.created_at.desc()),
    }


def upcoming(found: dict) -> list[Item]:
    items = _items("call", "calls", found["upcoming_calls"], lambda record: record.start)
    items += _items("meeting", "meetings", found["upcoming_meetings"], lambda record: record.start)
    items += _items("task", "tasks", found["open_tasks"], lambda record: record.due_date)
    return sorted(items, key=lambda item: item.sort_key)[:SHOWN]


def history(found: dict) -> list[Item]:
    items = _items("call", "calls", found["past_calls"], lambda record: record.start)
    items += _items("meeting", "meetings", found["past_meetings"], lambda record: record.start)
    items += _items("task", "tasks", found["completed_tasks"], lambda record: record.updated_at)
    items += _items("note", "notes", found["notes"], lambda record: record.created_at)
    return sorted(items, key=lambda item: item.sort_key, reverse=True)[:SHOWN]


def activities_panel(entity, record, user) -> Panel:
    link = f"{entity.name}:{record.id}"
    now = utcnow()
    today = clock.today(user)
    actions = []
    if user.can("activities.create"):
        for name in KINDS:
            other = entities().get(name)
            planned = {"status": "planned"} if name in ("call", "meeting") else {}
            actions.append((other.create_label, url_for("records.create_record", plural=other.plural, related_to=link,
                                                        **planned)))

    def build(found) -> dict:
        coming = upcoming(found)
        return {"overdue": [item for item in coming if item.is_overdue(today)],
                "upcoming": [item for item in coming if not item.is_overdue(today)], "history": history(found)}

    return Panel(
        key="activities", title=_l("Activities"), template="activities/_activities_panel.html",
        context={"link": link, "labels": {name: entities().get(name).label for name in KINDS}},
        actions=actions, order=45, replaces=tuple(f"linked-{name}-related_to" for name in KINDS),
        reads=dict(_panel_reads()), build=build, params={"activities_link": link, "activities_now": now},
    )


@cache
def _panel_reads() -> dict:
    """The panel's reads, built once: the record's link and the moment are parameters."""
    link, now = bindparam("activities_link"), bindparam("activities_now")
    reads = upcoming_reads(link, now) | history_reads(link, now)
    return {name: statement.limit(SHOWN) for name, statement in reads.items()}
