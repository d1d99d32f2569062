"""Running a job: queued for the workers, claimed once by one of them (or run here), to its end:
done, or failed with nothing left behind and a message that says where and why."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel import jobs
from kernel.db import bulk_writing, db, utcnow
from kernel.i18n import gettext as _
from kernel.importer.files import ImportFileError, RejectedRows, journal_path, rejected_key
from kernel.importer.jobs import DONE, FAILED, QUEUED, RUNNING, Counters, Import, entity_of, set_job, user_of
from kernel.importer.journal import undo
from kernel.importer.reading import open_job_file
from kernel.importer.writing import ImportRun
from kernel.storage import StorageUnavailable

log = logging.getLogger("passerelle.import")
SQLITE_IMPORT_LEASE = timedelta(hours=2)  # after a crash, the next import waits this long at most


class ImportFailed(Exception):
    """The import cannot go on: ``cause`` says why (for people), ``line`` where (if it started)."""

    def __init__(self, line: int | None, cause: str, last_line: int | None = None):
        super().__init__(cause)
        self.line = line
        self.last_line = last_line
        self.cause = cause


@contextmanager
def request_caches():
    """Outside a request (the background thread, the shell), a request context of the import's own:
    what the kernel caches per request (custom fields, edited choice lists) is then read once for
    the whole import instead of once per row."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context():
        yield


@contextmanager
def as_user(user):
    """Messages in the importing user's language (also outside a request, in a thread or the shell)."""
    language = getattr(user, "language", None) or current_app.config.get("DEFAULT_LANGUAGE", "en")
    with force_locale(language):
        yield


def claim(job_id: int) -> bool:
    """Move a queued job to "running", atomically (a second click does not start it twice)."""
    with Session(db.engine) as session:
        result = session.execute(
            update(Import).where(Import.id == job_id, Import.status == QUEUED)
            .values(status=RUNNING, started_at=utcnow(), heartbeat_at=utcnow(), processed=0, error=None,
                    run_requested_at=None)
        )
        session.commit()
    if result.rowcount == 1:
        record_import_event(db.session.get(Import, job_id), "started", commit=True)
    return result.rowcount == 1


def record_import_event(job: Import, phase: str, *, commit: bool = False, **details) -> None:
    """The security log's "data.imported" event of a job that has ``phase`` "started", "finished" or
    "failed"; the last two, written by a thread or the worker, give the address that started it."""
    from kernel.security import events

    address = None
    if phase != "started":
        address = db.session.scalar(
            select(events.SecurityEvent.address).where(
                events.SecurityEvent.event == events.IMPORTED, events.SecurityEvent.target_type == "import",
                events.SecurityEvent.target_id == str(job.id))
            .order_by(events.SecurityEvent.id).limit(1))
    events.record_event(events.IMPORTED, user=user_of(job), target_type="import", target_id=job.id, address=address,
                        phase=phase, entity=job.entity, filename=job.filename, commit=commit, **details)


def run_import(job_id: int, on_progress: Callable[[Counters], None] | None = None) -> Import:
    """Run a claimed job to its end (done or failed); returns the job as saved."""
    with import_session():
        job = db.session.get(Import, job_id)
        user = user_of(job)
        with request_caches(), as_user(user):
            try:
                _run(job, user, on_progress)
            except ImportFailed as failure:
                db.session.rollback()
                _fail(job, failure)
    db.session.expire_all()
    return db.session.get(Import, job_id)


@contextmanager
def import_session():
    """On SQLite the import commits batch after batch: its session keeps one connection throughout
    (the large page cache of ``bulk_writing`` stays with it), then the thread's session comes back."""
    if not db.is_sqlite:
        yield
        return
    previous = db.session()
    with db.engine.connect() as connection, Session(bind=connection, expire_on_commit=False, join_transaction_mode="control_fully") as session:
        db.session.registry.set(session)
        try:
            yield
        finally:
            db.session.registry.set(previous)


def _run(job: Import, user, on_progress) -> None:
    entity = entity_of(job)
    if entity is None:
        raise ImportFailed(None, _("This kind of record is not available."))
    try:
        csv_file = open_job_file(job)
    except ImportFileError as error:
        raise ImportFailed(None, str(error.message)) from error
    except StorageUnavailable as error:
        raise ImportFailed(None, _("The file storage does not answer: nothing was imported. "
                                   "Run the import again in a moment.")) from error
    except OSError as error:
        raise ImportFailed(None, _("The file of this import is missing.")) from error
    run = ImportRun(job, entity, csv_file, user, on_progress)
    set_job(job.id, total=run.counters.total)
    rejected = RejectedRows(rejected_key(job), csv_file.headers, csv_file.delimiter)
    try:
        with bulk_writing(current_app.config["IMPORT_CACHE_MB"]):
            run.execute(rejected)
        rejected.close(keep=True)
        db.session.execute(update(Import).where(Import.id == job.id).values(
            status=DONE, finished_at=utcnow(), error=None, **run.counters.as_dict()))
        record_import_event(job, "finished", **run.counters.as_dict())
        db.session.commit()  # the records, their history and the job's end: together or not at all
        journal_path(job).unlink(missing_ok=True)
    except Exception as error:
        rejected.close(keep=False)
        log.exception("import %s failed at line %s", job.id, run.line)
        raise ImportFailed(run.line, str(error) or type(error).__name__, run.last_line) from error
    finally:
        run.board.clear()


def _fail(job: Import, failure: ImportFailed) -> None:
    undo(job)
    set_job(job.id, status=FAILED, finished_at=utcnow(), error=failure_message(failure),
            created=0, updated=0, skipped=0, rejected=0)
    record_import_event(job, "failed", commit=True, line=failure.line)


def failure_message(failure: ImportFailed) -> str:
    cause = failure.cause
    if failure.line is None:
        return _("The import could not start: nothing was imported. Cause: %(cause)s", cause=cause)
    if failure.last_line and failure.last_line != failure.line:
        return _("The import stopped while writing lines %(first)d to %(last)d: nothing was imported. "
                 "Cause: %(cause)s", first=failure.line, last=failure.last_line, cause=cause)
    return _("The import stopped at line %(line)d: nothing was imported. Cause: %(cause)s",
             line=failure.line, cause=cause)


def request_run(job_id: int) -> bool:
    """Queue a job for the workers: any ``passerelle worker``, on any machine, may claim it."""
    with Session(db.engine) as session:
        result = session.execute(update(Import).where(Import.id == job_id, Import.status == QUEUED)
                                 .values(run_requested_at=utcnow()))
        session.commit()
    return result.rowcount == 1


def run_queued_imports() -> int:
    """The worker's job: claim the oldest import waiting for a worker and run it to its end (one
    per pass, so that the outbox and the other jobs are not held up); returns how many ran. The
    claim is a conditional update, so two workers never run the same import. SQLite has one
    writer, and imports there number their rows themselves: one import at a time."""
    if not db.is_sqlite:
        return _run_next_import()
    with jobs.exclusive("kernel.imports.sqlite", lease=SQLITE_IMPORT_LEASE) as mine:
        return _run_next_import() if mine else 0


def _run_next_import() -> int:
    waiting = select(Import.id).where(Import.status == QUEUED, Import.run_requested_at.is_not(None)) \
        .order_by(Import.run_requested_at).limit(5)
    for job_id in db.session.scalars(waiting).all():
        db.session.rollback()  # the claim and the run use their own transactions
        if claim(job_id):
            run_claimed(job_id)
            return 1
    return 0


def run_claimed(job_id: int) -> None:
    try:
        run_import(job_id)
    except Exception:  # noqa: BLE001 - the worker goes on with its other jobs
        log.exception("import %s could not run", job_id)
        db.session.rollback()
        set_job(job_id, status=FAILED, finished_at=utcnow(), error=_("The import could not run."))


def start(job_id: int) -> None:
    """Run a queued job: queued for the worker (``IMPORT_IN_BACKGROUND``, the default; progress
    is in the database, so any server shows it), or here and now when it is off (tests, shell)."""
    if current_app.config.get("IMPORT_IN_BACKGROUND", True):
        request_run(job_id)
        return
    if claim(job_id):
        run_import(job_id)
