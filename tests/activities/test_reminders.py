"""Reminders: a notification and an e-mail before a call or meeting, sent once by the worker."""

from datetime import datetime, timedelta

from sqlalchemy import select

from kernel import worker
from kernel.db import db, utcnow
from kernel.notifications import Notification
from kernel.outbox import OutboxMessage
from tests.activities.helpers import create


def test_reminder_sent_once(staff, app):
    start = utcnow() + timedelta(minutes=10)
    create("call", {"subject": "Appel bientôt", "start": start.isoformat() + "Z", "duration_hours": 0,
                    "duration_minutes": 15}, staff)
    create("meeting", {"subject": "Réunion lointaine", "start": (start + timedelta(days=2)).isoformat() + "Z",
                       "end": (start + timedelta(days=2, hours=1)).isoformat() + "Z"}, staff)
    worker.run_pass(worker.plugin_jobs())
    worker.run_pass(worker.plugin_jobs())
    notes = db.session.scalars(select(Notification).where(Notification.kind == "reminder")).all()
    assert len(notes) == 1 and "Appel bientôt" in notes[0].text
    emails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == staff.email)).all()
    assert len(emails) == 1 and "Appel bientôt" in emails[0].subject


def test_reminder_minutes_per_activity(staff, app):
    from plugins.activities.reminders import send_due_reminders

    start = utcnow() + timedelta(minutes=50)
    create("meeting", {"subject": "Réunion", "start": start.isoformat() + "Z",
                       "end": (start + timedelta(hours=1)).isoformat() + "Z", "reminder_minutes": 60}, staff)
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0


def test_the_email_gives_the_time_in_the_user_zone(make_user, app):
    from plugins.activities.reminders import send_due_reminders

    paris = make_user("staff", email="paris@example.org", timezone="Europe/Paris", language="fr")
    iqaluit = make_user("staff", email="iqaluit@example.org")
    for user in (paris, iqaluit):
        create("call", {"subject": "Appel", "start": "2026-11-05T14:00:00Z", "duration_hours": 0,
                        "duration_minutes": 15, "assigned_user_id": user.id}, user)
    assert send_due_reminders(now=datetime(2026, 11, 5, 13, 50)) == 2
    bodies = dict(db.session.execute(select(OutboxMessage.recipient, OutboxMessage.body)).all())
    assert "15:00" in bodies["paris@example.org"] and "commence" in bodies["paris@example.org"]
    assert "9:00" in bodies["iqaluit@example.org"] and "starts at" in bodies["iqaluit@example.org"]
