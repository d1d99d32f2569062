"""Imports whose process died: a running import heart-beats every batch; one whose heart stopped
longer than ``STALE_AFTER`` ago is marked failed, and undone, by the worker or when its page is
shown."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kernel.db import db, utcnow
from kernel.i18n import gettext as _
from kernel.importer.files import delete_rejected
from kernel.importer.jobs import FAILED, RUNNING, Import, user_of
from kernel.importer.journal import undo
from kernel.importer.running import as_user

log = logging.getLogger("passerelle.import")


STALE_AFTER = timedelta(minutes=3)  # a running import that did not heart-beat for so long is dead


def stale_condition():
    """Running, and no heartbeat for ``STALE_AFTER``: its process was killed or the machine stopped."""
    last_sign = func.coalesce(Import.heartbeat_at, Import.started_at, Import.created_at)
    return (Import.status == RUNNING) & (last_sign < utcnow() - STALE_AFTER)


def is_stale(job: Import) -> bool:
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    return job.status == RUNNING and last_sign is not None and last_sign < utcnow() - STALE_AFTER


def fail_if_stale(job_id: int) -> bool:
    """Mark a dead import failed (once, however many callers try) and undo what it committed."""
    job = db.session.get(Import, job_id)
    with as_user(user_of(job)):
        message = _("The import stopped without finishing (its process was interrupted): nothing was "
                    "imported. You can run it again.")
    with Session(db.engine) as session:
        result = session.execute(update(Import).where(Import.id == job_id, stale_condition()).values(
            status=FAILED, finished_at=utcnow(), error=message, created=0, updated=0, skipped=0, rejected=0))
        session.commit()
    if result.rowcount != 1:
        return False
    log.warning("import %s stopped heart-beating; marked failed", job_id)
    undo(job)
    delete_rejected(job)
    db.session.expire_all()
    return True


def fail_stale_imports() -> int:
    """The worker's job: every dead import is marked failed and undone."""
    ids = list(db.session.scalars(select(Import.id).where(stale_condition())))
    return sum(fail_if_stale(job_id) for job_id in ids)
