"""Seeded generators of realistic records, inserted in bulk: Core executemany in batches, COPY on
PostgreSQL, and for the million-record builds the tables' secondary indexes dropped during the load
and built once after it (on SQLite, filling the quick-search table row by row made the two
million activities take most of an hour)."""

from __future__ import annotations

import json
import random
import re
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, inspect, select, text

from kernel.db import db
from kernel.search_index import fts_table
from kernel.text import digits, fold

FIRST = ["Émile", "Amélie", "François", "Hélène", "Zoé", "Noël", "Jérôme", "Léa", "Chloé", "Théo", "Marie",
         "Jean", "Sarah", "John", "Mary", "Patrick", "Olivia", "Liam", "Fatoumata", "Mamadou", "Nadia", "Karim",
         "Ana", "José", "Priya", "Olumide", "Ngozi", "Élodie", "Benoît", "Céline", "Raphaël", "Maëlle", "Inès",
         "Aïcha", "Moïse", "Anaïs", "Gaëlle", "Joël", "Rosalie", "Tobias", "Lucas", "Emma", "Noah", "Alice"]
LAST = ["Tremblay", "Gagnon", "Côté", "Bélanger", "Lévesque", "Pelletier", "Bérubé", "Jodoin", "Dupont",
        "Ouellet", "Smith", "Johnson", "MacDonald", "O'Brien", "Diallo", "Traoré", "Ndiaye", "Kouamé", "Mbeki",
        "Haddad", "Benali", "García", "Müller", "Nuñez", "Kaur", "Okafor", "Lefèvre", "Kilabuk", "Akavak",
        "Arnatsiaq", "Pitseolak", "Fréchette", "Giroux", "Lachapelle", "Émond", "Roy", "Morin", "Fortin",
        "Gauthier", "Lavoie", "Bouchard", "Caron", "Girard", "Poirier", "Leblanc", "Martin", "Simard", "Boucher"]
ORIGINS = ["FR", "HT", "CM", "SN", "CI", "MA", "DZ", "CD", "BE", "CH", "TN", "MX", "CO", "PH", "IN", "NG",
           "SY", "AF", "UA", "CN", "VN", "BR", "US", "GB"]
CITIES = ["Iqaluit", "Rankin Inlet", "Cambridge Bay", "Ottawa", "Montréal", "Québec", "Moncton", "Winnipeg"]
STATUSES = ["permanent_resident", "work_permit", "protected_person", "study_permit", "citizen", "visitor"]


def client_rows(count: int, user_ids: list[int], seed: int = 2026, start: int = 0):
    rng = random.Random(seed + start)
    now = datetime(2026, 11, 1)
    for index in range(start, start + count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        suffix = f"{index:07d}"
        phone = f"(867) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
        email = f"{fold(first)}.{fold(last)}.{suffix}@exemple.ca".replace("'", "").replace(" ", "")
        created = now - timedelta(days=rng.randrange(0, 1100), minutes=rng.randrange(0, 1440))
        yield {
            "first_name": first, "last_name": f"{last}", "email": email, "phone": phone,
            "city": rng.choice(CITIES), "postal_code": "X0A 0H0", "country": "CA",
            "country_of_origin": rng.choice(ORIGINS), "immigration_status": rng.choice(STATUSES),
            "employment_status": rng.choice(["job_seeker", "employed_full_time", "student"]),
            "file_status": rng.choice(["open", "in_progress", "on_hold", "closed"]),
            "client_status": rng.choice(["new", "active", "inactive"]),
            "cv_up_to_date": rng.random() < 0.4, "preferred_language": rng.choice(["fr", "en", "iu"]),
            "arrival_date": date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4000)),
            "assigned_user_id": rng.choice(user_ids), "created_by_id": user_ids[0], "updated_by_id": user_ids[0],
            "created_at": created, "updated_at": created, "version": 1, "custom": {},
            "search_text": " ".join([fold(first), fold(last), digits(phone), fold(phone), fold(email), "x0a 0h0"]),
        }


def insert_rows(model, rows, batch: int = 20_000, progress=None) -> int:
    """Insert dictionaries in batches; returns the number inserted."""
    table = model.__table__
    columns = set(table.columns.keys())
    buffer, total = [], 0
    for row in rows:
        buffer.append({key: value for key, value in row.items() if key in columns})
        if len(buffer) >= batch:
            insert_batch(table, buffer)
            db.session.commit()
            total += len(buffer)
            buffer = []
            if progress:
                progress(total)
    if buffer:
        insert_batch(table, buffer)
        db.session.commit()
        total += len(buffer)
    return total


def insert_batch(table, rows: list[dict]) -> None:
    """One batch of rows with the same keys: COPY on PostgreSQL, executemany elsewhere."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(insert(table), rows)
        return
    columns = [name for name in rows[0] if name in table.columns]  # as insert() does, ignores the others
    copy_rows(table.name, columns, ([json.dumps(value) if isinstance(value, dict) else value
                                     for value in (row[name] for name in columns)] for row in rows))


def copy_rows(table: str, columns: list[str], rows) -> int:
    """PostgreSQL: COPY tuples (in ``columns`` order) into ``table``, in the session's own
    transaction; returns how many."""
    done = 0
    with db.session.connection().connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
    return done


DROPPED = "bench_dropped_indexes"  # what a load dropped, kept until it is built again


@contextmanager
def indexes_dropped(*tables):
    """Drops the tables' secondary indexes (those that back no primary key or unique constraint),
    and on SQLite the trigger that copies each new row into the quick-search table, for the time
    of a load; then builds them again (the search table in one pass). What was dropped is written
    down first, so that a load stopped half-way has them built again by the next one."""
    db.session.commit()  # its reads' locks would make DROP INDEX wait on this very thread
    with db.engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {DROPPED} "
                                   "(name varchar(200) PRIMARY KEY, definition text NOT NULL)")
        for table in tables:
            for name, definition in slowing_the_load(connection, table.name):
                connection.execute(text(f"INSERT INTO {DROPPED} (name, definition) VALUES (:name, :definition)"),
                                   {"name": name, "definition": definition})
                connection.exec_driver_sql(f'DROP {definition.split()[1]} "{name}"')  # INDEX or TRIGGER
    yield
    build_dropped_indexes()


def build_dropped_indexes() -> None:
    started = time.perf_counter()
    db.session.commit()
    with db.engine.begin() as connection:
        if DROPPED not in inspect(connection).get_table_names():
            return
        dropped = connection.exec_driver_sql(f"SELECT name, definition FROM {DROPPED}").all()
        for name, definition in dropped:
            # the application makes some of them again when it starts
            connection.exec_driver_sql(re.sub(r"^CREATE (UNIQUE )?(INDEX|TRIGGER) ", r"CREATE \1\2 IF NOT EXISTS ",
                                              definition))
            if name.endswith(SEARCH_TRIGGER):
                search_table = name.removesuffix(SEARCH_TRIGGER)
                connection.exec_driver_sql(f"INSERT INTO {search_table}({search_table}) VALUES ('rebuild')")
            connection.execute(text(f"DELETE FROM {DROPPED} WHERE name = :name"), {"name": name})
    if dropped:
        print(f"#   {len(dropped)} indexes built in {time.perf_counter() - started:.0f} s", flush=True)


SEARCH_TRIGGER = "_insert"  # kernel.search_index: <table>_search_insert fills <table>_search


def slowing_the_load(connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a table's indexes that back no constraint, and on SQLite of the
    trigger that fills its quick-search table."""
    if connection.dialect.name == "postgresql":
        return [tuple(row) for row in connection.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :table AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = CAST(:table AS regclass))"), {"table": table})]
    # SQLite writes no statement for the indexes that back a constraint
    return [tuple(row) for row in connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = :table AND sql IS NOT NULL "
        "AND (type = 'index' OR (type = 'trigger' AND name = :trigger))"),
        {"table": table, "trigger": f"{fts_table(table)}{SEARCH_TRIGGER}"})]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


ACTIVITIES_PER_CLIENT = 2  # issue 18: a million clients come with two million activities
CALL_SUBJECTS = ["Suivi du dossier", "Appel de relance", "Follow-up call", "Intake interview", "Francisation"]
NOTE_SUBJECTS = ["Entrevue d'accueil", "Recherche de logement", "CV revu", "Housing search", "Referral"]


def client_activity_rows(client_ids: list[int], user_ids: list[int], seed: int = 2026):
    """One call and one note per client, in the three years before the calendar scenario's months
    (so that its counts stay what it expects)."""
    rng = random.Random(seed + client_ids[0])
    first = datetime(2023, 1, 1, 12)
    calls, notes = [], []
    for client_id in client_ids:
        owner = rng.choice(user_ids)
        stamp = {"assigned_user_id": owner, "created_by_id": owner, "updated_by_id": owner, "version": 1,
                 "custom": {}, "related_to": f"client:{client_id}"}
        start = first + timedelta(days=rng.randrange(0, 1200), minutes=15 * rng.randrange(0, 40))
        subject = rng.choice(CALL_SUBJECTS)
        calls.append(stamp | {"subject": subject, "start": start, "duration_hours": 0, "duration_minutes": 30,
                              "status": "held", "direction": rng.choice(["inbound", "outbound"]),
                              "search_text": fold(subject), "created_at": start, "updated_at": start})
        subject = rng.choice(NOTE_SUBJECTS)
        notes.append(stamp | {"subject": subject, "text": f"{subject} ({client_id})", "search_text": fold(subject),
                              "created_at": start, "updated_at": start})
    return calls, notes


def ensure_client_activities(user_ids: list[int], batch: int = 10_000) -> None:
    """Tops the activities up to two per client (calls and notes related to them), made once."""
    try:
        from plugins.activities.models import Call, Note
        from plugins.clients.models import Client
    except ImportError:
        return
    if count(Note) >= count(Client):
        return
    print(f"# generating {ACTIVITIES_PER_CLIENT} activities per client …", flush=True)
    last = db.session.scalar(select(Note.related_to).where(Note.related_to.like("client:%"))
                             .order_by(Note.id.desc()).limit(1))  # made in client order: resumes after it
    after = int(last.split(":")[1]) if last else 0
    done = 0
    with indexes_dropped(Call.__table__, Note.__table__):
        while True:
            ids = list(db.session.scalars(select(Client.id).where(Client.id > after).order_by(Client.id)
                                          .limit(batch)))
            if not ids:
                break
            calls, notes = client_activity_rows(ids, user_ids)
            insert_batch(Call.__table__, calls)
            insert_batch(Note.__table__, notes)
            db.session.commit()
            after, done = ids[-1], done + 2 * len(ids)
            if done % 200_000 == 0:
                print(f"#   {done:,} activities", flush=True)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
