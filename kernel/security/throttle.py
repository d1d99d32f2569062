"""Throttling of password checks and other sensitive attempts, shared by every worker and server.

Attempts are counted per account and, separately, per source address, in fixed windows of
``LOGIN_RATE_LIMIT`` ("10 per minute"): spraying many accounts from one address is stopped by the
address's counter, trying one account from many addresses by the account's. Counters live in the
database (``throttle_counters``, one atomic UPSERT per counter) or, when ``RATELIMIT_STORAGE_URI``
is ``redis://…``, in Redis. Keys are HMACs of what is counted: the table never holds an address or
an e-mail in clear.

An attempt is counted before the password is checked, so that parallel guesses cannot slip
between a read and a write; a right password gives its count back (``forgive``), so that people
who type their password right never use up the allowance of a shared office address.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import current_app
from limits import parse
from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from kernel.db import db
from kernel.security.models import ThrottleCounter

log = logging.getLogger("passerelle.security")
ACCOUNT = "account"
ADDRESS = "address"
CLEAN_UP_ONE_IN = 50  # old counters are removed by one attempt in this many


@dataclass
class Attempt:
    keys: list[str] = field(default_factory=list)
    window: int = 0  # the window's number since the epoch
    period: int = 60  # seconds
    throttled: bool = False
    counted_in: str = "none"  # "database", "redis" or "none" (throttling off)


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def limit() -> tuple[int, int]:
    """(attempts, seconds) allowed per account and per address."""
    item = parse(current_app.config.get("LOGIN_RATE_LIMIT") or "10 per minute")
    return item.amount, int(item.get_expiry())


def counter_key(kind: str, value: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"throttle:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def count_attempt(*, account: str | None, address: str | None) -> Attempt:
    """Count one attempt on ``account`` (a normalised e-mail) from ``address``; the attempt is
    ``throttled`` when either has gone over the limit in the current window."""
    if not enabled():
        return Attempt()
    amount, period = limit()
    now = datetime.now(UTC).timestamp()
    attempt = Attempt(window=int(now // period), period=period)
    if account:
        attempt.keys.append(counter_key(ACCOUNT, account.strip().lower()))
    if address:
        attempt.keys.append(counter_key(ADDRESS, address))
    counts = _redis_counts(attempt) if _redis_url() else None
    if counts is None:
        counts = _database_counts(attempt)
    attempt.throttled = any(count > amount for count in counts)
    return attempt


def forgive(attempt: Attempt) -> None:
    """Give back an attempt that succeeded."""
    if attempt.counted_in == "redis":
        try:
            client = _redis_client(_redis_url())
            pipeline = client.pipeline()
            for key in attempt.keys:
                pipeline.decr(_redis_key(key, attempt.window))
            pipeline.execute()
        except Exception:  # noqa: BLE001 - Redis down: the attempt stays counted, nothing worse
            log.warning("throttling: Redis did not answer; a successful attempt stays counted")
    elif attempt.counted_in == "database":
        start = _window_start(attempt)
        db.session.execute(
            update(ThrottleCounter)
            .where(ThrottleCounter.key.in_(attempt.keys), ThrottleCounter.window_start == start,
                   ThrottleCounter.count > 0)
            .values(count=ThrottleCounter.count - 1)
        )
        db.session.commit()


# -- the database --------------------------------------------------------------------------------

def _window_start(attempt: Attempt) -> datetime:
    return datetime.fromtimestamp(attempt.window * attempt.period, UTC).replace(tzinfo=None)


def _database_counts(attempt: Attempt) -> list[int]:
    """One UPSERT per counter in the request's session, committed at once: the counts must stay
    even when the request fails, and on SQLite a second connection would wait behind the request's
    own write lock. Callers count before changing anything else."""
    start = _window_start(attempt)
    counts = [_increment(key, start) for key in attempt.keys]
    db.session.commit()
    attempt.counted_in = "database"
    if secrets.randbelow(CLEAN_UP_ONE_IN) == 0:
        _remove_old_counters(start - timedelta(seconds=attempt.period))
    return counts


def _increment(key: str, window_start: datetime) -> int:
    table = ThrottleCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(key=key, window_start=window_start, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            # A counter of an earlier window starts again from one.
            "count": case((table.c.window_start == statement.excluded.window_start, table.c.count + 1), else_=1),
            "window_start": statement.excluded.window_start,
        },
    ).returning(table.c.count)
    return db.session.execute(statement).scalar_one()


def _remove_old_counters(before: datetime) -> None:
    db.session.execute(delete(ThrottleCounter).where(ThrottleCounter.window_start < before))
    db.session.commit()


# -- Redis ---------------------------------------------------------------------------------------

def _redis_url() -> str | None:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    return uri if uri.startswith(("redis://", "rediss://")) else None


@lru_cache(maxsize=4)
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _redis_key(key: str, window: int) -> str:
    return f"passerelle:throttle:{key}:{window}"


def _redis_counts(attempt: Attempt) -> list[int] | None:
    """INCR and EXPIRE per counter in one round trip; None when Redis does not answer (the
    database counts instead)."""
    try:
        pipeline = _redis_client(_redis_url()).pipeline()
        for key in attempt.keys:
            pipeline.incr(_redis_key(key, attempt.window))
            pipeline.expire(_redis_key(key, attempt.window), attempt.period * 2)
        replies = pipeline.execute()
    except Exception:  # noqa: BLE001 - any Redis failure: fall back rather than let attempts through
        log.warning("throttling: Redis did not answer; counting in the database")
        return None
    attempt.counted_in = "redis"
    return [int(reply) for reply in replies[::2]]
