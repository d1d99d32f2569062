"""What anonymised records keep, chosen per retention rule (issue 19): a rule may also empty what
the module keeps for statistics (the contact's source line, say); the counts by month stay right,
the history forgets the emptied values too, and a name the records do not keep is refused."""

from datetime import datetime

from sqlalchemy import select

from kernel.db import db
from kernel.history import RecordChange
from plugins.contactcenter.models import Contact
from plugins.privacy.retention.models import RetentionRule
from plugins.privacy.retention.run import MANUAL, dry_run, run_rules
from tests.privacy.retention_helpers import monthly_counts
from tests.privacy.test_retention_run import NOW, a_caller_with_a_closed_contact, monthly_reports


def by_month_and_channel() -> dict:
    """The monthly counts without the line, which the rule below empties."""
    counts = {}
    for key, number in monthly_counts().items():
        short = (key[0], key[1], key[2], key[4]) if key[0] == "contacts" else key
        counts[short] = counts.get(short, 0) + number
    return counts


def a_rule(cleared_fields=None) -> RetentionRule:
    rule = RetentionRule(entity_name="helpline_contact", event="closed", months=24, action="anonymise", active=True,
                         cleared_fields=cleared_fields)
    db.session.add(rule)
    db.session.commit()
    return rule


def test_a_rule_that_also_empties_the_line_keeps_the_month_and_the_channel(app, staff, admin_client):
    _profile, contact = a_caller_with_a_closed_contact(staff)
    contact_id = contact.id
    assert contact.line_id is not None
    before = by_month_and_channel()
    by_month = monthly_reports(admin_client)[1]  # needs by month and type
    a_rule("line_id, requester_served")

    run_rules(MANUAL, now=NOW)

    db.session.expire_all()
    kept = db.session.get(Contact, contact_id)
    assert (kept.line_id, kept.requester_served) == (None, None)
    assert (kept.status, kept.channel, kept.started_at) == ("closed", "phone", datetime(2024, 3, 5, 14, 0))
    assert by_month_and_channel() == before
    assert monthly_reports(admin_client)[1] == by_month
    assert db.session.scalars(select(RecordChange.new_value).where(
        RecordChange.entity == "helpline_contact", RecordChange.record_id == contact_id,
        RecordChange.field.in_(["line_id", "requester_served"]), RecordChange.new_value.is_not(None))).all() == []


def test_by_default_a_rule_keeps_what_the_module_keeps(app, staff):
    _profile, contact = a_caller_with_a_closed_contact(staff)
    contact_id, line_id, served = contact.id, contact.line_id, contact.requester_served
    a_rule()
    run_rules(MANUAL, now=NOW)
    db.session.expire_all()
    kept = db.session.get(Contact, contact_id)
    assert (kept.line_id, kept.requester_served, kept.caller_number) == (line_id, served, None)


def test_the_dry_run_says_what_each_rule_also_empties_and_what_a_rule_may_empty(app, staff, admin_client):
    a_caller_with_a_closed_contact(staff)
    a_rule("line_id")
    [preview] = dry_run(now=NOW)
    assert [label.lower() for label in preview.emptied] == ["source du contact"]
    page = admin_client.get("/privacy/retention/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Also empties" in page and "A rule may also empty" in page and "<code>line_id</code>" in page


def test_a_name_the_records_do_not_keep_is_refused_in_the_users_language(app, admin_client, make_user, login_as):
    data = {"entity_name": "helpline_contact", "event": "closed", "months": "24", "action": "anonymise",
            "active": "y", "cleared_fields": "line_id, caller_number, <b>x</b>"}
    refused = admin_client.post("/privacy-retention-rules/new", data=data, headers={"Accept-Language": "en"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Not among what these records keep: caller_number, &lt;b&gt;x&lt;/b&gt;" in page
    french = login_as(make_user("administrator", language="fr")).post("/privacy-retention-rules/new", data=data)
    assert french.status_code == 422 and "Ne fait pas partie de ce que ces enregistrements gardent" in french.get_data(
        as_text=True)
    assert db.session.scalar(select(RetentionRule.id)) is None
    created = admin_client.post("/privacy-retention-rules/new", data={**data, "cleared_fields": "line_id"})
    assert created.status_code == 302
    assert db.session.scalar(select(RetentionRule.cleared_fields)) == "line_id"
