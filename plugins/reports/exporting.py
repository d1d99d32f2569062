"""CSV of a report: exactly the columns and cells the builder shows, in their order, streamed in
batches from one query."""

from __future__ import annotations

from collections.abc import Iterator

from kernel.toolkit import BATCH, stream_all, stream_csv
from plugins.reports.engine import ReportSpec, format_rows, formatters_for, grouped_rows, plan


def report_csv(spec: ReportSpec, user, *, bom: bool = False) -> Iterator[str]:
    """Raises ``ReportError`` before the first chunk when the report cannot run."""
    checked = plan(spec, user)
    formatters = formatters_for(checked.headings)
    header = [heading.label for heading in checked.headings]
    if spec.grouped:  # a few thousand groups at most, sorted as the table shows them
        return stream_csv(header, [format_rows(checked.headings, grouped_rows(checked), formatters)], bom=bom)

    def batches():
        result = stream_all(checked.statement)
        for partition in result.partitions(BATCH):
            yield format_rows(checked.headings, partition, formatters)

    return stream_csv(header, batches(), bom=bom)


def report_csv_bytes(spec: ReportSpec, user) -> bytes:
    return "".join(report_csv(spec, user, bom=True)).encode("utf-8")
