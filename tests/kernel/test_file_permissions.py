"""What the application writes to disk holds personal data or secrets: the SQLite database (and its
-wal and -shm files), uploaded documents, imported files and their rejected rows, the instance's
secret key and the first administrator's password are readable by their owner only (files 0600,
folders 0700), whatever the process's umask."""

import io
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from kernel.app import create_app
from kernel.db import db
from kernel.setup import first_start, password_file
from tests.kernel.test_csv_import import import_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    """The common 022 umask, under which files are created readable by everyone by default."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_instance_its_secret_and_its_sqlite_database_are_private(usual_umask, settings, tmp_path):
    instance = tmp_path / "instance"
    database = instance / "passerelle.db"
    app = create_app({**settings, "INSTANCE_PATH": str(instance), "SECRET_KEY": None,
                      "DATABASE_URL": f"sqlite:///{database}"})
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE notes (body TEXT)"))
            connection.execute(text("INSERT INTO notes VALUES ('private')"))
        with db.engine.connect() as reader:  # the -wal and -shm files exist while a connection is open
            reader.execute(text("SELECT * FROM notes")).all()
            companions = [instance / "passerelle.db-wal", instance / "passerelle.db-shm"]
            assert all(path.exists() for path in companions)
            assert [mode(path) for path in companions] == [0o600, 0o600]
        db.engine.dispose()
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600
    assert mode(database) == 0o600


def test_an_existing_database_readable_by_others_is_made_private(usual_umask, settings, tmp_path):
    database = tmp_path / "old.db"
    database.touch(mode=0o644)
    database.chmod(0o644)
    app = create_app({**settings, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "DATABASE_URL": f"sqlite:///{database}"})
    assert mode(database) == 0o600
    with app.app_context():
        db.engine.dispose()


def test_the_first_administrators_password_file_is_private(usual_umask, app):
    assert first_start(load_demo=False)
    assert mode(password_file()) == 0o600
    assert mode(Path(app.instance_path)) == 0o700


def test_uploaded_documents_are_private(usual_umask, app, staff_client):
    response = staff_client.post("/documents/upload", data={
        "name": "CV", "category": "cv", "link": "", "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "cv.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    folder = Path(app.instance_path) / "uploads"
    assert mode(folder) == 0o700
    assert {mode(path) for path in folder.iterdir()} == {0o600}


def test_imported_files_and_their_rejected_rows_are_private(usual_umask, app, staff_client):
    app.config["IMPORT_IN_BACKGROUND"] = False
    done = import_file(staff_client, "Last name,First name\n,Nobody\nKilabuk,Ann\n")
    assert done.rejected == 1
    folder = Path(app.instance_path) / "imports"
    assert mode(folder) == 0o700
    files = list(folder.iterdir())
    assert any(path.name.endswith(".rejected.csv") for path in files)
    assert {mode(path) for path in files} == {0o600}


def test_the_journal_of_a_running_sqlite_import_is_private(usual_umask, app, staff, monkeypatch):
    from kernel import importer
    from tests.kernel.test_import_heartbeat import killed_after_first_batch, queued_job

    if not db.is_sqlite:
        pytest.skip("only SQLite imports commit batch by batch and keep a journal")
    app.config["IMPORT_IN_BACKGROUND"] = False
    job = queued_job(staff)
    killed_after_first_batch(job.id, monkeypatch)  # the journal of its first batch stays behind
    journal = importer.journal_path(db.session.get(importer.Import, job.id))
    assert journal.exists()
    assert mode(journal) == 0o600
