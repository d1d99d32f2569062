"""A running import heart-beats; one whose process died (it stopped heart-beating) is marked
failed, with nothing of it kept, by the worker or when its page is shown, and its author can
run it again from that page."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import importer, worker
from kernel.db import db, utcnow
from kernel.history import RecordChange
from kernel.importer import Import
from kernel.registry import entities
from plugins.clients.models import Client

CSV = "last_name,email\n" + "".join(f"Nom{number},n{number}@example.org\n" for number in range(12))


class ProcessKilled(BaseException):
    """Stands for kill -9: nothing after it runs (no except Exception, no failure handling)."""


@pytest.fixture
def app(make_app):
    app = make_app(IMPORT_IN_BACKGROUND=False)
    with app.app_context():
        yield app
        db.session.remove()


def queued_job(user) -> Import:
    entity = entities().get("client")
    data = CSV.encode()
    job = importer.new_job(entity, user, "clients.csv", data, importer.open_file(entity, data))
    db.session.commit()
    return job


def job_row(job_id) -> Import:
    with Session(db.engine, expire_on_commit=False) as session:
        return session.get(Import, job_id)


def killed_after_first_batch(job_id, monkeypatch) -> None:
    """Run the import and "kill" it once its first batch is written; then its heart stopped long ago."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 4)

    def die(counters):
        raise ProcessKilled

    importer.claim(job_id)
    with pytest.raises(ProcessKilled):
        importer.run_import(job_id, on_progress=die)
    db.session.rollback()  # a killed process's open transaction dies with it
    db.session.remove()
    importer.set_job(job_id, heartbeat_at=utcnow() - importer.STALE_AFTER - timedelta(minutes=1))


def client_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Client))


def test_a_running_import_heart_beats_with_its_progress(app, staff, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 4)
    job = queued_job(staff)
    seen = []
    importer.claim(job.id)
    importer.run_import(job.id, on_progress=lambda counters: seen.append(
        (job_row(job.id).status, job_row(job.id).heartbeat_at is not None, job_row(job.id).processed)))
    assert seen[0] == ("running", True, 4)
    assert job_row(job.id).status == "done"


def test_a_dead_import_is_marked_failed_when_its_page_is_shown_and_runs_again(staff_client, staff, monkeypatch):
    job = queued_job(staff)
    killed_after_first_batch(job.id, monkeypatch)
    assert job_row(job.id).status == "running"
    assert client_count() == (4 if db.is_sqlite else 0)  # SQLite commits batch by batch

    page = staff_client.get(f"/imports/{job.id}").get_data(as_text=True)
    assert "The import failed" in page
    assert "its process was interrupted): nothing was imported. You can run it again." in page
    assert f'action="/imports/{job.id}/restart"' in page
    assert job_row(job.id).status == "failed"
    assert client_count() == 0
    assert db.session.scalar(select(func.count()).select_from(RecordChange)) == 0

    response = staff_client.post(f"/imports/{job.id}/restart")
    assert response.status_code == 302
    done = job_row(job.id)
    assert (done.status, done.created, done.error) == ("done", 12, None)
    assert client_count() == 12
    assert "The import is finished" in staff_client.get(f"/imports/{job.id}").get_data(as_text=True)


def test_the_worker_marks_dead_imports_failed(app, staff, monkeypatch):
    job = queued_job(staff)
    killed_after_first_batch(job.id, monkeypatch)
    worker.run_once()
    failed = job_row(job.id)
    assert failed.status == "failed"
    assert "nothing was imported" in failed.error
    assert client_count() == 0


def test_a_running_import_with_a_recent_heartbeat_is_left_alone(app, staff, staff_client):
    job = queued_job(staff)
    importer.claim(job.id)
    worker.run_once()
    page = staff_client.get(f"/imports/{job.id}").get_data(as_text=True)
    assert "Import in progress" in page
    assert job_row(job.id).status == "running"


def test_only_its_author_or_an_administrator_restarts_an_import(app, staff, make_user, login_as, monkeypatch):
    job = queued_job(staff)
    killed_after_first_batch(job.id, monkeypatch)
    other = login_as(make_user(role="staff", email="other@example.org"))
    assert other.post(f"/imports/{job.id}/restart").status_code == 403
    assert other.get(f"/imports/{job.id}/restart").status_code == 405
    assert job_row(job.id).status == "running"


def test_a_double_click_on_run_again_runs_the_import_once(app, staff, monkeypatch):
    """Two restarts at the same moment (a double click, two tabs): one queues the job, the other
    finds it no longer failed; the rows are imported once."""
    from concurrent.futures import ThreadPoolExecutor

    job = queued_job(staff)
    killed_after_first_batch(job.id, monkeypatch)
    assert importer.fail_if_stale(job.id)

    def restart_and_start(_):
        with app.app_context():
            try:
                return importer.restart(job.id) and importer.start(job.id) is None
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(restart_and_start, range(2)))
    assert sorted(results) == [False, True]
    done = job_row(job.id)
    assert (done.status, done.created) == ("done", 12)
    assert client_count() == 12
