"""What plugins declare for reports: extra columns (related data, computed values) and standard
reports, plus the small SQL helpers those declarations need on SQLite and PostgreSQL alike.

The report builder itself is the ``reports`` plugin; these declarations live in the kernel so that
any plugin can offer columns and standard reports without requiring it (see ``docs/reports.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import DateTime, String, and_, cast, literal, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from kernel.choices import ChoiceList


@dataclass(frozen=True)
class Period:
    """The report's period: both ends included, either may be open (``None``)."""

    start: date | None = None
    end: date | None = None

    def contains(self, column):
        """A condition keeping the rows whose date or date-time ``column`` falls in the period."""
        clauses = []
        if isinstance(getattr(column, "type", None), DateTime):
            if self.start is not None:
                clauses.append(column >= datetime.combine(self.start, time.min))
            if self.end is not None:
                clauses.append(column < datetime.combine(self.end + timedelta(days=1), time.min))
        else:  # dates compare with dates: SQLite keeps them as text
            if self.start is not None:
                clauses.append(column >= self.start)
            if self.end is not None:
                clauses.append(column <= self.end)
        return and_(*clauses) if clauses else true()

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass
class ReportColumn:
    """A report column that is not a plain field of the entity.

    ``expression(period)`` returns one SQL expression correlated with the entity's model (for
    instance a scalar subquery ``select(func.count()).where(Call.related_to == related_key(
    "client", Client.id), period.contains(Call.start)).scalar_subquery()``). ``kind`` is a
    ``field()`` kind and decides how values are shown and exported, whether the column can be
    grouped on, and which aggregates apply (sum and average on numbers). ``permission`` is what a
    user needs besides the entity's own ``<prefix>.view`` (usually the view permission of the
    module the data comes from).
    """

    entity: str
    name: str
    label: object
    expression: Callable[[Period], object]
    kind: str = "integer"
    permission: str | None = None
    choices: ChoiceList | None = None
    target: str | None = None  # table of a "reference" kind
    help: object = None


@dataclass
class StandardReport:
    """A ready-made report. ``columns`` name fields or report columns (``<plugin>.<name>``);
    ``group_by`` one or two of them (a date or date-time with ``:month`` or ``:year``);
    ``aggregates`` are ``"count"`` or ``"sum:<column>"``, ``"avg:…"``, ``"min:…"``, ``"max:…"``;
    ``period`` a preset of ``kernel.reporting.PERIOD_PRESETS`` applied to ``period_field``;
    ``filters`` a list filter query (``"file_status__in=open"``); ``chart`` bar, line or pie.
    ``top`` keeps only the first groups in the report's ``sort`` order (``sort="-count", top=100``:
    the hundred largest), for a grouping with more groups than a report shows (one per resource)."""

    key: str
    title: object
    entity: str
    description: object = ""
    columns: list[str] = field(default_factory=list)
    group_by: list[str] = field(default_factory=list)
    aggregates: list[str] = field(default_factory=list)
    period: str = "all"
    period_field: str | None = None
    filters: str = ""
    sort: str = ""
    chart: str = ""
    top: int = 0


PERIOD_PRESETS = ("all", "this_month", "last_month", "this_quarter", "last_quarter", "this_year", "last_year",
                  "last_12_months", "last_24_months", "custom")


def related_key(entity_name: str, id_column):
    """``"client:" || clients.id``: the value a "related to" field holds for a record, to correlate
    a subquery with the report's rows (the related-to column is indexed)."""
    return literal(f"{entity_name}:") + cast(id_column, String)


class month_of(FunctionElement):  # noqa: N801 - reads as a SQL function
    """``"2025-03"`` from a date or date-time, computed by the database."""

    type = String()
    inherit_cache = True


@compiles(month_of)
def _month_sqlite(element, compiler, **kw):
    # SQLite keeps dates and date-times as ISO text: the first 7 characters are the month, and
    # cutting them is much cheaper than strftime() on a million rows.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(month_of, "postgresql")
def _month_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class year_of(FunctionElement):  # noqa: N801
    """``"2025"`` from a date or date-time, computed by the database."""

    type = String()
    inherit_cache = True


@compiles(year_of)
def _year_sqlite(element, compiler, **kw):
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 4)"


@compiles(year_of, "postgresql")
def _year_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY')"


class joined_text(FunctionElement):  # noqa: N801
    """The values of a subquery's column joined with ", " (an aggregate: ``group_concat`` on
    SQLite, ``string_agg`` on PostgreSQL), for columns such as "a client's programmes"."""

    type = String()
    inherit_cache = True


@compiles(joined_text)
def _joined_sqlite(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ', ')"


@compiles(joined_text, "postgresql")
def _joined_postgresql(element, compiler, **kw):
    return f"string_agg(CAST({compiler.process(element.clauses, **kw)} AS TEXT), ', ')"


__all__ = ["PERIOD_PRESETS", "Period", "ReportColumn", "StandardReport", "joined_text", "month_of",
           "related_key", "year_of"]
