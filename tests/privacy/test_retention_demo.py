"""The demo data shows a retention rule and a legal hold as an organisation would write them; the
rules are inactive, so the demo's records stay as they are."""

from sqlalchemy import select

from kernel.db import db
from kernel.setup import first_start
from plugins.privacy.retention.models import LegalHold, RetentionRule


def test_demo_has_inactive_rules_and_a_hold_on_a_real_client(app):
    assert first_start(load_demo=True)
    rules = db.session.scalars(select(RetentionRule)).all()
    assert {rule.entity_name for rule in rules} >= {"helpline_contact", "case_file"}
    assert not any(rule.active for rule in rules)
    [hold] = db.session.scalars(select(LegalHold)).all()
    from plugins.clients.models import Client

    assert hold.entity_name == "client" and db.session.get(Client, hold.record_id) is not None


def test_the_demo_rule_and_hold_pages_open_for_the_administrator(app):
    from kernel.testing import TEST_PASSWORD, login
    from kernel.users import User

    assert first_start(load_demo=True)
    admin = db.session.scalar(select(User).where(User.role == "administrator"))
    admin.set_password(TEST_PASSWORD)
    db.session.commit()
    browser = login(app.test_client(), admin)
    rule = db.session.scalars(select(RetentionRule)).first()
    hold = db.session.scalars(select(LegalHold)).first()
    assert browser.get(f"/privacy-retention-rules/{rule.id}").status_code == 200
    assert browser.get(f"/privacy-legal-holds/{hold.id}").status_code == 200
