"""The report builder in a real browser: choose the clients module, group by month and country of
origin over this month, run it, see its bar chart drawn by Chart.js, and export the same rows as CSV."""

import csv
import io
from datetime import date, datetime

from playwright.sync_api import expect

from kernel.db import db
from plugins.clients.models import Client
from tests.browser.test_column_chooser_export import TIMEOUT, log_in


def seed(live_app):
    created = datetime.combine(date.today().replace(day=1), datetime.min.time()).replace(hour=9)
    with live_app.app_context():
        for last_name, country in (("Tremblay", "HT"), ("Noël", "HT"), ("Kilabuk", "FR")):
            db.session.add(Client(last_name=last_name, country_of_origin=country, created_at=created))
        db.session.commit()
        db.session.remove()
    return created.strftime("%Y-%m")


def test_build_a_grouped_report_chart_it_and_export_it(live_app, live_server, live_user, page, browser_errors):
    live_user("supervisor", email="manager@example.org")
    month = seed(live_app)
    log_in(page, live_server, "manager@example.org")
    page.goto(f"{live_server}/reports/")
    page.get_by_role("link", name="New report").first.click()
    page.wait_for_load_state()  # the module list submits itself on change once reports.js has run
    page.get_by_label("Module", exact=True).select_option(label="Clients")
    expect(page.get_by_role("button", name="Run the report")).to_be_visible(timeout=TIMEOUT)

    page.get_by_label("Group by").select_option(label="Created on (month)")
    page.get_by_label("Then by").select_option(label="Country of origin")
    page.get_by_label("Period", exact=True).select_option(label="This month")
    page.get_by_label("Date the period applies to").select_option(label="Created on")
    page.get_by_label("Chart", exact=True).select_option(label="Bar chart")
    page.get_by_role("button", name="Run the report").click()

    table = page.locator("table.report-table")
    expect(table.locator("tbody tr")).to_have_count(2, timeout=TIMEOUT)
    shown = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in table.locator("tbody tr").all()]
    assert shown == [[month, "France", "1"], [month, "Haiti", "2"]]
    canvas = page.locator("#report-chart-canvas")
    expect(canvas).to_have_attribute("data-drawn", "1", timeout=TIMEOUT)
    bars = page.evaluate("() => Chart.getChart('report-chart-canvas').data.datasets.map(d => [d.label, d.data])")
    assert bars == [["France", [1]], ["Haiti", [2]]]

    with page.expect_download(timeout=TIMEOUT) as download_info:
        page.get_by_role("link", name="Export CSV").click()
    text = open(download_info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["Created on (month)", "Country of origin", "Number"], *shown]
    assert browser_errors == []
