"""A saved report e-mailed as CSV every week or month: the worker's job queues it in the outbox
with the CSV attached, and the outbox sends it to a real SMTP server."""

import csv
import io
from datetime import datetime

import pytest

from kernel.db import db
from kernel.outbox import drain
from kernel.worker import run_job
from plugins.reports.models import SavedReport
from plugins.reports.schedule import next_run, send_due_reports
from tests.conftest import login
from tests.kernel.test_outbox import smtp_server
from tests.reports.helpers import seed_clients


@pytest.fixture
def mailbox():
    box, controller = smtp_server()
    yield box
    controller.stop()


def test_next_runs_are_mondays_and_first_days():
    assert next_run("weekly", datetime(2025, 3, 5, 12, 0)) == datetime(2025, 3, 10, 6, 0)  # a Wednesday
    assert next_run("weekly", datetime(2025, 3, 10, 5, 0)) == datetime(2025, 3, 10, 6, 0)
    assert next_run("weekly", datetime(2025, 3, 10, 6, 0)) == datetime(2025, 3, 17, 6, 0)
    assert next_run("monthly", datetime(2025, 12, 15)) == datetime(2026, 1, 1, 6, 0)
    assert next_run("monthly", datetime(2025, 3, 1, 5, 59)) == datetime(2025, 3, 1, 6, 0)
    assert next_run("none", datetime(2025, 3, 1)) is None


def test_a_scheduled_report_arrives_as_a_csv_attachment(make_app, make_user, mailbox):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    with app.app_context():
        supervisor = make_user("supervisor", language="fr", name="Sophie Superviseure")
        seed_clients(supervisor)
        browser = login(app.test_client(), supervisor)
        browser.post("/reports/saved", data={"name": "Clients par pays",
                                             "query": "entity=client&group=country_of_origin&agg=count"})
        report = db.session.query(SavedReport).one()
        refused = browser.post(f"/reports/saved/{report.id}/schedule",
                               data={"schedule": "weekly", "recipients": "funder@example.org, not-an-address"},
                               follow_redirects=True)
        assert "not-an-address" in refused.get_data(as_text=True)
        browser.post(f"/reports/saved/{report.id}/schedule",
                     data={"schedule": "weekly", "recipients": "funder@example.org; board@example.org"})
        db.session.expire_all()
        report = db.session.get(SavedReport, report.id)
        assert report.schedule == "weekly" and report.next_run_at.weekday() == 0

        assert send_due_reports(now=report.next_run_at.replace(hour=5)) == 0  # not yet due
        run_job(lambda: send_due_reports(now=report.next_run_at))
        drain()
        report = db.session.get(SavedReport, report.id)
        assert report.last_sent_at is not None and report.next_run_at.day != report.last_sent_at.day

    recipients = sorted(rcpt for rcpts, _message in mailbox.messages for rcpt in rcpts)
    assert recipients == ["board@example.org", "funder@example.org"]
    message = mailbox.messages[0][1]
    assert message["Subject"] == "Rapport\u00a0: Clients par pays"
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "text/csv" and attachment.get_filename().endswith(".csv")
    content = attachment.get_content()
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == ["Pays d'origine", "Nombre"] and ["Haïti", "3"] in rows


def test_staff_may_not_schedule_and_a_broken_report_is_not_sent(make_app, make_user):
    app = make_app()
    with app.app_context():
        staff = make_user("staff")
        browser = login(app.test_client(), staff)
        browser.post("/reports/saved", data={"name": "Mine", "query": "entity=client&columns=last_name"})
        report = db.session.query(SavedReport).one()
        assert browser.post(f"/reports/saved/{report.id}/schedule",
                            data={"schedule": "weekly", "recipients": "a@example.org"}).status_code == 403
        report = db.session.query(SavedReport).one()
        report.schedule, report.recipients = "monthly", "a@example.org"
        report.query += "&columns=gone.column"
        report.next_run_at = datetime(2025, 1, 1, 6, 0)
        db.session.commit()
        assert send_due_reports(now=datetime(2025, 1, 1, 6, 0)) == 0
        db.session.expire_all()
        report = db.session.get(SavedReport, report.id)
        assert "gone.column" in report.last_error and report.next_run_at == datetime(2025, 2, 1, 6, 0)
        from kernel.outbox import OutboxMessage

        assert db.session.query(OutboxMessage).count() == 0


def test_a_failing_report_does_not_block_the_others(make_app, make_user, monkeypatch):
    app = make_app()
    with app.app_context():
        owner = make_user("supervisor")
        for name in ("First", "Second"):
            db.session.add(SavedReport(name=name, owner_id=owner.id, entity="client", query="entity=client&columns=last_name",
                                       schedule="weekly", recipients="a@example.org",
                                       next_run_at=datetime(2025, 3, 10, 6, 0)))
        db.session.commit()
        from plugins.reports import schedule

        real = schedule.report_csv_bytes

        def broken_first(spec, user):
            if not getattr(broken_first, "called", False):
                broken_first.called = True
                raise RuntimeError("disk full")
            return real(spec, user)

        monkeypatch.setattr(schedule, "report_csv_bytes", broken_first)
        assert send_due_reports(now=datetime(2025, 3, 10, 6, 0)) == 1
        db.session.expire_all()
        reports = db.session.query(SavedReport).order_by(SavedReport.id).all()
        assert reports[0].last_error == "disk full" and reports[1].last_sent_at is not None
        assert all(report.next_run_at == datetime(2025, 3, 17, 6, 0) for report in reports)
