"""The journal of a SQLite import, whose rows are committed batch after batch: what each batch
did, so that a failed or killed import can be undone."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator

from kernel.config import private_opener
from kernel.db import db
from kernel.duplicates import DuplicateKey
from kernel.importer.files import journal_path
from kernel.importer.jobs import Import, entity_of


class Journal:
    """What the committed batches of a SQLite import did, to undo it: the ids of the records they
    created and the column values of the records they updated, as they were before (pickled, one
    entry per batch, written and synced before the batch commits)."""

    def __init__(self, job: Import):
        self.path = journal_path(job)
        self.created: list[int] = []
        self.before: dict[int, dict] = {}

    def remember_update(self, record) -> None:
        if record.id not in self.before:
            self.before[record.id] = {column.key: getattr(record, column.key)
                                      for column in record.__mapper__.column_attrs}

    def write(self) -> None:
        if not self.created and not self.before:
            return
        with open(self.path, "ab", opener=private_opener) as handle:
            pickle.dump({"created": self.created, "before": self.before}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        self.created, self.before = [], {}


def read_journal(job: Import) -> tuple[list[int], dict[int, dict]]:
    created, before = [], {}
    try:
        with journal_path(job).open("rb") as handle:
            while True:
                try:
                    entry = pickle.load(handle)  # noqa: S301 - our own owner-only file
                except EOFError:
                    break
                created.extend(entry["created"])
                for record_id, values in entry["before"].items():
                    before.setdefault(record_id, values)  # the first batch saw the values before the import
    except FileNotFoundError:
        pass
    return created, before


def undo(job: Import) -> None:
    """Take back what the committed batches of a SQLite import wrote: the records it created are
    deleted with their history and duplicate keys, the records it updated get their values back
    and lose the history rows the import added."""
    from kernel.history import UPDATED, RecordChange

    entity = entity_of(job)
    created, before = read_journal(job)
    if entity is None or not (created or before):
        journal_path(job).unlink(missing_ok=True)
        return
    model, since, new_ids = entity.model, job.started_at or job.created_at, set(created)
    db.session.rollback()
    for record_id, values in before.items():
        record = None if record_id in new_ids else db.session.get(model, record_id)
        if record is not None:
            for name, value in values.items():
                setattr(record, name, value)
    db.session.flush()
    for chunk in chunks(list(before), 500):
        db.session.execute(RecordChange.__table__.delete().where(
            RecordChange.entity == entity.name, RecordChange.record_id.in_(chunk),
            RecordChange.action == UPDATED, RecordChange.changed_at >= since))
    for chunk in chunks(created, 500):
        db.session.execute(DuplicateKey.__table__.delete().where(
            DuplicateKey.entity == entity.name, DuplicateKey.record_id.in_(chunk)))
        db.session.execute(RecordChange.__table__.delete().where(
            RecordChange.entity == entity.name, RecordChange.record_id.in_(chunk)))
        db.session.execute(model.__table__.delete().where(model.id.in_(chunk)))
    db.session.commit()
    journal_path(job).unlink(missing_ok=True)


def chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]
