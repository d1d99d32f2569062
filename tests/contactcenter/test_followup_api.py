"""The follow-ups through the REST API (issue 20): list with filters (status, assignee, due
before/after, contact) a page at a time, read, schedule (the caller's consent required), change
and cancel; validated input answers a translated 4xx, never a 500; every answer fits the OpenAPI
document, which describes the routes."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kernel.db import db, utcnow
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import CANCELLED, FollowUp, FollowUpChange
from tests.contactcenter.followup_helpers import consenting_contact, withdraw_consent
from tests.contactcenter.helpers import make_contact, make_profile
from tests.kernel.test_openapi_complete import assert_fits, document

BASE = "/api/v1/contactcenter/followups"
ITEM = BASE + "/{followup_id}"


@pytest.fixture
def spec(app):
    return document(app)


@pytest.fixture
def api(app, staff, token_for):
    headers = token_for(staff)
    client = app.test_client()

    def call(method, url, **kwargs):
        return client.open(url, method=method, headers=headers, **kwargs)

    return call


def scheduled(user, days=1, **fields):
    followup = service.schedule(consenting_contact(user), user, due_at=utcnow() + timedelta(days=days),
                                channel="phone", reason="Did it help?", **fields)
    db.session.commit()
    return followup


def test_the_routes_are_in_the_openapi_document(spec):
    paths = spec["paths"]
    assert set(paths[BASE]) >= {"get", "post"} and set(paths[ITEM]) >= {"get", "patch"}
    assert "post" in paths[ITEM + "/cancel"]
    names = {parameter["name"] for parameter in paths[BASE]["get"]["parameters"]}
    assert names >= {"status", "assignee", "due_before", "due_after", "contact", "limit", "offset"}
    assert "422" in paths[BASE]["post"]["responses"] and "404" in paths[ITEM]["get"]["responses"]


def test_list_filters_and_pages(app, staff, admin, api, spec):
    soon, later = scheduled(staff, days=1), scheduled(staff, days=10)
    theirs = scheduled(admin, days=2)
    cancelled = scheduled(staff, days=3)
    service.cancel(cancelled, staff, "Moved")
    db.session.commit()

    def ids(query=""):
        answer = api("GET", f"{BASE}{query}")
        assert answer.status_code == 200
        return [item["id"] for item in assert_fits(spec, BASE, "GET", answer)["items"]]

    assert ids() == [soon.id, theirs.id, cancelled.id, later.id]
    assert ids("?status=due") == [soon.id, theirs.id, later.id]
    assert ids("?status=cancelled") == [cancelled.id]
    assert ids(f"?assignee={admin.id}") == [theirs.id]
    assert ids(f"?contact={later.contact_id}") == [later.id]
    before = (utcnow() + timedelta(days=5)).isoformat(timespec="seconds")
    assert ids(f"?due_before={before}&status=due") == [soon.id, theirs.id]
    assert ids(f"?due_after={before}Z") == [later.id]
    assert ids(f"?due_after={before}%2B02:00") == [later.id]  # an offset is taken into account
    page = api("GET", f"{BASE}?limit=2&offset=1").get_json()
    assert [item["id"] for item in page["items"]] == [theirs.id, cancelled.id] and page["total"] == 4


@pytest.mark.parametrize("query", ["status=nonsense", "assignee=abc", "assignee=99999999999999", "due_before=soon",
                                   "contact=-1", "limit=0", "limit=100000", "offset=-3"])
def test_bad_filters_answer_422_with_the_field(app, api, spec, query):
    answer = api("GET", f"{BASE}?{query}")
    assert answer.status_code == 422
    assert query.split("=")[0] in assert_fits(spec, BASE, "GET", answer)["errors"]


def test_read_one(app, staff, api, spec):
    followup = scheduled(staff)
    answer = api("GET", f"{BASE}/{followup.id}")
    body = assert_fits(spec, ITEM, "GET", answer)
    assert (body["id"], body["status"], body["consent"], body["assignee_id"]) == (followup.id, "due", "given", staff.id)
    assert body["due_at"].endswith("Z") and body["url"].endswith(f"/contactcenter/followups/{followup.id}")
    assert api("GET", f"{BASE}/999999").status_code == 404
    assert api("GET", f"{BASE}/99999999999999999999").status_code == 404


def test_create_with_the_callers_consent(app, staff, admin, api, spec):
    contact = consenting_contact(staff)
    answer = api("POST", BASE, json={"contact_id": contact.id, "due_at": "2026-03-10T15:00:00-04:00",
                                     "channel": "sms", "reason": "Housing?", "assignee_id": admin.id})
    assert answer.status_code == 201
    body = assert_fits(spec, BASE, "POST", answer)
    followup = db.session.get(FollowUp, body["id"])
    assert (followup.channel, followup.assignee_id, followup.due_at.hour) == ("sms", admin.id, 19)
    assert followup.created_by_id == staff.id and body["due_at"] == "2026-03-10T19:00:00Z"


def count() -> int:
    return db.session.scalar(select(func.count(FollowUp.id)))


def test_create_is_refused_without_consent_or_profile_and_saves_nothing(app, staff, api, spec):
    body = {"due_at": "2026-03-10T15:00:00", "channel": "phone", "consent_to_contact": True}
    for contact in (make_contact(staff), make_contact(staff, profile=make_profile(staff))):
        answer = api("POST", BASE, json={**body, "contact_id": contact.id})
        assert answer.status_code == 422 and "consent" in assert_fits(spec, BASE, "POST", answer)["errors"]
    assert count() == 0


@pytest.mark.parametrize("body", [
    None, [], {"due_at": "2026-03-10T15:00:00", "channel": "phone"},
    {"contact_id": "abc", "due_at": "2026-03-10T15:00:00", "channel": "phone"},
    {"contact_id": 1, "due_at": "tomorrow", "channel": "phone"},
    {"contact_id": 1, "due_at": "2026-03-10T15:00:00", "channel": "pigeon"},
    {"contact_id": 1, "due_at": "2026-03-10T15:00:00", "channel": "phone", "assignee_id": 424242},
    {"contact_id": 1, "due_at": "2026-03-10T15:00:00", "channel": "phone", "reason": "x" * 2001},
    {"contact_id": 1, "due_at": "3026-03-10T15:00:00", "channel": "phone"},
    {"contact_id": 1, "due_at": "2026-03-10T15:00:00", "channel": "phone", "consent_to_contact": "maybe"},
])
def test_bad_bodies_answer_422(app, staff, api, spec, body):
    contact = consenting_contact(staff)
    if isinstance(body, dict) and body.get("contact_id") == 1:
        body = {**body, "contact_id": contact.id}
    answer = api("POST", BASE, json=body)
    assert answer.status_code == 422 and assert_fits(spec, BASE, "POST", answer)["error"]
    assert count() == 0


def test_create_for_an_unknown_contact_is_404(app, api):
    answer = api("POST", BASE, json={"contact_id": 999999, "due_at": "2026-03-10T15:00:00", "channel": "phone"})
    assert answer.status_code == 404


def test_update_changes_what_is_given_and_writes_the_history(app, staff, admin, api, spec):
    followup = scheduled(staff)
    answer = api("PATCH", f"{BASE}/{followup.id}", json={"channel": "email", "assignee_id": admin.id})
    body = assert_fits(spec, ITEM, "PATCH", answer)
    assert (body["channel"], body["assignee_id"], body["reason"]) == ("email", admin.id, "Did it help?")
    fields = set(db.session.scalars(select(FollowUpChange.field).where(FollowUpChange.action == "edited")))
    assert fields == {"channel", "assignee_id"}
    for bad in ({"channel": "pigeon"}, {"due_at": "soon"}, {"assignee_id": None}, ["x"]):
        refused = api("PATCH", f"{BASE}/{followup.id}", json=bad)
        assert refused.status_code == 422 and assert_fits(spec, ITEM, "PATCH", refused)
    assert api("PATCH", f"{BASE}/999999", json={"channel": "sms"}).status_code == 404


def test_cancel_with_a_reason_and_not_twice(app, staff, api, spec):
    followup = scheduled(staff)
    assert api("POST", f"{BASE}/{followup.id}/cancel", json={}).status_code == 422
    assert api("POST", f"{BASE}/{followup.id}/cancel", json={"reason": "   "}).status_code == 422
    answer = api("POST", f"{BASE}/{followup.id}/cancel", json={"reason": "Moved away"})
    body = assert_fits(spec, ITEM + "/cancel", "POST", answer)
    assert (body["status"], body["cancel_reason"]) == (CANCELLED, "Moved away") and body["closed_at"]
    again = api("POST", f"{BASE}/{followup.id}/cancel", json={"reason": "Again"})
    assert again.status_code == 422 and "status" in again.get_json()["errors"]
    assert api("PATCH", f"{BASE}/{followup.id}", json={"channel": "sms"}).status_code == 422
    assert api("POST", f"{BASE}/999999/cancel", json={"reason": "x"}).status_code == 404


def test_a_withdrawn_consent_shows_in_the_answer(app, staff, api):
    followup = scheduled(staff)
    withdraw_consent(_profile_of(followup), staff)
    assert api("GET", f"{BASE}/{followup.id}").get_json()["consent"] == "missing"


def _profile_of(followup) -> int:
    from plugins.contactcenter.models import Contact

    return db.session.get(Contact, followup.contact_id).profile_id


def test_tokens_and_permissions(app, staff, readonly, token_for):
    followup = scheduled(staff)
    client = app.test_client()
    assert client.get(BASE).status_code == 401
    reader = token_for(readonly)
    assert client.get(BASE, headers=reader).status_code == 200
    assert client.get(f"{BASE}/{followup.id}", headers=reader).status_code == 200
    assert client.patch(f"{BASE}/{followup.id}", headers=reader, json={"channel": "sms"}).status_code == 403
    assert client.post(f"{BASE}/{followup.id}/cancel", headers=reader, json={"reason": "x"}).status_code == 403
    assert client.post(BASE, headers=reader, json={}).status_code == 403


def test_errors_in_french(app, make_user, token_for):
    agent = make_user("staff", email="fr-api@example.org", language="fr")
    answer = app.test_client().get(f"{BASE}?status=nonsense", headers=token_for(agent))
    assert answer.status_code == 422 and "Choisissez" in answer.get_json()["errors"]["status"][0]
