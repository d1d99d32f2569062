"""Issue 18: where the time of a page goes. For a client's page (with its panels) and the list
page: the p95 of the server's time, the number of SQL statements, and the median time by layer
read from the kernel's ``Server-Timing`` (route: before the view; db: in the driver; render: the
page's template, its own queries included; view: the rest of the view's Python). And the layout
(sidebar, top bar, menus) rendered alone, in the process, around an empty page."""

from __future__ import annotations

import re
import statistics
import time
import urllib.error

from sqlalchemy import delete, event, select

from bench.harness import WARM_UP, Bench, Figure
from kernel.db import db

ENTRY = re.compile(r'(\w+);dur=([0-9.]+)(?:;desc="(\d+) statements")?')


class Profile:
    """A line of the profile (printed, never failing the run)."""

    failed = False

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text


def timings(bench: Bench, path: str) -> dict:
    """``{"app": ms, "route": ms, "db": ms, "statements": n, "render": ms}`` of one request."""
    try:
        response = bench.opener.open(bench.base + path)
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{path} answered {error.code}") from error
    with response:
        response.read()
        header = response.headers.get("Server-Timing", "")
    found = {}
    for name, duration, statements in ENTRY.findall(header):
        found[name] = float(duration)
        if statements:
            found["statements"] = int(statements)
    return found


def statements_of(bench: Bench, path: str) -> int:
    """Counted by the benchmark itself (the server runs in this process), whatever the kernel says."""
    sent = []

    def remember(*_args):
        sent.append(1)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        timings(bench, path)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return len(sent)


def profile(bench: Bench, name: str, paths: list[str], target_ms: float, statement_budget: int | None):
    """p95 of the server time after a round of every path as warm-up (at least twelve requests, as
    ``Bench.p95``): the figures are those of a server that has prepared and planned the page's
    statements, as one does after its first minutes (``kernel.db.make_engine``)."""
    for index in range(max(WARM_UP, len(paths))):
        timings(bench, paths[index % len(paths)])
    runs = [timings(bench, paths[index % len(paths)]) for index in range(bench.repeat)]
    counted = max(statements_of(bench, path) for path in paths[:5])
    yield Figure(f"{name} (p95)", statistics.quantiles([run["app"] for run in runs], n=20)[-1], "ms", target_ms)
    if statement_budget is not None:
        yield Figure(f"{name}: SQL statements (most of 5 pages)", counted, "stmts", statement_budget)

    def median(key):
        return statistics.median(run.get(key, 0.0) for run in runs)

    if "render" in runs[0]:
        view = median("app") - median("route") - median("db") - median("render")
        yield Profile(f"#   profile, medians: app {median('app'):.1f} ms = route {median('route'):.1f} + "
                      f"queries {median('db'):.1f} ({counted} statements) + render {median('render'):.1f} "
                      f"+ view's Python {max(view, 0):.1f} ms")


def cpu_profile(bench: Bench, name: str, paths: list[str], headers: dict | None = None):
    """The median CPU time of the page in this thread, through the test client: on a shared machine
    the server's wall time grows with the others' load, its CPU time far less (a comparison
    before and after a change still wants one run)."""
    client = _signed_in_test_client(bench)
    times = []
    for index in range(bench.repeat + 3):
        started = time.thread_time()
        response = client.get(paths[index % len(paths)], headers=headers)
        times.append((time.thread_time() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{paths[index % len(paths)]} answered {response.status_code}")
    yield Profile(f"#   {name}: CPU time of a request in the process (median) {statistics.median(times[3:]):.1f} ms")


def _signed_in_test_client(bench: Bench):
    """One test client signed in as the benchmark's user, kept for the run (signing in again and
    again would meet the login throttle)."""
    from bench.harness import PASSWORD

    client = getattr(bench, "test_client", None)
    if client is None:
        client = bench.test_client = bench.app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/login", data={"csrf_token": token, "email": bench.staff.email, "password": PASSWORD})
    return client


def _last_client_with_activities() -> int:
    """The generator adds activities in client order: the clients up to the last one's have theirs."""
    from plugins.activities.models import Note
    from plugins.clients.models import Client

    related = db.session.scalar(select(Note.related_to).where(Note.related_to.like("client:%"))
                                .order_by(Note.id.desc()).limit(1))
    return int(related.split(":")[1]) if related else db.session.scalar(select(Client.id).order_by(Client.id.desc()).limit(1))


def layout_alone_ms(bench: Bench, repeat: int) -> float:
    """p95 of rendering the layout around an empty page, in a request of the signed-in user (its
    per-request reads, favourites, recent views and the bell, included)."""
    from flask import render_template
    from flask_login import login_user

    from kernel.users import User

    user = db.session.get(User, bench.staff.id)
    empty_page = bench.app.jinja_env.from_string('{% extends "layout.html" %}{% block content %}{% endblock %}')
    times = []
    for _index in range(repeat + 3):
        with bench.app.test_request_context("/clients/"):
            login_user(user)
            started = time.perf_counter()
            render_template(empty_page)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(times[3:], n=20)[-1]


def pages(bench: Bench):
    last = _last_client_with_activities()
    ids = [1 + (last - 1) * index // 40 for index in range(40)]  # spread over the clients
    yield from profile(bench, "clients: a client's page with its panels", [f"/clients/{id_}" for id_ in ids], 15, 8)
    yield from cpu_profile(bench, "a client's page", [f"/clients/{id_}" for id_ in ids])
    yield from profile(bench, "clients: list page sorted by name", ["/clients/?sort=last_name"], 20, None)
    yield from cpu_profile(bench, "list page", ["/clients/?sort=last_name"])
    yield Figure("layout alone (sidebar, top bar, menus) (p95)", layout_alone_ms(bench, bench.repeat), "ms", 2)
    yield from api_cpu_profile(bench)
    yield garbage_collection_profile()


def garbage_collection_profile() -> Profile:
    """What a full garbage collection costs this warm process, and what it costs with the objects
    alive now frozen, as ``passerelle serve``'s workers freeze theirs once loaded (every request of
    a worker waits while it runs). The process stays frozen, as ``Bench.start_server`` left it."""
    import gc

    def full_collection_ms() -> float:
        started = time.perf_counter()
        gc.collect()
        return (time.perf_counter() - started) * 1000

    gc.unfreeze()
    tracked = len(gc.get_objects())
    plain = min(full_collection_ms() for _ in range(3))
    gc.freeze()
    frozen = min(full_collection_ms() for _ in range(3))
    return Profile(f"#   a full garbage collection of the warm process ({tracked:,} objects): {plain:.1f} ms; "
                   f"with them frozen, as serve's workers do: {frozen:.1f} ms")


def api_cpu_profile(bench: Bench):
    """The REST API's list (a page of 20, as the ``load`` scenario's clients ask) and one record."""
    from kernel.users import ApiToken, create_token

    token = create_token(bench.staff, "bench pages")
    db.session.commit()
    try:
        headers = {"Authorization": f"Bearer {token}"}
        yield from cpu_profile(bench, "API: a page of 20 clients", [f"/api/v1/clients?page={page}&per_page=20"
                                                                     for page in range(1, 41)], headers)
        yield from cpu_profile(bench, "API: a client", ["/api/v1/clients/1"], headers)
    finally:
        db.session.execute(delete(ApiToken).where(ApiToken.name == "bench pages"))
        db.session.commit()
