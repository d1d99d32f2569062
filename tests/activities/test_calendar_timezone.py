"""The calendar speaks the user's time zone (the profile's, else DEFAULT_TIMEZONE), never the
browser's: everyone sees a meeting at the same hour, and what is created or dragged is stored in UTC."""

from datetime import datetime

from kernel.db import db
from plugins.activities.models import Call, Meeting
from tests.activities.helpers import create

# November 2026: Iqaluit (the default zone) is UTC-5, Paris UTC+1.
WEEK = {"start": "2026-11-02T00:00:00", "end": "2026-11-09T00:00:00", "timeZone": "America/Iqaluit"}


def meeting_at_14_utc(user):
    return create("meeting", {"subject": "Comité", "start": "2026-11-05T14:00:00Z", "end": "2026-11-05T15:30:00Z",
                              "assigned_user_id": user.id}, user)


def events_by_title(client, period=WEEK):
    return {event["title"]: event for event in client.get("/activities/calendar/events", query_string=period).json}


def test_events_are_given_in_the_default_zone(staff, staff_client):
    meeting_at_14_utc(staff)
    create("task", {"subject": "Dossier", "status": "not_started", "due_date": "2026-11-06",
                    "assigned_user_id": staff.id}, staff)
    events = events_by_title(staff_client)
    assert events["Comité"]["start"] == "2026-11-05T09:00:00"
    assert events["Comité"]["end"] == "2026-11-05T10:30:00"
    assert events["Dossier"]["start"] == "2026-11-06" and events["Dossier"]["allDay"] is True
    page = staff_client.get("/activities/calendar").get_data(as_text=True)
    assert 'data-timezone="America/Iqaluit"' in page


def test_a_colleague_in_another_zone_sees_the_same_instant_in_theirs(staff, make_user, login_as, staff_client):
    paris = make_user("staff", name="Paris", timezone="Europe/Paris")
    meeting = meeting_at_14_utc(staff)
    login_as(staff).post(f"/meetings/{meeting.id}/invitees", data={"invitees": [str(paris.id)]})
    paris_client = login_as(paris)
    period = dict(WEEK, timeZone="Europe/Paris")
    assert events_by_title(paris_client, period)["Comité"]["start"] == "2026-11-05T15:00:00"
    assert 'data-timezone="Europe/Paris"' in paris_client.get("/activities/calendar").get_data(as_text=True)


def test_the_period_asked_is_read_in_the_user_zone(staff, staff_client):
    # 2026-11-09 03:00 UTC is still Sunday the 8th in Iqaluit: inside the week asked.
    create("call", {"subject": "Tard", "start": "2026-11-09T03:00:00Z", "duration_hours": 0,
                    "duration_minutes": 30, "assigned_user_id": staff.id}, staff)
    # 2026-11-02 04:00 UTC is still Sunday the 1st there: outside.
    create("call", {"subject": "Tôt", "start": "2026-11-02T04:00:00Z", "duration_hours": 0,
                    "duration_minutes": 30, "assigned_user_id": staff.id}, staff)
    titles = set(events_by_title(staff_client))
    assert "Tard" in titles and "Tôt" not in titles


def test_dragging_stores_the_utc_time_of_the_wall_clock_time(staff, staff_client):
    meeting = meeting_at_14_utc(staff)
    moved = staff_client.post("/activities/calendar/move", data={
        "kind": "meeting", "id": meeting.id, "version": meeting.version, "start": "2026-11-06T10:00:00"})
    assert moved.status_code == 200, moved.json
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert (meeting.start, meeting.end) == (datetime(2026, 11, 6, 15, 0), datetime(2026, 11, 6, 16, 30))


def test_resizing_a_call_in_paris_time(make_user, login_as):
    paris = make_user("staff", name="Paris", timezone="Europe/Paris")
    call = create("call", {"subject": "Appel", "start": "2026-11-05T14:00:00Z", "duration_hours": 0,
                           "duration_minutes": 30, "assigned_user_id": paris.id}, paris)
    response = login_as(paris).post("/activities/calendar/move", data={
        "kind": "call", "id": call.id, "version": call.version,
        "start": "2026-11-05T15:00:00", "end": "2026-11-05T16:45:00"})
    assert response.status_code == 200
    db.session.expire_all()
    call = db.session.get(Call, call.id)
    assert call.start == datetime(2026, 11, 5, 14, 0) and call.total_minutes == 105


def test_a_meeting_created_from_a_clicked_slot_is_stored_in_utc(staff, staff_client):
    form = staff_client.get("/meetings/new?start=2026-11-05T10:00&end=2026-11-05T11:00").get_data(as_text=True)
    assert 'value="2026-11-05T10:00"' in form and 'value="2026-11-05T11:00"' in form
    response = staff_client.post("/meetings/new", data={
        "subject": "Créée", "start": "2026-11-05T10:00", "end": "2026-11-05T11:00", "status": "planned"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    meeting = db.session.query(Meeting).filter_by(subject="Créée").one()
    assert (meeting.start, meeting.end) == (datetime(2026, 11, 5, 15, 0), datetime(2026, 11, 5, 16, 0))
    assert events_by_title(staff_client)["Créée"]["start"] == "2026-11-05T10:00:00"


def test_dropping_a_meeting_on_a_day_keeps_its_time_and_length(staff, staff_client):
    meeting = meeting_at_14_utc(staff)
    moved = staff_client.post("/activities/calendar/move", data={
        "kind": "meeting", "id": meeting.id, "version": meeting.version, "start": "2026-11-12", "end": "2026-11-13"})
    assert moved.status_code == 200, moved.json
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert (meeting.start, meeting.end) == (datetime(2026, 11, 12, 14, 0), datetime(2026, 11, 12, 15, 30))
