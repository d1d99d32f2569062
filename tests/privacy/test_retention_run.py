"""A retention run anonymises the closed helpline contacts a rule has reached: nothing names the
caller any more in any table or index (history, quick search, duplicate keys, outbox), while the
monthly report's counts stay the same; what is not due, held or already done is left alone, and
every run is recorded with its counts."""

from datetime import date, datetime

from sqlalchemy import func, select

from kernel import records
from kernel.db import db
from kernel.duplicates import DuplicateKey
from kernel.history import RecordChange
from kernel.outbox import OutboxMessage
from kernel.registry import entities
from plugins.contactcenter.models import Contact, Profile
from plugins.privacy.retention.models import Anonymised, LegalHold, RetentionRule, RetentionRun
from plugins.privacy.retention.run import MANUAL, dry_run, run_rules, scheduled_job
from tests.privacy.retention_helpers import (
    CALLER,
    a_closed_contact,
    a_line,
    a_profile,
    a_resource,
    a_term,
    monthly_counts,
    search_index_finds,
    traces_of,
)

NOW = datetime(2026, 12, 1, 12, 0)


def a_rule(entity_name="helpline_contact", event="closed", months=24, action="anonymise") -> RetentionRule:
    rule = RetentionRule(entity_name=entity_name, event=event, months=months, action=action, active=True)
    db.session.add(rule)
    db.session.commit()
    return rule


def a_caller_with_a_closed_contact(user, **contact):
    profile = a_profile(user)
    records.update(entities().get("caller_profile"), profile, {"name": CALLER + " (Gigi)"}, user)
    records.update(entities().get("caller_profile"), profile, {"name": CALLER}, user)
    db.session.commit()
    contact = a_closed_contact(user, profile, a_line(), a_term(), a_resource(), **contact)
    return profile, contact


MONTHLY_REPORTS = (
    "/reports/export.csv?entity=helpline_contact&group=started_at:month&group=line_id&group=channel&agg=count",
    "/reports/export.csv?entity=service_need&group=created_at:month&group=term_id&agg=count",
    "/reports/export.csv?entity=caller_profile&group=postal_code&agg=count",
)


def monthly_reports(client) -> list[str]:
    """The report builder's CSV of contacts by month, line and channel, needs by type, callers by area."""
    texts = []
    for path in MONTHLY_REPORTS:
        answer = client.get(path)
        assert answer.status_code == 200, path
        texts.append(answer.get_data(as_text=True))  # read before the next request: the CSV is streamed
    return texts


def test_a_run_leaves_no_trace_of_the_caller_anywhere_and_the_monthly_counts_unchanged(app, staff, admin_client):
    profile, contact = a_caller_with_a_closed_contact(staff)
    assert traces_of(), "the test's caller is not in the database to begin with"
    assert search_index_finds("tremblay")
    before = monthly_counts()
    reports = monthly_reports(admin_client)
    assert "X0A" in reports[2] and "Main line" in reports[0]
    db.session.expire_all()
    a_rule()

    counts = run_rules(MANUAL, now=NOW).counts

    db.session.expire_all()
    assert traces_of() == []
    assert not search_index_finds("tremblay") and not search_index_finds("okpik")
    assert monthly_counts() == before
    after = monthly_reports(admin_client)
    assert after[:2] == reports[:2]
    assert after[2].replace("X0A 0H0", "X0A") == reports[2].replace("X0A 0H0", "X0A")
    kept = db.session.get(Contact, contact.id)
    assert (kept.status, kept.channel, kept.started_at, kept.caller_number, kept.profile_id) == (
        "closed", "phone", datetime(2024, 3, 5, 14, 0), None, None)
    caller = db.session.get(Profile, profile.id)
    assert (caller.postal_code, caller.preferred_language, caller.email) == ("X0A", "fr", None)
    assert db.session.scalar(select(func.count()).select_from(DuplicateKey)) == 0
    assert set(db.session.scalars(select(OutboxMessage.body))) == {"—"}
    assert counts["helpline_contact"]["anonymised"] == 1 and counts["caller_profile"]["anonymised"] == 1
    assert db.session.scalar(select(func.count()).select_from(Anonymised)) >= 2
    assert db.session.scalar(select(func.count()).select_from(RecordChange).where(
        RecordChange.action == "updated", RecordChange.new_value.is_not(None), RecordChange.entity == "caller_profile")) == 0


def test_a_contact_not_yet_due_or_still_open_is_left_alone(app, staff):
    profile, contact = a_caller_with_a_closed_contact(staff, started=datetime(2026, 6, 1, 9, 0))
    a_rule(months=24)
    run = run_rules(MANUAL, now=NOW)
    assert run.counts == {}
    assert CALLER in db.session.get(Profile, profile.id).name


def test_a_caller_with_a_recent_contact_keeps_their_profile(app, staff):
    profile, old = a_caller_with_a_closed_contact(staff)
    from plugins.contactcenter import workflow

    newer = workflow.start_contact(staff, channel="chat", line=None, caller_number=None, agent=staff)
    workflow.choose_profile(newer, profile, staff)
    db.session.commit()
    a_rule()
    run_rules(MANUAL, now=NOW)
    db.session.expire_all()
    assert db.session.get(Contact, old.id).notes is None
    assert db.session.get(Profile, profile.id).name == CALLER
    assert db.session.get(Contact, newer.id).profile_id == profile.id


def test_a_legal_hold_on_the_caller_or_the_contact_stops_the_run(app, staff):
    profile, contact = a_caller_with_a_closed_contact(staff)
    hold = LegalHold(entity_name="caller_profile", record_id=profile.id, reason="Inquiry by the coroner")
    db.session.add(hold)
    db.session.commit()
    a_rule()
    run = run_rules(MANUAL, now=NOW)
    db.session.expire_all()
    assert run.held == 1 and run.counts == {}
    assert db.session.get(Contact, contact.id).notes
    hold.until = date(2020, 1, 1)  # the hold has ended
    db.session.commit()
    run_rules(MANUAL, now=NOW)
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).notes is None


def test_a_delete_rule_deletes_the_contact_and_what_belongs_to_it(app, staff):
    profile, contact = a_caller_with_a_closed_contact(staff)
    contact_id = contact.id
    a_rule(action="delete")
    run = run_rules(MANUAL, now=NOW)
    db.session.expire_all()
    assert db.session.scalar(select(Contact.id).where(Contact.id == contact_id)) is None
    assert run.counts["helpline_contact"]["deleted"] == 1
    assert traces_of() == []


def test_the_dry_run_says_what_the_run_will_do_and_changes_nothing(app, staff):
    profile, contact = a_caller_with_a_closed_contact(staff)
    a_rule()
    previews = dry_run(NOW)
    assert [(preview.entity.name, preview.due, preview.held) for preview in previews] == [("helpline_contact", 1, 0)]
    reached = previews[0].reached
    assert reached["helpline_contact"] == {"anonymised": 1, "deleted": 0}
    assert reached["caller_profile"] == {"anonymised": 1, "deleted": 0}
    db.session.expire_all()
    assert db.session.get(Profile, profile.id).name == CALLER


def test_the_scheduled_job_runs_once_a_day_whoever_asks(app, staff):
    a_caller_with_a_closed_contact(staff)
    a_rule()
    scheduled_job()
    scheduled_job()
    assert db.session.scalar(select(func.count()).select_from(RetentionRun)) == 1
    assert db.session.scalar(select(RetentionRun.kind)) == "scheduled"


def test_administrators_see_the_dry_run_and_the_log_and_run_the_rules(app, staff, admin_client, staff_client):
    a_caller_with_a_closed_contact(staff)
    a_rule()
    page = admin_client.get("/privacy/retention/")
    assert page.status_code == 200 and "helpline_contact" in page.get_data(as_text=True)
    assert staff_client.get("/privacy/retention/").status_code == 403
    assert staff_client.post("/privacy/retention/run").status_code in (400, 403)
    runs = admin_client.get("/privacy/retention/runs/")
    assert runs.status_code == 200
    assert admin_client.get("/privacy/retention/runs/999999").status_code == 404


def test_a_rule_naming_an_unknown_entity_or_event_is_refused(app, admin_client):
    refused = admin_client.post("/privacy-retention-rules/new", data={
        "entity_name": "unicorns", "event": "closed", "months": "12", "action": "anonymise", "active": "y"})
    assert refused.status_code == 422 and "unicorns" in refused.get_data(as_text=True)
    refused = admin_client.post("/privacy-retention-rules/new", data={
        "entity_name": "client", "event": "closed", "months": "0", "action": "anonymise", "active": "y"})
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(RetentionRule)) == 0
    created = admin_client.post("/privacy-retention-rules/new", data={
        "entity_name": "helpline_contact", "event": "closed", "months": "24", "action": "anonymise", "active": "y"})
    assert created.status_code == 302


def test_a_hold_on_the_caller_keeps_each_of_their_contacts(app, staff):
    profile, old = a_caller_with_a_closed_contact(staff)
    from plugins.contactcenter import workflow

    newer = workflow.start_contact(staff, channel="chat", line=None, caller_number=None, agent=staff)
    workflow.choose_profile(newer, profile, staff)
    db.session.add(LegalHold(entity_name="caller_profile", record_id=profile.id, reason="Inquiry"))
    db.session.commit()
    a_rule()
    run = run_rules(MANUAL, now=NOW)
    db.session.expire_all()
    assert run.held == 1 and db.session.get(Contact, old.id).notes


def test_a_run_that_fails_is_recorded_and_the_administrator_told(app, staff, admin_client, monkeypatch):
    from plugins.privacy.retention import run as running

    a_caller_with_a_closed_contact(staff)
    a_rule()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(running, "_apply_rule", broken)
    answer = admin_client.post("/privacy/retention/run")
    assert answer.status_code == 303 and answer.location.endswith("/privacy/retention/runs/")
    assert db.session.scalar(select(RetentionRun.error)) == "RuntimeError"
    assert "The run stopped on an error" in admin_client.get(answer.location).get_data(as_text=True)


def test_a_client_rule_passes_by_a_client_whose_case_file_is_open(app, staff):
    from plugins.clients.models import Client
    from tests.privacy.person_helpers import a_client_with_data

    open_file = a_client_with_data(staff, file_status="active")
    closed = a_client_with_data(staff, "Marc", "Roy", email="marc.roy@example.org", number="SAE-0002",
                                phone="(514) 555-0202")
    open_id, closed_id = open_file.id, closed.id
    a_rule(entity_name="client", event="last_change", months=1)
    run = run_rules(MANUAL, now=datetime(2099, 1, 1))
    db.session.expire_all()
    assert run.held == 1
    assert db.session.get(Client, open_id).last_name == "Tremblay"
    assert db.session.get(Client, closed_id).last_name == "—"


def test_a_person_page_offers_a_legal_hold_to_administrators(app, staff, admin_client):
    from tests.privacy.person_helpers import a_client_with_data

    zoe = a_client_with_data(staff)
    page = admin_client.get(f"/clients/{zoe.id}").get_data(as_text=True)
    assert f"/privacy-legal-holds/new?entity_name=client&amp;record_id={zoe.id}" in page
    form = admin_client.get(f"/privacy-legal-holds/new?entity_name=client&record_id={zoe.id}").get_data(as_text=True)
    assert 'value="client"' in form


def test_every_run_is_in_the_security_log(app, staff, admin):
    from kernel.security.models import SecurityEvent

    a_caller_with_a_closed_contact(staff)
    a_rule()
    run = run_rules(MANUAL, user=admin, now=NOW)
    event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == "retention_run"))
    assert (event.user_id, event.target_id, event.details["counts"]["helpline_contact"]) == (admin.id, str(run.id), 1)
