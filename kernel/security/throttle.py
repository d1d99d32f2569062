"""Throttling of password checks and other sensitive attempts, shared by every worker and server.

Attempts are counted per account and, separately, per source address, in the fixed windows of
``LOGIN_RATE_LIMIT`` ("10 per minute; 50 per hour"): spraying many accounts from one address is
stopped by the address's counter, trying one account from many addresses by the account's. The
hourly window keeps a patient attacker under 100 guesses in any hour (OWASP ASVS 2.2.1), which a
limit per minute alone does not (600). Counters live in the
database (``throttle_counters``, one atomic UPSERT per counter) or, when ``RATELIMIT_STORAGE_URI``
is ``redis://…``, in Redis. Keys are HMACs of what is counted: the table never holds an address or
an e-mail in clear.

An attempt is counted before the password is checked, so that parallel guesses cannot slip
between a read and a write; a right password gives its count back (``forgive``), so that people
who type their password right never use up the allowance of a shared office address. (While
being checked, a right password counts: more logins than the limit in flight at the very same
moment from one address would see a 429.)
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
from limits import parse_many
from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from kernel.db import db
from kernel.security.models import ThrottleCounter

log = logging.getLogger("passerelle.security")
ACCOUNT = "account"
ADDRESS = "address"
CLEAN_UP_ONE_IN = 50  # old counters are removed by one attempt in this many
DEFAULT_LIMIT = "10 per minute; 50 per hour"


@dataclass
class Counter:
    """One counter of one window: an account's or an address's attempts in this minute or hour."""

    key: str
    window: int  # the window's number since the epoch
    period: int  # seconds
    amount: int  # attempts allowed in the window

    @property
    def window_start(self) -> datetime:
        return datetime.fromtimestamp(self.window * self.period, UTC).replace(tzinfo=None)


@dataclass
class Attempt:
    counters: list[Counter] = field(default_factory=list)
    throttled: bool = False
    counted_in: str = "none"  # "database", "redis" or "none" (throttling off)
    retry_after: int = 0  # seconds until every full window has passed


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def limits() -> list[tuple[int, int]]:
    """[(attempts, seconds)] allowed per account and per address, one per window."""
    items = parse_many(current_app.config.get("LOGIN_RATE_LIMIT") or DEFAULT_LIMIT)
    return [(item.amount, int(item.get_expiry())) for item in items]


def counter_key(kind: str, value: str, period: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"throttle:{kind}:{period}:{value}".encode(), hashlib.sha256).hexdigest()


def count_attempt(*, account: str | None, address: str | None) -> Attempt:
    """Count one attempt on ``account`` (a normalised e-mail) from ``address``; the attempt is
    ``throttled`` when either has gone over a limit in its current window."""
    if not enabled():
        return Attempt()
    now = datetime.now(UTC).timestamp()
    attempt = Attempt()
    counted = [(ACCOUNT, account.strip().lower() if account else None), (ADDRESS, address)]
    for kind, value in counted:
        if value:
            attempt.counters += [Counter(counter_key(kind, value, period), int(now // period), period, amount)
                                 for amount, period in limits()]
    counts = _redis_counts(attempt) if _redis_url() else None
    if counts is None:
        counts = _database_counts(attempt)
    full = [counter for count, counter in zip(counts, attempt.counters, strict=True) if count > counter.amount]
    attempt.throttled = bool(full)
    attempt.retry_after = max((int((counter.window + 1) * counter.period - now) + 1 for counter in full), default=0)
    return attempt


def forgive(attempt: Attempt) -> None:
    """Give back an attempt that succeeded."""
    if attempt.counted_in == "redis":
        try:
            client = _redis_client(_redis_url())
            pipeline = client.pipeline()
            for counter in attempt.counters:
                pipeline.decr(_redis_key(counter))
            pipeline.execute()
        except Exception:  # noqa: BLE001 - Redis down: the attempt stays counted, nothing worse
            log.warning("throttling: Redis did not answer; a successful attempt stays counted")
    elif attempt.counted_in == "database":
        for counter in attempt.counters:
            db.session.execute(
                update(ThrottleCounter)
                .where(ThrottleCounter.key == counter.key, ThrottleCounter.window_start == counter.window_start,
                       ThrottleCounter.count > 0)
                .values(count=ThrottleCounter.count - 1)
            )
        db.session.commit()


# -- the database --------------------------------------------------------------------------------

def _database_counts(attempt: Attempt) -> list[int]:
    """One UPSERT per counter in the request's session, committed at once: the counts must stay
    even when the request fails, and on SQLite a second connection would wait behind the request's
    own write lock. Callers count before changing anything else."""
    counts = [_increment(counter.key, counter.window_start) for counter in attempt.counters]
    db.session.commit()
    attempt.counted_in = "database"
    if attempt.counters and secrets.randbelow(CLEAN_UP_ONE_IN) == 0:
        longest = max(counter.period for counter in attempt.counters)
        _remove_old_counters(min(counter.window_start for counter in attempt.counters) - timedelta(seconds=longest))
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


def _redis_key(counter: Counter) -> str:
    return f"passerelle:throttle:{counter.key}:{counter.window}"


def _redis_counts(attempt: Attempt) -> list[int] | None:
    """INCR and EXPIRE per counter in one round trip; None when Redis does not answer (the
    database counts instead)."""
    try:
        pipeline = _redis_client(_redis_url()).pipeline()
        for counter in attempt.counters:
            pipeline.incr(_redis_key(counter))
            pipeline.expire(_redis_key(counter), counter.period * 2)
        replies = pipeline.execute()
    except Exception:  # noqa: BLE001 - any Redis failure: fall back rather than let attempts through
        log.warning("throttling: Redis did not answer; counting in the database")
        return None
    attempt.counted_in = "redis"
    return [int(reply) for reply in replies[::2]]
