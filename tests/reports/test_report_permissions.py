"""A report never shows a user data the user could not see in the module itself: the modules and
the columns a report may use follow the user's view permissions."""

from tests.conftest import login
from tests.reports import third_party
from tests.reports.conftest import REPORT_PLUGINS
from tests.reports.helpers import seed_clients


def test_columns_need_their_permission(make_app, make_user):
    app = make_app(extra_plugins={"secret": third_party}, PASSERELLE_PLUGINS=REPORT_PLUGINS + ",secret")
    with app.app_context():
        staff = make_user("staff")
        seed_clients(staff)
        browser = login(app.test_client(), staff)
        assert "Secret score" not in browser.get("/reports/build?entity=client").get_data(as_text=True)
        asked = browser.get("/reports/build?entity=client&columns=last_name&columns=secret.score")
        html = asked.get_data(as_text=True)
        assert "secret.score" in html and "no longer available" in html and "report-table" not in html
        export = browser.get("/reports/export.csv?entity=client&group=country_of_origin&agg=sum:secret.score")
        assert export.status_code == 409
        assert "Secret scores by country" not in browser.get("/reports/").get_data(as_text=True)
        assert browser.get("/reports/standard/secret_scores").status_code == 404


def test_modules_need_their_view_permission(make_app, make_user, monkeypatch):
    app = make_app()
    with app.app_context():
        staff = make_user("staff")
        seed_clients(staff)
        registry = app.extensions["passerelle.permissions"]
        monkeypatch.setitem(registry.by_role, "staff", registry.by_role["staff"] - {"clients.view"})
        browser = login(app.test_client(), staff)
        assert browser.get("/reports/build?entity=client&columns=last_name").status_code == 403
        assert browser.get("/reports/export.csv?entity=client&columns=last_name").status_code == 403
        index = browser.get("/reports/").get_data(as_text=True)
        assert "New clients per month" not in index
        builder = browser.get("/reports/build").get_data(as_text=True)
        assert 'value="client"' not in builder and 'value="partner"' in builder


def test_the_reports_module_needs_its_permission(make_app, make_user, monkeypatch):
    app = make_app()
    with app.app_context():
        reader = make_user("readonly")
        registry = app.extensions["passerelle.permissions"]
        monkeypatch.setitem(registry.by_role, "readonly", registry.by_role["readonly"] - {"reports.view"})
        browser = login(app.test_client(), reader)
        assert browser.get("/reports/").status_code == 403
        assert browser.get("/reports/export.csv?entity=client&columns=last_name").status_code == 403
