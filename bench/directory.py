"""Resource search benchmark (issue 7): 50,000 services at 80,000 locations, seeded.

On a fresh PostgreSQL database the harness also needs the clients plugin (it counts clients):
``PASSERELLE_PLUGINS=clients,directory python -m bench --database-url … --only resource_search``.

A directory-only figure: ``python -m bench --clients 1000 --only resource_search`` (its own small
database); inside the million-client database: ``python -m bench --only resource_search``."""

from __future__ import annotations

import random
import statistics
import time
import urllib.parse
import uuid
from datetime import datetime

from sqlalchemy import func, insert, select

from bench.harness import Bench, Figure
from kernel.db import db
from kernel.text import fold

SERVICES = 50_000
LOCATIONS = 80_000
SEED = 2026
BATCH = 10_000
CITIES = [("Montréal", "H2X", 45.51, -73.57), ("Québec", "G1R", 46.81, -71.21), ("Ottawa", "K1P", 45.42, -75.69),
          ("Toronto", "M5V", 43.64, -79.39), ("Winnipeg", "R3C", 49.89, -97.14), ("Iqaluit", "X0A", 63.75, -68.52),
          ("Moncton", "E1C", 46.09, -64.78), ("Vancouver", "V6B", 49.28, -123.11), ("Calgary", "T2P", 51.05, -114.07),
          ("Halifax", "B3J", 44.65, -63.58)]
TOPICS = [  # (code, English, French, words)
    ("BH-1800.8500", "Emergency shelter", "Hébergement d'urgence", "shelter beds night abri refuge"),
    ("BH-8000", "Housing", "Logement", "housing logements apartment rent loyer"),
    ("BD-1800.2000", "Food pantries", "Banques alimentaires", "food groceries épicerie repas"),
    ("LH-2700", "Counselling", "Counseling", "counselling anxiety santé mentale écoute"),
    ("ND-6500", "Employment", "Emploi", "jobs emploi resume CV interview"),
    ("PH-6200", "Legal aid", "Aide juridique", "lawyer avocat tribunal droits"),
    ("LD-1500", "Immigration services", "Services aux immigrants", "newcomers immigrants francisation permits"),
    ("YB-8000", "Youth", "Jeunesse", "jeunes youth school école"),
]
LANGUAGES = [("fr", "French"), ("en", "English"), ("iu", "Inuktitut"), ("es", "Spanish"), ("ar", "Arabic")]
DAYS = ["MO,TU,WE,TH,FR", "MO,TU,WE,TH,FR,SA", "SA,SU", "MO,WE,FR", "MO,TU,WE,TH,FR,SA,SU"]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _insert(table, rows) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def generate(user_id: int, services: int = SERVICES, locations: int = LOCATIONS, seed: int = SEED) -> None:
    """Seeded agencies, services, locations and their rows; then the search index."""
    from plugins.directory import index
    from plugins.directory.models import (
        Agency,
        Resource,
        Site,
        TaxonomyTerm,
        languages,
        phones,
        schedules,
        service_areas,
        service_at_location,
        service_taxonomy,
    )

    rng = random.Random(seed)
    stamp = {"created_by_id": user_id, "updated_by_id": user_id, "version": 1, "custom": {}}
    now = datetime(2026, 11, 1)
    stamp |= {"created_at": now, "updated_at": now}
    _insert(TaxonomyTerm.__table__, [{"hsds_id": _uuid(rng), "code": code, "name": en, "name_fr": fr,
                                      "search_text": fold(f"{code} {en} {fr}"), **stamp}
                                     for code, en, fr, _words in TOPICS])
    terms = dict(db.session.execute(select(TaxonomyTerm.code, TaxonomyTerm.id)).all())
    agency_count = services // 10
    _insert(Agency.__table__, [{"hsds_id": _uuid(rng), "name": f"Organisme {n} / Agency {n}",
                                "search_text": f"organisme {n} agency {n}", **stamp} for n in range(agency_count)])
    agency_ids = list(db.session.scalars(select(Agency.id).order_by(Agency.id)))
    site_rows = []
    for n in range(locations):
        city, fsa, lat, lon = rng.choice(CITIES)
        site_rows.append({"hsds_id": _uuid(rng), "name": f"Point {n}", "location_type": "physical",
                          "address_1": f"{rng.randrange(1, 9999)} rue {rng.choice(['Principale', 'King', 'Laurier'])}",
                          "city": city, "postal_code": f"{fsa} {rng.randrange(1, 9)}A{rng.randrange(1, 9)}",
                          "country": "CA", "latitude": lat + rng.gauss(0, 0.25), "longitude": lon + rng.gauss(0, 0.35),
                          "organization_id": rng.choice(agency_ids), "search_text": f"point {n} {fold(city)}", **stamp})
    _insert(Site.__table__, site_rows)
    site_ids = list(db.session.scalars(select(Site.id).order_by(Site.id)))
    service_rows = []
    for n in range(services):
        code, en, fr, words = rng.choice(TOPICS)
        service_rows.append({"hsds_id": _uuid(rng), "organization_id": rng.choice(agency_ids), "status": "active",
                             "name": f"{en} {n}", "name_fr": f"{fr} {n}",
                             "description": f"{en}: {' '.join(rng.sample(words.split(), 3))}.",
                             "description_fr": f"{fr} : {' '.join(rng.sample(words.split(), 3))}.",
                             "search_text": fold(f"{en} {n} {fr} {n}"), **stamp})
    before = db.session.scalar(select(func.max(Resource.id))) or 0  # other scenarios may have made a few
    _insert(Resource.__table__, service_rows)
    service_ids = list(db.session.scalars(select(Resource.id).where(Resource.id > before).order_by(Resource.id)))
    links, taxa, phone_rows, hours, areas, spoken = [], [], [], [], [], []
    unused = site_ids[:]
    rng.shuffle(unused)
    for position, service_id in enumerate(service_ids):
        places = [unused.pop()] if unused else []
        if len(unused) > len(service_ids) - position - 1 and unused:
            places.append(unused.pop())
        for site_id in places:
            links.append({"hsds_id": _uuid(rng), "service_id": service_id, "location_id": site_id})
        code = service_rows[position]["name"].rsplit(" ", 1)[0]
        topic = next(t for t in TOPICS if t[1] == code)
        taxa.append({"hsds_id": _uuid(rng), "service_id": service_id, "term_id": terms[topic[0]]})
        number = f"({rng.randrange(200, 999)}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
        phone_rows.append({"hsds_id": _uuid(rng), "service_id": service_id, "number": number,
                           "digits": "".join(ch for ch in number if ch.isdigit())})
        opens = rng.choice(["08:00:00", "09:00:00", "10:00:00"])
        hours.append({"hsds_id": _uuid(rng), "service_id": service_id, "freq": "WEEKLY", "byday": rng.choice(DAYS),
                      "opens_at": opens, "closes_at": rng.choice(["16:00:00", "17:00:00", "20:00:00"])})
        city = rng.choice(CITIES)[0]
        areas.append({"hsds_id": _uuid(rng), "service_id": service_id, "name": city, "folded_name": fold(city)})
        for code, name in rng.sample(LANGUAGES, rng.randrange(1, 3)):
            spoken.append({"hsds_id": _uuid(rng), "service_id": service_id, "code": code, "name": name})
    for table, rows in ((service_at_location, links), (service_taxonomy, taxa), (phones, phone_rows),
                        (schedules, hours), (service_areas, areas), (languages, spoken)):
        _insert(table, rows)
    db.session.flush()
    index.rebuild()
    db.session.commit()


def ensure_data(bench: Bench) -> None:
    from plugins.directory import index
    from plugins.directory.models import Resource, search_rows

    if db.session.scalar(select(func.count()).select_from(Resource)) < SERVICES:
        print(f"# generating {SERVICES:,} services at {LOCATIONS:,} locations …", flush=True)
        generate(bench.users[0].id)
        vacuum(bench)
    elif db.session.scalar(select(search_rows.c.id).where(search_rows.c.words.like(" |%")).limit(1)):
        print("# rebuilding the search rows made before migration c4e1f0a2b7d3 …", flush=True)
        index.rebuild()
        db.session.commit()
        vacuum(bench)


def vacuum(bench: Bench) -> None:
    """PostgreSQL: clear the rows the rebuild replaced (as autovacuum would) and analyse."""
    if bench.dialect != "postgresql":
        bench.analyze()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _url(**criteria) -> str:
    return "/resources/search?" + urllib.parse.urlencode(criteria)


def cpu_p95(bench: Bench, paths, warmup: int = 3) -> float:
    """95th percentile of this process's CPU time per request (the server runs in a thread here):
    on a loaded machine a steadier figure than the server's wall time. PostgreSQL's own CPU is
    not in it."""
    for index in range(warmup):
        bench.server_ms(paths[index % len(paths)])
    times = []
    for index in range(bench.repeat):
        started = time.process_time()
        bench.server_ms(paths[index % len(paths)])
        times.append((time.process_time() - started) * 1000)
    return statistics.quantiles(times, n=20)[-1]


SEARCHES = {  # figure name → the searches it cycles through
    "keyword search": [_url(q="logement"), _url(q="hébergement d'urgence"), _url(q="food groceries"),
                       _url(q="Immigrants")],
    "keyword within 25 km of a postal code, by distance": [
        _url(q="logement", postal_code="H2X 1Y4", radius=25, sort="distance"),
        _url(q="food", postal_code="K1P 1J1", radius=25, sort="distance"),
        _url(q="emploi", postal_code="M5V 2T6", radius=25, sort="distance")],
    "facet-filtered search": [_url(type="BH-8000", language="fr"), _url(type="BD-1800", open_at="2026-11-23T10:00"),
                              _url(q="counselling", type="LH-2700", language="en")],
}


def resource_search(bench: Bench):
    """Issue 7: the Resources screen on 50,000 services, p95 of the server time."""
    ensure_data(bench)
    for name, paths in SEARCHES.items():
        yield Figure(f"resources: {name} (p95)", bench.p95(paths), "ms", 50)
    for name, paths in SEARCHES.items():
        yield Figure(f"resources: {name} (p95 app CPU)", cpu_p95(bench, paths), "ms", 50)
