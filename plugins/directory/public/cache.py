"""A small in-process cache of the public directory's pages (and of the few lists they share).

Each entry is a rendered page, keyed by the page, its normalised query and the language; it lives
``DIRECTORY_PUBLIC_CACHE_SECONDS`` and the cache holds at most ``MAX_ENTRIES`` pages (least
recently used dropped first). Any write to a ``directory_*`` table by this process (an edit, an
import, a verification) moves the generation on, which drops every entry at once.

Each server process has its own cache: a change made through another process shows once the
entries expire (the cache's lifetime, five minutes by default)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import UpdateBase

MAX_ENTRIES = 512
DIRECTORY_TABLES = "directory_"


class PageCache:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self.generation = 0
        self._entries: OrderedDict[tuple, tuple[int, float, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._rendering: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            generation, expires_at, page = entry
            if generation != self.generation or expires_at <= time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return page

    def put(self, key: tuple, page, seconds: float) -> None:
        with self._lock:
            self._entries[key] = (self.generation, time.monotonic() + seconds, page)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    @contextmanager
    def rendering(self, key: tuple):
        """One render of a page at a time in this process: visitors asking for a page being
        rendered wait for it instead of rendering it again (a popular search when the cache is cold)."""
        with self._lock:
            lock = self._rendering.setdefault(key, threading.Lock())
        try:
            with lock:
                yield
        finally:
            with self._lock:
                if self._rendering.get(key) is lock and not lock.locked():
                    del self._rendering[key]

    def drop_all(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


pages = PageCache()


def writes_to_directory(statement) -> bool:
    if not isinstance(statement, UpdateBase):
        return False
    table = getattr(statement, "table", None)
    return str(getattr(table, "name", "")).startswith(DIRECTORY_TABLES)


@event.listens_for(Engine, "after_execute")
def _drop_after_directory_write(connection, statement, *_args):
    if writes_to_directory(statement):
        pages.drop_all()
        connection.info["directory_changed"] = True


@event.listens_for(Engine, "commit")
def _drop_again_at_commit(connection):
    # A page read between the write and the commit saw the old rows: dropped again.
    if connection.info.pop("directory_changed", False):
        pages.drop_all()
