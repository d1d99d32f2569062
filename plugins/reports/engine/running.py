"""Running a report: a page of rows (column report) or every group, sorted (grouped report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from kernel.toolkit import COUNT_CAP, count_capped, db
from kernel.toolkit import gettext as _
from plugins.reports import engine as package  # MAX_GROUPS is read there at run time: tests lower it
from plugins.reports.engine.definition import ReportSpec
from plugins.reports.engine.query import Heading, Plan, ReportError, plan
from plugins.reports.engine.rendering import format_rows

PAGE_SIZE = 100


@dataclass
class Result:
    headings: list[Heading]
    rows: list[list]  # formatted cells, as shown and exported
    total: int = 0
    total_is_exact: bool = True
    page: int = 1
    per_page: int = PAGE_SIZE
    excluded: int | None = None  # people left out for want of consent to statistics

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def planned_without_jit() -> None:
    """PostgreSQL compiles a query it estimates costly with JIT: at a province's scale (a month of
    referrals, each looked up among five million contacts) compiling took 0.5 to 2 s of a query
    that runs in 1.5 s. Reports read indexes and aggregate: they run without it."""
    if db.reading.get_bind().dialect.name == "postgresql":
        db.reading.execute(text("SET LOCAL jit = off"))


def grouped_rows(checked: Plan) -> list:
    """The groups of a grouped report, sorted by the chosen column, then by the groups."""
    planned_without_jit()
    if checked.spec.top:
        return first_groups(checked)
    rows = db.reading.execute(checked.statement.limit(package.MAX_GROUPS + 1)).all()
    if len(rows) > package.MAX_GROUPS:
        raise ReportError(_("This report has more than %(num)s groups: group by fewer or coarser fields, or "
                            "filter it.", num=f"{package.MAX_GROUPS:,}"))
    spec = checked.spec
    groups = len(spec.group_by)
    rows.sort(key=lambda row: [_sortable(value) for value in row[:groups]])
    keys = [heading.key for heading in checked.headings]
    sort_key = spec.sort.lstrip("-")
    if sort_key in keys:
        position = keys.index(sort_key)
        rows.sort(key=lambda row: _sortable(row[position]), reverse=spec.sort.startswith("-"))
    return rows


def first_groups(checked: Plan) -> list:
    """The report's first ``spec.top`` groups in its sort order, sorted and cut by the database:
    a report by resource has a group per resource (tens of thousands at a province's scale)."""
    spec = checked.spec
    columns = list(checked.statement.selected_columns)
    groups = columns[:len(spec.group_by)]
    keys = [heading.key for heading in checked.headings]
    sort_key = spec.sort.lstrip("-")
    order = []
    if sort_key in keys:
        column = columns[keys.index(sort_key)]
        order.append(column.desc().nulls_last() if spec.sort.startswith("-") else column.asc().nulls_last())
    order += [group.asc().nulls_last() for group in groups]
    return db.reading.execute(checked.statement.order_by(*order).limit(spec.top)).all()


def _sortable(value) -> tuple:
    """Empty values last, as PostgreSQL sorts them."""
    return (value is None, value if value is not None else 0)


def run(spec: ReportSpec, user, *, per_page: int = PAGE_SIZE, today: date | None = None) -> tuple[Plan, Result]:
    """The page of rows (column report) or the groups (grouped report) the builder shows."""
    checked = plan(spec, user, today)
    if spec.grouped:
        rows = grouped_rows(checked)
        return checked, Result(checked.headings, format_rows(checked.headings, rows), total=len(rows),
                               per_page=max(len(rows), 1), excluded=checked.excluded)
    planned_without_jit()
    total, exact = count_capped(checked.base, COUNT_CAP)
    offset = (spec.page - 1) * per_page
    rows = db.reading.execute(checked.statement.limit(per_page).offset(offset)).all()
    return checked, Result(checked.headings, format_rows(checked.headings, rows), total=total,
                           total_is_exact=exact, page=spec.page, per_page=per_page, excluded=checked.excluded)
