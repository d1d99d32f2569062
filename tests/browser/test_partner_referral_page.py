"""The partner's page of a warm referral (issue 20) in a browser, without an account, at phone width:
the organisation reads the referral in the link's language, switches language, accepts it, reports
its outcome and updates its programme's capacity; in French and in English, with no axe violation
and nothing wider than the phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kernel import secure_links
from kernel.db import db, utcnow
from plugins.contactcenter.models import Contact, Profile, Referral
from plugins.contactcenter.warm_referrals.models import WarmReferral
from plugins.directory.models import Agency, Resource
from tests.browser.helpers import PHONE, axe_violations, fits_the_phone, page_with_axe

WORDS = {
    "en": {"title": "Referral to Night shelter", "accept": "Accept the referral", "accepted": "Accepted",
           "helped": "Helped", "report": "Report the outcome", "reported": "Outcome reported",
           "spots": "Open spots", "no": "No", "update": "Update the capacity", "full": "Not accepting new referrals",
           "other": "Français", "other_title": "Orientation vers Refuge de nuit"},
    "fr": {"title": "Orientation vers Refuge de nuit", "accept": "Accepter l’orientation", "accepted": "Accepté",
           "helped": "Aidée", "report": "Indiquer le résultat", "reported": "Résultat indiqué",
           "spots": "Places libres", "no": "Non", "update": "Mettre à jour la capacité",
           "full": "N’accepte pas de nouvelles orientations", "other": "English",
           "other_title": "Referral to Night shelter"},
}


def warm_referral_link(language: str) -> str:
    """A referral of Émile to the Night shelter, sent as a warm referral: the path of its link."""
    agency = Agency(name="Community Help Network", email="intake@help.example.org")
    db.session.add(agency)
    db.session.flush()
    resource = Resource(name="Night shelter", name_fr="Refuge de nuit", organization_id=agency.id)
    profile = Profile(name="Émile Noël", phone="(867) 979-1234")
    db.session.add_all([resource, profile])
    db.session.flush()
    contact = Contact(channel="phone", started_at=utcnow() - timedelta(minutes=10), status="open", profile_id=profile.id)
    db.session.add(contact)
    db.session.flush()
    referral = Referral(contact_id=contact.id, resource_id=resource.id, profile_id=profile.id)
    db.session.add(referral)
    db.session.flush()
    token = secure_links.issue("warm_referral", entity="referral", record_id=referral.id, days=30, language=language,
                               email=agency.email)
    db.session.flush()
    link = secure_links.links_for("referral", referral.id)[0]
    db.session.add(WarmReferral(referral_id=referral.id, contact_id=contact.id, agency_id=agency.id, email=agency.email,
                                language=language, note="Needs a bed tonight", status="sent", sent_at=utcnow(),
                                link_id=link.id))
    db.session.commit()
    return f"/contactcenter/warm/{token}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_partner_answers_a_warm_referral_on_a_phone(browser, live_app, live_server, language):
    words = WORDS[language]
    with live_app.app_context():
        path = warm_referral_link(language)
        db.session.remove()
    context, page, errors = page_with_axe(browser, PHONE, "en-CA" if language == "fr" else "fr-CA")
    try:
        page.goto(f"{live_server}{path}")  # the browser prefers the other language: the link's wins
        expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_role("button", name=words["accept"]).click()
        expect(page.locator("#warm-status")).to_contain_text(words["accepted"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_label(words["helped"], exact=True).check()
        page.get_by_role("button", name=words["report"]).click()
        expect(page.locator("#warm-status")).to_contain_text(words["reported"])
        page.get_by_label(words["spots"]).fill("0")
        page.locator(".capacity-form").get_by_label(words["no"], exact=True).check()
        page.get_by_role("button", name=words["update"]).click()
        expect(page.locator(".capacity-form .capacity")).to_contain_text(words["full"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_role("link", name=words["other"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words["other_title"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        assert errors == []
    finally:
        context.close()
