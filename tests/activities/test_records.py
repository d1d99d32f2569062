"""Calls, meetings, tasks and notes through their forms and the API; a meeting ends after it starts."""

from sqlalchemy import select

from kernel.db import db
from plugins.activities.models import Call, Meeting
from tests.activities.helpers import create


def test_call_through_the_form(staff, staff_client):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    response = staff_client.post("/calls/new", data={
        "subject": "Suivi", "direction": "outbound", "status": "planned", "start": "2026-05-04T10:00",
        "duration_hours": "1", "duration_minutes": "30", "related_to": f"client:{person.id}"})
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert call.total_minutes == 90 and call.assigned_user_id == staff.id
    assert "Suivi" in staff_client.get(f"/clients/{person.id}").get_data(as_text=True)


def test_call_duration_must_be_sensible(staff_client):
    response = staff_client.post("/calls/new", data={
        "subject": "Suivi", "start": "2026-05-04T10:00", "duration_hours": "0", "duration_minutes": "75"})
    assert response.status_code == 422


def test_call_through_the_api(staff, token_for, app):
    client = app.test_client()
    response = client.post("/api/v1/calls", json={
        "subject": "Appel", "start": "2026-05-04T14:00:00Z", "duration_hours": 0, "duration_minutes": 20},
        headers=token_for(staff))
    assert response.status_code == 201, response.get_data(as_text=True)


def test_meeting_end_after_start(staff_client):
    refused = staff_client.post("/meetings/new", data={
        "subject": "Bilan", "start": "2026-05-04T10:00", "end": "2026-05-04T09:00"})
    assert refused.status_code == 422
    same = staff_client.post("/meetings/new", data={
        "subject": "Bilan", "start": "2026-05-04T10:00", "end": "2026-05-04T10:00"})
    assert same.status_code == 422
    ok = staff_client.post("/meetings/new", data={
        "subject": "Bilan", "start": "2026-05-04T10:00", "end": "2026-05-04T11:00", "location": "Iqaluit"})
    assert ok.status_code == 302
    assert db.session.scalar(select(Meeting)).location == "Iqaluit"


def test_meeting_invitees(staff, make_user, staff_client):
    colleague = make_user("staff", name="Colette Collègue")
    meeting = create("meeting", {"subject": "Bilan", "start": "2026-05-04T10:00:00Z",
                                 "end": "2026-05-04T11:00:00Z"}, staff)
    assert staff_client.post(f"/meetings/{meeting.id}/invitees",
                             data={"invitees": [str(colleague.id)]}).status_code == 302
    assert "Colette Collègue" in staff_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_task_and_note_through_forms_and_api(staff, staff_client, token_for, app):
    assert staff_client.post("/tasks/new", data={
        "subject": "Rappeler", "status": "not_started", "priority": "high", "start_date": "2026-05-01",
        "due_date": "2026-05-03"}).status_code == 302
    assert staff_client.post("/tasks/new", data={
        "subject": "Rappeler", "status": "not_started", "start_date": "2026-05-04",
        "due_date": "2026-05-03"}).status_code == 422
    assert staff_client.post("/notes/new", data={"subject": "Note", "text": "Texte"}).status_code == 302
    api = app.test_client().get("/api/v1/tasks", headers=token_for(staff))
    assert api.status_code == 200 and "Rappeler" in api.get_data(as_text=True)


def test_meeting_page_shows_the_duration(staff, staff_client):
    meeting = create("meeting", {"subject": "Bilan", "start": "2026-05-04T10:00:00Z",
                                 "end": "2026-05-04T11:30:00Z"}, staff)
    assert "1 h 30" in staff_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_french_words_of_the_guide(make_user, login_as):
    french = make_user("staff", language="fr")
    page = login_as(french).get("/calls/new").get_data(as_text=True)
    assert "Planifier un appel" in page and "Entrant" in page and "Lié à" in page


def test_a_meeting_lasts_at_most_a_month(staff_client):
    refused = staff_client.post("/meetings/new", data={
        "subject": "Congrès", "start": "2026-05-04T10:00", "end": "2026-06-15T10:00"})
    assert refused.status_code == 422
    assert "A meeting cannot last more than 31 days." in refused.get_data(as_text=True)
    assert staff_client.post("/meetings/new", data={
        "subject": "Congrès", "start": "2026-05-04T10:00", "end": "2026-05-06T17:00"}).status_code == 302
