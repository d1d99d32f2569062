"""Several machines against one PostgreSQL (issue 18): two ``passerelle serve`` and two
``passerelle worker`` processes, each with an instance folder of its own, sharing the database,
the secret key and Redis; nginx in front of the servers when it is installed. Whatever server a
request reaches, the person sees the same thing, and background work is done once.

Runs in the PostgreSQL run only (``--database-url``), in a database of its own
(``<name>_multiserver``); its processes' logs are shown with any failure."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.deploy.cluster import LOGIN_LIMIT, PASSWORD, STAFF_EMAIL, TARGET_EMAIL, redis_count
from tests.deploy.processes import wait_for
from tests.deploy.web import Browser, csrf_token

MESSAGES_QUEUED = 30
QUEUE_MESSAGES = f"""
from kernel.app import create_app
from kernel.db import db
from kernel.outbox import queue_email

with create_app().app_context():
    for number in range({MESSAGES_QUEUED}):
        queue_email(f"person{{number}}@example.org", f"Message {{number}}", "Sent once, whichever worker sends it.")
    db.session.commit()
"""


def logged_in(base: str, address: str) -> Browser:
    browser = Browser(base, address)
    response = browser.login(STAFF_EMAIL, PASSWORD)
    assert response.status == 302, (response.status, response.text[:500])
    return browser


def test_a_session_opened_on_one_server_works_on_the_other(cluster):
    on_a = logged_in(cluster.servers["server-a"], "198.51.100.1")
    on_b = on_a.on(cluster.servers["server-b"])

    home = on_b.get("/")
    assert home.status == 200, home.status
    assert "Sam Staff" in home.text
    # Logging out on B ends the session on A too: it is the same session, kept in the database.
    assert on_b.post("/logout", {"csrf_token": csrf_token(home.text)}).status == 302
    assert on_a.get("/").status == 302


def test_the_load_balancer_spreads_one_session_over_both_servers(cluster):
    if cluster.front is None:
        pytest.skip("nginx is not installed (apt-get install nginx): the servers were tested directly")
    browser = logged_in(cluster.front, None)
    for number in range(6):
        page = browser.get(f"/?probe={number}")
        assert page.status == 200 and "Sam Staff" in page.text, (number, page.status)
    for name in cluster.servers:
        served = re.findall(r"GET /\?probe=(\d)", cluster.service(name).log_text())
        assert served, f"{name} served none of the requests sent through nginx"


def test_failed_logins_on_both_servers_add_up(cluster):
    email, address = TARGET_EMAIL, "198.51.100.2"
    on_a = Browser(cluster.servers["server-a"], address)
    on_b = on_a.on(cluster.servers["server-b"])
    for attempt in range(LOGIN_LIMIT):
        browser = on_a if attempt % 2 == 0 else on_b
        assert browser.login(email, "not the password").status == 401, attempt

    # Three failures on each server: the next attempt is refused on both.
    assert on_a.login(email, "not the password").status == 429
    assert on_b.login(email, "not the password").status == 429
    assert redis_count(cluster.env, "account", email) == LOGIN_LIMIT + 2  # counted in Redis


def test_each_outbox_message_is_sent_once(cluster):
    cluster.python(QUEUE_MESSAGES)  # queued in one transaction: both workers find them at once
    for name, address in (("server-a", "198.51.100.3"), ("server-b", "198.51.100.4")):
        Browser(cluster.servers[name], address).submit("/password/forgot", {"email": STAFF_EMAIL})
    expected = MESSAGES_QUEUED + 2

    wait_for(lambda: not cluster.sql("SELECT 1 FROM outbox_messages WHERE status <> 'sent'")
             and len(cluster.sql("SELECT 1 FROM outbox_messages")) == expected, "every message sent")

    received = cluster.mail.received()
    assert len(received) == expected
    assert Counter(message["Message-ID"] for message in received).most_common(1)[0][1] == 1
    recipients = Counter(message["To"] for message in received)
    assert recipients[STAFF_EMAIL] == 2
    assert all(recipients[f"person{number}@example.org"] == 1 for number in range(MESSAGES_QUEUED))


def test_a_document_uploaded_on_one_server_downloads_from_the_other(cluster):
    if not cluster.storage:
        pytest.skip("no object storage configured for the cluster (kernel.testing's S3 server)")
    on_a = logged_in(cluster.servers["server-a"], "198.51.100.5")
    content = b"%PDF-1.4\n% kept in object storage\n1 0 obj\n<<>>\nendobj\n%%EOF\n"

    saved = on_a.submit("/documents/upload", {"name": "Shared document", "category": "other"},
                        files={"file": ("shared.pdf", content, "application/pdf")})
    assert saved.status == 302, (saved.status, saved.text[:500])
    document_id = int(saved.location.rstrip("/").rsplit("/", 1)[1])
    [(revision_id,)] = cluster.sql("SELECT id FROM document_revisions WHERE document_id = %s", document_id)

    download = on_a.on(cluster.servers["server-b"]).get(f"/documents/files/{revision_id}")
    assert download.status == 200, download.status
    assert download.body == content


IMPORTED_ROWS = 300


def test_an_import_started_on_one_server_shows_its_progress_on_the_other_and_is_done_once(cluster):
    on_a = logged_in(cluster.servers["server-a"], "198.51.100.6")
    on_b = on_a.on(cluster.servers["server-b"])
    rows = "".join(f"Importé {number},Personne,imported{number}@example.org\n" for number in range(IMPORTED_ROWS))
    uploaded = on_a.submit("/clients/import", {}, files={
        "file": ("clients.csv", ("last_name,first_name,email\n" + rows).encode(), "text/csv")})
    assert uploaded.status == 302, (uploaded.status, uploaded.text[:500])
    job_id = int(re.search(r"/imports/(\d+)/mapping", uploaded.location).group(1))
    mapped = on_a.submit(f"/imports/{job_id}/mapping", {
        "column-0": "last_name", "column-1": "first_name", "column-2": "email", "duplicates": "create"})
    assert mapped.status == 302, (mapped.status, mapped.text[:500])
    preview = on_a.get(f"/imports/{job_id}/preview")
    assert preview.status == 200
    assert on_a.post(f"/imports/{job_id}/run", {"csrf_token": csrf_token(preview.text)}).status == 302

    page = on_b.get(f"/imports/{job_id}")
    assert page.status == 200 and 'id="import-progress"' in page.text

    def finished_on_b():
        progress = on_b.get(f"/imports/{job_id}/progress")
        assert progress.status == 200 and "The import failed" not in progress.text, progress.text[:1500]
        return progress if "The import is finished" in progress.text else None

    finished = wait_for(finished_on_b, "the import to finish, as server B shows it")
    assert f"{IMPORTED_ROWS} records created" in finished.text
    # Done once: a second run of the same job would have created every client twice.
    assert cluster.sql("SELECT status, created FROM imports WHERE id = %s", job_id) == [("done", IMPORTED_ROWS)]
    assert cluster.sql("SELECT count(*) FROM clients WHERE email LIKE %s", "imported%@example.org") == [
        (IMPORTED_ROWS,)]
