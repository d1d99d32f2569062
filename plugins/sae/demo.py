"""Demo case files: action plans and barriers, a placement with its follow-ups, one closed file;
the demo staff member is on the SAE team and on duty at the front desk."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kernel.toolkit import clock
from plugins.clients.models import Client
from plugins.partners.models import Partner
from plugins.sae.followups import create_follow_ups
from plugins.sae.models import ActionStep, Barrier, CaseFile, Placement, SaeMember

GOALS = ["Préposé aux bénéficiaires", "Caissier / caissière", "Adjointe administrative", "Opérateur d'équipement lourd",
         "Cuisinier", "Apprenti électricien"]
STEPS = [("Mettre le CV à jour", "done"), ("Simulation d'entrevue", "in_progress"),
         ("Postuler chez trois employeurs", "planned"), ("Inscription au cours de français", "planned")]
BARRIERS = ["language", "experience", "transport", "credentials", "childcare"]


def load_demo_case_files(session, users: dict) -> None:
    session.flush()
    clients = list(session.scalars(select(Client).order_by(Client.id).limit(6)))
    employers = list(session.scalars(select(Partner).order_by(Partner.id).limit(3)))
    if not clients:
        return
    staff, supervisor = users.get("staff"), users.get("supervisor")
    if staff is not None:
        session.add(SaeMember(user_id=staff.id, on_team=True, on_duty=True))
    counsellor = (staff or supervisor or next(iter(users.values()))).id
    today = clock.today()
    files = []
    for index, client in enumerate(clients):
        intake = today - timedelta(days=200 - 25 * index)
        files.append(CaseFile(
            file_number=f"SAE-{intake.year}-{index + 1:04d}", client_id=client.id, assigned_user_id=counsellor,
            status=("active", "open", "on_hold", "active", "open", "active")[index], intake_date=intake,
            referral_source=("self", "partner", "government", "word_of_mouth", "other", "partner")[index],
            employment_goal=GOALS[index % len(GOALS)],
        ))
    session.add_all(files)
    session.flush()
    for index, case_file in enumerate(files):
        session.add(Barrier(case_file_id=case_file.id, barrier=BARRIERS[index % len(BARRIERS)]))
        for offset, (description, status) in enumerate(STEPS[: 2 + index % 3]):
            target = case_file.intake_date + timedelta(days=30 * (offset + 1))
            session.add(ActionStep(case_file_id=case_file.id, description=description, status=status,
                                   target_date=target, completed_on=target if status == "done" else None))
    if employers:
        placement = Placement(case_file_id=files[0].id, employer_id=employers[0].id, position="Commis d'épicerie",
                              start_date=today - timedelta(days=20), hours_per_week=35, hourly_wage=19.5,
                              outcome="ongoing")
        session.add(placement)
        session.flush()
        create_follow_ups(placement, supervisor)
    closed = files[-1]
    closed.status, closed.closure_date, closed.outcome = "closed", today - timedelta(days=3), "employed"
