"""The contact screen's four tabs: caller details (source, demographics, requester served, service
delivery, needs, tags, notes saved while typing, previous contacts), resources pre-filled with the
caller's postal code with "Refer" on each result, referrals and programmes."""

import re

from sqlalchemy import select

from kernel.db import db
from plugins.contactcenter.models import Contact, NoteTemplate, Profile, Referral
from tests.contactcenter.helpers import fresh, make_contact, make_line, make_profile
from tests.directory.package import HOUSING_HELP, load_sample, service_id_of


def test_the_screen_has_four_tabs_and_the_callers_details(app, staff, staff_client):
    line = make_line()
    profile = make_profile(staff, postal_code="X0A 0H0")
    contact = make_contact(staff, line=line, profile=profile)
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    for tab in ("Caller details", "Resources", "Referrals", "Programmes"):
        assert re.search(rf'role="tab"[^>]*>[^<]*{tab}', page), tab
    for words in ("Contact source", "Requester served", "Service delivery", "Service needs", "Tags", "Notes",
                  "Previous contacts", "Close the contact", 'aria-keyshortcuts="Alt+1"', "Postal code"):
        assert words in page, words
    assert 'value="X0A 0H0"' in page  # the profile's postal code, and the resource search pre-filled


def test_caller_details_and_demographics_are_saved_through_the_kernel(app, staff, staff_client):
    line, other_line = make_line(), make_line("crisis", "Crisis line", "Ligne de crise")
    profile = make_profile(staff)
    contact = make_contact(staff, line=line, profile=profile)
    response = staff_client.post(f"/contactcenter/contacts/{contact.id}/details", data={
        "version": contact.version, "profile_version": profile.version, "line_id": other_line.id,
        "channel": "phone", "requester_served": "yes", "service_delivery": "referral",
        "tags": ["follow_up", "high_priority", "made_up"], "name": "Émile Noël", "phone": "(867) 979-1234",
        "postal_code": "X0A 0H0", "preferred_language": "fr"})
    assert response.status_code == 302
    saved = fresh(Contact, contact.id)
    assert (saved.line_id, saved.requester_served, saved.service_delivery, saved.tags) == (
        other_line.id, "yes", "referral", "follow_up,high_priority")
    assert fresh(Profile, profile.id).postal_code == "X0A 0H0"
    history = staff_client.get(f"/helpline-contacts/{contact.id}").get_data(as_text=True)
    assert "Requester served" in history and "Open the contact screen" in history


def test_bad_details_are_refused_with_the_reason_and_nothing_is_lost(app, staff, staff_client):
    profile = make_profile(staff)
    contact = make_contact(staff, profile=profile)
    response = staff_client.post(f"/contactcenter/contacts/{contact.id}/details", data={
        "version": contact.version, "profile_version": profile.version, "channel": "phone",
        "requester_served": "yes", "name": "Émile Noël", "email": "nope"})
    assert response.status_code == 422
    assert 'value="nope"' in response.get_data(as_text=True)
    assert fresh(Contact, contact.id).requester_served is None


def test_a_stale_form_is_refused(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff))
    response = staff_client.post(f"/contactcenter/contacts/{contact.id}/details", data={
        "version": contact.version - 1, "channel": "phone", "requester_served": "no"})
    assert response.status_code == 409 and "Someone else changed this contact" in response.get_data(as_text=True)


def test_notes_save_by_themselves_and_give_the_new_version(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff))
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert 'hx-trigger="input changed delay:800ms' in page
    response = staff_client.post(f"/contactcenter/contacts/{contact.id}/notes",
                                 data={"notes": "Looking for a shelter tonight.", "version": contact.version},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Notes saved." in response.get_data(as_text=True)
    saved = fresh(Contact, contact.id)
    assert saved.notes == "Looking for a shelter tonight." and response.headers["X-Contact-Version"] == str(
        saved.version)
    stale = staff_client.post(f"/contactcenter/contacts/{contact.id}/notes", data={"notes": "x", "version": "1"},
                              headers={"HX-Request": "true"})
    assert stale.status_code == 409 and fresh(Contact, contact.id).notes == "Looking for a shelter tonight."


def test_note_templates_are_offered_on_the_notes(app, staff, staff_client):
    db.session.add(NoteTemplate(name="Follow-up call", body="Caller agreed to a follow-up call on: "))
    db.session.commit()
    contact = make_contact(staff, profile=make_profile(staff))
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert "Insert a note template" in page and "Caller agreed to a follow-up call on:" in page


def test_the_callers_previous_contacts_are_listed_newest_first(app, staff, staff_client):
    profile = make_profile(staff)
    earlier = [make_contact(staff, profile=profile) for _ in range(3)]
    for number, contact in enumerate(earlier):
        contact.notes = f"earlier call {number}"
    db.session.commit()
    current = make_contact(staff, profile=profile)
    page = staff_client.get(f"/contactcenter/contacts/{current.id}").get_data(as_text=True)
    history = page[page.index("Previous contacts"):]
    assert '<span class="count">3</span>' in history
    assert history.index("earlier call 2") < history.index("earlier call 0")


def test_refer_on_a_result_card_and_a_resource_page_refers_for_the_active_contact(app, staff, staff_client,
                                                                                 tmp_path):
    load_sample(app, tmp_path)
    contact = make_contact(staff, profile=make_profile(staff))
    results = staff_client.get("/resources/search", query_string={"phone": "5145550404", "contact": contact.id},
                               headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'action="/contactcenter/contacts/{contact.id}/referrals"' in results and "?refer=1" not in results
    staff_client.get(f"/contactcenter/contacts/{contact.id}")  # the contact screen makes it the active contact
    detail = staff_client.get(f"/resources/{service_id_of(HOUSING_HELP)}/full").get_data(as_text=True)
    assert f'action="/contactcenter/contacts/{contact.id}/referrals"' in detail
    response = staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals",
                                 data={"resource_id": service_id_of(HOUSING_HELP)})
    assert response.headers["Location"].endswith("tab=referrals")
    assert db.session.scalar(select(Referral.resource_id)) == service_id_of(HOUSING_HELP)


def test_without_an_active_contact_the_directory_keeps_its_own_refer_link(app, staff, staff_client, tmp_path):
    load_sample(app, tmp_path)
    results = staff_client.get("/resources/search", query_string={"phone": "5145550404"}).get_data(as_text=True)
    assert "?refer=1" in results and "refer-form" not in results


def test_a_read_only_user_sees_the_contact_without_any_form(app, staff, readonly, login_as):
    contact = make_contact(staff, profile=make_profile(staff))
    page = login_as(readonly).get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert "Caller details" in page and "Émile Noël" in page
    assert [action for action in re.findall(r'<form[^>]*action="([^"]+)"', page) if "/contactcenter/" in action] == []
    assert login_as(readonly).post(f"/contactcenter/contacts/{contact.id}/notes", data={"notes": "x"}).status_code == 403


def test_a_repeat_callers_earlier_referrals_and_needs_are_shown(app, staff, staff_client):
    from plugins.contactcenter import workflow
    from tests.contactcenter.helpers import make_resource, make_term

    food = make_term("BD-1800.2000", "Food pantries")
    pantry = make_resource("Community pantry", food)
    profile = make_profile(staff)
    earlier = make_contact(staff, profile=profile)
    workflow.refer(earlier, pantry.id, staff)
    db.session.commit()
    current = make_contact(staff, profile=profile)
    page = staff_client.get(f"/contactcenter/contacts/{current.id}").get_data(as_text=True)
    history = page[page.index("Previous contacts"):]
    assert "Community pantry" in history and "Food pantries" in history


def test_the_same_resource_is_not_referred_twice_in_a_contact(app, staff, staff_client):
    from tests.contactcenter.helpers import make_resource

    pantry = make_resource("Community pantry", None)
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": pantry.id})
    again = staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": pantry.id},
                              follow_redirects=True)
    assert "already among this contact" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Referral)).all()) == 1
