"""Flask-Limiter, for the routes that limit plain request rates (storage from
``RATELIMIT_STORAGE_URI``).

Password checks and forgotten-password requests are not throttled here but by
``kernel.security.throttle``: counters per account and per address shared by every worker,
in the database or in Redis (``kernel.security.passwords.verify_password``)."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, default_limits=[])


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]
