"""The partner picker of the contact form, in a real browser: "Partner name" is a type-ahead (Tom
Select); type part of the name, pick the partner, clear it with ×, pick it again and save; the
contact's page names the partner, and the partner's page lists the contact."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from kernel.db import db
from plugins.partners.models import Partner
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000
PARTNER = "KCR - Kelowna Com"


def log_in(page, live_server, email):
    # The machine running these tests may be heavily loaded: every step (a click that navigates
    # included) gets the generous timeout, not only the expectations.
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible(timeout=TIMEOUT)


def pick_partner(page, picker, typed):
    """Type into the picker and click the partner in its drop-down."""
    picker.locator(".ts-control input").fill(typed)
    option = page.locator(".ts-dropdown .option", has_text=PARTNER)
    expect(option).to_be_visible(timeout=TIMEOUT)
    option.click()
    expect(picker.locator(".ts-control .item")).to_have_text(PARTNER, timeout=TIMEOUT)


def test_pick_a_partner_for_a_new_contact(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="picker@example.org")
    with live_app.app_context():
        db.session.add_all([Partner(name=PARTNER), Partner(name="Vernon Works")])
        db.session.commit()
        partner_id = db.session.scalar(select(Partner.id).where(Partner.name == PARTNER))
        db.session.remove()
    log_in(page, live_server, "picker@example.org")

    page.goto(f"{live_server}/contacts/new")
    expect(page.get_by_role("heading", level=1, name="Create a partner contact")).to_be_visible(timeout=TIMEOUT)
    partner_select = page.locator("select#field-partner_id[data-lookup]")
    expect(partner_select).to_be_attached()
    picker = page.locator("#field-partner_id + .ts-wrapper")
    expect(picker).to_be_visible(timeout=TIMEOUT)

    pick_partner(page, picker, "kelo")
    expect(partner_select).to_have_value(str(partner_id))

    # Clear it with the × of the picker, then pick it again.
    picker.hover()
    picker.get_by_title("Clear", exact=True).click()  # the × of Tom Select's clear_button plugin
    expect(picker.locator(".ts-control")).not_to_contain_text(PARTNER, timeout=TIMEOUT)
    expect(partner_select).to_have_value("")
    page.keyboard.press("Escape")
    pick_partner(page, picker, "kelo")
    expect(partner_select).to_have_value(str(partner_id))

    page.get_by_label("Last name").fill("Lapointe")
    page.get_by_label("First name", exact=True).fill("Marie")
    page.locator(".page-head button.primary[type=submit]").click()
    expect(page.get_by_role("heading", level=1, name="Marie Lapointe")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"/contacts/\d+$"))
    partner_field = page.locator("#field-view-partner_id")
    expect(partner_field.locator(".field-value")).to_contain_text(PARTNER)

    # The partner's page lists the contact.
    partner_link = partner_field.get_by_role("link", name=PARTNER)
    if partner_link.count():
        partner_link.click()
    else:
        page.goto(f"{live_server}/partners/{partner_id}")
    expect(page.get_by_role("heading", level=1, name=PARTNER)).to_be_visible(timeout=TIMEOUT)
    contacts = page.get_by_role("region", name="Partner contacts", exact=True)
    expect(contacts).to_be_visible(timeout=TIMEOUT)
    contact_link = contacts.get_by_role("link", name="Marie Lapointe", exact=True)
    expect(contact_link).to_be_visible(timeout=TIMEOUT)
    contact_link.click()
    expect(page.get_by_role("heading", level=1, name="Marie Lapointe")).to_be_visible(timeout=TIMEOUT)

    assert browser_errors == []
