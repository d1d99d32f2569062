"""Issue 18: create and save a client through the form (duplicate checks and history included),
and the CSV export read by an HTTP client to its last byte.

Creates use names made of random letters (a real new client, not a duplicate: the warning
would stop the save), then each created client is saved again through its edit form. The server
time of each POST is read from its own answer (the redirect is not followed). The clients made
are removed afterwards."""

from __future__ import annotations

import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from sqlalchemy import func, select

from bench.harness import Bench, Figure
from kernel.db import db

CONSONANTS, VOWELS = "bcdfghjklmnprstvz", "aeiou"
EXPORT_COLUMNS = "first_name,last_name,email,phone,file_status,client_status,cv_up_to_date,country_of_origin," \
                 "assigned_user_id"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_arguments, **_keywords):
        return None


def invented_name(rng: random.Random) -> str:
    return "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(4)).title()


def post_ms(opener, url: str, fields: dict) -> tuple[float, str]:
    """The server time of a form POST and where it redirects (a 302 is the form's success)."""
    data = urllib.parse.urlencode(fields).encode()
    try:
        response = opener.open(url, data=data)
        body = response.read()
        raise RuntimeError(f"{url} answered {response.status} instead of a redirect: {body[-1500:]!r}")
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise RuntimeError(f"{url} answered {answer.code}: {answer.read()[-1500:]!r}") from answer
        timing = answer.headers.get("Server-Timing", "")
        return float(re.search(r"dur=([0-9.]+)", timing).group(1)), answer.headers.get("Location", "")


def create_and_save(bench: Bench):
    from bench.imports import remove_imported
    from kernel.duplicates import DuplicateKey
    from kernel.history import RecordChange
    from plugins.clients.models import Client

    last_id = db.session.scalar(select(func.max(Client.id))) or 0
    db.session.remove()
    cookies = next(handler for handler in bench.opener.handlers if isinstance(handler, urllib.request.HTTPCookieProcessor))
    opener = urllib.request.build_opener(cookies, NoRedirect)
    token = bench.csrf()
    rng = random.Random(18)
    created, saved = [], []
    try:
        for index in range(bench.repeat + 3):
            first, last = invented_name(rng), invented_name(rng)
            fields = {"csrf_token": token, "first_name": first, "last_name": last, "city": "Iqaluit",
                      "email": f"{first}.{last}@exemple.ca".lower()}
            elapsed, location = post_ms(opener, bench.base + "/clients/new", fields)
            record_id = int(re.search(r"/clients/(\d+)", location).group(1))
            fields.update(city="Rankin Inlet", version="1")
            elapsed_save, _location = post_ms(opener, f"{bench.base}/clients/{record_id}/edit", fields)
            if index >= 3:  # the first ones warm up
                created.append(elapsed)
                saved.append(elapsed_save)
    finally:
        remove_imported(Client, last_id, DuplicateKey, RecordChange)
    yield Figure("clients: create through the form, duplicate check included (p95)", p95(created), "ms", 25)
    yield Figure("clients: save through the edit form (p95)", p95(saved), "ms", 25)


def export_over_http(bench: Bench):
    """The list's CSV export as a browser downloads it: rows per second, end to end."""
    started = time.perf_counter()
    rows = -1
    with bench.opener.open(f"{bench.base}/clients/export.csv?cols={EXPORT_COLUMNS}&sort=id") as response:
        while chunk := response.read(1 << 20):
            rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    yield Figure(f"clients: CSV export over HTTP, {rows:,} rows", rows / elapsed, "rows/s", 100_000,
                 higher_is_better=True)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
