"""The report engine: which columns a user may report on (``columns``), the report's definition
(``definition``, ``periods``: read from and written to a query string, like the list views), the
one query that answers it (``query``), its run (``running``) and the text of its cells and chart
(``rendering``).

A column report selects the chosen columns of the entity's records; a grouped report groups them
by one or two columns and lets the database count, sum, average and take the minimum and maximum
(``GROUP BY``, one query, whatever the number of rows). The names other code uses are imported
from here.
"""

from plugins.reports.engine.columns import Column, columns_for, declared_report_columns, reportable_entities
from plugins.reports.engine.definition import CHARTS, PERIOD_LABELS, ReportSpec
from plugins.reports.engine.periods import period_range
from plugins.reports.engine.query import (
    AGGREGATES,
    GRANULARITIES,
    Heading,
    Plan,
    ReportError,
    missing_columns,
    plan,
)
from plugins.reports.engine.rendering import chart_data, format_rows, formatters_for
from plugins.reports.engine.running import PAGE_SIZE, Result, grouped_rows, run

MAX_GROUPS = 5000  # a grouped report with more groups is refused; ``running`` reads it here (tests lower it)

__all__ = [
    "AGGREGATES", "CHARTS", "GRANULARITIES", "MAX_GROUPS", "PAGE_SIZE", "PERIOD_LABELS", "Column", "Heading",
    "Plan", "ReportError", "ReportSpec", "Result", "chart_data", "columns_for", "declared_report_columns",
    "format_rows", "formatters_for", "grouped_rows", "missing_columns", "period_range", "plan",
    "reportable_entities", "run",
]
