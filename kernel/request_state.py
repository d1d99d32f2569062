"""What a request keeps for itself: values worked out once per request, kept in ``flask.g``.

``g`` is a proxy: ``"key" in g``, ``g.key`` and ``setattr(g, key, …)`` each find the request's
namespace again, and ``g.key`` first fails the proxy's own look-up (Python words an
``AttributeError`` for it) before it asks the namespace. The kernel's "once per request" reads
(custom fields, edited lists, granted permissions, the timing of statements) ran this three times
a call, dozens of times a page: 1.2–2.6 µs each on the 2-core bench machine
(``bench/README.md``, 2026-12-07). Here the namespace is found once, as a plain ``dict``.

Outside a request (a command, the background worker) there is no such namespace: an app context
there may live for hours, so nothing is kept and each call works its value out again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import g, has_request_context

T = TypeVar("T")


def request_state() -> dict | None:
    """The request's namespace (the attributes of ``flask.g``) as a dict, or None outside a request."""
    return g._get_current_object().__dict__ if has_request_context() else None


def once_per_request(key: str, work_out: Callable[[], T]) -> T:
    """``work_out()``'s answer, kept under ``key`` for the rest of the request (``g.<key>``)."""
    state = request_state()
    if state is None:
        return work_out()
    try:
        return state[key]
    except KeyError:
        value = state[key] = work_out()
        return value


def is_kept_for_request(key: str) -> bool:
    state = request_state()
    return state is not None and key in state


def keep_for_request(key: str, value) -> None:
    """Keep ``value`` under ``key`` for the rest of the request (read with others, ``kernel.onepass``);
    outside a request, nothing."""
    state = request_state()
    if state is not None:
        state[key] = value


def forget_for_request(key: str) -> None:
    """Drop what the request kept under ``key`` (after a change): the next call works it out again."""
    state = request_state()
    if state is not None:
        state.pop(key, None)


@dataclass(frozen=True)
class SessionRead:
    """A plugin's read that most signed-in pages need (hook ``passerelle_session_reads``): it is
    sent with the statement that reads the browser's session and its user (``kernel.onepass``),
    and what it found is kept for the request under ``key``. The plugin's own
    ``once_per_request(key, …)`` then finds it there, and reads by itself only where no session
    was read (the API, a command).

    ``statement``: returns a ``select`` built once (``functools.cache``) and without parameters:
    the user is not known before that statement, so read the few rows of a small table (a team,
    a setting). ``shape``: what is kept, made of the rows found (transient model instances or
    named tuples)."""

    key: str
    statement: Callable[[], Any]
    shape: Callable[[list], Any] = list
