"""The kanban moves a task to another status, refuses a stale card and a read-only user."""

from kernel.db import db
from plugins.activities.models import Task
from tests.activities.helpers import create


def test_kanban_shows_columns_and_moves_a_card(staff, staff_client):
    task = create("task", {"subject": "Carte", "status": "not_started"}, staff)
    page = staff_client.get("/tasks/kanban").get_data(as_text=True)
    assert "Carte" in page and "sortable.js" in page
    response = staff_client.post(f"/tasks/{task.id}/status", data={"status": "in_progress", "version": task.version},
                                 headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json["status"] == "in_progress"
    assert db.session.get(Task, task.id).status == "in_progress"


def test_a_stale_card_is_refused(staff, staff_client):
    task_id = create("task", {"subject": "Carte", "status": "not_started"}, staff).id
    response = staff_client.post(f"/tasks/{task_id}/status", data={"status": "completed", "version": 7},
                                 headers={"Accept": "application/json"})
    assert response.status_code == 409 and response.json["error"]
    assert db.session.get(Task, task_id).status == "not_started"


def test_read_only_user_cannot_move(staff, readonly, login_as):
    task = create("task", {"subject": "Carte", "status": "not_started"}, staff)
    response = login_as(readonly).post(f"/tasks/{task.id}/status", data={"status": "completed", "version": 1})
    assert response.status_code == 403


def test_the_keyboard_form_works_without_javascript(staff, staff_client):
    task = create("task", {"subject": "Carte", "status": "not_started"}, staff)
    response = staff_client.post(f"/tasks/{task.id}/status", data={"status": "pending", "version": task.version})
    assert response.status_code == 302


def test_older_completed_tasks_leave_the_kanban_for_the_history(staff, staff_client):
    from datetime import timedelta

    from kernel.db import utcnow

    create("task", {"subject": "Finie hier", "status": "completed", "due_date": "2026-11-05"}, staff)
    old = create("task", {"subject": "Finie il y a longtemps", "status": "completed"}, staff)
    old.updated_at = utcnow() - timedelta(days=30)
    db.session.commit()
    page = staff_client.get("/tasks/kanban").get_data(as_text=True)
    assert "Finie hier" in page and "Finie il y a longtemps" not in page and "Nov 5, 2026" in page
    assert "Finie il y a longtemps" in staff_client.get("/tasks/history").get_data(as_text=True)


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_card_form_of_a_browser_gets_the_kanban_back(staff, staff_client):
    task = create("task", {"subject": "Carte", "status": "not_started"}, staff)
    moved = staff_client.post(f"/tasks/{task.id}/status", data={"status": "pending", "version": task.version},
                              headers={"Accept": BROWSER_ACCEPT})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/tasks/kanban")
    stale = staff_client.post(f"/tasks/{task.id}/status", data={"status": "completed", "version": 1},
                              headers={"Accept": BROWSER_ACCEPT}, follow_redirects=True)
    assert "Someone else changed this task meanwhile" in stale.get_data(as_text=True)
    assert db.session.get(Task, task.id).status == "pending"
