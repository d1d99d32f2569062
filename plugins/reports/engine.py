"""The report engine: which columns a user may report on, the report's definition (read from and
written to a query string, like the list views), and the one query that answers it.

A column report selects the chosen columns of the entity's records; a grouped report groups them
by one or two columns and lets the database count, sum, average and take the minimum and maximum
(``GROUP BY``, one query, whatever the number of rows).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from urllib.parse import urlencode

from flask import g
from flask_babel import get_timezone
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from kernel import clock
from kernel.db import db
from kernel.entities import Entity, FieldMeta
from kernel.export import ReferenceTitles, value_formatter
from kernel.filters import FilterError, parse_conditions
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.listing import COUNT_CAP, count_capped, filtered
from kernel.registry import entities, plugins
from kernel.reporting import PERIOD_PRESETS, Period, month_of, year_of

NUMBER_KINDS = {"integer", "decimal"}
DATE_KINDS = {"date", "datetime"}
AGGREGATES = {"count": _l("Number"), "sum": _l("Sum of %(label)s"), "avg": _l("Average of %(label)s"),
              "min": _l("Minimum of %(label)s"), "max": _l("Maximum of %(label)s")}
GRANULARITIES = {"month": _l("%(label)s (month)"), "year": _l("%(label)s (year)")}
CHARTS = {"bar": _l("Bar chart"), "line": _l("Line chart"), "pie": _l("Pie chart")}
PERIOD_LABELS = {
    "all": _l("Any date"), "this_month": _l("This month"), "last_month": _l("Last month"),
    "this_quarter": _l("This quarter"), "last_quarter": _l("Last quarter"), "this_year": _l("This year"),
    "last_year": _l("Last year"), "last_12_months": _l("The last 12 months"),
    "last_24_months": _l("The last 24 months"), "custom": _l("Custom range"),
}
PAGE_SIZE = 100
MAX_GROUPS = 5000
CREATED_AT = FieldMeta(kind="datetime", label=_l("Created on"), name="created_at", editable=False)


@dataclass
class Column:
    """A column a report may show: a field of the entity or a plugin's ``ReportColumn``."""

    key: str
    meta: FieldMeta
    expression: object  # function(period) -> SQL expression

    @property
    def label(self) -> str:
        return str(self.meta.label)

    @property
    def groupable(self) -> bool:
        return self.meta.kind != "longtext"

    @property
    def dated(self) -> bool:
        return self.meta.kind in DATE_KINDS

    def aggregates(self) -> list[str]:
        if self.meta.kind in NUMBER_KINDS:
            return ["sum", "avg", "min", "max"]
        if self.dated:
            return ["min", "max"]
        return []


# -- columns -------------------------------------------------------------------------------

def declared_report_columns() -> list[tuple[str, object]]:
    """``(plugin name, ReportColumn)`` of every enabled plugin, collected once per request."""
    if "report_columns" not in g:
        found = []
        hook = plugins().manager.hook.passerelle_report_columns
        for impl in reversed(hook.get_hookimpls()):
            for column in impl.function() or []:
                found.append((impl.plugin_name, column))
        g.report_columns = found
    return g.report_columns


def reportable_entities(user) -> list[Entity]:
    return [entity for entity in entities() if entity.can(user, "view")]


def columns_for(entity: Entity, user) -> dict[str, Column]:
    """Every column of ``entity`` the user may see, by key, in the order they are offered."""
    columns = {}
    for name, meta in entity.fields.items():
        if meta.report:
            columns[name] = Column(name, meta, _field_expression(entity, name))
    columns["created_at"] = Column("created_at", CREATED_AT, lambda _period: entity.model.created_at)
    for plugin_name, declared in declared_report_columns():
        if declared.entity != entity.name or (declared.permission and not user.can(declared.permission)):
            continue
        key = f"{plugin_name}.{declared.name}"
        meta = FieldMeta(kind=declared.kind, label=declared.label, choices=declared.choices, target=declared.target,
                         help=declared.help, name=key, filterable=False, editable=False)
        columns[key] = Column(key, meta, declared.expression)
    return columns


def _field_expression(entity: Entity, name: str):
    return lambda _period: entity.column(name)


# -- the definition ------------------------------------------------------------------------

@dataclass
class ReportSpec:
    """What a report shows, as the builder's form and the saved report's query string say it."""

    entity: str = ""
    columns: list[str] = field(default_factory=list)
    group_by: list[str] = field(default_factory=list)  # "country_of_origin", "created_at:month"
    aggregates: list[str] = field(default_factory=list)  # "count", "sum:duration_hours"
    sort: str = ""
    period: str = "all"
    period_field: str = ""
    start: date | None = None
    end: date | None = None
    chart: str = ""
    conditions: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    page: int = 1

    @classmethod
    def from_args(cls, args) -> ReportSpec:
        spec = cls(
            entity=args.get("entity", ""),
            columns=_unique(args.getlist("columns")),
            group_by=_unique(value for value in args.getlist("group") if value)[:2],
            aggregates=_unique(args.getlist("agg")),
            sort=args.get("sort", ""),
            period=args.get("period") if args.get("period") in PERIOD_PRESETS else "all",
            period_field=args.get("period_field", ""),
            chart=args.get("chart") if args.get("chart") in CHARTS else "",
            page=_positive(args.get("page")),
        )
        spec.start, spec.end = _date(args.get("from"), spec.errors), _date(args.get("to"), spec.errors)
        if spec.group_by and not spec.aggregates:
            spec.aggregates = ["count"]
        entity = entities().get(spec.entity)
        if entity is not None:
            try:
                spec.conditions = parse_conditions(entity, args)
            except FilterError as error:
                spec.errors.update(error.errors)
        return spec

    @property
    def grouped(self) -> bool:
        return bool(self.group_by)

    @property
    def used_keys(self) -> list[str]:
        """Every column key the report needs (to check they all still exist)."""
        keys = list(self.columns) if not self.grouped else []
        keys += [group.partition(":")[0] for group in self.group_by]
        keys += [aggregate.partition(":")[2] for aggregate in self.aggregates if ":" in aggregate]
        if self.period != "all" and self.period_field:
            keys.append(self.period_field)
        return _unique(keys)

    def query_items(self, *, page: bool = False) -> list[tuple[str, str]]:
        items = [("entity", self.entity)]
        items += [("columns", key) for key in self.columns]
        items += [("group", key) for key in self.group_by]
        items += [("agg", key) for key in self.aggregates]
        for condition in self.conditions:
            items.extend(condition.query_items())
        if self.sort:
            items.append(("sort", self.sort))
        items.append(("period", self.period))
        if self.period_field:
            items.append(("period_field", self.period_field))
        if self.period == "custom":
            items += [("from", self.start.isoformat() if self.start else ""),
                      ("to", self.end.isoformat() if self.end else "")]
        if self.chart:
            items.append(("chart", self.chart))
        if page and self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def query_string(self, **overrides) -> str:
        items = [(key, value) for key, value in self.query_items() if key not in overrides]
        items += [(key, str(value)) for key, value in overrides.items() if value not in (None, "")]
        return urlencode(items)

    def period_range(self, today: date | None = None) -> Period:
        return period_range(self.period, today or clock.today(), self.start, self.end)


def _unique(values) -> list[str]:
    seen = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _positive(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _date(value, errors: dict):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors["period"] = [_("Enter dates as YYYY-MM-DD.")]
        return None


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


# -- running -------------------------------------------------------------------------------

@dataclass
class Heading:
    key: str
    label: str
    meta: FieldMeta
    group: bool = False  # a grouped report's group column: an empty value reads "(not set)"

    @property
    def cell_attributes(self) -> Markup:
        """The attributes of each of the column's cells, escaped once for the whole table."""
        return Markup('data-label="{}" class="kind-{}"').format(self.label, self.meta.kind)


@dataclass
class Result:
    headings: list[Heading]
    rows: list[list]  # formatted cells, as shown and exported
    total: int = 0
    total_is_exact: bool = True
    page: int = 1
    per_page: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class ReportError(ValueError):
    """The report cannot run as defined (a missing column, a bad choice); the message says why."""


@dataclass
class Plan:
    """A checked report: the entity, its columns and the query to run."""

    spec: ReportSpec
    entity: Entity
    columns: dict[str, Column]
    headings: list[Heading]
    statement: object
    base: object


def missing_columns(spec: ReportSpec, user) -> list[str]:
    """Keys the report uses that the user may not (or no longer) see."""
    entity = entities().get(spec.entity)
    if entity is None or not entity.can(user, "view"):
        return [spec.entity]
    available = columns_for(entity, user)
    return [key for key in spec.used_keys if key not in available]


def plan(spec: ReportSpec, user, today: date | None = None) -> Plan:
    entity = entities().get(spec.entity)
    if entity is None or not entity.can(user, "view"):
        raise ReportError(_("Choose a module."))
    columns = columns_for(entity, user)
    missing = [key for key in spec.used_keys if key not in columns]
    if missing:
        raise ReportError(_("This report uses columns that are not available: %(columns)s.",
                            columns=", ".join(missing)))
    if not spec.grouped and not spec.columns:
        raise ReportError(_("Choose at least one column, or a field to group by."))
    period = spec.period_range(today)
    base = filtered(entity, conditions=spec.conditions)
    if period.bounded:
        if spec.period_field not in columns or not columns[spec.period_field].dated:
            raise ReportError(_("Choose the date the period applies to."))
        base = base.where(period.contains(columns[spec.period_field].expression(period)))
    if spec.grouped:
        headings, statement = _grouped(spec, entity, columns, base, period)
    else:
        headings, statement = _listed(spec, entity, columns, base, period)
    return Plan(spec, entity, columns, headings, statement, base)


def _listed(spec, entity, columns, base, period):
    chosen = [columns[key] for key in spec.columns]
    selected = [column.expression(period).label(f"c{index}") for index, column in enumerate(chosen)]
    statement = base.with_only_columns(*selected).select_from(entity.model)
    sort_key = spec.sort.lstrip("-")
    descending = spec.sort.startswith("-")
    order = []
    if sort_key in spec.columns:
        target = selected[spec.columns.index(sort_key)]
        if spec.conditions or period.bounded:
            target = sorted_after_filtering(target.element)
        order.append(target.desc() if descending else target.asc())
    order.append(entity.model.id.desc() if descending else entity.model.id.asc())
    headings = [Heading(column.key, column.label, column.meta) for column in chosen]
    return headings, statement.order_by(*order)


class sorted_after_filtering(FunctionElement):  # noqa: N801 - reads as a SQL function
    """The sort column of a filtered report, written ``+column`` on SQLite.

    SQLite keeps no statistics on columns without an index, so for "clients created in the last
    month, by name" it walks the whole name index (a million look-ups) rather than filter the
    table and sort the few thousand rows found; the unary plus forbids that index for the
    ORDER BY. PostgreSQL's planner knows the column's statistics and needs no hint."""

    inherit_cache = True


@compiles(sorted_after_filtering)
def _sorted_after_filtering_sqlite(element, compiler, **kw):
    return f"+{compiler.process(element.clauses, **kw)}"


@compiles(sorted_after_filtering, "postgresql")
def _sorted_after_filtering_postgresql(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


def _grouped(spec, entity, columns, base, period):
    inner_columns, headings = [], []
    for index, group in enumerate(spec.group_by):
        key, _sep, granularity = group.partition(":")
        column = columns[key]
        expression = column.expression(period)
        if column.dated:
            granularity = granularity if granularity in GRANULARITIES else "month"
            expression = (month_of if granularity == "month" else year_of)(expression)
            meta = FieldMeta(kind="text", label=GRANULARITIES[granularity] % {"label": column.label},
                             name=group)
        elif not column.groupable:
            raise ReportError(_("The column “%(label)s” cannot be grouped on.", label=column.label))
        else:
            meta = column.meta
        inner_columns.append(expression.label(f"g{index}"))
        headings.append(Heading(group, str(meta.label), meta, group=True))
    measures = []
    for index, aggregate in enumerate(spec.aggregates):
        operation, _sep, key = aggregate.partition(":")
        if operation == "count":
            measures.append((aggregate, operation, None))
            headings.append(Heading(aggregate, str(AGGREGATES["count"]), FieldMeta(kind="integer", label="")))
            continue
        column = columns.get(key)
        if operation not in AGGREGATES or column is None or operation not in column.aggregates():
            raise ReportError(_("This summary is not offered: %(name)s.", name=aggregate))
        inner_columns.append(column.expression(period).label(f"v{index}"))
        kind = "decimal" if operation == "avg" else column.meta.kind
        label = str(AGGREGATES[operation] % {"label": column.label})
        headings.append(Heading(aggregate, label, FieldMeta(kind=kind, label=label)))
        measures.append((aggregate, operation, f"v{index}"))
    inner = base.with_only_columns(*inner_columns).select_from(entity.model).subquery("report_rows")
    groups = [inner.c[f"g{index}"] for index in range(len(spec.group_by))]
    outer = [_measure(operation, inner.c[name] if name else None).label(f"m{index}")
             for index, (_key, operation, name) in enumerate(measures)]
    # No ORDER BY: PostgreSQL then aggregates with a hash instead of sorting every row; the few
    # groups are sorted in Python (``grouped_rows``).
    return headings, select(*groups, *outer).group_by(*groups)


def grouped_rows(checked: Plan) -> list:
    """The groups of a grouped report, sorted by the chosen column, then by the groups."""
    rows = db.session.execute(checked.statement.limit(MAX_GROUPS + 1)).all()
    if len(rows) > MAX_GROUPS:
        raise ReportError(_("This report has more than %(num)s groups: group by fewer or coarser fields, or "
                            "filter it.", num=f"{MAX_GROUPS:,}"))
    spec = checked.spec
    groups = len(spec.group_by)
    rows.sort(key=lambda row: [_sortable(value) for value in row[:groups]])
    keys = [heading.key for heading in checked.headings]
    sort_key = spec.sort.lstrip("-")
    if sort_key in keys:
        position = keys.index(sort_key)
        rows.sort(key=lambda row: _sortable(row[position]), reverse=spec.sort.startswith("-"))
    return rows


def _sortable(value) -> tuple:
    """Empty values last, as PostgreSQL sorts them."""
    return (value is None, value if value is not None else 0)


def _measure(operation: str, value):
    if operation == "count":
        return func.count()
    if operation == "avg":
        return func.round(func.avg(value), 2)
    return getattr(func, operation)(value)


def run(spec: ReportSpec, user, *, per_page: int = PAGE_SIZE, today: date | None = None) -> tuple[Plan, Result]:
    """The page of rows (column report) or the groups (grouped report) the builder shows."""
    checked = plan(spec, user, today)
    if spec.grouped:
        rows = grouped_rows(checked)
        return checked, Result(checked.headings, format_rows(checked.headings, rows), total=len(rows),
                               per_page=max(len(rows), 1))
    total, exact = count_capped(checked.base, COUNT_CAP)
    offset = (spec.page - 1) * per_page
    rows = db.session.execute(checked.statement.limit(per_page).offset(offset)).all()
    return checked, Result(checked.headings, format_rows(checked.headings, rows), total=total,
                           total_is_exact=exact, page=spec.page, per_page=per_page)


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
    labels = _unique(str(row[0]) for row in result.rows)
    if groups == 1 or spec.chart == "pie":
        totals = dict.fromkeys(labels, 0)
        for row in result.rows:
            totals[str(row[0])] += float(row[groups] or 0)
        datasets = [{"label": measure.label, "data": [totals[label] for label in labels]}]
    else:
        series = _unique(str(row[1]) for row in result.rows)
        values = {(str(row[0]), str(row[1])): float(row[2] or 0) for row in result.rows}
        datasets = [{"label": name, "data": [values.get((label, name), 0) for label in labels]} for name in series]
    return {"type": spec.chart, "labels": labels, "datasets": datasets, "title": measure.label}
