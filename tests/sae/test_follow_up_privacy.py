"""A placement's follow-up tasks are seen by everyone who sees activities (task page, lists,
calendar, dashboards, API), most of them not on the SAE team: the task says only "Follow-up at 30
days". The case file's number and the placement show in a panel of the task page, to those who may
see SAE files."""

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select

import plugins.sae
from kernel.db import db
from kernel.history import UPDATED, RecordChange
from plugins.activities.models import Task

PLACEMENT = {"position": "Commis d'épicerie", "start_date": "2026-03-02", "hours_per_week": "35",
             "hourly_wage": "19.50", "outcome": "ongoing"}
SECRETS = ("SAE-2026-0001", "2026-03-02", "Commis", "épicerie", "Northmart")


@pytest.fixture
def tasks(supervisor, case_file, employer, login_as):
    response = login_as(supervisor).post("/placements/new", data={
        **PLACEMENT, "case_file_id": str(case_file.id), "employer_id": str(employer.id)})
    assert response.status_code == 302
    return db.session.scalars(select(Task).order_by(Task.due_date)).all()


def test_the_task_holds_no_detail_of_the_file(tasks):
    assert [task.subject for task in tasks] == ["Follow-up at 30 days", "Follow-up at 60 days",
                                                "Follow-up at 90 days"]
    assert not any(secret in (task.description or "") for task in tasks for secret in SECRETS)


def test_someone_off_the_sae_team_sees_the_task_without_the_files_details(tasks, outsider, login_as, token_for):
    browser = login_as(outsider)
    pages = {
        "task page": browser.get(f"/tasks/{tasks[0].id}"),
        "task list": browser.get("/tasks/"),
        "calendar": browser.get("/activities/calendar/events?start=2026-03-01&end=2026-07-01&users=all"),
        "api": browser.get(f"/api/v1/tasks/{tasks[0].id}", headers=token_for(outsider)),
        "api list": browser.get("/api/v1/tasks", headers=token_for(outsider)),
    }
    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(pages, 200)
    for name, response in pages.items():
        text = response.get_data(as_text=True)
        leaked = [secret for secret in SECRETS if secret in text]
        assert leaked == [], f"{name} shows {leaked}"
    assert "Follow-up at 30 days" in pages["task page"].get_data(as_text=True)
    assert "SAE follow-up" not in pages["task page"].get_data(as_text=True)


def test_the_sae_team_sees_which_file_and_placement_in_a_panel(tasks, counsellor, case_file, login_as):
    page = login_as(counsellor).get(f"/tasks/{tasks[0].id}").get_data(as_text=True)
    assert "SAE follow-up" in page and "SAE-2026-0001" in page and "Commis d&#39;épicerie" in page
    assert f"/case-files/{case_file.id}" in page


def run_migration(pattern: str) -> None:
    """The upgrade of the SAE data migration whose file name matches ``pattern``, on the test database."""
    path = next((Path(plugins.sae.__file__).parent / "migrations" / "versions").glob(pattern))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        migration.upgrade()
    db.session.expire_all()


def test_tasks_made_before_lose_the_files_details(tasks):
    old = {tasks[0].id: ("SAE follow-up at 30 days (case file SAE-2026-0001)",
                         "Check in with the client about the placement that started on 2026-03-02."),
           tasks[1].id: ("Suivi SAE à 60 jours (dossier SAE-2026-0001)", "Apporter le CV signé."),
           tasks[2].id: ("Call the employer", None)}
    for task in tasks:
        task.subject, task.description = old[task.id]
    db.session.commit()
    run_migration("*_follow_up_tasks_without_*")
    rows = db.session.execute(select(Task.subject, Task.description, Task.search_text).order_by(Task.due_date)).all()
    assert [tuple(row[:2]) for row in rows] == [("Follow-up at 30 days", None),
                                                ("Suivi à 60 jours", "Apporter le CV signé."),
                                                ("Call the employer", None)]
    assert not any("sae-2026" in row.search_text for row in rows)


def test_the_history_of_tasks_made_before_loses_the_files_details(tasks, outsider, login_as):
    """Someone had renamed a follow-up task before the generic subjects: the change in its history
    kept the generated subject (the file's number) and description (the placement's date)."""
    renamed, other = tasks[0].id, tasks[1].id
    generated = [("subject", "SAE follow-up at 30 days (case file SAE-2026-0001)", "Call Ann at Northmart"),
                 ("description", "Check in with the client about the placement that started on 2026-03-02.",
                  "Ask for the signed CV.")]
    db.session.add_all([RecordChange(entity="task", record_id=renamed, action=UPDATED, field=field,
                                     old_value=old_value, new_value=new_value)
                        for field, old_value, new_value in generated])
    db.session.add(RecordChange(entity="task", record_id=other, action=UPDATED, field="subject",
                                old_value="Suivi SAE à 60 jours (dossier SAE-2026-0001)", new_value="Appeler Ann"))
    db.session.add(RecordChange(entity="task", record_id=other, action=UPDATED, field="status",
                                old_value="not_started", new_value="in_progress"))
    db.session.commit()

    run_migration("*_follow_up_task_history_without_*")

    changes = db.session.execute(select(RecordChange.record_id, RecordChange.field, RecordChange.old_value,
                                        RecordChange.new_value).order_by(RecordChange.id)).all()
    assert [tuple(change) for change in changes if change.field] == [
        (renamed, "subject", "Follow-up at 30 days", "Call Ann at Northmart"),
        (renamed, "description", None, "Ask for the signed CV."),
        (other, "subject", "Suivi à 60 jours", "Appeler Ann"),
        (other, "status", "not_started", "in_progress"),
    ]
    page = login_as(outsider).get(f"/tasks/{renamed}").get_data(as_text=True)
    assert "Call Ann at Northmart" in page
    assert [secret for secret in ("SAE-2026-0001", "2026-03-02") if secret in page] == []
