"""The follow-up screens: scheduling from a contact (bad input refused with a message, never a 500),
the agents' queue with its filters, working a follow-up, the dashlet; in English and French."""

from datetime import timedelta

from sqlalchemy import select

from kernel.db import db, utcnow
from plugins.contactcenter import workflow
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import DONE, FollowUp, FollowUpOutcome
from plugins.contactcenter.models import Contact
from tests.contactcenter.followup_helpers import consenting_contact
from tests.contactcenter.helpers import make_contact, make_profile, make_resource, make_term


def test_scheduling_from_a_contact_lands_in_the_queue(app, staff, staff_client):
    contact = consenting_contact(staff)
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}/followups/new")
    assert page.status_code == 200
    answer = staff_client.post(f"/contactcenter/contacts/{contact.id}/followups/new",
                               data={"due_at": "2026-01-05T10:30", "channel": "phone", "reason": "Food bank?",
                                     "consent": "1"})
    assert answer.status_code == 302
    [followup] = db.session.scalars(select(FollowUp)).all()
    assert (followup.assignee_id, followup.channel, followup.consent_to_contact) == (staff.id, "phone", True)
    queue = staff_client.get("/contactcenter/followups?which=mine").get_data(as_text=True)
    assert "Émile Noël" in queue and "Food bank?" in queue


def test_bad_input_is_refused_with_a_message(app, staff, staff_client):
    contact = consenting_contact(staff)
    url = f"/contactcenter/contacts/{contact.id}/followups/new"
    for data in ({"due_at": "yesterday", "channel": "phone", "consent": "1"},
                 {"due_at": "2026-01-05T10:30", "channel": "pigeon", "consent": "1"},
                 {"due_at": "2026-01-05T10:30", "channel": "phone", "assignee_id": "x"}):
        answer = staff_client.post(url, data=data)
        assert answer.status_code == 422
    assert db.session.scalar(select(FollowUp.id)) is None
    assert staff_client.get("/contactcenter/followups?which=nonsense").status_code == 200
    assert staff_client.get("/contactcenter/followups/999999").status_code == 404


def test_working_a_follow_up_records_the_outcome(app, staff, staff_client):
    food = make_term("food", "Food", "Alimentation")
    contact = consenting_contact(staff)
    referral = workflow.refer(contact, make_resource("Food bank", food).id, staff)
    followup = service.schedule(contact, staff, due_at=utcnow() - timedelta(hours=1), channel="phone", reason="",
                                consent=True)
    db.session.commit()
    page = staff_client.get(f"/contactcenter/followups/{followup.id}").get_data(as_text=True)
    assert "Food bank" in page and "Waiting list" in page
    answer = staff_client.post(f"/contactcenter/followups/{followup.id}", data={
        "reached": "yes", f"contacted_{referral.id}": "yes", f"helped_{referral.id}": "yes", "new_need_term_id": "x"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).status == DONE
    [outcome] = db.session.scalars(select(FollowUpOutcome)).all()
    assert (outcome.contacted_service, outcome.got_help) == (True, True)


def test_the_queue_and_the_dashlet_in_french(app, make_user, login_as):
    agent = make_user("staff", email="fr@example.org", language="fr", workspace="contact_centre")
    service.schedule(consenting_contact(agent), agent, due_at=utcnow(), channel="phone", reason="Rappel", consent=True)
    db.session.commit()
    client = login_as(agent)
    page = client.get("/contactcenter/followups").get_data(as_text=True)
    assert "Suivis" in page and "En retard" in page and "Rappel" in page
    assert "Mes suivis" in client.get("/").get_data(as_text=True)


def test_the_follow_up_needed_tag_suggests_scheduling(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff))
    url = f"/contactcenter/contacts/{contact.id}/followups/new"
    assert url in staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    db.session.expire_all()
    db.session.get(Contact, contact.id).tags = "follow_up"
    db.session.commit()
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert "followup-suggestion" in page and "Schedule the follow-up" in page


def test_a_follow_up_is_on_its_assignees_calendar_read_only(app, staff, staff_client):
    from datetime import datetime

    contact = consenting_contact(staff)
    followup = service.schedule(contact, staff, due_at=datetime(2026, 3, 10, 15, 0), channel="phone",
                                reason="Food bank?", consent=True)
    db.session.commit()
    events = staff_client.get("/activities/calendar/events?start=2026-03-09&end=2026-03-16").get_json()
    [item] = [event for event in events if event["kind"] == "followup"]
    assert item["url"] == f"/contactcenter/followups/{followup.id}" and item["editable"] is False
    assert "Food bank?" in item["title"]
