"""Throttling of login and password-reset attempts (Flask-Limiter; storage from
``RATELIMIT_STORAGE_URI``, in memory by default, ``redis://…`` for several workers)."""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, default_limits=[])


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def address_and_email() -> str:
    """Throttle per client address and per account tried, so one attacker cannot lock out all."""
    return f"{get_remote_address()}|{(request.form.get('email') or '').strip().lower()}"
