"""``passerelle serve`` spreads connections evenly over its workers. A client keeps its connection
and the worker that accepted it serves all its requests: 50 clients split 34 to 16 made the 34
wait twice as long. A worker holding more connections than another leaves a new one to it."""

import http.client
import os
import time
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import pytest

from kernel import serve
from kernel.serve import ConnectionCounts, IdleTolerantThreadWorker
from tests.kernel.serving import START_TIMEOUT, running_serve

CONNECTIONS = 40
WARM_UP = 20


def workers_of(serve_pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == serve_pid:
                children.append(int(entry.name))
    return children


def connections_held(pids: list[int], port: int) -> dict[int, int]:
    """The established connections to ``port`` each process holds (Linux: ``/proc``)."""
    accepted = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "01" and int(fields[1].split(":")[1], 16) == port:  # 01: established
            accepted.add(f"socket:[{fields[9]}]")
    held = {}
    for pid in pids:
        fds = Path(f"/proc/{pid}/fd")
        held[pid] = sum(1 for fd in fds.iterdir() if _link(fd) in accepted)
    return held


def _link(fd: Path) -> str:
    try:
        return os.readlink(fd)
    except OSError:
        return ""


def wait_for_ready_workers(log: Path, count: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while log.read_text(errors="replace").count("Worker ready") < count:
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)


def warm_up(port: int) -> None:
    """A worker's first requests compile templates: meanwhile it cannot take a connection, and
    the other takes it after a moment."""
    for _request in range(WARM_UP):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/login", headers={"Connection": "close"})
        connection.getresponse().read()
        connection.close()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the connections in Linux's /proc")
def test_two_workers_hold_as_many_connections(tmp_path):
    with running_serve(tmp_path / "instance", "--no-worker", "--workers", "2") as (base, process, log), \
            ExitStack() as stack:
        port = int(base.rsplit(":", 1)[1])
        wait_for_ready_workers(log, 2)
        warm_up(port)
        for _client in range(CONNECTIONS):  # each keeps its connection, as a browser does
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            stack.callback(connection.close)
            connection.request("GET", "/login")
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200 and answer.getheader("Connection", "").lower() != "close"
        held = connections_held(workers_of(process.pid), port)
    assert len(held) == 2 and sum(held.values()) == CONNECTIONS, held
    assert max(held.values()) - min(held.values()) <= 2, held


# -- the worker's choice, step by step -------------------------------------------------------
class Worker(IdleTolerantThreadWorker):
    def __init__(self, counts: ConnectionCounts | None, slot: int, connections: int):  # noqa: D107 - no gunicorn
        self.connection_counts, self.slot, self.nr_conns = counts, slot, connections
        self.deferring_since = self.last_deferral = None
        self.alive, self.tmp = True, SimpleNamespace(notify=lambda: None)


@pytest.fixture
def no_pause(monkeypatch):
    monkeypatch.setattr(serve.time, "sleep", lambda _seconds: None)


def test_a_worker_holding_more_than_another_leaves_the_connection_to_it(no_pause):
    counts = ConnectionCounts()
    busy, other = Worker(counts, 0, 5), Worker(counts, 1, 3)
    counts.note(other.slot, other.nr_conns)
    assert busy.leaves_it_to_a_less_busy_worker()
    assert not other.leaves_it_to_a_less_busy_worker()  # it holds fewer: it takes it


def test_a_worker_holding_as_many_as_another_takes_the_connection(no_pause):
    counts = ConnectionCounts()
    counts.note(1, 5)
    assert not Worker(counts, 0, 5).leaves_it_to_a_less_busy_worker()


def test_one_connection_more_than_another_is_already_uneven(no_pause):
    """Taking it would make 6 to 4: 26 clients to 24 waited 14 % longer than the others."""
    counts = ConnectionCounts()
    counts.note(1, 4)
    assert Worker(counts, 0, 5).leaves_it_to_a_less_busy_worker()


def test_a_worker_alone_or_without_shared_counts_takes_every_connection(no_pause):
    assert not Worker(ConnectionCounts(), 0, 500).leaves_it_to_a_less_busy_worker()
    assert not Worker(None, 0, 500).leaves_it_to_a_less_busy_worker()


def test_a_worker_gone_quiet_is_not_waited_for(no_pause, monkeypatch):
    counts = ConnectionCounts()
    counts.note(1, 0)
    busy = Worker(counts, 0, 9)
    assert busy.leaves_it_to_a_less_busy_worker()
    later = serve.time.monotonic() + ConnectionCounts.FRESH_SECONDS
    monkeypatch.setattr(serve.time, "monotonic", lambda: later)
    assert not busy.leaves_it_to_a_less_busy_worker()


def test_a_connection_left_too_long_is_taken_after_all(no_pause, monkeypatch):
    """The other worker may be stuck in a long request: after a moment the busy one takes it."""
    counts = ConnectionCounts()
    busy = Worker(counts, 0, 9)
    now = [serve.time.monotonic()]
    monkeypatch.setattr(serve.time, "monotonic", lambda: now[0])

    def defers() -> bool:
        counts.note(1, 0)  # the other worker's loop turns too
        return busy.leaves_it_to_a_less_busy_worker()

    deferred = 0
    while defers():
        deferred += 1
        now[0] += serve.DEFERRAL_PAUSE  # the loop comes back after each pause
        assert deferred < 10 * serve.LONGEST_DEFERRAL / serve.DEFERRAL_PAUSE
    assert deferred == pytest.approx(serve.LONGEST_DEFERRAL / serve.DEFERRAL_PAUSE, abs=1)
    assert defers()  # the next one is left to the other again


def test_a_deferral_ends_in_time_when_the_loop_turns_slowly(no_pause, monkeypatch):
    """Under load the worker's loop may wait 5 ms or more for its turn (Python hands the threads
    their turns every 5 ms): the deferral goes on across such turns and still ends on time."""
    counts = ConnectionCounts()
    busy = Worker(counts, 0, 9)
    now = [serve.time.monotonic()]
    monkeypatch.setattr(serve.time, "monotonic", lambda: now[0])
    waited = 0.0
    while True:
        counts.note(1, 0)
        if not busy.leaves_it_to_a_less_busy_worker():
            break
        now[0] += 0.01
        waited += 0.01
        assert waited < 10 * serve.LONGEST_DEFERRAL
    assert waited == pytest.approx(serve.LONGEST_DEFERRAL, abs=0.011)


def test_a_deferral_that_ended_does_not_shorten_the_next(no_pause, monkeypatch):
    """The other worker took the first connection; half a second later the next one is left to
    it again, for as long."""
    counts = ConnectionCounts()
    busy = Worker(counts, 0, 9)
    now = [serve.time.monotonic()]
    monkeypatch.setattr(serve.time, "monotonic", lambda: now[0])
    counts.note(1, 0)
    assert busy.leaves_it_to_a_less_busy_worker()
    now[0] += 0.5
    counts.note(1, 1)
    assert busy.leaves_it_to_a_less_busy_worker()


def test_a_stopping_worker_is_not_left_new_connections(no_pause):
    counts = ConnectionCounts()
    busy, stopping = Worker(counts, 0, 9), Worker(counts, 1, 0)
    stopping.notify()
    assert busy.leaves_it_to_a_less_busy_worker()
    stopping.alive = False  # gunicorn's shutdown: its loop still turns while connections finish
    stopping.notify()
    assert not busy.leaves_it_to_a_less_busy_worker()


def test_slots_never_written_are_no_worker(no_pause, monkeypatch):
    monkeypatch.setattr(serve.time, "monotonic", lambda: 1.0)  # a machine just booted
    assert not Worker(ConnectionCounts(), 0, 9).leaves_it_to_a_less_busy_worker()


def test_the_master_gives_each_worker_a_slot_no_live_worker_holds():
    counts = ConnectionCounts()
    live = []
    for age in (1, 2):
        worker = SimpleNamespace(age=age)
        counts.give_a_slot(worker, live)
        live.append(worker)
    assert [worker.slot for worker in live] == [0, 1]
    live.pop(0)  # the first one is restarted, many times over
    restarted = SimpleNamespace(age=66)  # 66 % 64 would be the survivor's slot
    counts.give_a_slot(restarted, live)
    assert restarted.slot == 0
