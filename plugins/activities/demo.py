"""Demo activities, so that a new installation shows a living calendar, kanban and dashboard: calls,
meetings and tasks of the past and coming weeks, notes and a CV, related to the demo clients,
partners and contacts and assigned to the demo users."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from kernel.toolkit import clock, entities
from plugins.activities import documents
from plugins.activities.models import (
    CalendarSettings,
    CalendarShare,
    Call,
    Document,
    Meeting,
    MeetingInvitee,
    Note,
    Task,
)

CALLS = ["Suivi de la recherche d'emploi", "Confirmer le rendez-vous", "Relance après l'entrevue",
         "Suivi de l'offre d'emploi", "Question sur le permis de travail", "Offre de stage"]
MEETINGS = [("Atelier CV et lettre de présentation", "Salle Inuksuk"), ("Rencontre d'accueil", "Bureau 2"),
            ("Bilan de stage", "Chez l'employeur"), ("Déjeuner des partenaires", "Hôtel Frobisher Inn"),
            ("Réunion d'équipe", "Salle de conférence")]
TASKS = ["Mettre à jour le CV", "Préparer la lettre de référence", "Envoyer la liste des offres",
         "Vérifier les documents d'immigration", "Rappeler au sujet de la formation", "Inscrire au programme",
         "Relancer l'employeur", "Archiver le dossier"]
NOTES = [("Premier contact", "Cherche un emploi en hôtellerie, disponible le soir."),
         ("Entrevue", "L'entrevue s'est bien passée\u00a0; réponse attendue vendredi."),
         ("Besoin", "A besoin d'aide pour le test de français avant le renouvellement du permis.")]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def related_pool(session) -> list[str]:
    """``"client:1"``, ``"partner:3"``… of the demo records of the enabled modules."""
    pool = []
    for name in ("client", "contact", "partner"):
        entity = entities().get(name)
        if entity is not None:
            pool += [f"{name}:{id_}" for id_ in session.scalars(select(entity.model.id).limit(30))]
    return pool


def at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """Naive UTC of a working hour in the organisation's time zone."""
    local = datetime.combine(day, time(hour, minute), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def load_demo_activities(session, users: dict) -> None:
    rng = random.Random(5)
    people = [user for role, user in users.items() if role in ("administrator", "supervisor", "staff")]
    pool = related_pool(session) or [None]
    add_calls_and_meetings(session, rng, people, pool)
    add_tasks(session, rng, people, pool)
    for subject, text in NOTES:
        author = rng.choice(people).id
        session.add(Note(subject=subject, text=text, related_to=rng.choice(pool), created_by_id=author,
                         updated_by_id=author))
    share_calendars(session, users)
    add_demo_cv(session, users.get("staff") or people[0], [link for link in pool if link and link.startswith("client:")])


def stamp(user) -> dict:
    return {"assigned_user_id": user.id, "created_by_id": user.id, "updated_by_id": user.id}


def add_calls_and_meetings(session, rng, people, pool) -> None:
    """Three weeks back and three ahead, working days: a few calls each, a meeting now and then
    with a colleague invited; the past ones held (or not)."""
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    today = clock.today()
    for offset in range(-21, 22):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for user in people:
            for _ in range(rng.randrange(0, 3)):
                session.add(Call(
                    subject=rng.choice(CALLS), direction=rng.choice(["inbound", "outbound"]),
                    start=at(day, rng.randrange(9, 16), rng.choice([0, 15, 30]), zone),
                    status="planned" if offset >= 0 else rng.choice(["held", "held", "not_held"]),
                    duration_hours=0, duration_minutes=rng.choice([15, 30, 45]), related_to=rng.choice(pool),
                    **stamp(user)))
            if rng.random() < 0.4:
                subject, location = rng.choice(MEETINGS)
                start = at(day, rng.choice([9, 10, 13, 14]), 0, zone)
                meeting = Meeting(subject=subject, location=location, start=start,
                                  end=start + timedelta(minutes=rng.choice([60, 90])),
                                  status="planned" if offset >= 0 else "held", related_to=rng.choice(pool),
                                  **stamp(user))
                session.add(meeting)
                session.flush()
                colleagues = [other for other in people if other is not user]
                if colleagues:
                    session.add(MeetingInvitee(meeting_id=meeting.id, user_id=rng.choice(colleagues).id))


def add_tasks(session, rng, people, pool) -> None:
    """Tasks of every status, some overdue, due over the coming weeks."""
    today = clock.today()
    for index in range(24):
        due = today + timedelta(days=rng.randrange(-10, 20))
        session.add(Task(subject=TASKS[index % len(TASKS)], priority=rng.choice(["high", "medium", "low"]),
                         status=rng.choice(["not_started", "in_progress", "pending", "completed"]),
                         start_date=due - timedelta(days=rng.randrange(1, 10)), due_date=due,
                         related_to=rng.choice(pool), **stamp(people[index % len(people)])))


def share_calendars(session, users: dict) -> None:
    """The supervisor shares with everyone; the staff member with the supervisor."""
    if "supervisor" in users:
        session.add(CalendarSettings(user_id=users["supervisor"].id, sharing="everyone"))
    if "staff" in users and "supervisor" in users:
        session.add(CalendarSettings(user_id=users["staff"].id, sharing="chosen"))
        session.add(CalendarShare(owner_id=users["staff"].id, viewer_id=users["supervisor"].id))


def add_demo_cv(session, user, clients: list[str]) -> None:
    """A CV of the first demo client, with its file: the client's CV is up to date."""
    if not clients:
        return
    document = Document(name="CV", category="cv", cv_date=clock.today(), created_by_id=user.id, updated_by_id=user.id)
    session.add(document)
    session.flush()
    documents.add_revision(document, FileStorage(BytesIO(PDF), filename="cv.pdf"), user)
    documents.add_link(document, clients[0], user)
