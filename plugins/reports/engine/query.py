"""Building the one query that answers a report: the chosen columns of the entity's records, or
their groups with the database counting, summing, averaging and taking the minimum and maximum
(``GROUP BY``, one query, whatever the number of rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from kernel.toolkit import (
    Entity,
    FieldMeta,
    db,
    entities,
    filtered,
    month_of,
    people_without_consent,
    year_of,
)
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.reports.engine.columns import Column, columns_for
from plugins.reports.engine.definition import ReportSpec

AGGREGATES = {"count": _l("Number"), "sum": _l("Sum of %(label)s"), "avg": _l("Average of %(label)s"),
              "min": _l("Minimum of %(label)s"), "max": _l("Maximum of %(label)s")}
GRANULARITIES = {"month": _l("%(label)s (month)"), "year": _l("%(label)s (year)")}


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
    excluded: int | None = None  # people left out for want of consent to statistics


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
    base, excluded = _without_people_who_refused(spec, entity, base)
    if spec.grouped:
        headings, statement = _grouped(spec, entity, columns, base, period)
    else:
        headings, statement = _listed(spec, entity, columns, base, period)
    return Plan(spec, entity, columns, headings, statement, base, excluded)


def _without_people_who_refused(spec, entity, base):
    """The report's rows less the people with no current consent to statistics, and how many
    that leaves out (one count); unchanged unless the report asks it of a person entity."""
    if not spec.consent or not entity.person:
        return base, None
    refused = people_without_consent(entity, spec.consent)
    if refused is None:
        return base, None
    model = entity.model
    excluded = db.reading.scalar(base.where(model.id.in_(refused)).with_only_columns(func.count())
                                 .select_from(model).order_by(None))
    return base.where(model.id.not_in(refused)), excluded or 0


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


def _measure(operation: str, value):
    if operation == "count":
        return func.count()
    if operation == "avg":
        return func.round(func.avg(value), 2)
    return getattr(func, operation)(value)
