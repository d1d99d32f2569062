"""Reports benchmark (issue 9): on N clients (``--clients``, a million by default) and twice as many
calls, seeded, the grouped report "new clients per month by country of origin over two years" and
a column report of 10,000 rows (with each client's calls counted in the period) answer in at most
2 s each, the aggregation done by the database.

Run ``python -m bench --only reports`` (add ``--database-url postgresql://…`` for PostgreSQL)."""

from __future__ import annotations

import random
import statistics
import time
import urllib.parse
from datetime import datetime, timedelta

from sqlalchemy import select

from bench.data import count, insert_rows
from bench.harness import Bench, Figure
from kernel.db import db

CALLS_PER_CLIENT = 2
SEED = 2026
ROWS = 10_000
RUNS = 5
TARGET_MS = 2000
NOW = datetime(2026, 11, 1)  # the clients of bench.data are created in the 1,100 days before


def call_rows(calls: int, client_ids: list[int], user_ids: list[int], start: int = 0):
    rng = random.Random(SEED + start)
    for _index in range(calls):
        begins = NOW - timedelta(days=rng.randrange(0, 730), minutes=rng.randrange(0, 1440))
        yield {
            "subject": rng.choice(["Suivi", "Premier contact", "Rendez-vous", "Offre d'emploi"]),
            "direction": rng.choice(["inbound", "outbound"]), "status": rng.choice(["planned", "held"]),
            "start": begins, "duration_hours": 0, "duration_minutes": rng.randrange(5, 60),
            "related_to": f"client:{rng.choice(client_ids)}", "assigned_user_id": rng.choice(user_ids),
            "created_by_id": user_ids[0], "updated_by_id": user_ids[0], "created_at": begins, "updated_at": begins,
            "version": 1, "custom": {}, "search_text": "",
        }


def ensure_calls(bench: Bench) -> None:
    from plugins.activities.models import Call
    from plugins.clients.models import Client

    wanted = CALLS_PER_CLIENT * count(Client)
    have = count(Call)
    if have >= wanted:
        return
    print(f"# generating {wanted - have:,} calls …", flush=True)
    client_ids = list(db.session.scalars(select(Client.id)))
    insert_rows(Call, call_rows(wanted - have, client_ids, [user.id for user in bench.users], start=have),
                progress=lambda done: print(f"#   {have + done:,}", flush=True) if done % 500_000 == 0 else None)
    bench.analyze()


def grouped_url() -> str:
    return "/reports/build?" + urllib.parse.urlencode([
        ("entity", "client"), ("group", "created_at:month"), ("group", "country_of_origin"), ("agg", "count"),
        ("period", "custom"), ("period_field", "created_at"), ("from", "2024-11-01"), ("to", "2026-10-31"),
        ("chart", "bar"),
    ])


def column_report_query(rows: int) -> str:
    """A column report of about ``rows`` clients: the latest created, with their calls of the period."""
    from plugins.clients.models import Client

    since = db.session.scalar(select(Client.created_at).order_by(Client.created_at.desc()).offset(rows - 1).limit(1))
    since = since or datetime(2000, 1, 1)
    return urllib.parse.urlencode([
        ("entity", "client"), ("columns", "last_name"), ("columns", "first_name"), ("columns", "country_of_origin"),
        ("columns", "immigration_status"), ("columns", "created_at"), ("columns", "activities.client_calls"),
        ("columns", "assigned_user_id"), ("sort", "last_name"), ("period", "custom"), ("period_field", "created_at"),
        ("from", (since + timedelta(days=1)).date().isoformat()), ("to", NOW.date().isoformat()),
    ])


def download_ms(bench: Bench, path: str) -> tuple[float, int]:
    """Wall time of the whole streamed download (Server-Timing stops before a streamed body)."""
    started = time.perf_counter()
    with bench.opener.open(bench.base + path) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, body.count(b"\n") - 1


def worst(measure, runs: int = RUNS) -> float:
    measure()  # warm-up
    return max(measure() for _ in range(runs))


def reports(bench: Bench):
    from plugins.activities.models import Call
    from plugins.clients.models import Client

    ensure_calls(bench)
    clients, calls = count(Client), count(Call)
    scale = f"{clients:,} clients, {calls:,} calls"
    yield Figure(f"reports: new clients/month by country, 2 years ({scale}), worst of {RUNS}",
                 worst(lambda: bench.server_ms(grouped_url())), "ms", TARGET_MS)
    query = column_report_query(min(ROWS, clients))
    yield Figure("reports: column report, first page of the table, worst", worst(
        lambda: bench.server_ms("/reports/build?" + query)), "ms", TARGET_MS)
    times, rows = [], 0
    download_ms(bench, "/reports/export.csv?" + query)
    for _ in range(RUNS):
        elapsed, rows = download_ms(bench, "/reports/export.csv?" + query)
        times.append(elapsed)
    yield Figure(f"reports: column report of {rows:,} rows as CSV, whole download, worst", max(times), "ms",
                 TARGET_MS)
    yield Figure("reports: column report as CSV, median", statistics.median(times), "ms", TARGET_MS)
