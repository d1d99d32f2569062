"""The background worker (``passerelle worker``): drains the outbox and runs the plugins' jobs.

Each pass sends the due messages of the outbox, then calls every job of the
``passerelle_worker_jobs`` hook. Between passes the worker sleeps ``interval`` seconds. SIGTERM
or Ctrl-C stop it cleanly: the message in hand is finished and recorded, no new one is claimed.
A worker killed harder loses nothing either (see ``kernel.outbox``). Run one or several, on any
machines: claims never overlap, and the periodic jobs run in one worker at a time (``kernel.jobs``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from collections.abc import Callable

from kernel import jobs, outbox
from kernel.db import db
from kernel.registry import plugins

log = logging.getLogger("passerelle.worker")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
SLEEP_STEP = 0.2  # seconds: how quickly a stop request is noticed while sleeping


class StopFlag:
    """Set by a stop signal; the loop checks it between messages and while sleeping."""

    def __init__(self):
        self.stopped = False

    def __call__(self) -> bool:
        return self.stopped

    def stop(self, *_signal_args) -> None:
        self.stopped = True


def plugin_jobs() -> list[Callable[[], object]]:
    """The kernel's own jobs, then the plugins'."""
    from kernel.access_log import purge_expired_reads
    from kernel.importer import fail_stale_imports
    from kernel.importer.running import run_queued_imports
    from kernel.security.events import purge_expired_events

    return [jobs.run_exclusive("kernel.fail_stale_imports", fail_stale_imports),
            jobs.run_exclusive("kernel.purge_expired_events", purge_expired_events),
            jobs.run_exclusive("kernel.purge_expired_reads", purge_expired_reads),
            run_queued_imports,  # each import is claimed by one worker; several run side by side
            *plugins().collect("passerelle_worker_jobs")]


def run_pass(jobs: list[Callable[[], object]], should_stop: Callable[[], bool] = lambda: False) -> outbox.DrainReport:
    """Drain the outbox, then run each job; a failing job is logged and does not stop the others."""
    try:
        report = outbox.drain(should_stop=should_stop)
    finally:
        db.session.remove()
    for job in jobs:
        if should_stop():
            break
        run_job(job)
    return report


def run_job(job: Callable[[], object]) -> None:
    try:
        job()
    except Exception:  # noqa: BLE001 - a plugin's failure must not stop the worker
        log.exception("worker job %s failed", getattr(job, "__qualname__", job))
        db.session.rollback()
    finally:
        db.session.remove()


def run_forever(interval: float, stop: StopFlag | None = None, stop_with: int | None = None) -> None:
    """Pass after pass until a stop signal arrives (or, with ``stop_with``, until that process is
    gone: a ``serve`` killed hard leaves no worker behind); errors of a pass are logged and retried."""
    stop = stop or StopFlag()
    jobs = plugin_jobs()
    with stop_on_signals(stop):
        log.info("worker started (a pass every %s s)", interval)
        while not stop():
            if stop_with is not None and os.getppid() != stop_with:
                log.info("the serve process that started this worker is gone")
                break
            try:
                report = run_pass(jobs, stop)
                if report.handled:
                    log.info("outbox: %s sent, %s to retry, %s failed", report.sent, report.retrying, report.failed)
            except Exception:  # noqa: BLE001 - the database may be away for a moment
                log.exception("worker pass failed; trying again in %s s", interval)
                db.session.remove()
            sleep_unless_stopped(interval, stop)
        log.info("worker stopped")


def run_once() -> outbox.DrainReport:
    return run_pass(plugin_jobs())


def sleep_unless_stopped(seconds: float, stop: StopFlag) -> None:
    deadline = time.monotonic() + seconds
    while not stop() and (remaining := deadline - time.monotonic()) > 0:
        time.sleep(min(SLEEP_STEP, remaining))


@contextlib.contextmanager
def stop_on_signals(stop: StopFlag):
    """SIGTERM and SIGINT ask the loop to stop; the previous handlers come back afterwards."""
    previous = {number: signal.signal(number, stop.stop) for number in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
