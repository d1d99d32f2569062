"""The report builder: a column report with related data, a grouped report counted by the
database, filters from the list engine, sorting by a column title, and the period."""

from kernel.db import db
from tests.reports.helpers import cells, make, page, seed_clients

JAN_FEB = [("period", "custom"), ("period_field", "created_at"), ("from", "2025-01-01"), ("to", "2025-02-28")]


def test_grouped_report_counts_clients_per_month_and_country(app, staff, staff_client):
    seed_clients(staff)
    response, html = page(staff_client, [("entity", "client"), ("group", "created_at:month"),
                                         ("group", "country_of_origin"), ("agg", "count"), *JAN_FEB])
    assert response.status_code == 200
    assert cells(html) == [["2025-01", "France", "1"], ["2025-01", "Haiti", "1"],
                           ["2025-02", "Haiti", "1"], ["2025-02", "Senegal", "1"]]
    assert "Created on (month)" in html and "Country of origin" in html


def test_column_report_shows_related_data_in_the_chosen_order(app, staff, staff_client):
    clients = seed_clients(staff)
    programme = make("programme", staff, name_fr="Mentorat", name_en="Mentoring")
    service = make("service", staff, name_fr="Interprétation", name_en="Interpreting")
    db.session.flush()
    tremblay = f"client:{clients['Tremblay'].id}"
    make("participation", staff, related_to=tremblay, programme_id=programme.id, start_date="2025-01-15")
    make("service_record", staff, activity_number="A-17", related_to=tremblay, service_id=service.id,
         start_date="2025-01-16")
    make("call", staff, subject="Suivi", related_to=tremblay, start="2025-01-17T10:00", duration_hours=0,
         duration_minutes=15)
    make("call", staff, subject="Avant", related_to=tremblay, start="2024-12-17T10:00", duration_hours=0,
         duration_minutes=15)
    db.session.commit()
    response, html = page(staff_client, [
        ("entity", "client"), ("columns", "activities.client_calls"), ("columns", "last_name"),
        ("columns", "programs.client_programmes"), ("columns", "programs.client_activity_numbers"),
        ("sort", "last_name"), ("last_name__equals", "Tremblay"), *JAN_FEB])
    assert response.status_code == 200
    assert cells(html) == [["1", "Tremblay", "Mentoring", "A-17"]]


def test_sum_average_minimum_maximum_by_the_database(app, staff, staff_client):
    for subject, minutes in (("A", 10), ("B", 20), ("C", 45)):
        make("call", staff, subject=subject, direction="inbound", start="2025-03-01T09:00", duration_hours=0,
             duration_minutes=minutes)
    db.session.commit()
    _response, html = page(staff_client, [
        ("entity", "call"), ("group", "direction"), ("agg", "count"), ("agg", "sum:activities.minutes"),
        ("agg", "avg:duration_minutes"), ("agg", "min:duration_minutes"), ("agg", "max:duration_minutes")])
    assert cells(html) == [["Inbound", "3", "75", "25.00", "10", "45"]]


def test_clicking_a_title_sorts_and_titles_are_red_links(app, staff, staff_client):
    seed_clients(staff)
    base = [("entity", "client"), ("columns", "last_name"), ("columns", "country_of_origin")]
    _response, html = page(staff_client, [*base, ("sort", "-last_name")])
    assert [row[0] for row in cells(html)] == ["Tremblay", "Noël", "Kilabuk", "Diallo", "Ancien"]
    assert 'class="sortable sorted"' in html and "sort=last_name" in html
    _response, html = page(staff_client, [*base, ("sort", "last_name")])
    assert [row[0] for row in cells(html)] == ["Ancien", "Diallo", "Kilabuk", "Noël", "Tremblay"]


def test_filters_use_the_list_engine(app, staff, staff_client):
    seed_clients(staff)
    _response, html = page(staff_client, [("entity", "client"), ("columns", "last_name"), ("sort", "last_name"),
                                          ("country_of_origin__in", "HT"), ("created_at", "x")])
    assert [row[0] for row in cells(html)] == ["Ancien", "Noël", "Tremblay"]
    response, html = page(staff_client, [("entity", "client"), ("columns", "last_name"),
                                         ("arrival_date__after", "not a date")])
    assert "Arrival date" in html and 'class="records report-table"' not in html


def test_period_presets_and_a_bad_custom_date(app, staff, staff_client):
    from datetime import date

    from plugins.reports.engine import period_range

    today = date(2025, 5, 14)
    assert period_range("last_quarter", today) == period_range("custom", today, date(2025, 1, 1), date(2025, 3, 31))
    assert (period_range("this_month", today).start, period_range("this_month", today).end) == (
        date(2025, 5, 1), date(2025, 5, 31))
    assert period_range("last_12_months", today).start == date(2024, 6, 1)
    assert period_range("last_month", date(2025, 1, 3)).start == date(2024, 12, 1)
    _response, html = page(staff_client, [("entity", "client"), ("columns", "last_name"), ("period", "custom"),
                                          ("period_field", "created_at"), ("from", "14/05/2025")])
    assert "Enter dates as YYYY-MM-DD." in html


def test_a_grouped_report_is_drawn_as_a_chart(app, staff, staff_client):
    seed_clients(staff)
    _response, html = page(staff_client, [("entity", "client"), ("group", "country_of_origin"), ("chart", "pie")])
    assert "data-chart=" in html and "/vendor/chart.js" in html
    assert '"type": "pie"' in html and '"Haiti"' in html


def test_too_many_groups_are_refused_with_advice(app, staff, staff_client, monkeypatch):
    from plugins.reports import engine

    seed_clients(staff)
    monkeypatch.setattr(engine, "MAX_GROUPS", 2)
    response, html = page(staff_client, [("entity", "client"), ("group", "country_of_origin")])
    assert response.status_code == 422 and "more than 2 groups" in html
    assert staff_client.get("/reports/export.csv?entity=client&group=country_of_origin").status_code == 422
