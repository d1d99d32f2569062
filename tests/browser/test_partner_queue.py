"""A partner organisation's account (issue 20) in a browser at phone width: signed in, it lands on
"Referrals to my organisation", opens the referral and accepts it; in French and in English, with
no axe violation and nothing wider than the phone."""

import re

import pytest
from playwright.sync_api import expect

from kernel.db import db, utcnow
from kernel.testing import TEST_PASSWORD
from plugins.contactcenter.warm_referrals.models import PartnerAccount
from tests.browser.helpers import PHONE, axe_violations, fits_the_phone, page_with_axe
from tests.browser.test_partner_referral_page import warm_referral_link

WORDS = {
    "en": {"queue": "Referrals to my organisation", "title": "Referral to Night shelter",
           "accept": "Accept the referral", "accepted": "Accepted"},
    "fr": {"queue": "Orientations vers mon organisme", "title": "Orientation vers Refuge de nuit",
           "accept": "Accepter l’orientation", "accepted": "Accepté"},
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_partner_account_answers_its_queue_on_a_phone(browser, live_app, live_server, live_user, language):
    words = WORDS[language]
    user = live_user("partner", email=f"intake-{language}@help.example.org", language=language)
    with live_app.app_context():
        warm_referral_link(language)
        from sqlalchemy import select

        from plugins.directory.models import Agency

        agency_id = db.session.scalar(select(Agency.id))
        db.session.add(PartnerAccount(user_id=user.id, agency_id=agency_id, created_at=utcnow()))
        db.session.commit()
        db.session.remove()
    context, page, errors = page_with_axe(browser, PHONE)
    try:
        page.goto(f"{live_server}/login")
        page.locator("#email").fill(user.email)
        page.locator("#password").fill(TEST_PASSWORD)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/contactcenter/partner/referrals"))
        expect(page.get_by_role("heading", level=1)).to_have_text(words["queue"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.locator(".warm-row a").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_role("button", name=words["accept"]).click()
        expect(page.locator("#warm-status")).to_contain_text(words["accepted"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        assert page.goto(f"{live_server}/clients").status == 403
        assert errors == []
    finally:
        context.close()
