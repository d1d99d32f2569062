"""Who has seen a record (its page's panel) and the administrators' access report: filters, pages,
CSV export, permissions."""

import csv
import io
from datetime import date, timedelta

from sqlalchemy import insert

from kernel.access_log import RecordRead
from kernel.db import db, utcnow
from plugins.clients.models import Client
from plugins.sae.models import CaseFile


def a_client(name="Tremblay", **values) -> Client:
    client = Client(first_name="Léa", last_name=name, **values)
    db.session.add(client)
    db.session.commit()
    return client


def logged(*rows):
    """Reads written as the kernel writes them (the database refuses later changes)."""
    usual = {"via": "records.show_record", "read_at": utcnow(), "count": None, "record_id": None}
    db.session.execute(insert(RecordRead).values([{**usual, **row} for row in rows]))
    db.session.commit()


# -- who has seen this record ---------------------------------------------------------------
def test_a_supervisor_sees_who_has_seen_a_client(make_user, login_as, staff_client, staff):
    client = a_client()
    staff_client.get(f"/clients/{client.id}")
    staff_client.get(f"/clients/{client.id}")
    supervisor = login_as(make_user("supervisor", name="Sam Supervisor"))
    page = supervisor.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Who has seen this record" in page
    assert f'hx-get="/privacy/access/records/clients/{client.id}"' in page
    fragment = supervisor.get(f"/privacy/access/records/clients/{client.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.get_data(as_text=True)
    assert "Patrick Staff" in text and "Sam Supervisor" in text
    assert "<td data-label=\"Times\">2</td>" in text
    assert "<html" not in text


def test_the_readers_page_without_javascript(admin_client):
    client = a_client()
    response = admin_client.get(f"/privacy/access/records/clients/{client.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" in page and "Léa Tremblay" in page
    assert f"/privacy/access/?entity=client&amp;record={client.id}" in page


def test_a_plain_staff_member_does_not_see_who_has_seen_a_record(staff_client):
    client = a_client()
    page = staff_client.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Who has seen this record" not in page
    response = staff_client.get(f"/privacy/access/records/clients/{client.id}")
    assert response.status_code == 403
    assert "not allowed" in response.get_data(as_text=True).lower()


def test_the_user_a_record_is_assigned_to_sees_its_readers(staff, staff_client, make_user):
    """A client's caseworker, a case file's counsellor: the record's assignee."""
    mine, theirs = a_client("Mine", assigned_user_id=staff.id), a_client("Theirs", assigned_user_id=make_user().id)
    assert "Who has seen this record" in staff_client.get(f"/clients/{mine.id}").get_data(as_text=True)
    assert staff_client.get(f"/privacy/access/records/clients/{mine.id}").status_code == 200
    assert "Who has seen this record" not in staff_client.get(f"/clients/{theirs.id}").get_data(as_text=True)
    assert staff_client.get(f"/privacy/access/records/clients/{theirs.id}").status_code == 403


def test_a_case_file_s_readers_for_a_supervisor(make_user, login_as):
    supervisor = make_user("supervisor")
    client = a_client()
    case_file = CaseFile(client_id=client.id, file_number="SAE-1", assigned_user_id=supervisor.id,
                         intake_date=date(2026, 3, 2))
    db.session.add(case_file)
    db.session.commit()
    browser = login_as(supervisor)
    assert "Who has seen this record" in browser.get(f"/case-files/{case_file.id}").get_data(as_text=True)
    fragment = browser.get(f"/privacy/access/records/case-files/{case_file.id}", headers={"HX-Request": "true"})
    assert supervisor.name in fragment.get_data(as_text=True)


def test_entities_that_are_not_sensitive_have_no_readers(admin_client):
    from plugins.partners.models import Partner

    partner = Partner(name="Carrefour")
    db.session.add(partner)
    db.session.commit()
    assert "Who has seen this record" not in admin_client.get(f"/partners/{partner.id}").get_data(as_text=True)
    page = admin_client.get(f"/privacy/access/records/partners/{partner.id}")
    assert page.status_code == 200 and "Reads of this kind of record are not logged." in page.get_data(as_text=True)
    assert admin_client.get("/privacy/access/records/clients/987654").status_code == 404
    assert admin_client.get("/privacy/access/records/nothing/1").status_code == 404


# -- the report -----------------------------------------------------------------------------
def test_the_report_filters_by_user_entity_record_and_period(app, admin_client, admin, staff, make_user):
    other = make_user("staff", name="Olga Other")
    first, second = a_client("Alpha"), a_client("Bravo")
    long_ago = utcnow() - timedelta(days=40)
    logged(
        {"user_id": staff.id, "entity": "client", "record_id": first.id},
        {"user_id": other.id, "entity": "client", "record_id": second.id, "via": "api"},
        {"user_id": staff.id, "entity": "case_file", "record_id": 77, "read_at": long_ago},
        {"user_id": staff.id, "entity": "client", "record_id": None, "via": "export", "count": 12},
    )
    page = admin_client.get("/privacy/access/").get_data(as_text=True)
    assert "4 reads" in page and "Léa Alpha" in page and "12 records exported" in page

    page = admin_client.get(f"/privacy/access/?user={other.id}").get_data(as_text=True)
    assert "1 read" in page and "Léa Bravo" in page and "Léa Alpha" not in page and "API" in page

    page = admin_client.get("/privacy/access/?entity=case_file").get_data(as_text=True)
    assert "1 read" in page and "#77" in page

    page = admin_client.get(f"/privacy/access/?entity=client&record={first.id}").get_data(as_text=True)
    assert "1 read" in page and "Léa Alpha" in page

    since = (utcnow() - timedelta(days=2)).date().isoformat()
    page = admin_client.get(f"/privacy/access/?from={since}").get_data(as_text=True)
    assert "3 reads" in page and "#77" not in page
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    page = admin_client.get(f"/privacy/access/?to={until}").get_data(as_text=True)
    assert "1 read" in page and "#77" in page


def test_the_report_pages_through_many_reads(admin_client, staff):
    logged(*({"user_id": staff.id, "entity": "client", "record_id": number} for number in range(1, 121)))
    first = admin_client.get("/privacy/access/").get_data(as_text=True)
    assert "120 reads" in first and "Page 1 of 3" in first and "#120" in first and "#70" not in first
    third = admin_client.get("/privacy/access/?page=3").get_data(as_text=True)
    assert "#1<" in third and "#120" not in third


def test_bad_filters_get_a_clear_400(admin_client):
    for query in ("user=abc", "entity=partner", "from=2026-13-45", "record=1e9", "from=2026-05-02&to=2026-05-01"):
        response = admin_client.get(f"/privacy/access/?{query}")
        assert response.status_code == 400, query
        assert 'role="alert"' in response.get_data(as_text=True)
    assert admin_client.get("/privacy/access/export.csv?user=x").status_code == 400


def test_the_report_in_french(make_user, login_as):
    french = login_as(make_user("administrator", language="fr"))
    page = french.get("/privacy/access/?user=zz")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Rapport des accès" in text and "nombre entier" in text


def test_the_csv_export_holds_the_filtered_reads_and_is_itself_logged(admin_client, staff):
    from sqlalchemy import select

    from kernel.security.models import SecurityEvent

    client = a_client("Alpha")
    logged({"user_id": staff.id, "entity": "client", "record_id": client.id},
           {"user_id": staff.id, "entity": "case_file", "record_id": 5, "via": "api"})
    response = admin_client.get("/privacy/access/export.csv?entity=client")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Date and time", "User", "User id", "Record type", "Record id", "Record", "Seen from",
                       "Records exported"]
    assert len(rows) == 2
    assert rows[1][1:] == ["Patrick Staff <patrick@example.org>", str(staff.id), "Client", str(client.id),
                           "Léa Alpha", "Record page", ""]
    event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == "data.exported"))
    assert event.details["what"] == "access_log" and event.details["filters"] == {"entity": "client"}


def test_only_administrators_read_the_report(make_user, login_as, staff_client):
    supervisor = login_as(make_user("supervisor"))
    for client in (staff_client, supervisor):
        assert client.get("/privacy/access/").status_code == 403
        assert client.get("/privacy/access/export.csv").status_code == 403


def test_the_report_is_listed_in_the_administration_area(admin_client, staff_client):
    assert "/privacy/access/" in admin_client.get("/administration/").get_data(as_text=True)
    assert "/privacy/access/" not in staff_client.get("/administration/").get_data(as_text=True)


def test_refusals_are_translated(make_user, login_as):
    client = a_client()
    french_staff = login_as(make_user("staff", language="fr"))
    for path in (f"/privacy/access/records/clients/{client.id}", "/privacy/access/", "/privacy-incidents/"):
        response = french_staff.get(path)
        assert response.status_code == 403, path
        assert "Vous n'avez pas l'autorisation de voir cette page." in response.get_data(as_text=True), path


def test_numbers_beyond_an_sql_integer_are_refused_clearly(admin_client):
    assert admin_client.get("/privacy/access/records/clients/99999999999999999").status_code == 404
    for query in ("user=2147483648", "record=999999999999"):
        page = admin_client.get(f"/privacy/access/?{query}")
        assert page.status_code == 400 and "Enter a whole number." in page.get_data(as_text=True)
    assert "0 reads" in admin_client.get("/privacy/access/?record=2147483647").get_data(as_text=True)
    assert admin_client.get("/privacy/access/?page=99999999999999999999").status_code in (200, 400)


def test_the_report_says_how_long_reads_are_kept(make_app, make_user, login_as):
    app = make_app(ACCESS_LOG_RETENTION_DAYS=730)
    with app.app_context():
        from kernel.testing import login

        page = login(app.test_client(), make_user("administrator")).get("/privacy/access/")
        assert "they are kept 730 days, then deleted by the worker." in page.get_data(as_text=True)
