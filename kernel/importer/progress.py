"""Progress, published outside the records' transaction, so that the import page can show it."""

from __future__ import annotations

import json

from kernel.db import utcnow
from kernel.importer.files import progress_path
from kernel.importer.jobs import RUNNING, Counters, Import, counters_of, set_job


class ProgressBoard:
    """Publishes the counters, and the import's heartbeat, in a separate short transaction (on
    PostgreSQL the records' transaction is still open; on SQLite the batch was just committed)."""

    def __init__(self, job: Import):
        self.job_id = job.id
        self.file = progress_path(job.path)  # where older versions published SQLite's progress

    def publish(self, counters: Counters) -> None:
        set_job(self.job_id, heartbeat_at=utcnow(), **counters.as_dict())

    def clear(self) -> None:
        self.file.unlink(missing_ok=True)


def current_counters(job: Import) -> Counters:
    """The job's counters, with the published progress of a running import."""
    counters = counters_of(job)
    if job.status != RUNNING:
        return counters
    try:
        published = json.loads(progress_path(job.path).read_text())
    except (OSError, ValueError):
        return counters
    return Counters(**{name: int(published.get(name, getattr(counters, name))) for name in counters.as_dict()})
