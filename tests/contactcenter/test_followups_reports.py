"""Follow-up reports: per resource and per need type, the share of referrals followed up, reached
and whose need was met, in the period; in English and French."""

import pytest

from kernel.db import db, utcnow
from plugins.contactcenter import workflow
from plugins.contactcenter.followups import service
from tests.conftest import login
from tests.contactcenter.followup_helpers import consenting_contact
from tests.contactcenter.helpers import make_contact, make_resource, make_term
from tests.reports.helpers import cells


def number(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\xa0", "").replace(",", "."))


KEYS = ["contactcenter_followups_by_resource", "contactcenter_followups_by_need_type"]


def seed(user):
    food = make_term("food", "Food pantries", "Banques alimentaires")
    bank, kitchen = make_resource("Food bank", food), make_resource("Soup kitchen", food)
    helped = consenting_contact(user)
    referral = workflow.refer(helped, bank.id, user)
    workflow.refer(make_contact(user, caller="867 979 2222"), kitchen.id, user)
    followup = service.schedule(helped, user, due_at=utcnow(), channel="phone", reason="", consent=True)
    service.record_attempt(followup, [service.Outcome(referral.id, reached=True, contacted_service=True,
                                                      got_help=True)], user)
    db.session.commit()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_follow_up_rates_per_resource_and_need_type(make_app, make_user, language):
    app = make_app()
    with app.app_context():
        manager = make_user("supervisor", language=language)
        seed(manager)
        browser = login(app.test_client(), manager)
        by_resource = browser.get(f"/reports/standard/{KEYS[0]}", follow_redirects=True)
        assert by_resource.status_code == 200
        rows = {row[0]: row[1:] for row in cells(by_resource.get_data(as_text=True))}
        assert [number(value) for value in rows["Food bank"]] == [1, 100, 100, 100]
        assert [number(value) for value in rows["Soup kitchen"]] == [1, 0, 0, 0]
        by_need = browser.get(f"/reports/standard/{KEYS[1]}", follow_redirects=True)
        html = by_need.get_data(as_text=True)
        assert by_need.status_code == 200
        assert ("Banques alimentaires" if language == "fr" else "Food pantries") in html
        [need_row] = [row for row in cells(html) if row[0] != "Total"] or [[]]
        assert [number(value) for value in need_row[1:]] == [2, 50, 50, 50]
        export = browser.get("/reports/export.csv?" + by_need.request.query_string.decode())
        assert export.status_code == 200 and ",2,50.00,50.00,50.00" in export.get_data(as_text=True)
