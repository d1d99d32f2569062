"""CSV of a report: exactly the columns and cells the builder shows, in their order, streamed in
batches from one query."""

from __future__ import annotations

from collections.abc import Iterator

from kernel.db import db
from kernel.export import BATCH, stream_csv
from plugins.reports.engine import MAX_GROUPS, ReportSpec, format_rows, formatters_for, plan


def report_csv(spec: ReportSpec, user, *, bom: bool = False) -> Iterator[str]:
    """Raises ``ReportError`` before the first chunk when the report cannot run."""
    checked = plan(spec, user)
    statement = checked.statement.limit(MAX_GROUPS) if spec.grouped else checked.statement
    formatters = formatters_for(checked.headings)

    def batches():
        result = db.session.connection().execute(statement.execution_options(stream_results=True))
        for partition in result.partitions(BATCH):
            yield format_rows(checked.headings, partition, formatters)

    return stream_csv([heading.label for heading in checked.headings], batches(), bom=bom)


def report_csv_bytes(spec: ReportSpec, user) -> bytes:
    return "".join(report_csv(spec, user, bom=True)).encode("utf-8")
