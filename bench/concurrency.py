"""Issue 15: many people at once, for real. ``--load-clients`` (30) clients for ``--load-seconds``
(60) against ``passerelle serve`` (gunicorn, on 127.0.0.1 only, its default workers and threads)
reading lists and records, creating records, and saving a few shared records at the same time
with the same version, through the REST API.

Prints the requests per second, the client-side latency percentiles (p50, p95, p99: queueing in
gunicorn included, as a person would wait), the count of 5xx answers and of failed connections
(target 0) and the count of lost updates (target 0): a save acknowledged with a 2xx although
another acknowledged save was based on the same version, or whose value is not the record's at
the end while it was the last acknowledged. Every loop is bounded (a deadline and a request cap;
each request has a timeout). The records and tokens it made are removed afterwards."""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select

from bench.harness import Bench, Figure
from bench.keepalive import KeepAliveConnection
from kernel.db import db

ROOT = Path(__file__).resolve().parents[1]
HOT_RECORDS = 3  # records every client saves, so that saves of one version meet
MIX = (("list", 45), ("detail", 25), ("create", 10), ("save", 20))  # weights, out of 100
MAX_REQUESTS_PER_CLIENT = 1_000_000
REQUEST_TIMEOUT = 30  # seconds
START_TIMEOUT = 180
TOKEN_NAME = "bench-concurrency"
LIST_READERS = 8  # issue 18: the list page's throughput with 8 clients on 2 cores
LIST_SECONDS = 20
LIST_TARGET = {"sqlite": 200, "postgresql": 150}  # requests per second
SERVER_TIME = re.compile(r"app;dur=([0-9.]+)")


@dataclass
class Save:
    record_id: int
    base_version: int
    new_version: int
    value: str


@dataclass
class Tally:
    """What one client saw; merged at the end (no lock on the hot path)."""

    latencies_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)  # each answer's Server-Timing app;dur
    statuses: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    latencies_by_kind: dict = field(default_factory=dict)
    ended_at: list[float] = field(default_factory=list)  # time.monotonic() of each answer
    connection_errors: int = 0
    saves: list[Save] = field(default_factory=list)


class ApiClient:
    """One person's program: a keep-alive connection, a token, and a seeded choice of actions."""

    def __init__(self, number: int, port: int, token: str, id_range: tuple[int, int], hot_ids: list[int]):
        self.number = number
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.low, self.high = id_range
        self.hot_ids = hot_ids
        self.random = random.Random(number)
        self.tally = Tally()
        self.connection: KeepAliveConnection | None = None
        self.sequence = 0

    def run(self, deadline: float) -> Tally:
        actions = [name for name, weight in MIX for _ in range(weight)]
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            getattr(self, self.random.choice(actions))()
        if self.connection:
            self.connection.close()
        return self.tally

    # -- actions -----------------------------------------------------------------------------
    def list(self):
        self.request("list", "GET", f"/api/v1/clients?page={self.random.randint(1, 50)}&per_page=20")

    def detail(self):
        self.request("detail", "GET", f"/api/v1/clients/{self.random.randint(self.low, self.high)}")

    def create(self):
        self.sequence += 1
        self.request("create", "POST", "/api/v1/clients",
                     {"first_name": "Charge", "last_name": f"Banc-{self.number}-{self.sequence}", "city": "Iqaluit"})

    def save(self):
        """Read a shared record, then save it with the version read: clients doing the same at the
        same moment send the same version, and all but one must be refused."""
        record_id = self.random.choice(self.hot_ids)
        status, headers, _body = self.request("save", "GET", f"/api/v1/clients/{record_id}")
        if status != 200:
            return
        version = int(headers.get("etag", '"0"').strip('"'))
        self.sequence += 1
        value = f"c{self.number}-{self.sequence}"
        status, headers, _body = self.request("save", "PATCH", f"/api/v1/clients/{record_id}", {"city": value},
                                              {"If-Match": f'"{version}"'})
        if 200 <= status < 300:
            self.tally.saves.append(Save(record_id, version, int(headers.get("etag", '"0"').strip('"')), value))

    # -- HTTP ----------------------------------------------------------------------------------
    def request(self, kind: str, method: str, path: str, body=None, extra_headers=None):
        data = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        for attempt in range(2):  # a keep-alive connection the server closed is opened again once
            try:
                connection = self.connection or KeepAliveConnection("127.0.0.1", self.port, REQUEST_TIMEOUT)
                self.connection = connection
                status, headers, payload = connection.request(method, path, data,
                                                              {**self.headers, **(extra_headers or {})})
                break
            except OSError:
                if self.connection:
                    self.connection.close()
                self.connection = None
                if attempt == 1:
                    self.tally.connection_errors += 1
                    return 0, {}, b""
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.tally.latencies_ms.append(elapsed_ms)
        self.tally.ended_at.append(time.monotonic())
        self.tally.latencies_by_kind.setdefault(f"{kind} {method}", []).append(elapsed_ms)
        server = SERVER_TIME.match(headers.get("server-timing", ""))
        if server:
            self.tally.server_ms.append(float(server.group(1)))
        self.tally.statuses[status] += 1
        self.tally.by_kind[kind] += 1
        if headers.get("connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return status, headers, payload


class PageReader(ApiClient):
    """A signed-in person paging through the clients' list page (HTML), on a keep-alive connection."""

    def __init__(self, number: int, port: int, cookie: str):
        super().__init__(number, port, "", (1, 1), [])
        self.headers = {"Cookie": cookie}

    def run(self, deadline: float) -> Tally:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            self.request("list page", "GET", f"/clients/?sort=last_name&page={self.random.randint(1, 50)}")
        if self.connection:
            self.connection.close()
        return self.tally


def session_cookie(port: int, email: str) -> str:
    """Signs in through the login form once; the readers share the session's cookie."""
    from bench.harness import PASSWORD

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(base + "/login", timeout=REQUEST_TIMEOUT).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
    opener.open(base + "/login", data=data, timeout=REQUEST_TIMEOUT).read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


# -- the serve process -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serve(bench: Bench, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": bench.url, "PASSERELLE_INSTANCE": str(bench.results / "instance"),
           "SECRET_KEY": "bench", "DEMO_DATA": "0", "PYTHONUNBUFFERED": "1",
           "PASSERELLE_PLUGINS": os.environ.get("PASSERELLE_PLUGINS", "")}
    env.pop("PASSERELLE_CONFIG", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "kernel.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--no-setup",
             "--no-worker", *os.environ.get("BENCH_SERVE_ARGS", "").split()],  # say "--workers 4 --threads 2"
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("serve exited:\n" + log.read_text(errors="replace")[-3000:])
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10).read()
            return process
        except OSError:
            time.sleep(0.5)
    stop_serve(process)
    raise RuntimeError("serve did not answer:\n" + log.read_text(errors="replace")[-3000:])


def stop_serve(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the scenario ------------------------------------------------------------------------------
def concurrency(bench: Bench):
    from bench.imports import remove_imported
    from kernel import records
    from kernel.duplicates import DuplicateKey
    from kernel.history import RecordChange
    from kernel.registry import entities
    from kernel.users import ApiToken, create_token
    from plugins.clients.models import Client

    clients, seconds = bench.load_clients, bench.load_seconds
    last_id = db.session.scalar(select(func.max(Client.id))) or 0
    low = db.session.scalar(select(func.min(Client.id))) or 1
    hot = [records.create(entities().get("client"), {"last_name": f"Partagé-{index}", "city": "Iqaluit"}, bench.staff)
           for index in range(HOT_RECORDS)]
    tokens = [create_token(bench.staff, TOKEN_NAME) for _ in range(clients)]
    db.session.commit()
    hot_ids = [record.id for record in hot]
    db.session.remove()  # nothing of this process holds the database while the server runs
    port = free_port()
    process = start_serve(bench, port, bench.results / "serve-concurrency.log")
    try:
        cookie = session_cookie(port, bench.staff.email)
        readers = [PageReader(number, port, cookie) for number in range(LIST_READERS)]
        cpu_before = cpu_seconds(process.pid)
        list_tallies, list_elapsed = run_clients(readers, min(seconds, LIST_SECONDS))
        list_cpu = [after - before for after, before in zip(cpu_seconds(process.pid), cpu_before, strict=True)]
        people = [ApiClient(number, port, token, (low, max(last_id, low)), hot_ids)
                  for number, token in enumerate(tokens)]
        cpu_before = cpu_seconds(process.pid)
        tallies, elapsed = run_clients(people, seconds)
        load_cpu = [after - before for after, before in zip(cpu_seconds(process.pid), cpu_before, strict=True)]
    finally:
        stop_serve(process)
        final = dict(db.session.execute(select(Client.id, Client.city).where(Client.id.in_(hot_ids))).all())
        remove_imported(Client, last_id, DuplicateKey, RecordChange)
        db.session.execute(delete(ApiToken).where(ApiToken.name == TOKEN_NAME))
        db.session.commit()
    yield from list_figures(list_tallies, list_elapsed, bench.dialect)
    yield list_profile(list_tallies, list_elapsed, list_cpu)
    yield from figures(tallies, elapsed, clients, len(hot_ids), final, load_cpu)


def run_clients(people: list[ApiClient], seconds: float) -> tuple[list[Tally], float]:
    results: list[Tally | None] = [None] * len(people)
    started = time.monotonic()
    deadline = started + seconds

    def work(index: int) -> None:
        results[index] = people[index].run(deadline)

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT + 30)
    elapsed = time.monotonic() - started
    return [tally or people[index].tally for index, tally in enumerate(results)], elapsed


def lost_updates(saves: list[Save], final: dict[int, str | None]) -> int:
    """Acknowledged saves beyond the first on one version of a record (one overwrote the other),
    plus records whose value at the end is not that of their last acknowledged save."""
    per_version = Counter((save.record_id, save.base_version) for save in saves)
    lost = sum(count - 1 for count in per_version.values() if count > 1)
    last = {}
    for save in sorted(saves, key=lambda save: save.new_version):
        last[save.record_id] = save.value
    lost += sum(1 for record_id, value in last.items() if record_id in final and final[record_id] != value)
    return lost


def list_figures(tallies: list[Tally], elapsed: float, dialect: str):
    """Issue 18: the list page's throughput with 8 clients (≥ 200 requests/s on SQLite, 150 on
    PostgreSQL), every answer a 200."""
    total = sum(len(tally.latencies_ms) for tally in tallies)
    statuses = sum((tally.statuses for tally in tallies), Counter())
    failed = sum(count for status, count in statuses.items() if status != 200)
    failed += sum(tally.connection_errors for tally in tallies)
    label = f"list page ({LIST_READERS} clients, HTML)"
    target = LIST_TARGET.get(dialect, 150)
    yield Figure(f"{label}: requests per second", total / elapsed, "req/s", target, higher_is_better=True)
    yield Figure(f"{label}: answers other than 200", failed, "", 0)


@dataclass
class Note:
    """A line of the report without a target (where the time went)."""

    text: str
    failed: bool = False

    def __str__(self) -> str:
        return "# " + self.text


def cpu_seconds(serve_pid: int) -> tuple[float, float, float]:
    """CPU seconds used so far by ``serve`` (its master and workers), by this process (the bench's
    clients) and by a PostgreSQL on this machine: with 2 cores, what one takes the others do not get."""
    ticks = os.sysconf("SC_CLK_TCK")
    server = database = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, IndexError, ValueError):
            continue
        fields = fields.split()
        pid, parent, used = int(stat.parent.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks
        if serve_pid in (pid, parent):
            server += used
        elif name == "postgres":
            database += used
    own = os.times()
    return server, own.user + own.system, database


def list_profile(tallies: list[Tally], elapsed: float, cpu: list[float]) -> Note:
    """Server time against client-observed time, and who used the cores, for the list readers."""
    served = [ms for tally in tallies for ms in tally.server_ms]
    seen = [ms for tally in tallies for ms in tally.latencies_ms]
    if not served or not seen:
        return Note("list page: no answers")
    server_cpu, client_cpu, _database = cpu
    return Note(
        f"list page: server time per request {statistics.mean(served):.1f} ms (p95 {p95(served):.1f}), "
        f"seen by the clients {statistics.mean(seen):.1f} ms (p95 {p95(seen):.1f}); CPU over {elapsed:.0f} s: "
        f"serve {server_cpu:.1f} s ({server_cpu / len(seen) * 1000:.1f} ms a request), the bench's clients "
        f"{client_cpu:.1f} s, {os.cpu_count()} cores")


def load_cpu_line(cpu: list[float], elapsed: float, requests: int) -> str:
    """Where the cores went during the load: CPU time a request is what throughput is made of."""
    server_cpu, client_cpu, database_cpu = cpu
    each = [f"{seconds / requests * 1000:.2f}" for seconds in (server_cpu, database_cpu, client_cpu)]
    return (f"# load: CPU over {elapsed:.0f} s: serve {server_cpu:.1f} s, PostgreSQL {database_cpu:.1f} s, the bench's "
            f"clients {client_cpu:.1f} s ({' / '.join(each)} ms a request), {os.cpu_count()} cores")


def spread_line(tallies: list[Tally]) -> str:
    """Two causes of a long p95 that are not the code's: workers holding uneven numbers of
    connections (their clients' medians then split in two groups), and a machine shared with
    others (the requests answered each second move)."""
    medians = sorted(statistics.median(tally.latencies_ms) for tally in tallies if tally.latencies_ms)
    ends = [end for tally in tallies for end in tally.ended_at]
    first = min(ends, default=0.0)
    by_second = Counter(int(end - first) for end in ends)
    per_second = sorted(by_second[second] for second in range(1, max(by_second)))  # not the partial ones
    line = f"# load: each client's median latency from {medians[0]:.0f} to {medians[-1]:.0f} ms"
    if per_second:
        line += (f"; requests answered each second from {per_second[0]:,} to {per_second[-1]:,} "
                 f"(median {statistics.median(per_second):,.0f})")
    return line


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def kind_latencies(tallies: list[Tally]) -> dict[str, list[float]]:
    merged: dict[str, list[float]] = {}
    for tally in tallies:
        for kind, values in tally.latencies_by_kind.items():
            merged.setdefault(kind, []).extend(values)
    return merged


def figures(tallies: list[Tally], elapsed: float, clients: int, shared: int, final: dict[int, str | None],
            cpu: list[float]):
    latencies = sorted(ms for tally in tallies for ms in tally.latencies_ms)
    statuses = sum((tally.statuses for tally in tallies), Counter())
    by_kind = sum((tally.by_kind for tally in tallies), Counter())
    saves = [save for tally in tallies for save in tally.saves]
    errors = sum(tally.connection_errors for tally in tallies)
    total = len(latencies)
    if total < 2:
        raise RuntimeError(f"the clients made {total} requests: see bench/results/serve-concurrency.log")
    cuts = statistics.quantiles(latencies, n=100)
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    mix = ", ".join(f"{kind} {count:,}" for kind, count in sorted(by_kind.items()))
    answers = ", ".join(f"{status}: {count:,}" for status, count in sorted(statuses.items()))
    print(f"# load: {clients} clients for {elapsed:.0f} s, {total:,} requests ({mix}); answers {answers}; "
          f"{len(saves):,} saves of {shared} shared records acknowledged", flush=True)
    served = [ms for tally in tallies for ms in tally.server_ms]
    if served:
        print(f"# load: server time (Server-Timing) p50 {statistics.median(served):.0f} ms, p95 {p95(served):.0f} ms; "
              "the rest of the latency is waiting: for a thread, and for the clients' own process", flush=True)
    print(load_cpu_line(cpu, elapsed, total), flush=True)
    print(spread_line(tallies), flush=True)
    print("# load: p50 / p95 by kind: " + "; ".join(
        f"{kind} {statistics.median(values):.0f} / {p95(values):.0f} ms"
        for kind, values in sorted(kind_latencies(tallies).items())), flush=True)
    label = f"load ({clients} clients)"
    yield Figure(f"{label}: requests per second", total / elapsed, "req/s", 50, higher_is_better=True)
    yield Figure(f"{label}: latency p50", cuts[49], "ms", 200)
    yield Figure(f"{label}: latency p95", cuts[94], "ms", 150)
    yield Figure(f"{label}: latency p99", cuts[98], "ms", 2000)
    yield Figure(f"{label}: 5xx answers", server_errors, "", 0)
    yield Figure(f"{label}: failed connections", errors, "", 0)
    yield Figure(f"{label}: lost updates", lost_updates(saves, final), "", 0)

