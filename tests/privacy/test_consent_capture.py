"""Consent captured in the flows of the guides: the registration kiosk asks the visitor (in their
language) and records the answers on the new or recognised client; the helpline's new profile
asks the caller; the contact screen shows the caller's consents and takes a verbal one in two
clicks. The example module's volunteers are people with consents, and declare a purpose."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.outbox import queue_email
from kernel.testing import migrated_plugins
from plugins.clients.models import Client
from plugins.privacy.consent.models import Consent
from tests.contactcenter.helpers import make_contact, make_profile

VISITOR = {"first_name": "Aputi", "last_name": "Akavak", "phone": "867-979-5555", "email": "aputi@example.org",
           "postal_code": "X0A 0H0", "preferred_language": "iu", "reason": "job_search", "details": ""}


def decisions(entity_name=None) -> list[tuple]:
    db.session.expire_all()
    statement = select(Consent).order_by(Consent.id)
    if entity_name:
        statement = statement.where(Consent.entity == entity_name)
    return [(row.entity, row.record_id, row.purpose, row.given, row.channel) for row in db.session.scalars(statement)]


def test_the_kiosk_asks_the_visitor_in_french_and_records_the_answers_on_the_client(staff, login_as):
    kiosk = login_as(staff)
    assert kiosk.post("/sae/registration/start").status_code == 302
    kiosk.get("/sae/registration/language/fr")
    form = kiosk.get("/sae/registration").get_data(as_text=True)
    assert "Consentement" in form and "Recherche et statistiques pour les bailleurs de fonds" in form
    answers = {**VISITOR, "privacy_consent_asked": "1", "privacy_consent_channel": "kiosk",
               "privacy_consent": ["service_delivery", "statistics", "not_a_purpose"]}
    assert kiosk.post("/sae/registration", data=answers).status_code == 302
    client = db.session.scalar(select(Client))
    assert decisions() == [("client", client.id, "service_delivery", True, "kiosk"),
                           ("client", client.id, "statistics", True, "kiosk")]
    # the same visitor recognised on a second visit: the answers go to the same client
    again = {**answers, "privacy_consent": ["newsletters"], "reason": "cv"}
    assert kiosk.post("/sae/registration", data=again).status_code == 302
    assert decisions()[-1] == ("client", client.id, "newsletters", True, "kiosk")


def test_a_visitor_who_ticks_nothing_consents_to_nothing(staff, login_as):
    kiosk = login_as(staff)
    kiosk.post("/sae/registration/start")
    kiosk.post("/sae/registration", data={**VISITOR, "privacy_consent_asked": "1", "privacy_consent_channel": "kiosk"})
    assert decisions() == []


def test_the_helpline_s_new_profile_asks_the_caller(staff, staff_client):
    contact = make_contact(staff)
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert 'name="privacy_consent" value="sms_referrals"' in page
    staff_client.post(f"/contactcenter/contacts/{contact.id}/profile/new", data={
        "name": "Émile Noël", "phone": "867-979-1234", "confirm_duplicates": "1", "privacy_consent_asked": "1",
        "privacy_consent_channel": "verbal", "privacy_consent": ["sms_referrals", "follow_up_calls"]})
    assert [row[2:] for row in decisions("caller_profile")] == [("sms_referrals", True, "verbal"),
                                                              ("follow_up_calls", True, "verbal")]


def test_the_contact_screen_shows_the_caller_s_consents_and_takes_a_verbal_one(staff, staff_client):
    profile = make_profile(staff, consent=False)
    contact = make_contact(staff, profile=profile)
    screen = f"/contactcenter/contacts/{contact.id}?tab=details"
    page = staff_client.get(screen).get_data(as_text=True)
    assert 'data-purpose="sms_referrals" data-consent="missing"' in page
    assert "Record a verbal consent given on this call" in page
    response = staff_client.post(f"/privacy/consents/caller-profiles/{profile.id}", data={
        "purpose": "sms_referrals", "given": "1", "channel": "verbal",
        "next": f"/contactcenter/contacts/{contact.id}?tab=referrals"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{contact.id}?tab=referrals")
    assert decisions("caller_profile") == [("caller_profile", profile.id, "sms_referrals", True, "verbal")]
    assert 'data-purpose="sms_referrals" data-consent="given"' in staff_client.get(screen).get_data(as_text=True)


def test_a_next_address_elsewhere_is_not_followed(staff, staff_client):
    profile = make_profile(staff, consent=False)
    response = staff_client.post(f"/privacy/consents/caller-profiles/{profile.id}", data={
        "purpose": "sms_referrals", "given": "1", "channel": "verbal", "next": "https://evil.example.org/"})
    assert "evil" not in response.headers["Location"]


@pytest.fixture(scope="module")
def volunteers_tables(settings, migrated):
    with migrated_plugins(settings, ("clients", "volunteers")):
        yield


@pytest.mark.plugins("clients", "volunteers", "privacy")
def test_the_example_module_s_volunteers_have_consents_and_a_purpose_of_their_own(volunteers_tables, app, staff,
                                                                                 staff_client):
    from kernel.toolkit import CONSENT_PURPOSES, MessageRefused, entities, records

    assert "volunteer_matching" in CONSENT_PURPOSES.values()
    volunteer = records.create(entities().get("volunteer"), {"name": "Amina Diallo", "email": "amina@example.org"},
                               staff)
    db.session.commit()
    page = staff_client.get(f"/volunteers/{volunteer.id}").get_data(as_text=True)
    assert "Consents" in page and "Being matched with a volunteer" in page
    with pytest.raises(MessageRefused):
        queue_email("amina@example.org", "News", "Our news", person=f"volunteer:{volunteer.id}", purpose="newsletters")
    staff_client.post(f"/privacy/consents/volunteers/{volunteer.id}",
                      data={"purpose": "newsletters", "given": "1", "channel": "form"})
    queue_email("amina@example.org", "News", "Our news", person=f"volunteer:{volunteer.id}", purpose="newsletters")
    db.session.rollback()


def test_the_kiosk_asks_in_english_too(staff, login_as):
    kiosk = login_as(staff)
    kiosk.post("/sae/registration/start")
    kiosk.get("/sae/registration/language/en")
    form = kiosk.get("/sae/registration").get_data(as_text=True)
    assert "Consent" in form and "Research and funder statistics" in form and "Consentement" not in form


def test_the_contact_screen_asks_for_consent_in_french(make_user, login_as):
    agent = make_user("staff", language="fr")
    profile = make_profile(agent, consent=False)
    contact = make_contact(agent, profile=profile)
    page = login_as(agent).get(f"/contactcenter/contacts/{contact.id}?tab=details").get_data(as_text=True)
    assert "Enregistrer un consentement verbal donné pendant cet appel" in page
    assert "Orientations par SMS" in page
    new_profile = login_as(agent).get(f"/contactcenter/contacts/{make_contact(agent).id}").get_data(as_text=True)
    assert 'name="privacy_consent" value="sms_referrals"' in new_profile and "Consentement" in new_profile
