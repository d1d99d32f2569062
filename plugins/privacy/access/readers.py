"""A record's readers: who has seen it, when last, how many times (one grouped query)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from kernel.toolkit import RecordRead, db, users_by_id
from plugins.privacy.access.hooks import SEE_READERS

SHOWN_READERS = 50


def may_see_readers(user, record) -> bool:
    """Supervisors and administrators (``privacy.access_log``) see any record's readers; the user
    the record is assigned to (a client's caseworker, a case file's counsellor) sees its own's."""
    if not getattr(user, "is_authenticated", False):
        return False
    if record is not None and getattr(record, "assigned_user_id", None) == user.id:
        return True
    return user.can(SEE_READERS)


def readers_url(entity, record) -> str:
    return url_for("privacy_access.readers", plural=entity.plural, record_id=record.id)


def readers_of(entity, record_id: int) -> list[dict]:
    """One row per person who saw the record: last read, number of reads, newest first."""
    last = func.max(RecordRead.read_at).label("last_read")
    rows = db.session.execute(
        select(RecordRead.user_id, last, func.count().label("times"))
        .where(RecordRead.entity == entity.name, RecordRead.record_id == record_id)
        .group_by(RecordRead.user_id).order_by(last.desc()).limit(SHOWN_READERS)
    ).all()
    users = users_by_id(row.user_id for row in rows)
    return [{"user": users.get(row.user_id), "user_id": row.user_id, "last_read": row.last_read,
             "times": row.times} for row in rows]
