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


def new_people(count: int, user_ids: list[int]):
    """People who are not in the database: the generator's few names with a distinct second
    surname, and phone numbers of an area code the database does not use."""
    for index, row in enumerate(client_rows(count, user_ids, start=10_000_000)):
        row["last_name"] = f"{row['last_name']}-{pseudo_word(index)}"
        row["phone"] = f"(555) {index // 10_000:03d}-{index % 10_000:04d}"
        yield row


def pseudo_word(number: int) -> str:
    letters = "bcdfghjklmnprstvz"
    vowels = "aeiou"
    word = ""
    while True:
        number, consonant = divmod(number, len(letters))
        number, vowel = divmod(number, len(vowels))
        word += letters[consonant] + vowels[vowel]
        if not number:
            return word.capitalize()


def existing_people(model, count: int):
    """Clients already in the database, spread over the table, as a file would repeat them."""
    step = max((db.session.scalar(select(func.max(model.id))) or 0) // count, 1)
    rows = db.session.execute(select(*(getattr(model, name) for name in COLUMNS))
                              .where(model.id % step == 0).order_by(model.id).limit(count))
    return [dict(row._mapping) for row in rows]


def import_csv(model, user_ids: list[int], rows: int = ROWS, repeats: int = REPEATS) -> bytes:
    """New people, then people already in the database (the generator is seeded)."""
    new_rows = new_people(rows - repeats, user_ids)
    repeated = existing_people(model, repeats)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS.values())
    for source in (new_rows, repeated):
        for row in source:
            writer.writerow(["" if row[name] is None else str(row[name]) for name in COLUMNS])
    return out.getvalue().encode("utf-8")


def csv_import(bench):
    from kernel import importer
    from kernel.duplicates import DuplicateKey
    from kernel.history import RecordChange
    from kernel.registry import entities
    from plugins.clients.models import Client

    entity = entities().get("client")
    last_id = db.session.scalar(select(func.max(Client.id))) or 0
    data = import_csv(Client, [user.id for user in bench.users], rows=bench.import_rows,
                      repeats=bench.import_rows // 20)
    csv_file = importer.open_file(entity, data)
    job = importer.new_job(entity, bench.staff, "bench.csv", data, csv_file, mode=importer.SKIP)
    db.session.commit()
    importer.claim(job.id)
    try:
        elapsed, done = bench.wall(lambda: importer.run_import(job.id))
        if done.status != importer.DONE:
            raise RuntimeError(f"the import failed: {done.error}")
        yield Figure(f"clients: import of {bench.import_rows:,} rows, {done.created:,} created, {done.skipped:,} skipped",
                     elapsed, "s", 60 * bench.import_rows / ROWS)
    finally:
        remove_imported(Client, last_id, DuplicateKey, RecordChange)


def remove_imported(model, last_id: int, key_model, change_model) -> None:
    db.session.rollback()
    db.session.execute(delete(key_model).where(key_model.entity == "client", key_model.record_id > last_id))
    db.session.execute(delete(change_model).where(change_model.entity == "client", change_model.record_id > last_id))
    db.session.execute(delete(model).where(model.id > last_id))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would, before the next scenario reads them
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for name in (model.__tablename__, key_model.__tablename__, change_model.__tablename__):
                connection.exec_driver_sql(f"VACUUM ANALYZE {name}")
