"""The worker's verification pass: each agency with stale records (and an e-mail address) gets a
secure link to its verification form; an unanswered request is reminded after a few days, twice
at most. One worker at a time runs it (``kernel.jobs``), at most once an hour."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import exists, func, or_, select

from kernel.toolkit import LANGUAGES, db, jobs, queue_email, secure_links, utcnow
from kernel.toolkit import gettext as _
from plugins.directory.models import Agency, Resource
from plugins.directory.verification.models import PENDING, PURPOSE, VerificationProposal, VerificationRequest
from plugins.directory.verification.service import (
    LINK_DAYS,
    MAX_REMINDERS,
    reminder_days,
    stale_before,
    stale_condition,
)

JOB_NAME = "directory.verification"
BATCH = 200  # agencies e-mailed per pass; the next pass takes the rest


def worker_job():
    return jobs.run_exclusive(JOB_NAME, run, lease=timedelta(minutes=30), every=timedelta(hours=1))


def run(now: datetime | None = None) -> dict:
    """One pass: new requests, then reminders; commits. Returns the counts (for logs and tests)."""
    now = now or utcnow()
    sent = send_requests(now)
    reminded = send_reminders(now)
    db.session.commit()
    return {"sent": sent, "reminded": reminded}


def language_of(agency: Agency) -> str:
    """The agency's correspondence language when it has one, else the organisation's default language."""
    if agency.language in LANGUAGES:
        return agency.language
    default = current_app.config.get("DEFAULT_LANGUAGE")
    return default if default in LANGUAGES else "fr"


def agencies_to_ask(now: datetime, limit: int = BATCH) -> list[Agency]:
    """Agencies with an e-mail address and a stale record (their own or a service's), without an open
    request (unanswered, its link still valid) or changes waiting for review."""
    before = stale_before(now)
    stale_service = exists().where(Resource.organization_id == Agency.id, Resource.deleted_at.is_(None),
                                   stale_condition(Resource, before))
    open_request = exists().where(
        VerificationRequest.organization_id == Agency.id, VerificationRequest.answered_at.is_(None),
        func.coalesce(VerificationRequest.last_reminder_at, VerificationRequest.sent_at) >= now - timedelta(days=LINK_DAYS))
    waiting = exists().where(VerificationProposal.organization_id == Agency.id, VerificationProposal.status == PENDING)
    query = (select(Agency).where(Agency.deleted_at.is_(None), Agency.email.is_not(None), Agency.email != "",
                                  or_(stale_condition(Agency, before), stale_service), ~open_request, ~waiting)
             .order_by(Agency.id).limit(limit))
    return list(db.session.scalars(query))


def send_requests(now: datetime) -> int:
    agencies = agencies_to_ask(now)
    for agency in agencies:
        request = VerificationRequest(organization_id=agency.id, email=agency.email[:254],
                                      language=language_of(agency), sent_at=now, reminders_sent=0)
        db.session.add(request)
        _email_link(request, agency, reminder=False)
    return len(agencies)


def due_reminders(now: datetime) -> list[VerificationRequest]:
    last = func.coalesce(VerificationRequest.last_reminder_at, VerificationRequest.sent_at)
    return list(db.session.scalars(select(VerificationRequest).where(
        VerificationRequest.answered_at.is_(None), VerificationRequest.reminders_sent < MAX_REMINDERS,
        last <= now - timedelta(days=reminder_days()), last > now - timedelta(days=LINK_DAYS),
    ).order_by(VerificationRequest.id).limit(BATCH)))


def send_reminders(now: datetime) -> int:
    reminded = 0
    for request in due_reminders(now):
        agency = db.session.get(Agency, request.organization_id)
        if agency is None or agency.deleted_at is not None or not agency.email:
            continue
        request.reminders_sent += 1
        request.last_reminder_at = now
        _email_link(request, agency, reminder=True)
        reminded += 1
    return reminded


def _email_link(request: VerificationRequest, agency: Agency, *, reminder: bool) -> None:
    """A new link (only its hash is kept, so a reminder cannot resend the old one: it is withdrawn)."""
    if request.link_id:
        old = db.session.get(secure_links.SecureLink, request.link_id)
        if old is not None:
            secure_links.revoke(old)
    token = secure_links.issue(PURPOSE, entity="agency", record_id=agency.id, days=LINK_DAYS,
                               language=request.language, email=request.email)
    db.session.flush()
    request.link_id = secure_links.find(PURPOSE, token).id
    base_url = current_app.config.get("BASE_URL") or "http://localhost"
    with current_app.test_request_context(base_url=base_url), force_locale(request.language):
        url = url_for("directory.verification_form", token=token, _external=True)
        subject = (_("Reminder: please check your listing in our resource directory") if reminder
                   else _("Please check your listing in our resource directory"))
        body = render_template("directory/verification/email.txt", agency=agency, url=url, days=LINK_DAYS,
                               reminder=reminder)
    queue_email(request.email, subject, body)
