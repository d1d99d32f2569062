"""The benchmark harness: a database with seeded data, the real app served on loopback, and an
HTTP client that reads the server's own time from the Server-Timing header."""

from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import statistics
import threading
import time
import tracemalloc
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from sqlalchemy import select, text
from werkzeug.serving import make_server

from bench.data import (
    build_dropped_indexes,
    client_rows,
    count,
    ensure_client_activities,
    indexes_dropped,
    insert_rows,
)
from kernel import migrate
from kernel.app import create_app
from kernel.db import db
from kernel.serve import freeze_what_lives_as_long_as_the_worker
from kernel.users import User

PASSWORD = "bench password 2026"


# Requests sent before a timed figure: a connection prepares a statement after its fifth run, and
# PostgreSQL may plan it once for any values after five more.
WARM_UP = 12


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool = False

    @property
    def failed(self) -> bool:
        return self.value < self.target if self.higher_is_better else self.value > self.target

    def __str__(self) -> str:
        sign = "≥" if self.higher_is_better else "≤"
        verdict = "FAIL" if self.failed else "ok"
        return f"{self.name:<58} {self.value:>10,.1f} {self.unit:<8} target {sign} {self.target:,g} {self.unit:<6} {verdict}"


class Bench:
    def __init__(self, database_url: str, results, repeat: int = 40):
        self.url = database_url
        self.results = results
        self.repeat = repeat
        self.app = create_app({
            "DATABASE_URL": database_url, "INSTANCE_PATH": str(results / "instance"), "SECRET_KEY": "bench",
            "PASSERELLE_PLUGINS": os.environ.get("PASSERELLE_PLUGINS", ""), "DEMO_DATA": False, "RATELIMIT_ENABLED": False,
            "IMPORT_IN_BACKGROUND": False,
        })
        self.context = self.app.app_context()
        self.context.push()
        self.server = None
        self.opener = None
        self.base = ""

    @property
    def dialect(self) -> str:
        return db.engine.dialect.name

    # -- data ------------------------------------------------------------------------------
    def prepare(self, clients: int) -> None:
        migrate.upgrade()
        self.tune_planner()
        build_dropped_indexes()  # by a build stopped half-way
        self.users = self._users()
        from plugins.clients.models import Client

        have = count(Client)
        if have < clients:
            print(f"# generating {clients - have:,} clients …", flush=True)
            with indexes_dropped(Client.__table__):
                insert_rows(Client, client_rows(clients - have, [user.id for user in self.users], start=have),
                            progress=lambda done: print(f"#   {have + done:,}", flush=True)
                            if done % 200_000 == 0 else None)
            self.analyze()
        ensure_client_activities([user.id for user in self.users])
        self.index_duplicates()
        self.staff = self.users[1]
        self.start_server()
        self.login(self.staff.email)

    def tune_planner(self) -> None:
        """What docs/deploy.md tells an organisation on PostgreSQL to set: random pages cost about
        what sequential ones do (SSD, or a database in memory). For connections made from now on."""
        if self.dialect != "postgresql":
            return
        with db.engine.begin() as connection:
            name = connection.dialect.identifier_preparer.quote(connection.scalar(text("SELECT current_database()")))
            connection.exec_driver_sql(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
        db.session.remove()
        db.engine.dispose()

    def index_duplicates(self) -> None:
        """The duplicate-check keys of the generated clients (the generator inserts rows directly,
        without the ORM events that keep the keys of records saved by the application)."""
        from kernel.duplicates import DuplicateKey, reindex
        from kernel.registry import entities

        if db.session.scalar(select(DuplicateKey.id).where(DuplicateKey.entity == "client").limit(1)):
            return
        print("# indexing the duplicate-check keys …", flush=True)
        reindex(entities().get("client"), batch_size=20_000)
        self.analyze()

    def analyze(self) -> None:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")

    def _users(self) -> list[User]:
        users = list(db.session.scalars(select(User).order_by(User.id)))
        if users:
            return users
        for index, role in enumerate(["administrator", "staff", "staff", "supervisor"]):
            user = User(email=f"bench{index}@example.org", name=f"Bench {index}", role=role, language="fr")
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        return list(db.session.scalars(select(User).order_by(User.id)))

    # -- serving ---------------------------------------------------------------------------
    def start_server(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        freeze_what_lives_as_long_as_the_worker()  # as serve's workers do once the application is loaded
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
        self.context.pop()

    def login(self, email: str) -> None:
        page = self.opener.open(self.base + "/login").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
        self.opener.open(self.base + "/login", data=data).read()

    def csrf(self) -> str:
        page = self.opener.open(self.base + "/profile/").read().decode()
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    # -- measuring -------------------------------------------------------------------------
    def server_ms(self, path: str, data: bytes | None = None) -> float:
        try:
            response = self.opener.open(self.base + path, data=data)
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{path} answered {error.code}: {error.read()[:2000]!r}") from error
        with response:
            response.read()
            timing = response.headers.get("Server-Timing", "")
        match = re.search(r"dur=([0-9.]+)", timing)
        if not match:
            raise RuntimeError(f"no Server-Timing on {path}")
        return float(match.group(1))

    def p95(self, paths, warmup: int = WARM_UP) -> float:
        """95th percentile of the server time over ``repeat`` requests cycling through ``paths``, after
        ``warmup`` requests: on PostgreSQL a connection's statements are prepared after five runs, and
        may be planned once for any values after five more, so the figures are those of a server
        that has run them for a while."""
        paths = [paths] if isinstance(paths, str) else list(paths)
        for index in range(warmup):
            self.server_ms(paths[index % len(paths)])
        times = [self.server_ms(paths[index % len(paths)]) for index in range(self.repeat)]
        return statistics.quantiles(times, n=20)[-1]

    def wall(self, function) -> tuple[float, object]:
        started = time.perf_counter()
        result = function()
        return time.perf_counter() - started, result

    def peak_memory_mb(self, function) -> tuple[float, float, object]:
        tracemalloc.start()
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return elapsed, peak / 1024 / 1024, result
