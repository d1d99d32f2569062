"""Run the benchmarks: `python -m bench [--database-url URL] [--clients N] [--only NAME]`.

Builds (once) a database with N seeded clients, serves the real application on 127.0.0.1 in a
thread, sends real HTTP requests and reads each response's Server-Timing header (the server's
own time). Prints every figure beside its target."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench import scenarios
from bench.harness import Bench


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--database-url", default=None,
                        help="default: SQLite file under bench/results/ (kept between runs)")
    parser.add_argument("--clients", type=int, default=None,
                        help="default 1,000,000 (1,000 when only the province scenario runs: it has its own data)")
    parser.add_argument("--only", action="append", help="run only these scenarios")
    parser.add_argument("--repeat", type=int, default=40, help="requests per timed scenario")
    parser.add_argument("--import-rows", type=int, default=100_000, help="rows of the import scenario")
    parser.add_argument("--load-clients", type=int, default=50, help="concurrent clients of the load scenario")
    parser.add_argument("--load-seconds", type=float, default=60, help="duration of the load scenario")
    options = parser.parse_args(argv)
    if options.clients is None:
        options.clients = 1_000 if options.only == ["province"] else 1_000_000
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    url = options.database_url or f"sqlite:///{results / f'bench-{options.clients}.db'}"
    bench = Bench(url, results, repeat=options.repeat)
    bench.import_rows = options.import_rows
    bench.load_clients, bench.load_seconds = options.load_clients, options.load_seconds
    print(f"# machine speed: {machine_speed_s():.2f} s for ten million Python additions (lower is faster)")
    started = time.perf_counter()
    bench.prepare(clients=options.clients)
    print(f"# database {bench.dialect}: {options.clients:,} clients ready in {time.perf_counter() - started:.0f} s")
    failures = 0
    for name, scenario in scenarios.ALL.items():
        if options.only and name not in options.only:
            continue
        for line in scenario(bench):
            failures += line.failed
            print(line)
    bench.stop()
    print(f"# machine speed after the run: {machine_speed_s():.2f} s")
    return 1 if failures else 0


def machine_speed_s() -> float:
    """A fixed piece of pure Python, timed: figures taken on a busier or slower machine than
    another's show it here (a shared 2-core machine has been seen to vary twofold in an hour)."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
