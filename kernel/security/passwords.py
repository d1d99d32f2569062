"""Passwords: the one throttled check, hashing, and the policy a new password must meet.

Every screen that takes a password (login, the contact centre's force close, the profile's password
change, leaving the kiosk, creating an API token) calls ``verify_password``, and the forgotten
password form calls ``count_reset_request``: all count against the same throttle
(``kernel.security.throttle``) and every refusal is in the security log. An unknown or inactive
account is checked against a dummy hash, so that the time taken does not tell whether it exists.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.exceptions import TooManyRequests

from kernel.i18n import gettext as _
from kernel.security import events, throttle

hasher = PasswordHasher()
MIN_LENGTH = 10
MAX_LENGTH = 1024
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# Decorations people add to a common word to pass a rule ("monkey2024!").
DECORATIONS = "0123456789!@#$%^&*()-_=+.?,;: "

LOGIN = "login"
FORCE_CLOSE = "force_close"
PASSWORD_CHANGE = "password_change"
KIOSK_EXIT = "kiosk_exit"
TOKEN = "token"
RESET_REQUEST = "reset_request"


class Throttled(TooManyRequests):
    """Too many attempts on this account or from this address: a 429 that says when to come back
    (``Retry-After``, the end of the window that is full)."""

    def __init__(self, attempt):
        super().__init__(retry_after=attempt.retry_after)


def hash_password(password: str) -> str:
    return hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher.hash("not the password of anyone")


def password_matches(user, password: str) -> bool:
    """The bare comparison, unthrottled: for trusted code only (the command line)."""
    stored = getattr(user, "password_hash", None) if user is not None and user.active else None
    try:
        return hasher.verify(stored or _dummy_hash(), password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user_or_email, password: str, *, purpose: str):
    """The user whose password this is, or None; raises ``Throttled`` past the limit.

    Commits the request's session (the attempt is counted whatever follows): call it before
    changing anything."""
    from kernel.users import User, find_user_by_email

    if isinstance(user_or_email, User):
        user, email = user_or_email, user_or_email.email
    else:
        email = (user_or_email or "").strip().lower()
        user = find_user_by_email(email) if email else None
    attempt = throttle.count_attempt(account=email, address=events.client_address())
    if attempt.throttled:
        events.record_event(events.THROTTLED, user=user, email=email or None, purpose=purpose, commit=True)
        raise Throttled(attempt)
    if password_matches(user, password):
        throttle.forgive(attempt)
        if hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return user
    failed = events.LOGIN_FAILED if purpose == LOGIN else events.PASSWORD_CHECK_FAILED
    events.record_event(failed, user=user, email=email or None, purpose=purpose, commit=True)
    return None


def count_reset_request(email: str) -> None:
    """A forgotten-password request counts as an attempt on the account; raises ``Throttled``."""
    email = (email or "").strip().lower()
    attempt = throttle.count_attempt(account=email, address=events.client_address())
    if attempt.throttled:
        events.record_event(events.THROTTLED, email=email or None, purpose=RESET_REQUEST, commit=True)
        raise Throttled(attempt)


# -- the policy (NIST SP 800-63B: length, no common or context words; no composition rules) -----

@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    lowered = password.lower()
    common = common_passwords()
    if lowered in common or lowered.strip(DECORATIONS) in common:
        return True
    return len(set(lowered)) < 4  # "aaaaaaaaaa", "ababababab"


def _personal_words(email: str | None, name: str | None) -> list[str]:
    words = []
    if email:
        words += [email.lower(), email.lower().partition("@")[0]]
    if name:
        words += [name.lower().replace(" ", ""), *name.lower().split()]
    words.append("passerelle")
    return [word for word in words if len(word) >= 4]


def password_problem(password: str, confirmation: str | None = None, *, user=None,
                     email: str | None = None, name: str | None = None) -> str | None:
    """What is wrong with a new password, as a translated sentence, or None."""
    email = email or getattr(user, "email", None)
    name = name or getattr(user, "name", None)
    if len(password) < MIN_LENGTH:
        return _("The password needs at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("At most %(count)d characters.", count=MAX_LENGTH)
    if is_common(password):
        return _("This password is among the most common ones and easy to guess: choose another, "
                 "for example a few unrelated words.")
    squeezed = password.lower().replace(" ", "")
    if any(word.replace(" ", "") in squeezed for word in _personal_words(email, name)):
        return _("The password must not contain the user's name or e-mail address.")
    if confirmation is not None and password != confirmation:
        return _("The two passwords are not the same.")
    return None
