"""Rendering a report's values: the text of each cell, as the table shows it and the CSV holds
it, and the data of its chart."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from flask_babel import get_timezone

from kernel.toolkit import ReferenceTitles, entities, value_formatter
from kernel.toolkit import gettext as _
from plugins.reports.engine.definition import ReportSpec, unique

if TYPE_CHECKING:
    from plugins.reports.engine.query import Heading
    from plugins.reports.engine.running import Result


def formatters_for(headings: list[Heading]) -> list:
    formatters = []
    for heading in headings:
        if heading.key.startswith("avg:"):
            formatters.append(_two_decimals)
        elif heading.meta.kind == "datetime":
            formatters.append(local_time_formatter())
        else:
            formatters.append(value_formatter(heading.meta, entities()))
    return formatters


def local_time_formatter():
    """Stored UTC date-times in the user's time zone, as the list export writes them; the zone is
    looked up once, not for each of thousands of rows."""
    zone = get_timezone()

    def local_time(value) -> str:
        return "" if value is None else value.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return local_time


def _two_decimals(value) -> str:
    """Averages read the same on every database (SQLite gives floats, PostgreSQL decimals)."""
    return "" if value is None else f"{float(value):.2f}"


def format_rows(headings: list[Heading], rows, formatters=None) -> list[list]:
    """Rows of raw values → the text of each cell, as the table shows it and the CSV holds it."""
    formatters = formatters or formatters_for(headings)
    for index, formatter in enumerate(formatters):
        if isinstance(formatter, ReferenceTitles):
            formatter.prepare(row[index] for row in rows)
    not_set = _("(not set)")
    formatted = []
    for row in rows:
        cells = []
        for heading, formatter, value in zip(headings, formatters, row, strict=True):
            if value is None and heading.group:
                cells.append(not_set)
            elif formatter is not None:
                cells.append(formatter(value))
            else:
                cells.append("" if value is None else value)
        formatted.append(cells)
    return formatted


def chart_data(spec: ReportSpec, result: Result) -> dict | None:
    """Labels and datasets for Chart.js: the first group along the axis, the second (if any) as one
    dataset per value; the first summary as the measure."""
    if not spec.grouped or not spec.chart or not result.rows:
        return None
    groups = len(spec.group_by)
    measure = result.headings[groups]
    labels = unique(str(row[0]) for row in result.rows)
    if groups == 1 or spec.chart == "pie":
        totals = dict.fromkeys(labels, 0)
        for row in result.rows:
            totals[str(row[0])] += float(row[groups] or 0)
        datasets = [{"label": measure.label, "data": [totals[label] for label in labels]}]
    else:
        series = unique(str(row[1]) for row in result.rows)
        values = {(str(row[0]), str(row[1])): float(row[2] or 0) for row in result.rows}
        datasets = [{"label": name, "data": [values.get((label, name), 0) for label in labels]} for name in series]
    return {"type": spec.chart, "labels": labels, "datasets": datasets, "title": measure.label}
