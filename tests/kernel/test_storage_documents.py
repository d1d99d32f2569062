"""Documents kept through the storage, in the instance folder or an S3 bucket: uploaded, then
downloaded (streamed) by another server; a trashed or lost file answers 404 (an S3 server that
does not answer: ``test_storage_unavailable``)."""

import pytest

from kernel.db import db
from kernel.storage import storage
from plugins.activities import documents
from tests.activities.test_trashed_document_files import PDF, trash, uploaded


@pytest.fixture(params=["folder", "s3"])
def backend(request):
    return {} if request.param == "folder" else request.getfixturevalue("s3_server").settings


@pytest.fixture
def app(make_app, backend):
    app = make_app(**backend)
    with app.app_context():
        yield app
        db.session.remove()


def test_uploaded_then_downloaded(staff_client):
    revision = uploaded(staff_client)
    response = staff_client.get(f"/documents/files/{revision.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Length"] == str(len(PDF))
    assert storage().read(documents.file_key(revision)) == PDF


def test_with_s3_the_file_is_in_the_bucket_not_the_instance_folder(app, staff_client, s3_server, backend):
    revision = uploaded(staff_client)
    in_bucket = f"{s3_server.prefix}uploads/{revision.stored_name}" in s3_server.keys()
    in_folder = (documents.upload_folder() / revision.stored_name).exists()
    assert (in_bucket, in_folder) == ((True, False) if backend else (False, True))


def test_another_server_downloads_it(make_app, backend, staff, staff_client, tmp_path):
    revision = uploaded(staff_client)
    other = make_app(INSTANCE_PATH=str(tmp_path / "other-machine"), **backend)
    with other.app_context():
        from kernel.testing import login

        answer = login(other.test_client(), staff).get(f"/documents/files/{revision.id}")
    assert answer.status_code == (200 if backend else 404)  # the folder is one machine's own
    if backend:
        assert answer.data == PDF


def test_a_deleted_file_is_a_404(staff_client):
    revision = uploaded(staff_client)
    storage().delete(documents.file_key(revision))
    assert staff_client.get(f"/documents/files/{revision.id}").status_code == 404


def test_a_trashed_document_is_a_404(staff_client, admin_client, make_user, login_as):
    revision = uploaded(staff_client)
    trash(make_user, login_as, revision.document_id)
    assert staff_client.get(f"/documents/files/{revision.id}").status_code == 404
    assert admin_client.get(f"/documents/files/{revision.id}").data == PDF


def test_erasing_a_persons_documents_deletes_their_files(staff_client):
    from plugins.activities.personal_data import forget_files

    revision = uploaded(staff_client)
    key = documents.file_key(revision)
    forget_files([revision.document_id], deleting=True)
    db.session.commit()
    assert not storage().exists(key)
