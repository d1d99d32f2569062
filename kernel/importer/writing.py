"""Writing the rows of a job through ``kernel.records`` (history, hooks), batch by batch: on
PostgreSQL in one transaction, on SQLite committed in short batches recorded in a journal."""

from __future__ import annotations

import time
from collections.abc import Callable

from marshmallow import ValidationError
from sqlalchemy import select

from kernel import importer as package  # BATCH_SIZE is read there at run time: tests lower it
from kernel import records
from kernel.db import db
from kernel.entities import Entity
from kernel.importer.files import RejectedRows
from kernel.importer.jobs import CREATE, SKIP, UPDATE, Counters, Import
from kernel.importer.journal import Journal
from kernel.importer.planning import REJECT, Planner, RowPlan, reason_text
from kernel.importer.progress import ProgressBoard
from kernel.importer.reading import CsvFile, SourceRow

SQLITE_FIRST_BATCH = 100  # rows; then sized so that a batch holds SQLite's write lock about BATCH_SECONDS
BATCH_SECONDS = 0.15


class ImportRun:
    """Writes every row of a job through ``kernel.records`` in one transaction."""

    def __init__(self, job: Import, entity: Entity, csv_file: CsvFile, user,
                 on_progress: Callable[[Counters], None] | None = None):
        self.job = job
        self.entity = entity
        self.csv_file = csv_file
        self.user = user
        self.planner = Planner(entity, job.mapping, job.duplicates)
        self.counters = Counters(total=csv_file.row_count)
        self.board = ProgressBoard(job)
        self.on_progress = on_progress
        self.line: int | None = None
        self.last_line: int | None = None  # set while the rows from ``line`` to it are written together
        self.created_ids: dict[int, int] = {}  # line of the file → id of the record it created
        self.journal = Journal(job) if db.is_sqlite else None
        self.batch_size = min(SQLITE_FIRST_BATCH, package.BATCH_SIZE) if self.journal else package.BATCH_SIZE

    def execute(self, rejected: RejectedRows) -> None:
        rows = iter(self.csv_file.rows())
        while batch := [row for _, row in zip(range(self.batch_size), rows, strict=False)]:
            started = time.monotonic()
            self.write_batch(batch, rejected)
            db.session.flush()
            if self.journal:
                self.commit_batch(time.monotonic() - started)
            db.session.expunge_all()  # flushed rows stay in the transaction, not in memory
            self.report_progress()

    def commit_batch(self, seconds: float) -> None:
        """SQLite: the batch is committed (its journal entry first), and the next batch sized to
        hold the write lock about ``BATCH_SECONDS``."""
        self.journal.write()
        db.session.commit()
        per_row = max(seconds, 0.001) / self.batch_size
        self.batch_size = min(package.BATCH_SIZE, max(10, int(BATCH_SECONDS / per_row)))

    def write_batch(self, rows: list[SourceRow], rejected: RejectedRows) -> None:
        """Decide each row in file order; new records are created together (one flush per batch),
        except that a row updating a record created earlier in the batch first has it created."""
        plans = self.planner.start_batch(rows)
        self.load_matched_records(plans)
        pending: list[RowPlan] = []
        for plan in plans:
            self.line = plan.line
            self.planner.decide(plan)
            if plan.action == UPDATE and plan.match.record_id is None:
                self.create_pending(pending)
            if plan.action == CREATE:
                pending.append(plan)
                self.planner.matcher.remember(plan.keys, line=plan.line)
            else:
                self.write_row(plan, rejected)
            self.counters.processed += 1
        self.create_pending(pending)

    def create_pending(self, pending: list[RowPlan]) -> None:
        if not pending:
            return
        self.line, self.last_line = pending[0].line, pending[-1].line
        created = records.create_many(self.entity, [plan.values for plan in pending], self.user)
        self.last_line = None
        for plan, record in zip(pending, created, strict=True):
            self.created_ids[plan.line] = record.id
            if self.journal:
                self.journal.created.append(record.id)
            self.planner.matcher.remember(plan.keys, record_id=record.id)
        self.counters.created += len(created)
        pending.clear()

    def load_matched_records(self, plans: list[RowPlan]) -> None:
        """Records that rows may update, in one query (they stay in the session's identity map)."""
        if self.job.duplicates != UPDATE:
            return
        ids = {match.record_id for plan in plans if (match := self.planner.matcher.match(plan.keys))}
        if ids:
            model = self.entity.model
            list(db.session.scalars(select(model).where(model.id.in_(ids))))

    def write_row(self, plan: RowPlan, rejected: RejectedRows) -> None:
        if plan.action == UPDATE:
            self.update(plan)
        if plan.action == SKIP:
            self.counters.skipped += 1
        elif plan.action == REJECT:
            rejected.add(plan.row.cells, reason_text(self.entity, plan.errors))
            self.counters.rejected += 1

    def update(self, plan: RowPlan) -> None:
        record_id = plan.match.record_id or self.created_ids[plan.match.line]
        record = db.session.get(self.entity.model, record_id)
        if self.journal:
            self.journal.remember_update(record)
        try:
            records.update(self.entity, record, plan.raw, self.user, partial=True)
        except ValidationError as error:
            plan.action, plan.errors = REJECT, error.messages
            return
        self.planner.matcher.remember(plan.keys, record_id=record.id)
        self.counters.updated += 1

    def report_progress(self) -> None:
        self.board.publish(self.counters)
        if self.on_progress:
            self.on_progress(self.counters)
