"""Security headers of every response: a Content-Security-Policy (with a nonce when the page has
inline code), no sniffing, no framing, a referrer policy, and no caching of anything that may
carry personal data.

Templates write no inline script and no on*= attribute (tests/kernel/test_security_headers.py scans
them): JavaScript lives in static files. A ``<script>`` or ``<style>`` that must be inline carries
``nonce="{{ csp_nonce() }}"``, a fresh random value drawn for the request on first use; a response
that used none (most pages, every API answer) allows no inline code at all.
"""

from __future__ import annotations

import secrets

from flask import g, request

from kernel.request_state import once_per_request

# Endpoints that serve the application's own code and libraries, the same for everybody: they keep
# their caching. Everything else may be about a person (pages, API, exports, documents, feeds).
STATIC_ENDPOINTS = frozenset({"static", "vendor", "plugin_static", "favicon"})

# A URL with a <token> argument carries a secret (public referral page, password reset link,
# calendar feed): the browser must not send it to anyone, not even to our own static files' logs.
SECRET_URL_ARGUMENT = "token"


def csp_nonce() -> str:
    """The request's nonce, made on first use (a template global)."""
    return once_per_request("csp_nonce", lambda: secrets.token_urlsafe(18))


def content_security_policy(nonce: str | None) -> str:
    """The policy; ``nonce``: the one the page was given, None when nothing of it used one (an API
    answer, a file): no inline code is then allowed at all, and no random value is drawn for it."""
    # Styles too are limited to our files and the nonce: FullCalendar's injected <style> reads it
    # from <meta name="csp-nonce">, htmx is told not to inject its indicator styles (layout.html).
    own = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    directives = {
        "default-src": "'self'",
        "script-src": own,
        "style-src": own,
        "img-src": "'self' data:",
        "font-src": "'self' data:",  # FullCalendar's icon font is a data: URL
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _carries_secret_in_url() -> bool:
    return SECRET_URL_ARGUMENT in (request.view_args or {})


def _is_static_file() -> bool:
    return request.endpoint in STATIC_ENDPOINTS


def apply_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers["Referrer-Policy"] = "no-referrer" if _carries_secret_in_url() else "same-origin"
    if not _is_static_file():
        shared_for = g.get("shared_cache_seconds")  # a page the same for every visitor (the public directory)
        headers["Cache-Control"] = f"public, max-age={int(shared_for)}" if shared_for else "no-store"
        headers.pop("Expires", None)
    return response
