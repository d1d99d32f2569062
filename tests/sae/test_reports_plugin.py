"""The SAE standard reports and report columns in the report builder (reports plugin): they run
for the SAE team and are not offered to a staff member off the team."""

from datetime import date

import pytest

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.sae.settings import save_members
from tests.conftest import login
from tests.reports.helpers import cells


@pytest.fixture
def reports_app(make_app):
    app = make_app(PASSERELLE_PLUGINS="clients,partners,activities,sae,reports")
    with app.app_context():
        from kernel import migrate

        migrate.upgrade()  # the SAE tests' database has the reports plugin's tables only from here
        yield app
        db.session.remove()


def _seed(make_user):
    counsellor = make_user("staff", name="Claire Conseillère")
    outsider = make_user("staff", name="Oscar Outsider")
    save_members({counsellor.id}, set())
    person = records.create(entities().get("client"), {"first_name": "Émile", "last_name": "Noël"}, counsellor)
    partner = records.create(entities().get("partner"), {"name": "Northmart"}, counsellor)
    files = entities().get("case_file")
    today = date.today().isoformat()
    active = records.create(files, {"file_number": "SAE-A", "client_id": person.id, "status": "active",
                                    "intake_date": today, "assigned_user_id": counsellor.id}, counsellor)
    records.create(files, {"file_number": "SAE-B", "client_id": person.id, "status": "closed", "intake_date": today,
                           "closure_date": today, "outcome": "employed", "assigned_user_id": counsellor.id},
                   counsellor)
    records.create(entities().get("placement"), {"case_file_id": active.id, "employer_id": partner.id,
                                                 "position": "Caissière", "start_date": today}, counsellor)
    db.session.commit()
    return counsellor, outsider


def test_the_standard_reports_run_for_the_team(reports_app, make_user):
    counsellor, _outsider = _seed(make_user)
    browser = login(reports_app.test_client(), counsellor)
    index = browser.get("/reports/").get_data(as_text=True)
    expected = {"sae_caseload": "Claire Conseillère", "sae_placements": "Caissière", "sae_outcomes": "Employed"}
    for key, text in expected.items():
        assert f"/reports/standard/{key}" in index, key
        response = browser.get(f"/reports/standard/{key}", follow_redirects=True)
        assert response.status_code == 200, key
        assert any(text in cell for row in cells(response.get_data(as_text=True)) for cell in row), key


def test_a_client_report_shows_the_case_file_status_column(reports_app, make_user):
    counsellor, outsider = _seed(make_user)
    query = "/reports/build?entity=client&columns=last_name&columns=sae.case_file_status&columns=sae.placements"
    page = login(reports_app.test_client(), counsellor).get(query).get_data(as_text=True)
    assert ["Noël", "Active", "1"] in cells(page) or ["Noël", "Closed", "1"] in cells(page)
    refused = login(reports_app.test_client(), outsider).get(query).get_data(as_text=True)
    assert "SAE case file status" not in refused


def test_the_standard_reports_are_not_offered_off_the_team(reports_app, make_user):
    _counsellor, outsider = _seed(make_user)
    browser = login(reports_app.test_client(), outsider)
    assert "sae_caseload" not in browser.get("/reports/").get_data(as_text=True)
    assert browser.get("/reports/standard/sae_caseload").status_code == 404
    refused = browser.get("/reports/build?entity=case_file&columns=file_number")
    assert refused.status_code == 403 and "SAE-A" not in refused.get_data(as_text=True)
