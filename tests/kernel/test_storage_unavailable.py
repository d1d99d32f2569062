"""An S3 server that does not answer: a clear, translated 503 page (never a 500), and nothing is
saved; an import whose file cannot be read fails with a clear message."""

from io import BytesIO

import pytest
from sqlalchemy import func, select

from kernel import importer
from kernel.db import db
from kernel.importer import Import
from plugins.activities.models import Document, DocumentRevision
from tests.activities.test_trashed_document_files import PDF, uploaded
from tests.kernel.test_csv_import import confirm_mapping, job, job_id_of, upload


@pytest.fixture
def app(make_app, s3_server):
    app = make_app(IMPORT_IN_BACKGROUND=False, **s3_server.settings)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def french_client(make_user, login_as):
    return login_as(make_user("staff", language="fr"))


def test_download_is_a_translated_503(french_client, s3_server):
    revision = uploaded(french_client)
    with s3_server.stopped():
        response = french_client.get(f"/documents/files/{revision.id}")
    assert response.status_code == 503
    assert "Le stockage des fichiers ne répond pas" in response.get_data(as_text=True)


def test_upload_is_a_503_and_nothing_is_saved(french_client, s3_server):
    with s3_server.stopped():
        response = french_client.post("/documents/upload", data={
            "name": "CV", "category": "cv", "link": "", "file": (BytesIO(PDF), "cv.pdf")},
            content_type="multipart/form-data")
    assert response.status_code == 503
    assert "rien n'a été enregistré" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert db.session.scalar(select(func.count()).select_from(DocumentRevision)) == 0


def test_an_import_upload_is_a_503(french_client, s3_server):
    with s3_server.stopped():
        response = french_client.post("/clients/import", data={
            "file": (BytesIO(b"last_name,first_name\nNoel,Emile\n"), "clients.csv")},
            content_type="multipart/form-data")
    assert response.status_code == 503
    assert "Le stockage des fichiers ne répond pas" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Import)) == 0


def test_an_import_whose_file_cannot_be_read_fails_clearly(staff_client, s3_server):
    job_id = job_id_of(upload(staff_client, "last_name,first_name\nNoel,Emile\n"))
    confirm_mapping(staff_client, job_id)
    with s3_server.stopped():
        staff_client.post(f"/imports/{job_id}/run")
    failed = job(job_id)
    assert failed.status == importer.FAILED
    assert "storage does not answer" in failed.error
