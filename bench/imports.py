"""Issue 3: importing 100,000 client rows with duplicate checks (skip the matches) in ≤ 60 s.

The CSV is made by the seeded generator: 95,000 new people and 5,000 rows that repeat clients
already in the database (same e-mail), which the import must find and skip. The job runs exactly
as the import screen and `passerelle import` run it; the rows it created are removed afterwards,
so that the database stays the same from one run to the next."""

from __future__ import annotations

import csv
import io

from sqlalchemy import delete, func, select

from bench.data import client_rows
from bench.harness import Figure
from kernel.db import db

ROWS = 100_000
REPEATS = 5_000
COLUMNS = {"first_name": "First name", "last_name": "Last name", "email": "E-mail", "phone": "Phone",
           "city": "City", "postal_code": "Postal code", "country_of_origin": "Country of origin",
           "arrival_date": "Arrival date", "file_status": "File status"}


def import_csv(user_ids: list[int], existing: int) -> bytes:
    """95,000 new rows, then 5,000 rows repeating existing clients (the generator is seeded)."""
    new_rows = client_rows(ROWS - REPEATS, user_ids, start=10_000_000)
    repeated = client_rows(REPEATS, user_ids, start=max(existing - REPEATS, 0))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS.values())
    for source in (new_rows, repeated):
        for row in source:
            writer.writerow([str(row[name]) for name in COLUMNS])
    return out.getvalue().encode("utf-8")


def csv_import(bench):
    from kernel import importer
    from kernel.duplicates import DuplicateKey
    from kernel.history import RecordChange
    from kernel.registry import entities
    from plugins.clients.models import Client

    entity = entities().get("client")
    last_id = db.session.scalar(select(func.max(Client.id))) or 0
    data = import_csv([user.id for user in bench.users], last_id)
    csv_file = importer.open_file(entity, data)
    job = importer.new_job(entity, bench.staff, "bench.csv", data, csv_file, mode=importer.SKIP)
    db.session.commit()
    importer.claim(job.id)
    try:
        elapsed, done = bench.wall(lambda: importer.run_import(job.id))
        if done.status != importer.DONE:
            raise RuntimeError(f"the import failed: {done.error}")
        yield Figure(f"clients: import of {ROWS:,} rows, {done.created:,} created, {done.skipped:,} skipped",
                     elapsed, "s", 60)
    finally:
        remove_imported(Client, last_id, DuplicateKey, RecordChange)


def remove_imported(model, last_id: int, key_model, change_model) -> None:
    db.session.rollback()
    db.session.execute(delete(key_model).where(key_model.entity == "client", key_model.record_id > last_id))
    db.session.execute(delete(change_model).where(change_model.entity == "client", change_model.record_id > last_id))
    db.session.execute(delete(model).where(model.id > last_id))
    db.session.commit()
