"""SQLite has one writer at a time: a running import commits its rows in short batches, so that
other people's saves wait a fraction of a second, not until the import ends."""

import sqlite3
import threading

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kernel import importer
from kernel.db import db
from kernel.importer import Import
from kernel.registry import entities

ROWS = 6000
WRITES = 10


@pytest.fixture
def app(make_app):
    app = make_app(IMPORT_IN_BACKGROUND=False)
    with app.app_context():
        yield app
        db.session.remove()


def status_of(job_id) -> tuple[str, int]:
    with Session(db.engine) as session:
        job = session.get(Import, job_id)
        return job.status, job.processed


def test_another_connection_writes_while_an_import_runs(app, staff):
    if not db.is_sqlite:
        pytest.skip("PostgreSQL has concurrent writers")
    entity = entities().get("client")
    data = ("last_name,first_name\n" + "".join(f"Nom{n},Prénom{n}\n" for n in range(ROWS))).encode()
    job = importer.new_job(entity, staff, "many.csv", data, importer.open_file(entity, data))
    db.session.commit()
    job_id, staff_id = job.id, staff.id
    importer.claim(job_id)
    first_batch = threading.Event()

    def run():
        with app.app_context():
            importer.run_import(job_id, on_progress=lambda counters: first_batch.set())
            db.session.remove()

    importer_thread = threading.Thread(target=run)
    importer_thread.start()
    try:
        assert first_batch.wait(60)
        other = sqlite3.connect(make_url(app.config["DATABASE_URL"]).database, isolation_level=None)
        other.execute("PRAGMA busy_timeout=1000")
        for number in range(WRITES):
            other.execute("BEGIN IMMEDIATE")  # takes the write lock, as any save does
            other.execute("UPDATE users SET name = ? WHERE id = ?", (f"Écrit pendant l'import {number}", staff_id))
            other.execute("COMMIT")
        other.close()
        assert status_of(job_id)[0] == "running"  # the writes happened while the import ran
    finally:
        importer_thread.join(300)
    assert status_of(job_id) == ("done", ROWS)
