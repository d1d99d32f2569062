"""Scheduled reports: the worker e-mails each due report as a CSV attachment through the kernel's
outbox, every Monday or on the first day of every month, as its owner would see it."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from urllib.parse import parse_qsl

from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from kernel.toolkit import EXPORTED, db, jobs, queue_email, record_event, utcnow
from kernel.toolkit import gettext as _
from plugins.reports.engine import ReportError, ReportSpec, missing_columns
from plugins.reports.exporting import report_csv_bytes
from plugins.reports.models import MONTHLY, NEVER, WEEKLY, SavedReport

log = logging.getLogger("passerelle.reports")
SEND_AT = time(6, 0)  # UTC: reports are in the inbox at the start of the day
REPORTS_LEASE = timedelta(hours=1)  # long reports: another worker waits this long after a crash


def next_run(schedule: str, after: datetime) -> datetime | None:
    """The next Monday (weekly) or first day of a month (monthly) at ``SEND_AT``, after ``after``."""
    if schedule == WEEKLY:
        day = after.date() + timedelta(days=(7 - after.weekday()) % 7)
        candidate = datetime.combine(day, SEND_AT)
        return candidate if candidate > after else candidate + timedelta(days=7)
    if schedule == MONTHLY:
        candidate = datetime.combine(after.date().replace(day=1), SEND_AT)
        if candidate > after:
            return candidate
        month = after.month % 12 + 1
        return datetime.combine(after.date().replace(year=after.year + (after.month == 12), month=month, day=1),
                                SEND_AT)
    return None


def spec_of(report: SavedReport) -> ReportSpec:
    return ReportSpec.from_args(MultiDict(parse_qsl(report.query or "", keep_blank_values=True)))


def send_due_reports(now: datetime | None = None) -> int:
    """The worker job: queue the e-mails of every due report; returns how many reports were sent.
    One worker at a time sends them (the others skip the pass), so each report goes once."""
    with jobs.exclusive("reports.scheduled", lease=REPORTS_LEASE) as mine:
        return _send_due_reports(now or utcnow()) if mine else 0


def _send_due_reports(now: datetime) -> int:
    due = db.session.scalars(
        select(SavedReport).where(SavedReport.next_run_at <= now, SavedReport.schedule != NEVER)
        .order_by(SavedReport.next_run_at)
    ).all()
    sent = 0
    for report in due:
        report_id = report.id
        try:
            sent += send_report(report, now)
        except Exception as error:  # noqa: BLE001 - one broken report must not block the others
            log.exception("scheduled report %s failed", report_id)
            db.session.rollback()
            report = db.session.get(SavedReport, report_id)
            report.last_error = str(error)[:2000]
        report.next_run_at = next_run(report.schedule, now)  # a failure waits for the next run
        db.session.commit()
    return sent


def send_report(report: SavedReport, now: datetime) -> bool:
    """Queue the report to each recipient, in its owner's language and with the owner's rights."""
    owner = report.owner
    with force_locale(owner.language or "fr"):
        spec = spec_of(report)
        missing = missing_columns(spec, owner)
        if missing or not report.recipient_list:
            report.last_error = (_("Not sent: these columns are not available: %(columns)s.",
                                   columns=", ".join(report.column_labels.get(key, key) for key in missing))
                                 if missing else _("Not sent: no recipient."))
            log.warning("scheduled report %s not sent: %s", report.id, report.last_error)
            return False
        try:
            content = report_csv_bytes(spec, owner)
        except ReportError as error:
            report.last_error = str(error)
            return False
        subject = _("Report: %(name)s", name=report.name)
        body = _("Please find attached the report “%(name)s” of %(date)s (CSV).", name=report.name,
                 date=now.date().isoformat())
    filename = f"report-{report.id}-{now:%Y-%m-%d}.csv"
    for recipient in report.recipient_list:
        queue_email(recipient, subject, body, attachments=[(filename, "text/csv", content)])
    record_event(EXPORTED, user=owner, target_type=spec.entity, what="scheduled report",
                 report_id=report.id, recipients=report.recipient_list)
    report.last_sent_at, report.last_error = now, None
    return True
