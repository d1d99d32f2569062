"""The standard reports shipped with clients, partners, programmes and activities open, run, chart
and export in French and in English, and can be edited and saved under another name."""

from datetime import date, datetime

import pytest

from kernel.db import db
from plugins.reports.engine import period_range
from plugins.reports.models import SavedReport
from tests.conftest import login
from tests.reports.helpers import cells, make, make_client

STANDARD = ["new_clients_by_country", "new_clients_by_status", "partners_by_sector", "services_by_activity_number",
            "services_per_month", "programme_participation", "calls_per_staff_member", "meetings_per_staff_member",
            "tasks_per_staff_member"]


def seed_this_year(user):
    """Records dated this month, so that every standard report's default period finds them."""
    today = date.today()
    this_month = today.replace(day=1)
    client = make_client(user, this_month.isoformat() + " 09:00", last_name="Tremblay", country_of_origin="HT",
                         immigration_status="permanent_resident")
    make("partner", user, name="Northmart", sector="retail", status="active")
    programme = make("programme", user, name_fr="Mentorat")
    service = make("service", user, name_fr="Interprétation")
    db.session.flush()
    related = f"client:{client.id}"
    make("participation", user, related_to=related, programme_id=programme.id, start_date=this_month.isoformat(),
         status="in_progress")
    make("service_record", user, activity_number="A-1", related_to=related, service_id=service.id,
         start_date=this_month.isoformat())
    make("service_record", user, activity_number="A-0", related_to=related, service_id=service.id,
         start_date=period_range("last_quarter", today).start.isoformat())
    start = datetime.combine(this_month, datetime.min.time()).replace(hour=10).isoformat(timespec="minutes")
    make("call", user, subject="Suivi", start=start, duration_hours=0, duration_minutes=30,
         assigned_user_id=user.id)
    make("meeting", user, subject="Accueil", start=start, end=start.replace("T10", "T11"), assigned_user_id=user.id)
    make("task", user, subject="Dossier", status="in_progress", due_date=this_month.isoformat(),
         assigned_user_id=user.id)
    db.session.commit()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_standard_report_opens_runs_and_exports(make_app, make_user, language):
    app = make_app()
    with app.app_context():
        manager = make_user("supervisor", language=language)
        seed_this_year(manager)
        browser = login(app.test_client(), manager)
        index = browser.get("/reports/").get_data(as_text=True)
        for key in STANDARD:
            assert f"/reports/standard/{key}" in index
            response = browser.get(f"/reports/standard/{key}", follow_redirects=True)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, key
            assert cells(html) and cells(html)[0][0] not in ("No record matches.", "Aucune fiche ne correspond."), key
            query = response.request.query_string.decode()
            export = browser.get("/reports/export.csv?" + query)
            assert export.status_code == 200 and export.get_data(as_text=True).count("\n") >= 2, key
        new_clients = browser.get("/reports/standard/new_clients_by_country", follow_redirects=True)
        html = new_clients.get_data(as_text=True)
        assert "data-chart=" in html
        assert ("Haïti" if language == "fr" else "Haiti") in html
        assert ("Nouveaux clients par mois" if language == "fr" else "New clients per month") in html


def test_a_standard_report_is_edited_and_saved_under_a_new_name(make_app, make_user):
    app = make_app()
    with app.app_context():
        manager = make_user("supervisor")
        seed_this_year(manager)
        browser = login(app.test_client(), manager)
        opened = browser.get("/reports/standard/new_clients_by_country", follow_redirects=True)
        query = opened.request.query_string.decode().replace("country_of_origin", "immigration_status")
        query = query.replace("&standard=new_clients_by_country", "")
        browser.post("/reports/saved", data={"name": "My version", "query": query, "sharing": "everyone"})
        saved = db.session.query(SavedReport).one()
        html = browser.get(f"/reports/saved/{saved.id}").get_data(as_text=True)
        assert "My version" in html and "Permanent resident" in html
