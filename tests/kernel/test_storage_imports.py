"""Imports' files kept through the storage: the upload is read back to run the import, and the
rejected rows are offered for download, on the instance folder and on S3; with S3, a worker on
another machine (another instance folder) runs an import uploaded elsewhere."""

import pytest
from sqlalchemy import func, select

from kernel import importer
from kernel.db import db
from kernel.storage import storage
from plugins.clients.models import Client
from tests.kernel.test_csv_import import confirm_mapping, import_file, job, job_id_of, upload

CSV = "last_name,first_name,email\nNoel,Emile,emile@example.org\nSmith,John,not-an-email\n"


@pytest.fixture(params=["folder", "s3"])
def backend(request):
    return {} if request.param == "folder" else request.getfixturevalue("s3_server").settings


@pytest.fixture
def app(make_app, backend):
    app = make_app(IMPORT_IN_BACKGROUND=False, **backend)
    with app.app_context():
        yield app
        db.session.remove()


def client_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Client))


def test_the_stored_upload_is_imported_and_its_rejected_rows_downloaded(staff_client):
    done = import_file(staff_client, CSV)
    assert (done.status, done.created, done.rejected) == (importer.DONE, 1, 1)
    assert storage().exists(done.path)
    rejected = staff_client.get(f"/imports/{done.id}/rejected.csv")
    assert rejected.status_code == 200
    assert "not-an-email" in rejected.get_data().decode("utf-8-sig")


def test_with_s3_nothing_of_an_import_is_kept_in_the_instance_folder(staff_client, backend, s3_server):
    done = import_file(staff_client, CSV)
    names = {done.path.split("/")[1], importer.files.rejected_key(done).split("/")[1]}
    in_bucket = {key.rsplit("/", 1)[1] for key in s3_server.keys()}
    in_folder = {path.name for path in importer.files.instance_folder().glob("*")}
    assert (names <= in_bucket, names <= in_folder) == ((True, False) if backend else (False, True))
    assert not names & (in_folder if backend else in_bucket)


def test_no_rejected_rows_no_file(staff_client):
    done = import_file(staff_client, "last_name,first_name\nNoel,Emile\n")
    assert done.rejected == 0 and not importer.has_rejected(done)
    assert staff_client.get(f"/imports/{done.id}/rejected.csv").status_code == 404


def test_a_worker_on_another_machine_runs_an_upload_made_here(make_app, backend, staff_client, tmp_path):
    job_id = job_id_of(upload(staff_client, CSV))
    confirm_mapping(staff_client, job_id)
    worker = make_app(IMPORT_IN_BACKGROUND=False, INSTANCE_PATH=str(tmp_path / "worker-machine"), **backend)
    with worker.app_context():
        assert importer.claim(job_id)
        ran = importer.run_import(job_id)
        status, error = ran.status, ran.error
    if not backend:  # the instance folder is one machine's own: the file is not there
        assert status == importer.FAILED and "missing" in error
        return
    assert status == importer.DONE and client_count() == 1
    rejected = staff_client.get(f"/imports/{job_id}/rejected.csv")  # written there, offered here
    assert rejected.status_code == 200 and "not-an-email" in rejected.get_data().decode("utf-8-sig")
    assert job(job_id).rejected == 1
