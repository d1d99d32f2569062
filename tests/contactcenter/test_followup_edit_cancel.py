"""Changing a follow-up (when, channel, reason, assignee) and cancelling it with a reason (issue 20):
both in its history; a cancelled one leaves the queue, the calendar and the dashlet; bad input is
refused with a message, never a 500; permissions as for working one. In English and French."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from kernel.db import db, utcnow
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import CANCELLED, DONE, DUE, FollowUp, FollowUpChange
from tests.contactcenter.followup_helpers import consenting_contact


def scheduled(user, due_at=None, reason="Did the food bank help?"):
    followup = service.schedule(consenting_contact(user), user, due_at=due_at or utcnow() - timedelta(hours=1),
                                channel="phone", reason=reason)
    db.session.commit()
    return followup


def fresh(followup_id: int) -> FollowUp:
    db.session.expire_all()
    return db.session.get(FollowUp, followup_id)


def history(followup_id: int) -> list[tuple]:
    return [(change.action, change.field, change.old_value, change.new_value) for change in db.session.scalars(
        select(FollowUpChange).where(FollowUpChange.followup_id == followup_id).order_by(FollowUpChange.id))]


def test_the_service_changes_only_what_differs_and_writes_each_change(app, admin, staff):
    followup = scheduled(admin)
    changes = service.edit(followup, admin, {"channel": "sms", "reason": "Did the food bank help?",
                                             "assignee_id": staff.id})
    db.session.commit()
    assert set(changes) == {"channel", "assignee_id"}
    assert history(followup.id) == [("scheduled", None, None, None), ("edited", "channel", "phone", "sms"),
                                    ("edited", "assignee_id", str(admin.id), str(staff.id))]


@pytest.mark.parametrize("values", [{"channel": "pigeon"}, {"assignee_id": 999999}, {"assignee_id": None},
                                    {"due_at": "tomorrow"}, {"reason": "x" * 2001}])
def test_the_service_refuses_bad_values_and_changes_nothing(app, admin, values):
    followup = scheduled(admin)
    with pytest.raises(service.FollowUpRefused) as refused:
        service.edit(followup, admin, values)
    assert refused.value.field == next(iter(values))


def test_a_closed_follow_up_is_neither_changed_nor_cancelled(app, admin):
    followup = scheduled(admin)
    service.record_attempt(followup, [service.Outcome(None, reached=True)], admin)
    db.session.commit()
    assert followup.status == DONE
    with pytest.raises(service.FollowUpRefused):
        service.edit(followup, admin, {"channel": "sms"})
    with pytest.raises(service.FollowUpRefused):
        service.cancel(followup, admin, "No longer needed")


def test_the_agent_changes_a_follow_up_from_its_page(app, staff, make_user, staff_client):
    colleague = make_user("staff", email="colleague@example.org", name="Colette Collègue")
    followup = scheduled(staff)
    page = staff_client.get(f"/contactcenter/followups/{followup.id}").get_data(as_text=True)
    assert f"/contactcenter/followups/{followup.id}/edit" in page
    form = staff_client.get(f"/contactcenter/followups/{followup.id}/edit").get_data(as_text=True)
    assert "Did the food bank help?" in form and "Colette Collègue" in form
    answer = staff_client.post(f"/contactcenter/followups/{followup.id}/edit", data={
        "due_at": "2026-03-10T09:15", "channel": "sms", "reason": "Call about housing",
        "assignee_id": str(colleague.id)})
    assert answer.status_code == 302
    changed = fresh(followup.id)
    assert (changed.channel, changed.reason, changed.assignee_id) == ("sms", "Call about housing", colleague.id)
    assert changed.due_at.date().isoformat() == "2026-03-10"
    page = staff_client.get(f"/contactcenter/followups/{followup.id}").get_data(as_text=True)
    assert "Call about housing" in page and "Colette Collègue" in page and "Changed" in page


@pytest.mark.parametrize("data", [
    {"due_at": "not a date", "channel": "phone", "reason": "", "assignee_id": ""},
    {"due_at": "2026-03-10T09:15", "channel": "pigeon", "reason": "", "assignee_id": ""},
    {"due_at": "2026-03-10T09:15", "channel": "phone", "reason": "", "assignee_id": "abc"},
    {"due_at": "2026-03-10T09:15", "channel": "phone", "reason": "", "assignee_id": "99999999999999999999"},
    {"due_at": "2026-03-10T09:15", "channel": "phone", "reason": "x" * 2001, "assignee_id": ""},
])
def test_bad_input_on_the_edit_page_is_refused_with_a_message(app, staff, staff_client, data):
    followup = scheduled(staff)
    answer = staff_client.post(f"/contactcenter/followups/{followup.id}/edit", data=data)
    assert answer.status_code == 422 and 'class="error"' in answer.get_data(as_text=True)
    assert fresh(followup.id).channel == "phone" and history(followup.id) == [("scheduled", None, None, None)]


def test_a_cancelled_follow_up_leaves_the_queue_the_calendar_and_the_dashlet(app, make_user, login_as):
    agent = make_user("staff", email="agent@example.org", workspace="contact_centre")
    client = login_as(agent)
    followup = scheduled(agent, due_at=datetime(2026, 3, 10, 15, 0), reason="Food bank follow-up")

    def everywhere() -> list[bool]:
        events = client.get("/activities/calendar/events?start=2026-03-09&end=2026-03-16").get_json()
        return [
            "Food bank follow-up" in client.get("/contactcenter/followups?which=all").get_data(as_text=True),
            any(event["kind"] == "followup" for event in events),
            f"/contactcenter/followups/{followup.id}" in client.get("/").get_data(as_text=True),
        ]

    assert everywhere() == [True, True, True]
    refused = client.post(f"/contactcenter/followups/{followup.id}/cancel", data={"cancel_reason": "  "})
    assert refused.status_code == 422 and "Say why" in refused.get_data(as_text=True)
    assert fresh(followup.id).status == DUE
    answer = client.post(f"/contactcenter/followups/{followup.id}/cancel", data={"cancel_reason": "Moved away"})
    assert answer.status_code == 302
    cancelled = fresh(followup.id)
    assert (cancelled.status, cancelled.cancel_reason) == (CANCELLED, "Moved away") and cancelled.closed_at
    assert everywhere() == [False, False, False]
    assert history(followup.id)[-1] == ("cancelled", "cancel_reason", None, "Moved away")
    page = client.get(f"/contactcenter/followups/{followup.id}").get_data(as_text=True)
    assert "Moved away" in page and "Follow-up cancelled" in page
    assert f"/contactcenter/followups/{followup.id}/edit" not in page
    again = client.post(f"/contactcenter/followups/{followup.id}/cancel", data={"cancel_reason": "Again"})
    assert again.status_code == 422
    assert client.get(f"/contactcenter/followups/{followup.id}/edit").status_code == 302


def test_permissions_are_those_of_working_a_follow_up(app, admin, readonly, login_as, staff_client):
    followup = scheduled(admin)
    reader = login_as(readonly)
    assert reader.get(f"/contactcenter/followups/{followup.id}").status_code == 200
    assert reader.get(f"/contactcenter/followups/{followup.id}/edit").status_code == 403
    assert reader.post(f"/contactcenter/followups/{followup.id}/edit", data={"channel": "sms"}).status_code == 403
    assert reader.post(f"/contactcenter/followups/{followup.id}/cancel", data={"cancel_reason": "x"}).status_code == 403
    assert fresh(followup.id).status == DUE
    assert staff_client.get("/contactcenter/followups/999999/edit").status_code == 404
    assert staff_client.get("/contactcenter/followups/99999999999999999999").status_code == 404
    assert staff_client.post("/contactcenter/followups/999999/cancel", data={"cancel_reason": "x"}).status_code == 404


def test_edit_and_cancel_in_french(app, make_user, login_as):
    agent = make_user("staff", email="fr-edit@example.org", language="fr", workspace="contact_centre")
    client = login_as(agent)
    followup = scheduled(agent)
    form = client.get(f"/contactcenter/followups/{followup.id}/edit").get_data(as_text=True)
    assert "Modifier le suivi" in form and "Assigné à" in form
    page = client.get(f"/contactcenter/followups/{followup.id}").get_data(as_text=True)
    assert "Annuler le suivi" in page and "Historique" in page
    refused = client.post(f"/contactcenter/followups/{followup.id}/cancel", data={"cancel_reason": ""})
    assert "Dites pourquoi" in refused.get_data(as_text=True)
