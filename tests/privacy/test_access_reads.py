"""Who saw what: the kernel logs the reads of sensitive records (a record's page, an API read, an
export) in one statement per request, and nothing for other entities or for list pages."""

from contextlib import contextmanager

from sqlalchemy import event, select

from kernel.access_log import RecordRead
from kernel.db import db
from plugins.clients.models import Client
from plugins.partners.models import Partner


def a_client(**values) -> Client:
    client = Client(first_name="Léa", last_name="Tremblay", **values)
    db.session.add(client)
    db.session.commit()
    return client


def reads() -> list[RecordRead]:
    db.session.expire_all()
    return list(db.session.scalars(select(RecordRead).order_by(RecordRead.id)))


@contextmanager
def inserts_into_the_log():
    sent = []

    def on_execute(_connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("INSERT INTO RECORD_READS"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


def test_a_record_page_is_logged_once_with_who_and_from_where(staff_client, staff):
    client = a_client()
    with inserts_into_the_log() as sent:
        assert staff_client.get(f"/clients/{client.id}").status_code == 200
    assert len(sent) == 1
    (read,) = reads()
    assert (read.user_id, read.entity, read.record_id, read.via, read.count) == (
        staff.id, "client", client.id, "records.show_record", None)
    assert read.read_at is not None


def test_each_visit_is_a_read(staff_client):
    client = a_client()
    staff_client.get(f"/clients/{client.id}")
    staff_client.get(f"/clients/{client.id}")
    assert len(reads()) == 2


def test_a_record_that_is_not_sensitive_is_not_logged(staff_client):
    partner = Partner(name="Carrefour emploi")
    db.session.add(partner)
    db.session.commit()
    assert staff_client.get(f"/partners/{partner.id}").status_code == 200
    assert reads() == []


def test_a_list_page_logs_nothing(staff_client):
    a_client()
    assert staff_client.get("/clients/").status_code == 200
    assert reads() == []


def test_a_missing_or_refused_record_logs_nothing(staff_client, make_user, login_as):
    assert staff_client.get("/clients/999999").status_code == 404
    case_file_page = staff_client.get("/case-files/1")  # staff may not open case files
    assert case_file_page.status_code in (403, 404)
    assert reads() == []


def test_an_api_read_is_logged_with_api_and_commits_only_that(app, staff, token_for):
    client = a_client()
    headers = token_for(staff)
    api = app.test_client()
    with inserts_into_the_log() as sent:
        response = api.get(f"/api/v1/clients/{client.id}", headers=headers)
    assert response.status_code == 200
    assert len(sent) == 1
    (read,) = reads()
    assert (read.user_id, read.entity, read.record_id, read.via) == (staff.id, "client", client.id, "api")


def test_api_lists_log_nothing(app, staff, token_for):
    a_client()
    assert app.test_client().get("/api/v1/clients", headers=token_for(staff)).status_code == 200
    assert reads() == []


def test_an_api_read_of_a_missing_record_logs_nothing(app, staff, token_for):
    assert app.test_client().get("/api/v1/clients/424242", headers=token_for(staff)).status_code == 404
    assert reads() == []


def test_an_export_is_one_entry_with_its_count(staff_client, staff):
    for name in ("Alpha", "Bravo", "Charlie"):
        db.session.add(Client(last_name=name))
    db.session.commit()
    response = staff_client.get("/clients/export.csv")
    assert response.status_code == 200
    response.get_data()
    (read,) = reads()
    assert (read.user_id, read.entity, read.record_id, read.via, read.count) == (staff.id, "client", None,
                                                                                   "export", 3)


def test_the_contact_screen_logs_the_contact_and_its_caller_s_profile_in_one_statement(staff_client, staff):
    from tests.contactcenter.helpers import make_contact, make_profile

    profile = make_profile(staff)
    contact = make_contact(staff, profile=profile)
    with inserts_into_the_log() as sent:
        assert staff_client.get(f"/contactcenter/contacts/{contact.id}").status_code == 200
    assert len(sent) == 1
    assert {(read.entity, read.record_id, read.via) for read in reads()} == {
        ("helpline_contact", contact.id, "contactcenter.contact_screen"),
        ("caller_profile", profile.id, "contactcenter.contact_screen"),
    }


def test_downloading_a_document_s_file_is_a_read_of_the_document(staff_client, staff):
    from io import BytesIO

    from plugins.activities.models import DocumentRevision

    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    staff_client.post("/documents/upload", data={"name": "CV", "category": "other", "link": "",
                                                 "file": (BytesIO(pdf), "cv.pdf")}, content_type="multipart/form-data")
    revision = db.session.scalar(select(DocumentRevision))
    assert staff_client.get(f"/documents/files/{revision.id}").data == pdf
    assert [(read.entity, read.record_id, read.via) for read in reads()] == [
        ("document", revision.document_id, "activities.download")]


def test_the_edit_form_is_a_read_and_saving_is_not(staff_client, staff):
    client = a_client()
    assert staff_client.get(f"/clients/{client.id}/edit").status_code == 200
    assert [(read.entity, read.record_id, read.via) for read in reads()] == [
        ("client", client.id, "records.edit_record")]
    saved = staff_client.post(f"/clients/{client.id}/edit", data={
        "last_name": "Tremblay-Roy", "first_name": "Léa", "version": "1"})
    assert saved.status_code in (302, 422)
    assert len(reads()) == 1


def test_a_report_s_csv_export_of_clients_is_one_entry(staff_client, staff):
    a_client()
    response = staff_client.get("/reports/export.csv?entity=client&columns=last_name")
    assert response.status_code == 200
    response.get_data()
    assert [(read.entity, read.record_id, read.via, read.user_id) for read in reads()] == [
        ("client", None, "report_export", staff.id)]


def test_a_read_outside_a_request_is_written_at_once(app):
    """A background job that shows a record to someone (a person's export built by the worker)."""
    from kernel.access_log import note_read

    note_read("client", 5, via="person_export", count=3)
    note_read("partner", 6)  # not sensitive: nothing
    db.session.commit()
    assert [(read.entity, read.record_id, read.via, read.count, read.user_id) for read in reads()] == [
        ("client", 5, "person_export", 3, None)]
