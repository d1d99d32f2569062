"""Uploads are checked by content and size, kept with revisions, and served only to those allowed."""

from io import BytesIO

from sqlalchemy import select

from kernel.db import db
from plugins.activities.models import DocumentRevision
from tests.activities.helpers import create

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def upload(client, content, name="cv.pdf", link="", category="other"):
    return client.post("/documents/upload", data={
        "name": "Document", "category": category, "link": link, "file": (BytesIO(content), name)},
        content_type="multipart/form-data")


def test_pdf_is_stored_outside_the_web_root_and_downloaded(staff, staff_client, app):
    response = upload(staff_client, PDF)
    assert response.status_code == 302
    revision = db.session.scalar(select(DocumentRevision))
    assert revision.content_type == "application/pdf" and revision.stored_name != "cv.pdf"
    download = staff_client.get(f"/documents/files/{revision.id}")
    assert download.status_code == 200 and download.data == PDF


def test_a_pdf_name_with_other_content_is_refused(staff_client):
    response = upload(staff_client, b"\x00\x01binary-not-a-pdf\x00")
    assert response.status_code == 422
    assert db.session.scalar(select(DocumentRevision)) is None


def test_too_big_is_refused(make_app, make_user):
    from tests.conftest import login

    app = make_app(ACTIVITIES_MAX_UPLOAD_BYTES=100)
    with app.app_context():
        client = login(app.test_client(), make_user("staff"))
        assert upload(client, PDF + b"x" * 200).status_code == 422


def test_a_new_revision_becomes_current(staff, staff_client):
    upload(staff_client, PDF)
    revision = db.session.scalar(select(DocumentRevision))
    document_id = revision.document_id
    response = staff_client.post(f"/documents/{document_id}/revisions",
                                 data={"file": (BytesIO(b"plain text"), "notes.txt")},
                                 content_type="multipart/form-data")
    assert response.status_code == 302
    page = staff_client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "notes.txt" in page and "cv.pdf" in page


def test_download_refused_without_permission(staff, staff_client, make_app, login_as):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    upload(staff_client, PDF, link=f"client:{person.id}")
    revision_id = db.session.scalar(select(DocumentRevision.id))
    # the documents module only: the linked client cannot be seen, so neither can its file
    app = make_app(PASSERELLE_PLUGINS="activities")
    with app.app_context():
        from tests.conftest import login

        client = login(app.test_client(), staff)
        assert client.get(f"/documents/files/{revision_id}").status_code == 403


def test_anonymous_download_is_refused(staff_client, app):
    upload(staff_client, PDF)
    revision_id = db.session.scalar(select(DocumentRevision.id))
    response = app.test_client().get(f"/documents/files/{revision_id}")
    assert response.status_code in (302, 401)


def test_read_only_user_cannot_upload(readonly, login_as):
    assert upload(login_as(readonly), PDF).status_code == 403


def test_cv_marks_the_client_up_to_date(staff, staff_client):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    assert upload(staff_client, PDF, link=f"client:{person.id}", category="cv").status_code == 302
    page = staff_client.get(f"/clients/{person.id}").get_data(as_text=True)
    from plugins.clients.models import Client

    db.session.expire_all()
    assert db.session.get(Client, person.id).cv_up_to_date is True
    assert "Document" in page
