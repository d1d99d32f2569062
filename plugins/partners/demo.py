"""Demo partners (employers of Nunavut and elsewhere) and their contacts."""

import random

from kernel.toolkit import fold
from plugins.partners.models import Contact, Partner

PARTNERS = [
    ("KCR - Kelowna Com", "company", "retail", "Kelowna", "BC"),
    ("Northmart Iqaluit", "company", "retail", "Iqaluit", "NU"),
    ("Hôtel Frobisher Inn", "company", "hospitality", "Iqaluit", "NU"),
    ("Hôpital général Qikiqtani", "public_body", "health", "Iqaluit", "NU"),
    ("Construction Arctique ltée", "company", "construction", "Rankin Inlet", "NU"),
    ("Association des francophones du Nunavut", "organisation", "community", "Iqaluit", "NU"),
    ("Agnico Eagle Mines", "company", "mining", "Rankin Inlet", "NU"),
    ("Marie-Ève Dubois, conseillère RH", "consultant", "other", "Ottawa", "ON"),
]
CONTACTS = [("Philip", "Mitchell", "Directeur des ressources humaines", "RH"),
            ("Sophie", "Lavoie", "Gérante", "Ventes"), ("Aputi", "Kilabuk", "Coordonnatrice", "Administration"),
            ("Daniel", "Côté", "Contremaître", "Chantier"), ("Nathalie", "Bérubé", "Recruteuse", "RH")]


def load_demo_partners(session, users: dict) -> None:
    rng = random.Random(7)
    staff = [user.id for user in users.values()]
    for name, kind, sector, city, province in PARTNERS:
        partner = Partner(name=name, partner_type=kind, sector=sector, city=city, province=province,
                          country="CA", status="active", phone=f"(867) 979-{rng.randrange(1000, 9999)}",
                          assigned_user_id=rng.choice(staff))
        session.add(partner)
        session.flush()
        for first, last, title, department in rng.sample(CONTACTS, 2):
            email = f"{fold(first)}.{fold(last)}@exemple.ca"
            session.add(Contact(first_name=first, last_name=last, job_title=title, department=department,
                                partner_id=partner.id, email=email, assigned_user_id=rng.choice(staff)))
