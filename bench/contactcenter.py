"""Contact centre benchmark (issue 8): the contact screen of a caller with 500 earlier contacts, among
20,000 contacts of 5,000 callers, loads in at most 100 ms of server time (p95, every tab).

Run it with ``python -m bench --only contactcenter``; the data is seeded and made once."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from bench.harness import Bench, Figure
from kernel.db import db
from kernel.text import fold

CALLER_CONTACTS = 500
OTHER_CONTACTS = 20_000
PROFILES = 5_000
RESOURCES = 40
SEED = 2026
BATCH = 10_000
CALLER_PHONE = "(867) 979-0000"


def _insert(table, rows) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start:start + BATCH])


def generate(agent_id: int) -> int:
    """Seeded lines, resources, profiles and contacts; returns the open contact of the caller."""
    from plugins.contactcenter.models import Contact, Need, Profile, Referral, SourceLine
    from plugins.directory.models import Agency, Resource, TaxonomyTerm, service_taxonomy

    rng = random.Random(SEED)
    now = datetime(2026, 11, 23, 12, 0)
    stamp = {"created_by_id": agent_id, "updated_by_id": agent_id, "version": 1, "custom": {},
             "created_at": now, "updated_at": now}
    _insert(SourceLine.__table__, [{"name": name, "code": f"bench-{code}", "search_text": fold(name),
                                    "active": True, **stamp}
                                   for code, name in (("main", "Main line"), ("crisis", "Crisis line"), ("chat", "Chat"))])
    lines = list(db.session.scalars(select(SourceLine.id).where(SourceLine.code.like("bench-%"))))
    _insert(TaxonomyTerm.__table__, [{"code": f"BENCH-{n}", "name": f"Bench need {n}", "search_text": f"bench need {n}",
                                      **stamp} for n in range(8)])
    terms = list(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.code.like("BENCH-%"))))
    _insert(Agency.__table__, [{"name": "Bench agency", "search_text": "bench agency", **stamp}])
    agency = db.session.scalar(select(Agency.id).where(Agency.name == "Bench agency"))
    _insert(Resource.__table__, [{"name": f"Bench resource {n}", "organization_id": agency, "status": "active",
                                  "search_text": f"bench resource {n}", **stamp} for n in range(RESOURCES)])
    resources = list(db.session.scalars(select(Resource.id).where(Resource.name.like("Bench resource %"))))
    _insert(service_taxonomy, [{"service_id": resource, "term_id": terms[n % len(terms)]}
                               for n, resource in enumerate(resources)])
    profile_rows = [{"name": "Bench Caller", "phone": CALLER_PHONE, "phone_digits": "8679790000",
                     "postal_code": "X0A 0H0", "preferred_language": "fr", "search_text": "bench caller", **stamp}]
    profile_rows += [{"name": f"Caller {n}", "phone": f"(613) 555-{n:04d}", "phone_digits": f"613555{n:04d}",
                      "postal_code": None, "preferred_language": None, "search_text": f"caller {n}", **stamp}
                     for n in range(1, PROFILES)]
    _insert(Profile.__table__, profile_rows)
    caller = db.session.scalar(select(Profile.id).where(Profile.name == "Bench Caller"))
    others = list(db.session.scalars(select(Profile.id).where(Profile.name.like("Caller %"))))

    def contact_row(profile_id, started, status="closed"):
        return {"channel": "phone", "line_id": rng.choice(lines), "caller_number": CALLER_PHONE,
                "profile_id": profile_id, "started_at": started, "ended_at": started + timedelta(minutes=9),
                "status": status, "requester_served": "yes", "service_delivery": "referral",
                "notes": "Caller asked about " + rng.choice(["housing", "food", "counselling", "a shelter"]) + ".",
                "assigned_user_id": agent_id, "search_text": "", **stamp}

    rows = [contact_row(caller, now - timedelta(days=n, hours=rng.randrange(8))) for n in range(1, CALLER_CONTACTS + 1)]
    rows += [contact_row(rng.choice(others), now - timedelta(minutes=rng.randrange(1, 500_000)))
             for _ in range(OTHER_CONTACTS)]
    _insert(Contact.__table__, rows)
    contacts = list(db.session.scalars(select(Contact.id).where(Contact.profile_id == caller)))
    _insert(Need.__table__, [{"contact_id": contact, "term_id": rng.choice(terms), "is_primary": True,
                              "search_text": "", **stamp} for contact in contacts])
    _insert(Referral.__table__, [{"contact_id": contact, "resource_id": rng.choice(resources), "profile_id": caller,
                                  "search_text": "", **stamp} for contact in contacts])
    _insert(Contact.__table__, [contact_row(caller, now, status="open") | {"notes": None, "ended_at": None}])
    current = db.session.scalar(select(Contact.id).where(Contact.profile_id == caller, Contact.status == "open"))
    _insert(Need.__table__, [{"contact_id": current, "term_id": terms[0], "is_primary": True, "search_text": "",
                              **stamp}])
    _insert(Referral.__table__, [{"contact_id": current, "resource_id": resources[n], "profile_id": caller,
                                  "search_text": "", **stamp} for n in range(3)])
    db.session.commit()
    return current


def ensure_data(bench: Bench) -> int:
    from plugins.contactcenter.models import Contact, Profile

    caller = db.session.scalar(select(Profile.id).where(Profile.name == "Bench Caller"))
    if caller is None:
        print(f"# generating {OTHER_CONTACTS + CALLER_CONTACTS:,} contact-centre contacts …", flush=True)
        generate(bench.staff.id)
        bench.analyze()
        caller = db.session.scalar(select(Profile.id).where(Profile.name == "Bench Caller"))
    earlier = db.session.scalar(select(func.count()).select_from(Contact).where(Contact.profile_id == caller,
                                                                                 Contact.status != "open"))
    assert earlier >= CALLER_CONTACTS, earlier
    return db.session.scalar(select(Contact.id).where(Contact.profile_id == caller, Contact.status == "open"))


def contactcenter(bench: Bench):
    """The contact screen of a caller with 500 earlier contacts: every tab, p95 of the server time."""
    contact = ensure_data(bench)
    paths = [f"/contactcenter/contacts/{contact}?tab={tab}" for tab in ("details", "resources", "referrals", "programmes")]
    yield Figure(f"contactcenter: contact screen, caller with {CALLER_CONTACTS} earlier contacts (p95)",
                 bench.p95(paths), "ms", 100)
