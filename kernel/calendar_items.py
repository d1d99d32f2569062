"""Items other modules put on a user's calendar (``passerelle_calendar_items``): the calendar shows
them read-only, linked to the page where they are worked (a follow-up, a hearing…)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarItem:
    """``start`` and ``end`` in UTC like every stored moment; ``url`` the page that opens on click."""

    title: str
    start: datetime
    end: datetime
    url: str
    kind: str = "other"
