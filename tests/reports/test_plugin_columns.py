"""A plugin (a third party's too) adds report columns and standard reports through hooks; a
disabled plugin's columns disappear from the builder, and a saved report that used them says so
instead of failing."""

from kernel.db import db
from plugins.reports.models import SavedReport
from tests.conftest import login
from tests.reports import third_party
from tests.reports.conftest import REPORT_PLUGINS
from tests.reports.helpers import cells, seed_clients


def test_a_third_party_column_and_standard_report(make_app, make_user):
    app = make_app(extra_plugins={"secret": third_party}, PASSERELLE_PLUGINS=REPORT_PLUGINS + ",secret")
    with app.app_context():
        admin = make_user("administrator")
        seed_clients(admin)
        browser = login(app.test_client(), admin)
        builder = browser.get("/reports/build?entity=client").get_data(as_text=True)
        assert 'data-name="secret.score"' in builder and "Secret score" in builder
        assert "Secret scores by country" in browser.get("/reports/").get_data(as_text=True)
        opened = browser.get("/reports/standard/secret_scores", follow_redirects=True).get_data(as_text=True)
        assert "Sum of Secret score" in opened
        assert ["Haiti", "3", "18"] in cells(opened)  # Tremblay, Noël, Ancien: 8 + 4 + 6 letters


def test_a_column_of_a_disabled_plugin_disappears_and_the_saved_report_says_so(make_app, make_user):
    app = make_app()
    with app.app_context():
        staff = make_user("staff")
        seed_clients(staff)
        browser = login(app.test_client(), staff)
        assert 'data-name="activities.client_calls"' in browser.get("/reports/build?entity=client").get_data(
            as_text=True)
        saved = browser.post("/reports/saved", data={
            "name": "Calls per client",
            "query": "entity=client&columns=last_name&columns=activities.client_calls&period=all"})
        assert saved.status_code == 302
        report_id = db.session.query(SavedReport.id).scalar()

    without_activities = make_app(PASSERELLE_PLUGINS="clients,reports")
    with without_activities.app_context():
        browser = login(without_activities.test_client(), staff)
        builder = browser.get("/reports/build?entity=client").get_data(as_text=True)
        assert "activities.client_calls" not in builder and "Calls in the period" not in builder
        response = browser.get(f"/reports/saved/{report_id}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "no longer available: Calls in the period." in html
        assert 'class="records report-table"' not in html
        export = browser.get(f"/reports/saved/{report_id}/export.csv")
        assert export.status_code == 409 and "Calls in the period" in export.get_data(as_text=True)
        assert "Calls per client" in browser.get("/reports/").get_data(as_text=True)
