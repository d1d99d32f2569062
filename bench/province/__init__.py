"""Province-scale data (issue 18), PostgreSQL only: 5,000,000 helpline contacts over 1,000,000
caller profiles and a directory of 200,000 services at 300,000 locations.

``python -m bench --database-url postgresql://…/bench_province --only province``: the data is
built once with COPY (about 45 minutes on a shared 2-core machine, see bench/README.md) and recorded in the table
``bench_province_built``; later runs only measure.

``BENCH_PROVINCE_PARTS=directory`` (comma-separated parts, default every part) builds and measures
only those parts: the directory alone takes minutes, the helpline more than 40."""

from __future__ import annotations

import os
import time

from bench.harness import Bench
from bench.province.copying import built, execute, mark_built
from kernel.db import db

SERVICES = 200_000
LOCATIONS = 300_000
AGENTS = 40
PARTS = ("directory", "helpline")


def parts() -> tuple[str, ...]:
    """The parts to build and measure: ``BENCH_PROVINCE_PARTS`` or all of them."""
    wanted = [part.strip() for part in os.environ.get("BENCH_PROVINCE_PARTS", "").split(",") if part.strip()]
    unknown = set(wanted) - set(PARTS)
    if unknown:
        raise SystemExit(f"BENCH_PROVINCE_PARTS: unknown part(s) {', '.join(sorted(unknown))}; known: {', '.join(PARTS)}")
    return tuple(part for part in PARTS if part in wanted) if wanted else PARTS


def ensure_data(bench: Bench) -> None:
    done = built()
    wanted = parts()
    if "directory" not in done and "helpline" in wanted and "helpline" not in done:
        wanted += ("directory",)  # the helpline's needs and referrals name the directory's types and services
    if "directory" in wanted and "directory" not in done:
        timed(bench, "directory", make_directory)
    if "helpline" in wanted and "helpline" not in done:
        timed(bench, "helpline", make_helpline)


def timed(bench: Bench, part: str, make) -> None:
    print(f"# province: generating the {part} data …", flush=True)
    started = time.perf_counter()
    rows = make(bench)
    seconds = time.perf_counter() - started
    mark_built(part, rows, seconds)
    db.session.commit()
    vacuum()
    print(f"# province: {part}: {rows:,} rows in {seconds:.0f} s (and {time.perf_counter() - started - seconds:.0f} s "
          "of VACUUM ANALYZE)", flush=True)


def make_directory(bench: Bench) -> int:
    from bench import directory
    from bench.province.copying import copy_dicts

    inserting = directory._insert
    directory._insert = copy_dicts  # the same seeded rows, loaded with COPY
    try:
        directory.generate(bench.users[0].id, services=SERVICES, locations=LOCATIONS)
    finally:
        directory._insert = inserting
    return execute("SELECT (SELECT count(*) FROM directory_services) + (SELECT count(*) FROM directory_locations) "
                   "+ (SELECT count(*) FROM directory_search)")[0][0]


def make_helpline(bench: Bench) -> int:
    from bench.province import helpline

    agents = make_agents(bench)
    return helpline.generate(bench.users[0].id, bench.staff.id, agents)


def make_agents(bench: Bench) -> list[int]:
    """Agents who share the contacts with the bench's staff user (signed in, it has one in fifty)."""
    execute("INSERT INTO users (email, name, password_hash, role, language, theme, density, active, created_at) "
            "SELECT 'agent' || n || '@province.example', 'Agent ' || n, u.password_hash, 'staff', 'fr', u.theme, "
            "u.density, true, u.created_at FROM generate_series(1, %s) n, users u WHERE u.id = %s "
            "ON CONFLICT (email) DO NOTHING", AGENTS, bench.staff.id)
    return [row[0] for row in execute("SELECT id FROM users WHERE email LIKE 'agent%%@province.example' ORDER BY id")]


def vacuum() -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def province(bench: Bench):
    if bench.dialect != "postgresql":
        print("# province: PostgreSQL only (--database-url postgresql://…)")
        return
    ensure_data(bench)
    from bench.province.figures import figures

    yield from figures(bench, parts=parts())
