"""Two workers racing (two threads, each with its own session and connection, as two
``passerelle worker`` processes on two machines would be): every reminder, scheduled report,
outbox message and import is done exactly once."""

from datetime import timedelta

from sqlalchemy import func, select

from kernel import worker
from kernel.db import db, utcnow
from kernel.importer import DONE, Import
from kernel.notifications import Notification
from kernel.outbox import SENT, OutboxMessage, queue_email
from plugins.clients.models import Client
from plugins.reports.models import SavedReport
from tests.activities.helpers import create
from tests.kernel.test_csv_import import confirm_mapping, job_id_of, upload
from tests.kernel.test_jobs import run_in_threads

REMINDERS, REPORTS, MESSAGES, IMPORTS, ROWS = 4, 3, 12, 2, 30


def plan_reminders(staff):
    start = utcnow() + timedelta(minutes=10)
    for index in range(REMINDERS):
        create("call", {"subject": f"Appel {index}", "start": start.isoformat() + "Z", "duration_hours": 0,
                        "duration_minutes": 15}, staff)


def plan_reports(supervisor):
    for index in range(REPORTS):
        db.session.add(SavedReport(
            name=f"Rapport {index}", owner_id=supervisor.id, entity="client",
            query="entity=client&group=country_of_origin&agg=count", schedule="weekly",
            recipients=f"funder{index}@example.org", next_run_at=utcnow() - timedelta(hours=1)))
    db.session.commit()


def queue_imports(staff_client):
    for number in range(IMPORTS):
        rows = "".join(f"Nom{number}x{index},Prénom{index},i{number}x{index}@example.org\n" for index in range(ROWS))
        job_id = job_id_of(upload(staff_client, "Nom de famille,Prénom,Courriel\n" + rows))
        confirm_mapping(staff_client, job_id)
        staff_client.post(f"/imports/{job_id}/run")


def test_two_workers_do_every_job_exactly_once(app, staff, staff_client, make_user):
    plan_reminders(staff)
    plan_reports(make_user("supervisor"))
    for index in range(MESSAGES):
        queue_email(f"person{index}@example.org", f"Message {index}", "Body")
    db.session.commit()
    queue_imports(staff_client)
    db.session.remove()

    run_in_threads(app, lambda _index: [worker.run_pass(worker.plugin_jobs()) for _ in range(IMPORTS + 2)])

    db.session.expire_all()
    reminders = db.session.scalar(select(func.count()).select_from(Notification)
                                  .where(Notification.kind == "reminder"))
    assert reminders == REMINDERS
    messages = db.session.execute(select(OutboxMessage.subject, OutboxMessage.status, OutboxMessage.attempts)).all()
    subjects = [subject for subject, _status, _attempts in messages]
    assert len(subjects) == len(set(subjects)) == MESSAGES + REPORTS + REMINDERS  # nothing queued twice
    assert {(status, attempts) for _recipient, status, attempts in messages} == {(SENT, 1)}  # each sent once
    assert [status for status in db.session.scalars(select(Import.status))] == [DONE] * IMPORTS
    assert db.session.scalar(select(func.count()).select_from(Client)) == IMPORTS * ROWS
