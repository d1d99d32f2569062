"""Closing a contact: the organisation's checklist refuses what is missing and shows each item's
status; a supervisor, or an agent with a supervisor's approval, forces the closing of an
incomplete contact; a closed contact is read-only in the screen and through the API."""

import re

import pytest
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.notifications import Notification
from kernel.registry import entities
from plugins.contactcenter import workflow
from plugins.contactcenter.models import ChecklistSettings, Contact, Need, Survey, SurveyQuestion
from tests.conftest import TEST_PASSWORD
from tests.contactcenter.helpers import form_actions, fresh, make_contact, make_profile, make_term


@pytest.fixture
def term(app):
    return make_term("BH-1800.8500", "Emergency shelter")


def ready_contact(user, term, **profile_fields):
    """A contact whose usual checklist is complete."""
    contact = make_contact(user, profile=make_profile(user, **profile_fields))
    workflow.add_need(contact, term.id, user)
    records.update(entities().get("helpline_contact"), contact,
                   {"requester_served": "yes", "service_delivery": "referral"}, user)
    db.session.commit()
    return contact


def close(client, contact):
    return client.post(f"/contactcenter/contacts/{contact.id}/close", data={"version": fresh(Contact, contact.id).version})


def checklist_states(page: str) -> dict:
    return {key: state for state, key in re.findall(r'class="check check-(\w+)" data-check="(\w+)"', page)}


def test_an_empty_contact_is_refused_with_every_missing_item(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff))
    response = close(staff_client, contact)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "cannot be closed yet" in page
    assert checklist_states(page) == {"needs": "missing", "primary_need": "missing", "requester_served": "missing",
                                      "service_delivery": "missing"}
    assert fresh(Contact, contact.id).status == "open"


def test_a_need_without_a_primary_one_needs_attention(app, staff, staff_client, term):
    contact = ready_contact(staff, term)
    need = db.session.scalar(select(Need))
    need.is_primary = False
    db.session.commit()
    page = close(staff_client, contact).get_data(as_text=True)
    assert checklist_states(page)["primary_need"] == "attention"
    assert fresh(Contact, contact.id).status == "open"


def test_required_tags_demographics_and_survey_are_checked_when_the_organisation_asks(app, staff, staff_client,
                                                                                    term):
    db.session.add(ChecklistSettings(require_tags=True, required_demographics=["postal_code", "email"]))
    survey = Survey(name="Intake", required_to_close=True)
    db.session.add(survey)
    db.session.flush()
    question = SurveyQuestion(survey_id=survey.id, label="Household size", kind="integer", required=True)
    db.session.add(question)
    db.session.commit()
    survey_id, question_id = survey.id, question.id
    contact = ready_contact(staff, term, postal_code="X0A 0H0")
    page = close(staff_client, contact).get_data(as_text=True)
    states = checklist_states(page)
    assert (states["tags"], states["demographics"], states[f"survey_{survey_id}"]) == ("missing", "missing",
                                                                                       "missing")
    assert "Required demographics</a>" in page and "E-mail" in page[page.index('data-check="demographics"'):][:400]
    # the agent completes what is missing
    bad = staff_client.post(f"/contactcenter/contacts/{contact.id}/surveys/{survey_id}", data={f"q{question_id}": "many"})
    assert bad.status_code == 422 and "Give a whole number" in bad.get_data(as_text=True)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/surveys/{survey_id}", data={f"q{question_id}": "4"})
    saved = fresh(Contact, contact.id)
    profile_entity = entities().get("caller_profile")
    records.update(profile_entity, db.session.get(profile_entity.model, saved.profile_id),
                   {"email": "emile@example.org"}, staff)
    records.update(entities().get("helpline_contact"), saved, {"tags": "follow_up"}, staff)
    db.session.commit()
    response = close(staff_client, contact)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert fresh(Contact, contact.id).status == "closed"


def test_a_complete_contact_closes_and_the_agent_returns_to_the_dashboard(app, staff, staff_client, term):
    contact = ready_contact(staff, term)
    response = close(staff_client, contact)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    saved = fresh(Contact, contact.id)
    assert saved.status == "closed" and saved.ended_at is not None
    assert "Contact closed." in staff_client.get("/").get_data(as_text=True)


def test_the_status_is_never_changed_by_editing_the_contact(app, staff, admin, token_for):
    contact = make_contact(staff, profile=make_profile(staff))
    api = app.test_client()
    response = api.patch(f"/api/v1/helpline-contacts/{contact.id}", json={"status": "closed"},
                         headers=token_for(admin))
    assert response.status_code == 422 and "Close the contact" in str(response.get_json())
    assert fresh(Contact, contact.id).status == "open"


def test_a_closed_contact_is_read_only_in_the_screen_and_the_api(app, staff, admin, staff_client, token_for, term):
    contact = ready_contact(staff, term)
    term_id = term.id
    close(staff_client, contact)
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert "can be consulted but not changed" in page
    assert [action for action in form_actions(page) if "/contactcenter/" in action] == []
    assert "<fieldset disabled>" in page
    for path, data in ((f"/contactcenter/contacts/{contact.id}/notes", {"notes": "late"}),
                       (f"/contactcenter/contacts/{contact.id}/details", {"requester_served": "no"}),
                       (f"/contactcenter/contacts/{contact.id}/needs", {"term_id": term_id}),
                       (f"/contactcenter/contacts/{contact.id}/close", {})):
        assert staff_client.post(path, data=data).status_code == 409, path
    api, headers = app.test_client(), token_for(admin)
    assert api.patch(f"/api/v1/helpline-contacts/{contact.id}", json={"notes": "late"},
                     headers=headers).status_code == 409
    need = db.session.scalar(select(Need))
    assert api.delete(f"/api/v1/service-needs/{need.id}", headers=headers).status_code == 409
    created = api.post("/api/v1/service-needs", json={"contact_id": contact.id, "term_id": term_id},
                       headers=headers)
    assert created.status_code == 422 and "closed" in str(created.get_json())
    saved = fresh(Contact, contact.id)
    assert saved.notes is None and saved.requester_served == "yes"


def force(client, contact, **data):
    return client.post(f"/contactcenter/contacts/{contact.id}/force-close",
                       data={"version": fresh(Contact, contact.id).version, **data})


def test_an_agent_cannot_force_close_alone(app, staff, staff_client, make_user):
    make_user("staff", email="other@example.org")
    contact = make_contact(staff, profile=make_profile(staff))
    page = close(staff_client, contact).get_data(as_text=True)
    assert "Force close" in page and "Supervisor's e-mail address" in page
    response = force(staff_client, contact, reason="Caller hung up")
    assert response.status_code == 422 and "A supervisor must approve" in response.get_data(as_text=True)
    wrong = force(staff_client, contact, reason="Caller hung up", approver_email="other@example.org",
                  approver_password=TEST_PASSWORD)  # a colleague, not a supervisor
    assert wrong.status_code == 422
    assert fresh(Contact, contact.id).status == "open"


def test_an_agent_force_closes_with_a_supervisors_approval(app, staff, staff_client, make_user):
    supervisor_id = make_user("supervisor", email="sam@example.org").id
    contact = make_contact(staff, profile=make_profile(staff))
    bad_password = force(staff_client, contact, reason="Caller hung up", approver_email="sam@example.org",
                         approver_password="guess")
    assert bad_password.status_code == 422
    response = force(staff_client, contact, reason="Caller hung up", approver_email="sam@example.org",
                     approver_password=TEST_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    saved = fresh(Contact, contact.id)
    assert (saved.status, saved.incomplete_reason, saved.approved_by_id) == ("incomplete", "Caller hung up",
                                                                             supervisor_id)
    [notice] = db.session.scalars(select(Notification).where(Notification.user_id == supervisor_id)).all()
    assert "Patrick Staff closed contact" in notice.text and "with your approval: Caller hung up" in notice.text


def test_a_supervisor_force_closes_with_a_reason_and_may_reopen(app, staff, make_user, login_as):
    supervisor = make_user("supervisor", email="sam@example.org")
    contact = make_contact(staff, profile=make_profile(staff))
    client = login_as(supervisor)
    assert force(client, contact, reason="").status_code == 422
    assert force(client, contact, reason="Prank call").status_code == 302
    saved = fresh(Contact, contact.id)
    assert (saved.status, saved.incomplete_reason, saved.approved_by_id) == ("incomplete", "Prank call", None)
    page = client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert "Closed incomplete" in page and "Prank call" in page
    client.post(f"/helpline-contacts/{contact.id}/reopen", data={"version": saved.version})
    assert fresh(Contact, contact.id).status == "open"


def test_an_organisations_own_demographic_is_asked_on_the_screen_and_may_be_required_to_close(
        app, staff, staff_client, admin_client, make_user, login_as, term):
    added = admin_client.post("/admin/fields/caller_profile/new", data={
        "active": "1", "key": "household_size", "kind": "number", "label_fr": "Taille du ménage",
        "label_en": "Household size"})
    assert added.status_code == 302, added.get_data(as_text=True)[:500]
    supervisor = login_as(make_user("supervisor", email="sam@example.org"))
    settings_page = supervisor.get("/admin/contactcenter/checklist").get_data(as_text=True)
    assert "Household size" in settings_page
    supervisor.post("/admin/contactcenter/checklist", data={"demographics": ["household_size"]})
    contact = ready_contact(staff, term)
    screen = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert 'name="household_size"' in screen
    refused = close(staff_client, contact).get_data(as_text=True)
    assert checklist_states(refused)["demographics"] == "missing"
    saved = fresh(Contact, contact.id)
    profile = db.session.get(entities().get("caller_profile").model, saved.profile_id)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/details", data={
        "version": saved.version, "profile_version": profile.version, "channel": "phone", "requester_served": "yes",
        "service_delivery": "referral", "name": profile.name, "phone": profile.phone, "household_size": "4"})
    assert close(staff_client, contact).status_code == 302
    assert fresh(Contact, contact.id).status == "closed"
