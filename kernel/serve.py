"""``passerelle serve``: gunicorn set up for people on slow or idle connections, an access log
without secrets, and a supervised background worker.

- **Threads, not one process per client.** Gunicorn's default ``sync`` worker gives a whole
  process to each connection, so a handful of idle or slow clients froze the server. ``serve``
  uses ``gthread`` workers, and a new connection waits in the worker's poller until its request
  arrives (gunicorn's own ``gthread`` gives it a thread for five seconds first: a few hundred idle
  sockets then queued real requests for minutes). An idle connection is closed after
  ``keepalive`` seconds.
- **The access log masks secrets carried in URLs**: password-reset tokens, public referral pages,
  calendar feed tokens and ``token=`` query values, in the request line, path, query and Referer.
- **Connections spread evenly over the workers.** A client keeps its connection, and the worker
  that accepted it serves all its requests: when 50 clients split 34 to 16, the 34 waited twice as
  long, and at 26 to 24 the 26 waited 14 % longer. Each worker notes how many connections it holds
  in memory they share, and leaves a new one to a worker that holds fewer, for at most 100 ms
  (``ConnectionCounts``).
- **The background worker is supervised**: restarted with a growing pause when it exits while
  ``serve`` runs, stopped when ``serve`` stops.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import re
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import gunicorn
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger
from gunicorn.workers.gthread import TConn, ThreadWorker

log = logging.getLogger("passerelle.serve")

MASK = "…"
SECRET_URL_PARTS = [
    re.compile(r"(/password/reset/)[^/?#\s\"]+"),
    re.compile(r"(/r/)[^/?#\s\"]+"),
    re.compile(r"(/calendar/)[^/?#\s\"]+(?=\.ics)"),
    re.compile(r"((?:^|[?&])(?:token|key|password)=)[^&#\s\"]+"),
]


# One search tells whether any of the patterns above may apply: most of a log line's values
# (status, sizes, times, most headers) hold no URL, and the log is written for every request.
MAY_HOLD_A_SECRET = re.compile(r"/password/reset/|/r/|/calendar/|token=|key=|password=")


def mask_secrets(text: str) -> str:
    """``/password/reset/abc123`` → ``/password/reset/…`` (and so on for every secret URL part)."""
    if not MAY_HOLD_A_SECRET.search(text):
        return text
    for pattern in SECRET_URL_PARTS:
        text = pattern.sub(lambda match: match.group(1) + MASK, text)
    return text


class MaskingLogger(Logger):
    """Gunicorn's logger whose access-log values have their secret URL parts masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: mask_secrets(value) if isinstance(value, str) else value for name, value in atoms.items()}

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            self.access_log.info(self.cfg.access_log_format, AccessLogValues(self, resp, req, environ, request_time))
        except Exception:  # noqa: BLE001 - as gunicorn's own: a log line never fails a request
            self.exception("the access log line could not be written")


class AccessLogValues(Mapping):
    """An access-log line's values, each made when the line's format asks for it, masked
    (``mask_secrets``) and with its double quotes escaped, as gunicorn's ``SafeAtoms`` does; a
    name it does not know is ``-``. Gunicorn's ``atoms`` made all of them, every request header,
    response header and environment variable included, then copied them twice, for the nine its
    default format prints: 3.6 % of ``serve``'s time under load. Those nine are made here; any
    other comes from gunicorn's ``atoms``, made once for the line."""

    COMMON = ("h", "l", "u", "t", "r", "s", "b", "f", "a")  # gunicorn's default format's

    def __init__(self, logger: MaskingLogger, resp, req, environ: dict, request_time):
        self._logger, self._resp, self._req, self._environ, self._time = logger, resp, req, environ, request_time
        self._all = None

    def __getitem__(self, name: str):
        value = self._value(name)
        return mask_secrets(value).replace('"', '\\"') if isinstance(value, str) else value

    def __iter__(self):
        return iter(self.COMMON)

    def __len__(self) -> int:
        return len(self.COMMON)

    def _value(self, name: str):
        environ = self._environ
        if name == "h":
            return environ.get("REMOTE_ADDR", "-")
        if name == "l":
            return "-"
        if name == "u":
            return self._logger._get_user(environ) or "-"
        if name == "t":
            return self._logger.now()
        if name == "r":
            return f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}"
        if name == "s":
            status = self._resp.status
            return status.split(None, 1)[0] if isinstance(status, str) else status
        if name == "b":
            sent = getattr(self._resp, "sent", None)
            return "-" if sent is None else str(sent)
        if name == "f":
            return environ.get("HTTP_REFERER", "-")
        if name == "a":
            return environ.get("HTTP_USER_AGENT", "-")
        if self._all is None:
            self._all = Logger.atoms(self._logger, self._resp, self._req, environ, self._time)
        key = name.lower() if name.startswith("{") else name
        return self._all[key] if key in self._all else "-"


# What of gunicorn's gthread worker (25.2 and later; pinned in pyproject.toml) the worker below
# relies on to park a new connection in the poller.
POLLER_HOOKS = ("pending_conns", "on_pending_socket_readable", "murder_pending")
HOOKS_MISSING = ("gunicorn %s lacks what passerelle's worker needs to keep idle connections out of "
                 "its threads (%s): each new connection holds a thread until it sends its request, "
                 "so a few hundred idle clients can stall the server. Install gunicorn>=25.2,<28.")


class ConnectionCounts:
    """The connections each worker holds, in memory the workers share: made by ``serve`` before
    gunicorn forks them. The master gives each worker a slot no live worker has (``give_a_slot``);
    the worker writes its count there whenever its loop turns, at least once a second, and clears
    it once it stops taking connections. A slot not written for a few seconds is a worker gone."""

    SLOTS = 64
    FRESH_SECONDS = 3.0
    NEVER = float("-inf")

    def __init__(self):
        self._counts = multiprocessing.RawArray(ctypes.c_int, self.SLOTS)
        self._noted_at = multiprocessing.RawArray(ctypes.c_double, [self.NEVER] * self.SLOTS)

    def note(self, slot: int, count: int) -> None:
        self._counts[slot] = count
        self._noted_at[slot] = time.monotonic()  # one clock for every process of the machine

    def forget(self, slot: int) -> None:
        self._noted_at[slot] = self.NEVER

    def fewest_elsewhere(self, slot: int) -> int | None:
        """The fewest connections another live worker holds, or None when there is no other."""
        now = time.monotonic()
        others = [self._counts[other] for other in range(self.SLOTS)
                  if other != slot and now - self._noted_at[other] < self.FRESH_SECONDS]
        return min(others) if others else None

    def give_a_slot(self, worker, live_workers) -> None:
        """gunicorn's ``pre_fork``, in the master: the lowest slot no live worker holds (a worker
        restarted many times must not share one with a worker that lives on)."""
        taken = {getattr(other, "slot", None) for other in live_workers}
        free = [slot for slot in range(self.SLOTS) if slot not in taken]
        worker.slot = free[0] if free else worker.age % self.SLOTS
        self.forget(worker.slot)


# A worker holding more connections than another one leaves a new connection to it, for at most
# LONGEST_DEFERRAL seconds (the other may be stuck: then it takes it after all). When 50 clients
# connect at once to busy workers, the other's loop may take longer than 20 ms to accept its share.
LONGEST_DEFERRAL = 0.1
DEFERRAL_PAUSE = 0.001  # the listening socket stays readable: a pause, not a busy loop
# A deferral that ended (another worker took the connection) is over when the loop has not come
# back to it for this long: the next connection starts a new one. Longer than the 5 ms Python
# may take to hand the worker's loop its turn while request threads run, or a deferral under load
# would start again at each turn and outlast LONGEST_DEFERRAL.
SAME_DEFERRAL = 0.03


class IdleTolerantThreadWorker(ThreadWorker):
    """``gthread`` whose new connections wait in the poller, not in a thread, until they send
    something; they are closed after ``keepalive`` seconds of silence. On a gunicorn without the
    hooks it needs, it says so in the log and behaves as plain ``gthread``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        missing = [name for name in POLLER_HOOKS if not hasattr(self, name)]
        self.waits_in_poller = not missing
        if missing:
            self.log.warning(HOOKS_MISSING, gunicorn.__version__, ", ".join(missing))
        self.connection_counts: ConnectionCounts | None = getattr(self.app, "connection_counts", None)
        self.slot = self.age % ConnectionCounts.SLOTS  # serve's master then gives it a free one (pre_fork)
        self.deferring_since: float | None = None
        self.last_deferral: float | None = None

    def notify(self):
        super().notify()  # every turn of the worker's loop, and of its shutdown's
        if self.connection_counts is None:
            return
        if self.alive:
            self.connection_counts.note(self.slot, self.nr_conns)
        else:  # stopping: it takes no more connections, whatever it holds
            self.connection_counts.forget(self.slot)

    def leaves_it_to_a_less_busy_worker(self) -> bool:
        """Whether to leave the connection waiting to be accepted to a worker holding fewer."""
        if self.connection_counts is None:
            return False
        self.connection_counts.note(self.slot, self.nr_conns)
        fewest = self.connection_counts.fewest_elsewhere(self.slot)
        now = time.monotonic()
        if fewest is None or self.nr_conns <= fewest:
            self.deferring_since = None
            return False
        if self.deferring_since is None or now - self.last_deferral > SAME_DEFERRAL:
            self.deferring_since = now
        if now - self.deferring_since >= LONGEST_DEFERRAL:
            self.deferring_since = None
            return False
        time.sleep(DEFERRAL_PAUSE)
        self.last_deferral = time.monotonic()
        return True

    def accept(self, *arguments):
        if self.leaves_it_to_a_less_busy_worker():
            return None
        if not self.waits_in_poller:
            return super().accept(*arguments)
        listener = arguments[-1]
        try:
            client, address = listener.accept()
        except OSError:  # nothing to accept (another worker took it) or the client went away
            return None
        self.nr_conns += 1
        client.setblocking(False)
        conn = TConn(self.cfg, client, address, listener.getsockname())
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(client, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))
        return None


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 2
    threads: int = 2  # more only adds waiting: the requests of a process share one core (docs/deploy.md)
    timeout: int = 60  # seconds a request may run before its worker is restarted
    graceful_timeout: int = 30  # seconds running requests get to finish on stop or reload
    keepalive: int = 5  # seconds an idle connection is kept open
    worker_connections: int = 1000  # open connections per worker, idle ones included
    database_pool_size: int = 10  # database connections each worker keeps: at least its threads


def gunicorn_settings(options: ServeOptions) -> dict:
    return {
        "bind": f"{options.host}:{options.port}",
        "workers": options.workers,
        "worker_class": "kernel.serve.IdleTolerantThreadWorker",
        "threads": options.threads,
        "worker_connections": options.worker_connections,
        "timeout": options.timeout,
        "graceful_timeout": options.graceful_timeout,
        "keepalive": options.keepalive,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "accesslog": "-",
        "logger_class": "kernel.serve.MaskingLogger",
    }


class PasserelleServer(BaseApplication):
    def __init__(self, options: ServeOptions, supervisor: WorkerSupervisor | None = None):
        self.options = options
        self.supervisor = supervisor
        self.connection_counts = ConnectionCounts()  # before gunicorn forks the workers
        super().__init__()

    def load_config(self):
        for name, value in gunicorn_settings(self.options).items():
            self.cfg.set(name, value)
        self.cfg.set("post_worker_init", note_the_worker_ready)
        self.cfg.set("pre_fork", lambda arbiter, worker: self.connection_counts.give_a_slot(
            worker, arbiter.WORKERS.values()))
        if self.supervisor is not None:
            self.cfg.set("on_exit", lambda _arbiter: self.supervisor.stop())

    def load(self):
        from kernel.app import create_app

        app = create_app({"DATABASE_POOL_SIZE": self.options.database_pool_size})
        freeze_what_lives_as_long_as_the_worker()
        return app


def note_the_worker_ready(worker) -> None:
    """Logged once the worker has loaded the application and takes connections (gunicorn logs
    "Booting worker" before it loads)."""
    worker.log.info("Worker ready (pid: %s)", worker.pid)


def freeze_what_lives_as_long_as_the_worker() -> None:
    """Leave the objects of the loaded application (modules, models, templates' environment, the
    plugins) out of Python's cyclic garbage collection. A full collection walked all of them: a
    pause of about 100 ms every few hundred requests, which every request of the worker waited
    out (``bench/README.md``, 2026-12-05)."""
    gc.collect()
    gc.freeze()


# -- the supervised background worker ----------------------------------------------------------
FIRST_PAUSE = 1.0  # seconds before restarting a worker that exited
LONGEST_PAUSE = 60.0
STEADY_AFTER = 60.0  # a worker that ran this long had no start-up problem: the pause starts again small


def worker_command() -> list[str]:
    return [sys.executable, "-m", "kernel.cli", "worker", "--stop-with", str(os.getpid())]


class WorkerSupervisor:
    """Runs ``passerelle worker`` as a child process and starts it again when it exits while
    ``serve`` runs (a crash, kill -9, an out-of-memory kill), after a pause that doubles while it
    keeps failing quickly. ``stop()`` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, command: list[str] | None = None):
        self.command = command or worker_command()
        self.owner_pid = os.getpid()  # gunicorn's forked workers must not stop it
        self.child: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._supervise, name="worker-supervisor", daemon=True)

    def start(self) -> None:
        self._spawn()
        self.thread.start()

    def _spawn(self) -> None:
        with self.lock:
            if not self.stopping.is_set():
                self.child = subprocess.Popen(self.command)
                log.info("background worker started (pid %s)", self.child.pid)

    def _supervise(self) -> None:
        pause = FIRST_PAUSE
        while not self.stopping.is_set():
            started = time.monotonic()
            self._wait_for_child()
            if self.stopping.is_set():
                return
            if time.monotonic() - started > STEADY_AFTER:
                pause = FIRST_PAUSE
            log.warning("background worker exited; starting it again in %.0f s", pause)
            if self.stopping.wait(pause):
                return
            pause = min(pause * 2, LONGEST_PAUSE)
            self._spawn()

    def _wait_for_child(self) -> None:
        # gunicorn's arbiter reaps every child (waitpid(-1)), ours too: poll for its end rather than
        # trust the exit status
        while not self.stopping.is_set() and self.child is not None and _alive(self.child):
            self.stopping.wait(0.5)

    def stop(self) -> None:
        if os.getpid() != self.owner_pid:
            return
        with self.lock:
            self.stopping.set()
            child = self.child
        if child is None or not _alive(child):
            return
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        except ChildProcessError:
            pass


def _alive(child: subprocess.Popen) -> bool:
    try:
        if child.poll() is not None:
            return False
    except ChildProcessError:
        return False
    try:
        os.kill(child.pid, 0)
    except ProcessLookupError:
        return False
    return not _is_zombie(child.pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False
