"""The security log is append-only for everyone: the database itself refuses to change an event
or to delete one younger than the retention floor (30 days); older ones may go."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from kernel.db import db, utcnow
from kernel.security.events import APPEND_ONLY_DAYS, record_event
from kernel.security.models import SecurityEvent


def _event(days_ago: int) -> int:
    row = record_event("login.failed", email="someone@example.org")
    row.occurred_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return row.id


def _refused(statement) -> None:
    with pytest.raises(DBAPIError) as refused:
        db.session.execute(statement)
        db.session.commit()
    db.session.rollback()
    assert "security_events" in str(refused.value)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(SecurityEvent))


def test_an_event_cannot_be_changed(app):
    event_id = _event(days_ago=400)
    _refused(update(SecurityEvent).where(SecurityEvent.id == event_id).values(user_email="nobody@example.org"))
    assert db.session.scalar(select(SecurityEvent.user_email)) == "someone@example.org"


def test_a_young_event_cannot_be_deleted(app):
    _event(days_ago=0)
    _event(days_ago=APPEND_ONLY_DAYS - 1)
    _refused(delete(SecurityEvent))
    assert _count() == 2


def test_an_event_older_than_the_floor_can_be_deleted(app):
    _event(days_ago=APPEND_ONLY_DAYS + 1)
    db.session.execute(delete(SecurityEvent))
    db.session.commit()
    assert _count() == 0
