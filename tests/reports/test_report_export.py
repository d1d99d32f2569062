"""CSV export of exactly what the report shows, in the chosen column order, streamed."""

import csv
import io
from urllib.parse import urlencode

from kernel.db import db
from tests.reports.helpers import cells, make, page, seed_clients


def export(client, items):
    response = client.get("/reports/export.csv?" + urlencode(items))
    return response, list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_column_report_exports_the_shown_columns_in_order(app, staff, staff_client):
    clients = seed_clients(staff)
    make("call", staff, subject="Suivi", related_to=f"client:{clients['Diallo'].id}", start="2025-02-20T10:00",
         duration_hours=1, duration_minutes=0)
    db.session.commit()
    items = [("entity", "client"), ("columns", "activities.client_calls"), ("columns", "last_name"),
             ("columns", "country_of_origin"), ("columns", "immigration_status"), ("sort", "-last_name"),
             ("country_of_origin__in", "SN"), ("country_of_origin__in", "FR")]
    streamed = staff_client.get("/reports/export.csv?" + urlencode(items), buffered=False)
    assert streamed.status_code == 200 and streamed.is_streamed
    chunks = list(streamed.response)
    assert len(chunks) == 2  # the header, then one batch of rows
    streamed.close()
    response, rows = export(staff_client, items)
    assert response.headers["Content-Disposition"] == 'attachment; filename="report.csv"'
    assert rows[0] == ["Calls in the period", "Last name", "Country of origin", "Immigration status"]
    _response, html = page(staff_client, items)
    assert rows[1:] == cells(html) == [["0", "Kilabuk", "France", "Canadian citizen"],
                                       ["1", "Diallo", "Senegal", "Temporary worker"]]


def test_a_grouped_report_exports_its_groups_and_summaries(app, staff, staff_client):
    seed_clients(staff)
    items = [("entity", "client"), ("group", "created_at:year"), ("group", "immigration_status"),
             ("agg", "count"), ("sort", "-count")]
    _response, rows = export(staff_client, items)
    assert rows[0] == ["Created on (year)", "Immigration status", "Number"]
    assert rows[1] == ["2025", "Permanent resident", "2"]
    assert sorted(rows[2:]) == [["2024", "(not set)", "1"], ["2025", "Canadian citizen", "1"],
                                ["2025", "Temporary worker", "1"]]
    _response, html = page(staff_client, items)
    assert rows[1:] == cells(html)


def test_the_export_is_in_the_users_language_with_an_optional_bom(app, make_user, login_as):
    french = make_user("staff", language="fr")
    seed_clients(french)
    browser = login_as(french)
    response, rows = export(browser, [("entity", "client"), ("group", "country_of_origin"), ("agg", "count"),
                                      ("period", "custom"), ("period_field", "created_at"), ("from", "2025-01-01")])
    assert rows[0] == ["Pays d'origine", "Nombre"]
    assert ["Haïti", "2"] in rows
    with_bom = browser.get("/reports/export.csv?entity=client&columns=last_name&bom=1")
    assert with_bom.get_data(as_text=True).startswith("\ufeffNom de famille")


def test_a_report_that_cannot_run_explains_why(app, staff, staff_client):
    response = staff_client.get("/reports/export.csv?entity=client&group=description")
    assert response.status_code == 422
    assert "cannot be grouped on" in response.get_data(as_text=True)
