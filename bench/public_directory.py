"""Issue 20: the public directory cannot slow the agents down. On the resource-search data
(``bench/directory.py``: 50,000 services at 80,000 locations; nine services in ten, every agency
and seven locations in eight marked public), against ``passerelle serve`` (gunicorn, its default
2 workers of 8 threads), as shipped (cache on, rate limit ``60 per minute`` per address), each
visitor from an address of its own (``X-Forwarded-For``, the server told to trust one proxy),
after a warm-up (the popular searches asked once from six connections, as after the first
minutes of a day):

1. an agent's resource searches alone: p95 of the server time (``Server-Timing``) and of the time
   the agent waits (client side, queueing included);
2. the same while 50 people (``PUBLIC_VISITORS``) browse the public directory, a page every one to
   three seconds each: three in four of their requests are searches drawn from a pool of popular
   ones (keyword, postal code, type, open now, language, page), one in four a resource page picked
   at random among the public services (which the cache cannot absorb);
3. the same while 50 crawlers ask the same pages without pause: the rate limit answers 429 to each
   beyond 60 a minute.

Printed: the agents' p95 in each phase (target 50 ms), the visitors' answers per second by status,
their p95 and their answers other than 200 (people) or 200 and 429 (crawlers). The visitors run
as threads of the bench's own process, on the same machine: their client side takes CPU too."""

from __future__ import annotations

import http.client
import random
import re
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import select, update

from bench.concurrency import REQUEST_TIMEOUT, free_port, session_cookie, start_serve, stop_serve
from bench.directory import CITIES, SEARCHES, TOPICS, ensure_data
from bench.harness import Bench, Figure
from kernel.db import db

PUBLIC_VISITORS = 50
SECONDS = 30
THINK_SECONDS = (1.0, 3.0)  # a person's pause between two pages
AGENT_TARGET_MS = 50
SEED = 2020
POPULAR_SEARCHES = 60
WARM_UP_CONNECTIONS = 6  # each asks every popular search once (fewer than 60 a minute: not limited)
CONFIG = """DIRECTORY_PUBLIC = true
TRUSTED_PROXIES = 1
"""


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0


class Browser:
    """One keep-alive connection that times each GET (client side and ``Server-Timing``)."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port = port
        self.headers = headers or {}
        self.connection: http.client.HTTPConnection | None = None
        self.tally = Tally()

    def get(self, path: str) -> None:
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.tally.connection_errors += 1
            self.close()
            return
        self.tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.tally.statuses[response.status] += 1
        timing = re.search(r"app;dur=([0-9.]+)", response.getheader("Server-Timing") or "")
        if timing:
            self.tally.server_ms.append(float(timing.group(1)))

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def public_searches(rng: random.Random) -> list[str]:
    """The popular searches: a seeded pool of what visitors type and choose."""
    searches = []
    for _ in range(POPULAR_SEARCHES):
        code, english, french, words = rng.choice(TOPICS)
        city, prefix, _lat, _lon = rng.choice(CITIES)
        criteria = rng.choice([
            {"q": rng.choice(words.split())}, {"q": rng.choice(words.split()), "near": f"{prefix} 1A1"},
            {"type": code}, {"type": code, "open": "now"}, {"q": english.split()[0].lower(), "language": "fr"},
            {"near": f"{prefix} 1A1", "page": rng.randint(1, 3)},
        ])
        criteria["lang"] = rng.choice(["fr", "en"])
        searches.append("/directory/public/?" + urllib.parse.urlencode(criteria))
    return searches


def visit(port: int, number: int, searches: list[str], public_ids: list[int], deadline: float,
          think: bool) -> Tally:
    rng = random.Random(SEED + number)
    visitor = Browser(port, {"X-Forwarded-For": f"10.20.{number // 250}.{number % 250 + 1}"})
    if think:  # people arrive one by one, not all in the same instant
        time.sleep(rng.uniform(*THINK_SECONDS))
    while time.monotonic() < deadline:
        if rng.random() < 0.75:
            visitor.get(rng.choice(searches))
        else:
            visitor.get(f"/directory/public/resources/{rng.choice(public_ids)}?lang={rng.choice(['fr', 'en'])}")
        if think:
            time.sleep(min(rng.uniform(*THINK_SECONDS), max(deadline - time.monotonic(), 0)))
    visitor.close()
    return visitor.tally


def agent_searches(port: int, cookie: str, paths: list[str], requests: int | None, deadline: float | None) -> Tally:
    agent = Browser(port, {"Cookie": cookie})
    for path in paths[:3]:  # warm-up
        agent.get(path)
    agent.tally = Tally()
    index = 0
    while (requests is None or index < requests) and (deadline is None or time.monotonic() < deadline):
        agent.get(paths[index % len(paths)])
        index += 1
    agent.close()
    return agent.tally


def mark_public() -> list[int]:
    """Every agency, nine services in ten and seven locations in eight public; the public services' ids."""
    from plugins.directory.models import Agency, Resource, Site

    db.session.execute(update(Agency).values(public=True))
    db.session.execute(update(Resource).values(public=(Resource.id % 10) != 0))
    db.session.execute(update(Site).values(public=(Site.id % 8) != 0))
    db.session.commit()
    return list(db.session.scalars(select(Resource.id).where(Resource.public.is_(True), Resource.deleted_at.is_(None))))


def serve_with_public_directory(bench: Bench, port: int):
    folder = Path(bench.results) / "public-directory"
    (folder / "instance").mkdir(parents=True, exist_ok=True)
    (folder / "instance" / "passerelle.toml").write_text(CONFIG)
    return start_serve(SimpleNamespace(url=bench.url, results=folder), port, folder / "serve.log")


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


def crowd(port: int, cookie: str, agent_paths, searches, public_ids, think: bool) -> tuple[Tally, list[Tally], float]:
    """The agent's searches while the visitors are at work; the visitors' tallies and time."""
    deadline = time.monotonic() + SECONDS
    tallies: list[Tally | None] = [None] * PUBLIC_VISITORS

    def work(number: int) -> None:
        tallies[number] = visit(port, number, searches, public_ids, deadline, think)

    threads = [threading.Thread(target=work, args=(number,), daemon=True) for number in range(PUBLIC_VISITORS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(2)  # the visitors are all at work
    agent = agent_searches(port, cookie, agent_paths, None, deadline)
    for thread in threads:
        thread.join(timeout=SECONDS + 2 * REQUEST_TIMEOUT)
    return agent, [tally for tally in tallies if tally], time.monotonic() - started


def warm_up(port: int, searches: list[str], public_ids: list[int]) -> None:
    """The popular searches asked a few times over, from a few connections (so that both workers
    render them and the first requests' one-off costs are paid): the steady state of a day."""
    def work(number: int) -> None:
        browser = Browser(port, {"X-Forwarded-For": f"10.30.0.{number + 1}"})
        for path in searches + [f"/directory/public/resources/{public_ids[number]}"]:
            browser.get(path)
        browser.close()

    threads = [threading.Thread(target=work, args=(number,), daemon=True) for number in range(WARM_UP_CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)


def public_directory(bench: Bench):
    ensure_data(bench)
    public_ids = mark_public()
    staff_email = bench.staff.email
    db.session.remove()  # nothing of this process holds the database while the server runs
    agent_paths = [path for paths in SEARCHES.values() for path in paths]
    searches = public_searches(random.Random(SEED))
    port = free_port()
    process = serve_with_public_directory(bench, port)
    try:
        cookie = session_cookie(port, staff_email)
        warm_up(port, searches, public_ids)
        alone = agent_searches(port, cookie, agent_paths, bench.repeat * 2, None)
        with_people = crowd(port, cookie, agent_paths, searches, public_ids, think=True)
        with_crawlers = crowd(port, cookie, agent_paths, searches, public_ids, think=False)
    finally:
        stop_serve(process)
    yield from agent_figures("alone", alone)
    yield from agent_figures(f"with {PUBLIC_VISITORS} people browsing", with_people[0])
    yield from visitor_figures(f"{PUBLIC_VISITORS} people browsing", *with_people[1:], allowed=(200,))
    yield from agent_figures(f"with {PUBLIC_VISITORS} crawlers", with_crawlers[0])
    yield from visitor_figures(f"{PUBLIC_VISITORS} crawlers", *with_crawlers[1:], allowed=(200, 429))


def agent_figures(label: str, agent: Tally):
    yield Figure(f"agents' resource search {label}: server p95", p95(agent.server_ms), "ms", AGENT_TARGET_MS)
    yield Figure(f"agents' resource search {label}: waited p95", p95(agent.latencies_ms), "ms", AGENT_TARGET_MS)
    yield Figure(f"agents' resource search {label}: answers other than 200",
                 sum(count for status, count in agent.statuses.items() if status != 200) + agent.connection_errors,
                 "", 0)


def visitor_figures(label: str, visitors: list[Tally], elapsed: float, allowed: tuple[int, ...]):
    statuses = sum((tally.statuses for tally in visitors), Counter())
    for status in sorted(statuses):
        yield Figure(f"{label}: {status} answers per second", statuses[status] / elapsed, "req/s", 0,
                     higher_is_better=True)
    latencies = [ms for tally in visitors for ms in tally.latencies_ms]
    yield Figure(f"{label}: waited p95", p95(latencies), "ms", 1_000)
    unexpected = sum(count for status, count in statuses.items() if status not in allowed)
    unexpected += sum(tally.connection_errors for tally in visitors)
    yield Figure(f"{label}: answers other than {' or '.join(map(str, allowed))}", unexpected, "", 0)
