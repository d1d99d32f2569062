"""A report's definition, read from and written to a query string, like the list views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from kernel.toolkit import PERIOD_PRESETS, FilterError, Period, clock, entities, parse_conditions
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.reports.engine.periods import period_range

CONSENT_STATISTICS = "statistics"  # the consent purpose a report may require of the people it counts
CHARTS = {"bar": _l("Bar chart"), "line": _l("Line chart"), "pie": _l("Pie chart")}
PERIOD_LABELS = {
    "all": _l("Any date"), "this_month": _l("This month"), "last_month": _l("Last month"),
    "this_quarter": _l("This quarter"), "last_quarter": _l("Last quarter"), "this_year": _l("This year"),
    "last_year": _l("Last year"), "last_12_months": _l("The last 12 months"),
    "last_24_months": _l("The last 24 months"), "custom": _l("Custom range"),
}


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
    consent: str = ""  # "statistics": leave out the people who did not consent to statistics
    top: int = 0  # a grouped report: only its first groups in the sort order (``StandardReport.top``)

    @classmethod
    def from_args(cls, args) -> ReportSpec:
        spec = cls(
            entity=args.get("entity", ""),
            columns=unique(args.getlist("columns")),
            group_by=unique(value for value in args.getlist("group") if value)[:2],
            aggregates=unique(args.getlist("agg")),
            sort=args.get("sort", ""),
            period=args.get("period") if args.get("period") in PERIOD_PRESETS else "all",
            period_field=args.get("period_field", ""),
            chart=args.get("chart") if args.get("chart") in CHARTS else "",
            page=_positive(args.get("page")),
            consent=CONSENT_STATISTICS if args.get("consent") == CONSENT_STATISTICS else "",
            top=_top(args.get("top")),
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
        return unique(keys)

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
        if self.consent:
            items.append(("consent", self.consent))
        if self.top:
            items.append(("top", str(self.top)))
        if page and self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def query_string(self, **overrides) -> str:
        items = [(key, value) for key, value in self.query_items() if key not in overrides]
        items += [(key, str(value)) for key, value in overrides.items() if value not in (None, "")]
        return urlencode(items)

    def period_range(self, today: date | None = None) -> Period:
        return period_range(self.period, today or clock.today(), self.start, self.end)


def unique(values) -> list[str]:
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


def _top(value) -> int:
    """``top=`` of the query string: a number of groups, at most ``MAX_GROUPS``; anything else none."""
    from plugins.reports import engine

    try:
        top = int(value)
    except (TypeError, ValueError):
        return 0
    return min(top, engine.MAX_GROUPS) if top > 0 else 0


def _date(value, errors: dict):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors["period"] = [_("Enter dates as YYYY-MM-DD.")]
        return None
