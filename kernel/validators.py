"""Rules across several fields of a record, declared with ``Entity(validators=(...))``.

A validator receives the record's values after the change (a dict) and returns
``{field: message}`` for what is wrong (an empty dict when all is well).

Also the one check of web addresses, for every way into the database (``web_address``) and every
link rendered from a stored one (``safe_url``, the templates' filter)."""

from __future__ import annotations

import re

from marshmallow import ValidationError, validate

from kernel.i18n import gettext as _


def end_not_before_start(start: str, end: str):
    """The end date (or time) is never before the start."""

    def check(values: dict) -> dict:
        begins, ends = values.get(start), values.get(end)
        if begins is not None and ends is not None and ends < begins:
            return {end: _("The end cannot be before the start.")}
        return {}

    check.__name__ = f"{end}_not_before_{start}"
    return check


# -- web addresses ---------------------------------------------------------------------------
# A stored address becomes a link's href: anything but these schemes (javascript:, data:,
# vbscript:…) would run in the CRM's origin when clicked.
WEB_SCHEMES = frozenset({"http", "https"})
HAS_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)")  # "javascript:…", not "example.org:8080"


class NotAWebAddress(ValueError):
    """The text is not an http(s) address."""


def web_address(text: str) -> str:
    """``text`` as a full http(s) address ("example.org" is taken as "https://example.org");
    raises ``NotAWebAddress`` for anything else (another scheme, spaces, no host)."""
    value = text.strip()
    if value and not HAS_SCHEME.match(value):
        value = "https://" + value
    try:
        validate.URL(schemes=set(WEB_SCHEMES))(value)
    except ValidationError as error:
        raise NotAWebAddress(value) from error
    return value


def safe_url(value, schemes=WEB_SCHEMES) -> str:
    """``value`` when it may be a link's href (one of ``schemes``, no space or control character
    a browser would strip), else "". Templates render the text without a link then: addresses
    stored before they were checked stay readable but cannot run script."""
    if not isinstance(value, str) or not value:
        return ""
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in value):
        return ""
    scheme, _colon, rest = value.partition(":")
    if not _colon or scheme.lower() not in schemes:
        return ""
    if scheme.lower() in WEB_SCHEMES and not rest.startswith("//"):
        return ""
    return value
