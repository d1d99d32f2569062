"""The access log is append-only (the database refuses changes and early deletions, no route
changes it) and kept for ACCESS_LOG_RETENTION_DAYS, then purged by the worker once a day."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import DatabaseError

from kernel import access_log
from kernel.access_log import RecordRead, purge_expired_reads
from kernel.db import db, utcnow
from kernel.security.models import SecurityEvent


def logged(days_ago: float, **values) -> None:
    row = {"user_id": 1, "entity": "client", "record_id": 1, "via": "records.show_record", "count": None,
           "read_at": utcnow() - timedelta(days=days_ago), **values}
    db.session.execute(insert(RecordRead).values([row]))
    db.session.commit()


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(RecordRead))


def test_the_database_refuses_to_change_a_read(app):
    logged(1)
    with pytest.raises(DatabaseError):
        db.session.execute(update(RecordRead).values(user_id=2))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(RecordRead.user_id)) == 1


def test_the_database_refuses_to_delete_a_young_read(app):
    logged(2)
    with pytest.raises(DatabaseError):
        db.session.execute(delete(RecordRead))
        db.session.flush()
    db.session.rollback()
    assert count() == 1


def test_no_route_changes_or_deletes_the_log(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/privacy/access")]
    assert rules
    assert all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules)


def test_the_purge_deletes_reads_older_than_the_retention_time_and_is_recorded(app):
    app.config["ACCESS_LOG_RETENTION_DAYS"] = 60
    logged(90, record_id=1)
    logged(61, record_id=2)
    logged(59, record_id=3)
    logged(1, record_id=4)
    assert purge_expired_reads() == 2
    assert sorted(db.session.scalars(select(RecordRead.record_id))) == [3, 4]
    event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == access_log.PURGED))
    assert event.details["deleted"] == 2 and event.details["retention_days"] == 60


def test_the_purge_runs_once_a_day_whichever_worker_asks(app):
    app.config["ACCESS_LOG_RETENTION_DAYS"] = 30
    logged(40)
    now = utcnow()
    assert purge_expired_reads(now) == 1
    logged(45)
    assert purge_expired_reads(now + timedelta(hours=23)) is None
    assert count() == 1
    assert purge_expired_reads(now + timedelta(hours=25)) == 1
    assert count() == 0


def test_a_worker_pass_runs_the_purge(app):
    from kernel import worker

    app.config["ACCESS_LOG_RETENTION_DAYS"] = 30
    logged(40)
    logged(2)
    worker.run_once()
    assert count() == 1
    assert db.session.scalar(select(func.count()).where(SecurityEvent.event == access_log.PURGED)) == 1


@pytest.mark.parametrize("days", [1, 29, "soon"])
def test_a_retention_below_thirty_days_is_refused(app, days):
    app.config["ACCESS_LOG_RETENTION_DAYS"] = days
    with pytest.raises(access_log.RetentionTooShort):
        access_log.retention_days()
