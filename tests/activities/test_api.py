"""The guides' "how to" about calls, meetings, tasks and the calendar, through the API."""

from tests.activities.helpers import create

WEEK = {"start": "2026-11-02T00:00:00", "end": "2026-11-09T00:00:00"}


def test_schedule_a_call_a_meeting_and_a_task_then_see_them_in_the_calendar(staff, token_for, app):
    api, headers = app.test_client(), token_for(staff)
    person = create("client", {"last_name": "Kilabuk"}, staff)
    call = api.post("/api/v1/calls", headers=headers, json={
        "subject": "Appel de suivi avec M. Dupont", "start": "2026-11-03T15:00:00Z", "direction": "outbound",
        "status": "planned", "duration_hours": 0, "duration_minutes": 30, "related_to": f"client:{person.id}",
        "assigned_user_id": staff.id, "description": "Agenda"})
    assert call.status_code == 201, call.json
    meeting = api.post("/api/v1/meetings", headers=headers, json={
        "subject": "Préparer son CV", "status": "planned", "start": "2026-11-04T14:00:00Z",
        "end": "2026-11-04T15:30:00Z", "location": "Salle 1", "related_to": f"client:{person.id}",
        "assigned_user_id": staff.id})
    assert meeting.status_code == 201, meeting.json
    task = api.post("/api/v1/tasks", headers=headers, json={
        "subject": "Préparer une présentation", "status": "not_started", "start_date": "2026-11-02",
        "due_date": "2026-11-05", "priority": "high", "related_to": f"client:{person.id}",
        "assigned_user_id": staff.id})
    assert task.status_code == 201, task.json
    calendar = api.get("/api/v1/activities/calendar/events", headers=headers, query_string=WEEK).json
    assert calendar["timezone"] == "America/Iqaluit"
    starts = {event["title"]: event["start"] for event in calendar["events"]}
    assert starts == {"Appel de suivi avec M. Dupont": "2026-11-03T10:00:00", "Préparer son CV": "2026-11-04T09:00:00",
                      "Préparer une présentation": "2026-11-05"}
    completed = api.patch(f"/api/v1/tasks/{task.json['id']}", headers=headers,
                          json={"status": "completed", "version": task.json["version"]})
    assert completed.status_code == 200, completed.json


def test_a_meeting_ending_before_it_starts_is_refused_with_a_clear_message(staff, token_for, app):
    response = app.test_client().post("/api/v1/meetings", headers=token_for(staff), json={
        "subject": "Bilan", "start": "2026-11-04T14:00:00Z", "end": "2026-11-04T13:00:00Z"})
    assert response.status_code == 422
    assert "The end must be after the start." in str(response.json)


def test_invite_colleagues_to_a_meeting(staff, make_user, readonly, token_for, app):
    api = app.test_client()
    colleague = make_user("staff", name="Colette")
    meeting = create("meeting", {"subject": "Bilan", "start": "2026-11-04T14:00:00Z",
                                 "end": "2026-11-04T15:00:00Z"}, staff)
    path = f"/api/v1/meetings/{meeting.id}/invitees"
    response = api.put(path, headers=token_for(staff), json={"invitees": [colleague.id, 99999]})
    assert response.status_code == 200 and response.json == {"invitees": [colleague.id]}
    assert api.get(path, headers=token_for(readonly)).json == {"invitees": [colleague.id]}
    assert api.put(path, headers=token_for(readonly), json={"invitees": []}).status_code == 403
    assert api.put(path, headers=token_for(staff), json={"invitees": "Colette"}).status_code == 422
    assert api.get("/api/v1/meetings/99999/invitees", headers=token_for(staff)).status_code == 404
    # the invited colleague sees the meeting in their calendar
    events = api.get("/api/v1/activities/calendar/events", headers=token_for(colleague), query_string=WEEK).json["events"]
    assert [event["title"] for event in events] == ["Bilan"]


def test_share_my_calendar_with_a_chosen_colleague(staff, make_user, token_for, app):
    api = app.test_client()
    viewer = make_user("staff", name="Viewer")
    create("call", {"subject": "Appel partagé", "start": "2026-11-03T15:00:00Z", "duration_hours": 0,
                    "duration_minutes": 30, "assigned_user_id": staff.id}, staff)
    assert api.get("/api/v1/activities/calendar/sharing", headers=token_for(staff)).json == {"sharing": "nobody", "viewers": []}
    assert api.get("/api/v1/activities/calendar/events", headers=token_for(viewer), query_string=WEEK).json["events"] == []
    shared = api.put("/api/v1/activities/calendar/sharing", headers=token_for(staff),
                     json={"sharing": "chosen", "viewers": [viewer.id]})
    assert shared.json == {"sharing": "chosen", "viewers": [viewer.id]}
    events = api.get("/api/v1/activities/calendar/events", headers=token_for(viewer), query_string=WEEK).json["events"]
    assert [event["title"] for event in events] == ["Appel partagé"]
    mine = api.get("/api/v1/activities/calendar/events", headers=token_for(viewer), query_string=dict(WEEK, owner="me"))
    assert mine.json["events"] == []
    refused = api.put("/api/v1/activities/calendar/sharing", headers=token_for(staff), json={"sharing": "all"})
    assert refused.status_code == 422
    assert api.get("/api/v1/activities/calendar/events", headers=token_for(staff)).status_code == 422
    assert api.get("/api/v1/activities/calendar/events", query_string=WEEK).status_code == 401
