"""``passerelle serve``'s worker keeps new connections in gunicorn's poller: on the gunicorn the
project pins it does, and on a gunicorn without the hooks it needs it says so loudly in the log
(it then behaves as plain gthread, which lets idle clients hold every thread)."""

import os
import socket

import pytest
from gunicorn.config import Config

from kernel import serve


class RecordingLog:
    def __init__(self):
        self.warnings: list[str] = []

    def warning(self, message, *values):
        self.warnings.append(message % values)


@pytest.fixture
def make_worker():
    made = []

    def make():
        config = Config()
        config.set("keepalive", 5)
        worker = serve.IdleTolerantThreadWorker(1, os.getpid(), [], None, 30, config, RecordingLog())
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.tmp.close()


def test_on_the_installed_gunicorn_new_connections_wait_in_the_poller(make_worker):
    worker = make_worker()
    worker.poller = serve.selectors.DefaultSelector()
    with socket.create_server(("127.0.0.1", 0)) as listener, socket.create_connection(listener.getsockname()):
        listener.setblocking(False)
        worker.accept(listener)
        assert worker.log.warnings == []
        assert len(worker.pending_conns) == 1  # parked in the poller, no thread given to it
        assert worker.nr_conns == 1
        worker.pending_conns[0].close()
    worker.poller.close()


def test_a_gunicorn_without_the_hooks_is_reported_in_the_log(make_worker, monkeypatch):
    monkeypatch.setattr(serve, "POLLER_HOOKS", (*serve.POLLER_HOOKS, "hook_of_another_version"))
    worker = make_worker()
    assert not worker.waits_in_poller
    [warning] = worker.log.warnings
    assert "hook_of_another_version" in warning
    assert "idle" in warning
