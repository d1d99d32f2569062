"""The worker deletes security events older than SECURITY_LOG_RETENTION_DAYS (default 365), once
a day, and records each run in the log itself; a retention below the 30-day floor is refused."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kernel import worker
from kernel.db import db, utcnow
from kernel.security.events import LOG_PURGED, RetentionTooShort, purge_expired_events, record_event
from kernel.security.models import SecurityEvent


def _event_aged(days: int, email: str) -> None:
    row = record_event("login.succeeded", email=email)
    row.occurred_at = utcnow() - timedelta(days=days)
    db.session.commit()


def _log() -> list[tuple[str, str | None]]:
    db.session.expire_all()
    return [(row.event, row.user_email) for row in
            db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.occurred_at))]


def test_the_worker_deletes_events_older_than_a_year_by_default(app):
    _event_aged(400, "old@example.org")
    _event_aged(364, "recent@example.org")
    worker.run_once()
    # the access log's purge (kernel.access_log) is recorded in the same log, after this one
    assert _log() == [("login.succeeded", "recent@example.org"), (LOG_PURGED, None), ("access_log.purged", None)]
    run = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == LOG_PURGED))
    assert (run.details["deleted"], run.details["retention_days"]) == (1, 365)


def test_the_retention_is_configurable(make_app):
    app = make_app(SECURITY_LOG_RETENTION_DAYS=90)
    with app.app_context():
        _event_aged(120, "old@example.org")
        _event_aged(60, "recent@example.org")
        assert purge_expired_events() == 1
        assert [email for _, email in _log()] == ["recent@example.org", None]


def test_it_runs_once_a_day(app):
    now = utcnow()
    _event_aged(500, "old@example.org")
    assert purge_expired_events(now) == 1
    _event_aged(500, "older@example.org")
    assert purge_expired_events(now + timedelta(hours=23)) is None
    assert purge_expired_events(now + timedelta(hours=25)) == 1
    assert [event for event, _ in _log()] == [LOG_PURGED, LOG_PURGED]


def test_a_retention_below_the_floor_is_refused(make_app):
    app = make_app(SECURITY_LOG_RETENTION_DAYS=7)
    with app.app_context():
        _event_aged(10, "kept@example.org")
        with pytest.raises(RetentionTooShort):
            purge_expired_events()
        assert _log() == [("login.succeeded", "kept@example.org")]
