"""A French user sees a French interface: on the dashboard, every module of the sidebar, a record,
the calendar, the contact-centre contact screen and the resource search, the visible text holds no
common English word of an interface, and no time is shown with its seconds ("14:05:30")."""

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from kernel import records
from kernel.db import db
from kernel.registry import entities
from tests.conftest import TEST_PASSWORD
from tests.kernel.test_french_typography import ENGLISH_WORDS, words_of

TIMEOUT = 20_000
SECONDS = re.compile(r"\b\d{1,2}:\d\d:\d\d\b")
IDENTIFIER = re.compile(r"\w*_\w*")  # partner_type, a field's or a list's name: not prose
# Pages that show data in both languages by design.
BILINGUAL_DATA = ("/admin/directory/synonyms",)  # synonyms find "logement" when "housing" is typed


def seed(app, user) -> tuple[int, int]:
    """A client, a call of tomorrow at 14:05:30 and a contact-centre contact; returns the ids of the
    client and the contact."""
    from tests.contactcenter.helpers import make_contact, make_profile

    with app.app_context():
        client = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": "Tremblay",
                                                           "city": "Montréal"}, None)
        start = (datetime.now() + timedelta(days=1)).replace(hour=14, minute=5, second=30, microsecond=0)
        records.create(entities().get("call"), {"subject": "Rappeler Zoé", "start": start.isoformat(),
                                                "duration_hours": 0, "duration_minutes": 30,
                                                "related_to": f"client:{client.id}"}, None)
        db.session.commit()
        client_id = client.id
        contact_id = make_contact(user, profile=make_profile(user)).id
        db.session.remove()
    return client_id, contact_id


def log_in_in_french(page, live_server, email):
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible(timeout=TIMEOUT)


def english_on(page) -> list[str]:
    """What is English, or a time with seconds, in the visible text of the page."""
    page.wait_for_load_state("networkidle")
    # <code> shows an identifier to type as it is (a retention rule names records "call"): not prose
    page.evaluate("document.querySelectorAll('code').forEach(code => { code.style.display = 'none'; })")
    text = page.locator("body").inner_text()
    lines = [] if page.url.endswith(BILINGUAL_DATA) else [IDENTIFIER.sub(" ", line) for line in text.splitlines()]
    found = [f"{page.url}: English word(s) {sorted(words_of(line) & ENGLISH_WORDS)} in {line.strip()!r}"
             for line in lines if words_of(line) & ENGLISH_WORDS]
    found += [f"{page.url}: time with seconds {match!r}" for match in SECONDS.findall(text)]
    return found


def test_a_french_user_sees_no_english_and_no_seconds(live_app, live_server, live_user, page):
    administrator = live_user("administrator", email="francais@example.org", language="fr")
    client_id, contact_id = seed(live_app, administrator)
    log_in_in_french(page, live_server, "francais@example.org")
    found = english_on(page)

    modules = page.locator("#sidebar a[href]").evaluate_all("links => links.map(link => link.href)")
    assert len(modules) > 5, modules
    pages = [*dict.fromkeys(modules), f"{live_server}/clients/{client_id}", f"{live_server}/activities/calendar",
             f"{live_server}/contactcenter/contacts/{contact_id}", f"{live_server}/resources/search"]
    for address in pages:
        page.goto(address)
        found += english_on(page)

    page.goto(f"{live_server}/calls/")
    expect(page.get_by_role("cell", name=re.compile("14:05"))).to_be_visible()  # the call's time, to the minute
    found += english_on(page)
    assert not found, "\n".join(found)
