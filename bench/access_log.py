"""Who saw what (issue 19): what logging the reads of sensitive records costs a page.

The log is filled first with two reads per client (up to two million, seeded), so that its
indexes are as large as a busy year's. Then, alternating four times so that a busy moment of the
machine hurts both sides alike, the median and p95 of a client's page and of an API read of a
client with the log on and off (the client entity's ``sensitive`` flag turned off in the process
serving them), and
the statements each sends (counted in the process); the same, p95 only, for the contact screen of
a caller with 500 earlier contacts and a case file's page. Then the "who has seen this record" fragment
of a client read 5,000 times, and the administrators' access report, unfiltered and filtered by
user and record type.

Run ``python -m bench --only access_log`` (add ``--clients 200000`` for a quicker run)."""

from __future__ import annotations

import http.cookiejar
import random
import re
import statistics
import urllib.request
from datetime import datetime, timedelta

from sqlalchemy import event, func, select

from bench.data import insert_rows
from bench.harness import Bench, Figure
from kernel.db import db

SEED = 19
READS_PER_CLIENT = 2
MAX_READS = 2_000_000
MANY_READS = 5_000
PAGE_TARGET_MS = 50
REPORT_TARGET_MS = 100
VIAS = ["records.show_record"] * 8 + ["api", "contactcenter.contact_screen"]


def read_rows(client_ids: list[int], user_ids: list[int], count: int, *, record_id: int | None = None):
    rng = random.Random(SEED)
    start = datetime(2026, 1, 1)
    for _index in range(count):
        yield {"read_at": start + timedelta(seconds=rng.randrange(0, 330 * 86_400)),
               "user_id": rng.choice(user_ids), "entity": "client",
               "record_id": record_id or rng.choice(client_ids), "via": rng.choice(VIAS), "count": None}


def ensure_reads(bench: Bench, client_id: int) -> int:
    from kernel.access_log import RecordRead
    from plugins.clients.models import Client

    have = db.session.scalar(select(func.count()).select_from(RecordRead))
    if have:
        return have
    client_ids = list(db.session.scalars(select(Client.id)))
    wanted = min(MAX_READS, READS_PER_CLIENT * len(client_ids))
    users = [user.id for user in bench.users]
    print(f"# generating {wanted:,} reads of the access log …", flush=True)
    insert_rows(RecordRead, read_rows(client_ids, users, wanted))
    insert_rows(RecordRead, read_rows(client_ids, users, MANY_READS, record_id=client_id))
    bench.analyze()
    return wanted + MANY_READS


class StatementCounter:
    """Statements sent by the process meanwhile (the server runs in a thread of this process)."""

    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1

    def during(self, function) -> int:
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self)
        try:
            function()
        finally:
            event.remove(db.engine, "before_cursor_execute", self)
        return self.count


def access_log(bench: Bench):
    from kernel.registry import entities
    from kernel.users import create_token
    from plugins.clients.models import Client

    entity = entities().get("client")
    client_id = db.session.scalar(select(Client.id).where(Client.assigned_user_id == bench.staff.id)
                                  .order_by(Client.id).limit(1))
    reads = ensure_reads(bench, client_id)
    token = create_token(bench.staff, "bench access log")
    db.session.commit()
    page, api = f"/clients/{client_id}", f"/api/v1/clients/{client_id}"

    def api_ms(path: str) -> float:
        return server_ms_with_token(bench, path, token)

    samples = {(kind, logged): [] for kind in ("page", "api") for logged in (True, False)}
    statements = {}
    counter = StatementCounter()
    for path in (page, page, page):
        bench.server_ms(path)  # warm-up
    try:
        for _round in range(4):
            for logged in (False, True):
                entity.sensitive = logged
                samples[("page", logged)] += [bench.server_ms(page) for _index in range(bench.repeat)]
                samples[("api", logged)] += [api_ms(api) for _index in range(bench.repeat)]
                # the fewest of five: the last-seen time, written once a minute, is not the log's
                statements[("page", logged)] = min(counter.during(lambda: bench.server_ms(page)) for _i in range(5))
                statements[("api", logged)] = min(counter.during(lambda: api_ms(api)) for _i in range(5))
    finally:
        entity.sensitive = True
    for kind, label in (("page", "a client's page"), ("api", "an API read of a client")):
        for logged, state in ((False, "off"), (True, "on")):
            times = samples[(kind, logged)]
            yield Figure(f"access log: {label}, log {state} (median)", statistics.median(times), "ms",
                         PAGE_TARGET_MS)
            yield Figure(f"access log: {label}, log {state} (p95)", statistics.quantiles(times, n=20)[-1], "ms",
                         PAGE_TARGET_MS)
        yield Figure(f"access log: {label}, statements off → on ({statements[(kind, False)]} → "
                     f"{statements[(kind, True)]})", statements[(kind, True)] - statements[(kind, False)], "stmt", 1)
    yield from other_pages_on_and_off(bench)
    yield Figure(f"access log: who has seen a client read {MANY_READS:,} times (p95)",
                 bench.p95(f"/privacy/access/records/clients/{client_id}"), "ms", PAGE_TARGET_MS)
    staff_opener = bench.opener
    bench.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    bench.login(bench.users[0].email)  # the administrator
    try:
        yield Figure(f"access log: report's first page among {reads:,} reads (p95)",
                     bench.p95("/privacy/access/"), "ms", REPORT_TARGET_MS)
        yield Figure("access log: report filtered by user and record type (p95)",
                     bench.p95([f"/privacy/access/?user={user.id}&entity=client" for user in bench.users]), "ms",
                     REPORT_TARGET_MS)
        yield Figure("access log: report of one record over a period (p95)",
                     bench.p95(f"/privacy/access/?entity=client&record={client_id}&from=2026-03-01&to=2026-05-31"),
                     "ms", REPORT_TARGET_MS)
    finally:
        bench.opener = staff_opener


def server_ms_with_token(bench: Bench, path: str, token: str) -> float:
    request = urllib.request.Request(bench.base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        response.read()
        return float(re.search(r"dur=([0-9.]+)", response.headers.get("Server-Timing", "")).group(1))


def other_pages_on_and_off(bench: Bench):
    """The contact screen of a caller with 500 earlier contacts (every tab) and a case file's page,
    the log on and off alternated four times: the pages issue 19 names, against their targets."""
    from bench.contactcenter import ensure_data as a_contact
    from bench.sae import TARGET_MS as CASE_FILE_TARGET_MS
    from bench.sae import ensure_data as a_case_file
    from kernel.registry import entities

    contact = a_contact(bench)
    pages = (
        ("the contact screen", ("helpline_contact", "caller_profile"), 100,
         [f"/contactcenter/contacts/{contact}?tab={tab}" for tab in ("details", "resources", "referrals")]),
        ("a case file's page", ("case_file", "client"), CASE_FILE_TARGET_MS, [f"/case-files/{a_case_file(bench)}"]),
    )
    for label, names, target, paths in pages:
        logged_entities = [entities().get(name) for name in names if entities().get(name) is not None]
        samples = {True: [], False: []}
        for path in paths * 3:
            bench.server_ms(path)  # warm-up
        try:
            for _round in range(4):
                for logged in (False, True):
                    for entity in logged_entities:
                        entity.sensitive = logged
                    samples[logged] += [bench.server_ms(paths[index % len(paths)]) for index in range(bench.repeat)]
        finally:
            for entity in logged_entities:
                entity.sensitive = True
        for logged, state in ((False, "off"), (True, "on")):
            yield Figure(f"access log: {label}, log {state} (p95)", statistics.quantiles(samples[logged], n=20)[-1],
                         "ms", target)

