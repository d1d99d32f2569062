"""The first and last day of the period presets ("last quarter", "the last 12 months")."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from kernel.toolkit import Period


def period_range(preset: str, today: date, start: date | None = None, end: date | None = None) -> Period:
    """The first and last day of a period preset, relative to ``today``."""
    if preset == "custom":
        if start and end and end < start:
            start, end = end, start
        return Period(start, end)
    if preset == "this_month":
        return Period(today.replace(day=1), _month_end(today))
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if preset in {"this_quarter", "last_quarter"}:
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if preset == "last_quarter":
            first = _add_months(first, -3)
        return Period(first, _month_end(_add_months(first, 2)))
    if preset == "this_year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    if preset == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if preset in {"last_12_months", "last_24_months"}:
        months = 12 if preset == "last_12_months" else 24
        return Period(_add_months(today.replace(day=1), -(months - 1)), _month_end(today))
    return Period()


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
