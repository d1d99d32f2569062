"""The contact centre's standard reports open, run and export through the reports module: contacts per
line and channel, top needs, service gaps by area and service type, referrals per resource,
contacts closed incomplete."""

import pytest

from kernel.db import db
from plugins.contactcenter import workflow
from tests.conftest import login
from tests.contactcenter.helpers import make_contact, make_line, make_profile, make_resource, make_term
from tests.reports.helpers import cells

KEYS = ["contactcenter_contacts_by_line_and_channel", "contactcenter_top_needs", "contactcenter_service_gaps",
        "contactcenter_referrals_by_resource", "contactcenter_incomplete_contacts"]


def seed(user):
    from kernel import records
    from kernel.registry import entities

    line = make_line()
    food = make_term("BD-1800.2000", "Food pantries")
    resource = make_resource("Food bank", food)
    contact = make_contact(user, line=line, profile=make_profile(user, postal_code="X0A 0H0"))
    workflow.refer(contact, resource.id, user)
    records.create(entities().get("service_gap"), {"contact_id": contact.id, "term_id": food.id,
                                                   "postal_code": "X0A 0H0", "note": "none open"}, user)
    workflow.force_close(contact, user, "Caller hung up")
    db.session.commit()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_contactcenter_standard_report_opens_runs_and_exports(make_app, make_user, language):
    app = make_app()
    with app.app_context():
        manager = make_user("supervisor", language=language)
        seed(manager)
        browser = login(app.test_client(), manager)
        index = browser.get("/reports/").get_data(as_text=True)
        for key in KEYS:
            assert f"/reports/standard/{key}" in index, key
            response = browser.get(f"/reports/standard/{key}", follow_redirects=True)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, key
            assert cells(html) and cells(html)[0][0] not in ("No record matches.", "Aucune fiche ne correspond."), key
            export = browser.get("/reports/export.csv?" + response.request.query_string.decode())
            assert export.status_code == 200 and export.get_data(as_text=True).count("\n") >= 2, key
        incomplete = browser.get("/reports/standard/contactcenter_incomplete_contacts", follow_redirects=True)
        html = incomplete.get_data(as_text=True)
        assert "Caller hung up" in html and "Food pantries" in html
