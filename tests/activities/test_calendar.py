"""The calendar's events: mine, a colleague's shared calendar, not an unshared one; drag to reschedule."""

import json
import re
from datetime import datetime

from kernel.db import db
from plugins.activities.models import Call, Meeting
from tests.activities.helpers import create

PERIOD = {"start": "2026-05-04T00:00:00Z", "end": "2026-05-11T00:00:00Z"}


def call_for(user, subject):
    return create("call", {"subject": subject, "start": "2026-05-05T14:00:00Z", "duration_hours": 0,
                           "duration_minutes": 30, "assigned_user_id": user.id}, user)


def test_feed_holds_my_activities_in_their_colours(staff, staff_client):
    call_for(staff, "Mon appel")
    create("meeting", {"subject": "Ma réunion", "start": "2026-05-06T10:00:00Z", "end": "2026-05-06T11:00:00Z"}, staff)
    create("task", {"subject": "Ma tâche", "status": "not_started", "due_date": "2026-05-07"}, staff)
    events = staff_client.get("/activities/calendar/events", query_string=PERIOD).json
    kinds = {event["title"]: event["kind"] for event in events}
    assert kinds == {"Mon appel": "call", "Ma réunion": "meeting", "Ma tâche": "task"}
    page = staff_client.get("/activities/calendar").get_data(as_text=True)
    colours = json.loads(re.search(r"data-colours='([^']+)'", page).group(1))
    assert set(colours) == {"call", "meeting", "task"} and len(set(colours.values())) == 3
    urls = json.loads(re.search(r"data-record-urls='([^']+)'", page).group(1))
    assert urls["meeting"] == "/meetings/{}"


def test_shared_and_unshared_colleagues(staff, make_user, login_as, staff_client):
    sharing = make_user("staff", name="Sharing")
    secretive = make_user("staff", name="Secretive")
    call_for(sharing, "Appel partagé")
    call_for(secretive, "Appel privé")
    login_as(sharing).post("/activities/calendar/sharing", data={"sharing": "chosen", "viewers": [str(staff.id)]})
    login_as(secretive).post("/activities/calendar/sharing", data={"sharing": "chosen", "viewers": []})
    titles = {event["title"] for event in staff_client.get("/activities/calendar/events", query_string=PERIOD).json}
    assert "Appel partagé" in titles and "Appel privé" not in titles


def test_drag_reschedules_with_the_version(staff, staff_client):
    call = call_for(staff, "Appel")
    moved = staff_client.post("/activities/calendar/move", data={
        "kind": "call", "id": call.id, "version": call.version,
        "start": "2026-05-06T15:00:00Z", "end": "2026-05-06T16:15:00Z"})
    assert moved.status_code == 200
    db.session.expire_all()
    call = db.session.get(Call, call.id)
    assert call.start == datetime(2026, 5, 6, 15, 0) and call.total_minutes == 75
    stale = staff_client.post("/activities/calendar/move", data={
        "kind": "call", "id": call.id, "version": 1, "start": "2026-05-07T15:00:00Z"})
    assert stale.status_code == 409


def test_resize_a_meeting(staff, staff_client):
    meeting = create("meeting", {"subject": "R", "start": "2026-05-06T10:00:00Z", "end": "2026-05-06T11:00:00Z"},
                     staff)
    response = staff_client.post("/activities/calendar/move", data={
        "kind": "meeting", "id": meeting.id, "version": meeting.version,
        "start": "2026-05-06T10:00:00Z", "end": "2026-05-06T12:00:00Z"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).end == datetime(2026, 5, 6, 12, 0)


def test_click_a_slot_prefills_the_create_form(staff_client):
    page = staff_client.get("/meetings/new?start=2026-05-06T10:00").get_data(as_text=True)
    assert "2026-05-06T10:00" in page


def test_shared_with_everyone_and_read_only_cannot_move(staff, readonly, make_user, login_as):
    open_book = make_user("staff", name="Open")
    call = call_for(open_book, "Appel public")
    login_as(open_book).post("/activities/calendar/sharing", data={"sharing": "everyone"})
    reader = login_as(readonly)
    titles = {event["title"] for event in reader.get("/activities/calendar/events", query_string=PERIOD).json}
    assert "Appel public" in titles
    refused = reader.post("/activities/calendar/move", data={"kind": "call", "id": call.id, "version": 1,
                                                  "start": "2026-05-07T15:00:00Z"})
    assert refused.status_code == 403


def test_sharing_is_set_in_my_profile(staff, make_user, staff_client, login_as):
    colleague = make_user("staff", name="Colette Collègue")
    profile = staff_client.get("/profile/").get_data(as_text=True)
    assert 'id="profile-calendar-sharing"' in profile and "Who may see my calendar" in profile
    assert "Colette Collègue" in profile and "Make my private address" in profile
    saved = staff_client.post("/activities/calendar/sharing", data={
        "sharing": "chosen", "viewers": [str(colleague.id)], "next": "/profile/"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/profile/")
    call_for(staff, "Appel visible")
    titles = {event["title"] for event in login_as(colleague).get("/activities/calendar/events", query_string=PERIOD).json}
    assert titles == {"Appel visible"}
    made = staff_client.post("/activities/calendar/token", data={"next": "/profile/"})
    assert made.headers["Location"].endswith("/profile/")
    profile = staff_client.get("/profile/").get_data(as_text=True)
    assert re.search(r'value="http://[^"]+/activities/calendar/[A-Za-z0-9_-]+\.ics"', profile)
    assert staff_client.post("/activities/calendar/sharing", data={"sharing": "everyone", "next": "https://evil.example/"}
                             ).headers["Location"].endswith("/")


def test_no_calendar_in_the_profile_when_activities_are_disabled(make_app, make_user):
    from tests.conftest import login

    app = make_app(PASSERELLE_PLUGINS="clients")
    with app.app_context():
        client = login(app.test_client(), make_user("staff"))
        assert 'id="profile-calendar-sharing"' not in client.get("/profile/").get_data(as_text=True)


def test_a_long_meeting_begun_before_the_period_is_shown(staff, staff_client):
    create("meeting", {"subject": "Stage intensif", "start": "2026-04-20T13:00:00Z", "end": "2026-05-06T21:00:00Z",
                       "assigned_user_id": staff.id}, staff)
    titles = {event["title"] for event in staff_client.get("/activities/calendar/events", query_string=PERIOD).json}
    assert titles == {"Stage intensif"}


def test_choose_whose_activities_the_calendar_shows(staff, make_user, login_as, staff_client):
    sharing = make_user("staff", name="Sharing Colleague")
    secretive = make_user("staff", name="Secretive")
    call_for(staff, "Mon appel")
    call_for(sharing, "Appel partagé")
    call_for(secretive, "Appel privé")
    login_as(sharing).post("/activities/calendar/sharing", data={"sharing": "everyone"})
    page = staff_client.get("/activities/calendar").get_data(as_text=True)
    assert f'<option value="{sharing.id}">Sharing Colleague</option>' in page and "Secretive" not in page

    def titles(owner):
        events = staff_client.get("/activities/calendar/events", query_string=dict(PERIOD, owner=owner)).json
        return {event["title"] for event in events}

    assert titles("") == {"Mon appel", "Appel partagé"}
    assert titles("me") == {"Mon appel"}
    assert titles(str(sharing.id)) == {"Appel partagé"}
    assert titles(str(secretive.id)) == set()


def test_the_page_lets_only_editors_drag(staff_client, readonly, login_as):
    assert 'data-may-edit="1"' in staff_client.get("/activities/calendar").get_data(as_text=True)
    page = login_as(readonly).get("/activities/calendar").get_data(as_text=True)
    assert 'data-may-edit="0"' in page and 'data-may-create="0"' in page
