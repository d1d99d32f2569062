"""Background work shared by any number of ``passerelle worker`` processes, on any machines.

Two pieces, both leases in the database, so a worker that crashes holds nothing for ever:

* ``exclusive(name, lease=…, every=…)``: a job that at most one worker runs at a time, and at
  most once per ``every`` across all workers (a nightly purge, the reminders pass). The claim is a
  conditional ``UPDATE`` of the job's row in ``job_runs``, committed before the job runs; the
  ``claimed_until`` lease lets another worker take the job again if its holder died.
* ``claim_rows(model, due, …)``: claim due rows of a table that has ``claimed_by`` and
  ``claimed_until`` columns with ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)``:
  concurrent PostgreSQL workers skip each other's rows; on SQLite (one writer) the conditional
  update is atomic. A row whose lease expired is claimed again.
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, db, utcnow

DEFAULT_LEASE = timedelta(minutes=10)


class JobRun(Base):
    """One row per exclusive job: who holds it until when, and when it last finished."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(DateTime)


def worker_id() -> str:
    """This process, as other workers see it in a claim."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _ensure_row(name: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.execute(insert(JobRun).values(name=name))
    except IntegrityError:
        pass  # another worker made it first


def try_claim(name: str, *, lease: timedelta = DEFAULT_LEASE, every: timedelta | None = None,
              now: datetime | None = None, holder: str | None = None) -> bool:
    """Claim the job ``name`` for ``lease`` unless another worker holds it or it finished less
    than ``every`` ago; commits. True when this worker may run it."""
    now = now or utcnow()
    _ensure_row(name)
    free = or_(JobRun.claimed_until.is_(None), JobRun.claimed_until < now)
    conditions = [JobRun.name == name, free]
    if every is not None:
        conditions.append(or_(JobRun.last_finished_at.is_(None), JobRun.last_finished_at <= now - every))
    result = db.session.execute(
        update(JobRun).where(and_(*conditions))
        .values(claimed_by=holder or worker_id(), claimed_until=now + lease)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def release(name: str, *, finished: bool = True, now: datetime | None = None) -> None:
    """Give the job back; ``finished`` starts its period again. Commits."""
    values = {"claimed_by": None, "claimed_until": None}
    if finished:
        values["last_finished_at"] = now or utcnow()
    db.session.execute(update(JobRun).where(JobRun.name == name).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


@contextmanager
def exclusive(name: str, *, lease: timedelta = DEFAULT_LEASE, every: timedelta | None = None,
              now: datetime | None = None):
    """``with exclusive("reports.scheduled") as mine: if mine: …``: the body runs in one worker
    at a time (and once per ``every``); on an error the claim is released without counting as a run."""
    claimed = try_claim(name, lease=lease, every=every, now=now)
    if not claimed:
        yield False
        return
    try:
        yield True
    except BaseException:
        db.session.rollback()
        release(name, finished=False)
        raise
    release(name, finished=True, now=now)


def run_exclusive(name: str, job, *, lease: timedelta = DEFAULT_LEASE, every: timedelta | None = None):
    """A worker job wrapped so that one worker at a time runs it (once per ``every``)."""
    def guarded():
        with exclusive(name, lease=lease, every=every) as mine:
            return job() if mine else None
    guarded.__qualname__ = getattr(job, "__qualname__", name)
    return guarded


def claim_rows(model, due, *, limit: int = 1, lease: timedelta = DEFAULT_LEASE,
               now: datetime | None = None, holder: str | None = None) -> list[int]:
    """Claim up to ``limit`` rows of ``model`` matching ``due`` (a SQL condition) that nobody holds
    (or whose lease expired); commits and returns their ids. ``model`` has ``id``,
    ``claimed_by`` and ``claimed_until`` columns."""
    now = now or utcnow()
    free = or_(model.claimed_until.is_(None), model.claimed_until < now)
    candidates = (select(model.id).where(due, free).order_by(model.id).limit(limit)
                  .with_for_update(skip_locked=True))
    result = db.session.execute(
        update(model).where(model.id.in_(candidates), free)
        .values(claimed_by=holder or worker_id(), claimed_until=now + lease)
        .returning(model.id).execution_options(synchronize_session=False))
    ids = [row[0] for row in result]
    db.session.commit()
    return ids


def release_row(model, row_id: int) -> None:
    """Drop this worker's claim of a row (the caller commits)."""
    db.session.execute(update(model).where(model.id == row_id).values(claimed_by=None, claimed_until=None)
                       .execution_options(synchronize_session=False))
