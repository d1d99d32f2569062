"""Seeded generators of realistic records, inserted in bulk (Core executemany, batches)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select

from kernel.db import db
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
            db.session.execute(insert(table), buffer)
            db.session.commit()
            total += len(buffer)
            buffer = []
            if progress:
                progress(total)
    if buffer:
        db.session.execute(insert(table), buffer)
        db.session.commit()
        total += len(buffer)
    return total


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
