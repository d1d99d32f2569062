"""``Server-Timing`` on every response: the server's own time, split by layer (issue 18).

    Server-Timing: app;dur=9.8, route;dur=0.9, db;dur=2.1;desc="5 statements", render;dur=4.0

- ``app``: the whole request, from the moment the application gets it to the response;
- ``route``: before the view runs (matching the URL, the session, the before-request hooks);
- ``db``: in the database driver (every statement, wherever it is sent from), with their number;
- ``render``: rendering the page's template (the outermost one: the templates it renders inside
  are part of it), database time spent inside it included.

The rest of ``app`` is the view's own Python. Benchmarks read these figures (``bench/pages.py``);
browsers' developer tools show them.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from flask import Flask, before_render_template, g, has_request_context, request_started, template_rendered
from sqlalchemy import event

from kernel.request_state import once_per_request, request_state


def install(app: Flask) -> None:
    request_started.connect(_request_starts, app)
    original_preprocess = app.preprocess_request

    def preprocess_then_note_the_view_start():
        answer = original_preprocess()
        _current().view_started = time.perf_counter()
        return answer

    app.preprocess_request = preprocess_then_note_the_view_start

    @app.after_request
    def add_server_timing(response):
        timing = _timing_of_the_request()
        if timing is not None:
            response.headers["Server-Timing"] = timing.header()
        return response

    before_render_template.connect(_render_starts, app)
    template_rendered.connect(_render_ends, app)
    _listen_to_the_database(app)


class _Timing:
    def __init__(self):
        self.started = time.perf_counter()
        self.view_started = None
        self.db_seconds = 0.0
        self.statements = 0
        self.render_seconds = 0.0
        self.render_depth = 0
        self.render_started = 0.0
        self.statement_started = None

    def header(self) -> str:
        total = (time.perf_counter() - self.started) * 1000
        route = ((self.view_started or self.started) - self.started) * 1000
        return (f'app;dur={total:.1f}, route;dur={route:.1f}, db;dur={self.db_seconds * 1000:.1f};'
                f'desc="{self.statements} statements", render;dur={self.render_seconds * 1000:.1f}')


@contextmanager
def rendering():
    """Count as rendering what runs inside (a part of a page rendered without ``render_template``,
    ``kernel.fragments``); inside a template's own rendering, it is already counted."""
    _render_starts(None)
    try:
        yield
    finally:
        _render_ends(None)


def _request_starts(_app, **_extra) -> None:
    g.timing = _Timing()


def _current() -> _Timing:
    return once_per_request("timing", _Timing)


def _timing_of_the_request() -> _Timing | None:
    """The request's timing, None outside a request: asked before and after every statement."""
    state = request_state()
    return state.get("timing") if state is not None else None


def _render_starts(_app, **_extra) -> None:
    if not has_request_context():
        return
    timing = _current()
    if timing.render_depth == 0:
        timing.render_started = time.perf_counter()
    timing.render_depth += 1


def _render_ends(_app, **_extra) -> None:
    if not has_request_context():
        return
    timing = _current()
    timing.render_depth -= 1
    if timing.render_depth == 0:
        timing.render_seconds += time.perf_counter() - timing.render_started


def _listen_to_the_database(app: Flask) -> None:
    from kernel.db import db

    engine = db.engine
    if getattr(engine, "_passerelle_timed", False):  # one engine may serve several apps (tests)
        return
    engine._passerelle_timed = True

    @event.listens_for(engine, "before_cursor_execute")
    def statement_starts(*_args):
        timing = _timing_of_the_request()
        if timing is not None:
            timing.statement_started = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def statement_ends(*_args):
        timing = _timing_of_the_request()
        if timing is not None and timing.statement_started is not None:
            timing.db_seconds += time.perf_counter() - timing.statement_started
            timing.statements += 1
            timing.statement_started = None
