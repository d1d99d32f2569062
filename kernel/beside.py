"""Reads beside the request: a read started on a database connection of its own while the request
goes on, its result waited for when the page needs it (PostgreSQL).

A resource search's count and facets take about as long as everything else its page does (reading
the page and its cards, drawing them): read beside, the two overlap, and the page takes the longer
of the two instead of their sum (``bench/README.md``, 2026-12-07, sixth). The request's thread
meanwhile spends its time in Python and the helper's waits on the database, so the overlap is real
even with Python's one interpreter lock.

This departs from "one transaction per request" (DESIGN.md) for reads alone, and is why it is
kept to them:

- the read runs in a transaction of its own, which sees what was committed when it starts, and must
  write nothing (its transaction is ended, never committed with changes);
- on SQLite (one writer, a file: nothing to overlap), or when each of the process's
  ``BESIDE_THREADS`` helpers is busy, the read runs in the request's own transaction, when its
  result is first asked for;
- an error of the read is raised where its result is asked for, as if it had run there.

A connection of the pool is taken for the read: ``DATABASE_POOL_SIZE`` must leave room for one per
helper besides the process's request threads (``passerelle serve``'s defaults do)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from flask import current_app, has_app_context

from kernel.db import db

BESIDE_THREADS = 2

_NOT_READ = object()


class Beside:
    """What ``read_beside`` started: ``result()`` waits for it (or runs it, when it was not started)."""

    def __init__(self, read, args: tuple, future: Future | None):
        self._read, self._args, self._future = read, args, future
        self._value = _NOT_READ

    def result(self):
        if self._future is not None:
            return self._future.result()
        if self._value is _NOT_READ:
            self._value = self._read(*self._args)
        return self._value

    @property
    def started_beside(self) -> bool:
        return self._future is not None


def read_beside(read, *args) -> Beside:
    """Start ``read(*args)`` on a connection of its own (see the module's notes); its result is
    ``.result()``. ``read`` uses ``db.session`` as any code does: in the helper's thread that is a
    session of its own, closed when the read is over."""
    if db.is_sqlite or not has_app_context() or not _helpers.free.acquire(blocking=False):
        return Beside(read, args, None)
    app = current_app._get_current_object()
    try:
        return Beside(read, args, _helpers.pool().submit(_in_own_transaction, app, read, args))
    except RuntimeError:  # the interpreter is shutting down: no new thread
        _helpers.free.release()
        return Beside(read, args, None)


def _in_own_transaction(app, read, args):
    try:
        with app.app_context():  # its teardown closes the thread's session, ending its transaction
            return read(*args)
    finally:
        _helpers.free.release()


class _Helpers:
    """The process's helper threads, made when first needed: a process forked by ``serve`` makes
    its own (threads do not survive a fork)."""

    def __init__(self):
        self.free = threading.BoundedSemaphore(BESIDE_THREADS)
        self._pool: ThreadPoolExecutor | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                self._pool = ThreadPoolExecutor(max_workers=BESIDE_THREADS, thread_name_prefix="passerelle-beside")
                self._pid = os.getpid()
            return self._pool

    def after_fork(self) -> None:
        self.__init__()


_helpers = _Helpers()
os.register_at_fork(after_in_child=_helpers.after_fork)
