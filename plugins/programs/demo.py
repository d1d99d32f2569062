"""Demo programmes and services, and a few participations and services obtained."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from kernel.toolkit import entities
from plugins.programs.models import Participation, Programme, Service, ServiceRecord

PROGRAMMES = [("Connexion emploi", "Employment Connection"), ("Francisation", "French courses"),
              ("Accueil et établissement", "Welcome and settlement"), ("Mentorat professionnel", "Mentoring")]
SERVICES = [("Rédaction de CV", "CV writing"), ("Simulation d'entrevue", "Mock interview"),
            ("Aide à la recherche de logement", "Housing search help"), ("Interprétation", "Interpretation")]


def load_demo_programs(session, users: dict) -> None:
    rng = random.Random(11)
    programmes = [Programme(name_fr=fr, name_en=en, active=True) for fr, en in PROGRAMMES]
    services = [Service(name_fr=fr, name_en=en, active=True) for fr, en in SERVICES]
    session.add_all(programmes + services)
    session.flush()
    targets = _related_targets(session)
    staff = [user.id for user in users.values()]
    for index, related in enumerate(rng.sample(targets, min(12, len(targets)))):
        start = date(2025, 1, 6) + timedelta(days=rng.randrange(0, 500))
        session.add(Participation(related_to=related, programme_id=rng.choice(programmes).id, start_date=start,
                                  end_date=start + timedelta(days=90), status=rng.choice(["registered", "completed"]),
                                  assigned_user_id=rng.choice(staff)))
        session.add(ServiceRecord(activity_number=str(1001 + index), related_to=related,
                                  service_id=rng.choice(services).id, start_date=start,
                                  assigned_user_id=rng.choice(staff)))


def _related_targets(session) -> list[str]:
    """A few clients and partners, from whichever of the two modules are enabled."""
    targets = []
    for name, limit in (("client", 8), ("partner", 4)):
        entity = entities().get(name)
        if entity is not None:
            ids = session.scalars(select(entity.model.id).order_by(entity.model.id).limit(limit))
            targets += [f"{name}:{record_id}" for record_id in ids]
    return targets
