"""A few dozen realistic demo clients, in French and English, with accents."""

import random
from datetime import date, timedelta

from kernel.toolkit import fold
from plugins.clients.models import Client

FIRST_NAMES = [
    "Émile", "Amélie", "François", "Hélène", "Zoé", "Noël", "Jérôme", "Léa", "Chloé", "Théo",
    "Mathéo", "Inès", "Aïcha", "Moïse", "Anaïs", "Gaëlle", "Joël", "Rosalie", "Sarah", "John",
    "Mary", "Patrick", "Olivia", "Liam", "Fatoumata", "Mamadou", "Nadia", "Karim", "Ana", "José",
    "Nguyễn", "Priya", "Olumide", "Ngozi", "Élodie", "Benoît", "Céline", "Raphaël", "Maëlle", "Tobias",
]
LAST_NAMES = [
    "Tremblay", "Gagnon", "Côté", "Bélanger", "Lévesque", "Pelletier", "Bérubé", "Jodoin", "Dupont",
    "Ouellet", "Smith", "Johnson", "MacDonald", "O'Brien", "Diallo", "Traoré", "Ndiaye", "Kouamé",
    "Mbeki", "Haddad", "Benali", "García", "Müller", "Nuñez", "Kaur", "Adébáyọ̀", "Okafor", "Lefèvre",
    "Kilabuk", "Akavak", "Arnatsiaq", "Pitseolak", "Fréchette", "Giroux", "Lachapelle", "Émond",
]
ORIGINS = ["FR", "HT", "CM", "SN", "CI", "MA", "DZ", "CD", "BE", "CH", "TN", "MX", "CO", "PH", "IN", "NG"]
CITIES = [("Iqaluit", "NU", "X0A 0H0"), ("Rankin Inlet", "NU", "X0C 0G0"), ("Cambridge Bay", "NU", "X0B 0C0"),
          ("Ottawa", "ON", "K1P 5G4"), ("Montréal", "QC", "H2X 1Y4")]


def demo_clients(users: dict) -> list[Client]:
    rng = random.Random(2026)
    staff = [user.id for user in users.values()]
    clients = []
    for index in range(42):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = rng.choice(LAST_NAMES)
        city, province, postal = rng.choice(CITIES)
        email_name = fold(f"{first}.{last}").replace("'", "").replace(" ", "")
        clients.append(Client(
            first_name=first, last_name=last,
            preferred_language=rng.choice(["fr", "fr", "en", "iu"]),
            date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(0, 16000)),
            gender=rng.choice(["woman", "man", "non_binary", "undisclosed"]),
            phone=f"(867) 979-{rng.randrange(1000, 9999)}",
            email=f"{email_name}{index}@exemple.ca",
            street=f"{rng.randrange(100, 4000)} rue des Érables", city=city, province=province,
            postal_code=postal, country="CA", country_of_origin=rng.choice(ORIGINS),
            arrival_date=date(2018, 1, 1) + timedelta(days=rng.randrange(0, 2800)),
            immigration_status=rng.choice(["permanent_resident", "work_permit", "protected_person",
                                           "study_permit", "citizen"]),
            employment_status=rng.choice(["job_seeker", "employed_full_time", "employed_part_time", "student"]),
            file_status=rng.choice(["open", "in_progress", "on_hold", "closed"]),
            client_status=rng.choice(["new", "active", "inactive"]),
            cv_up_to_date=rng.random() < 0.5,
            assigned_user_id=rng.choice(staff),
            description="Client de démonstration.",
        ))
    return clients
