"""Linking a document to clients and partners in a browser: from the client's page, with the
type-ahead picker (several records), then one more link from the document's page."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.activities.models import DocumentLink
from tests.browser.test_activities import log_in


def add(app, user, entity_name, values):
    with app.app_context():
        record = records.create(entities().get(entity_name), values, db.session.get(type(user), user.id))
        db.session.commit()
        record_id = record.id
        db.session.remove()
    return record_id


def links(app):
    with app.app_context():
        found = set(db.session.scalars(select(DocumentLink.related)))
        db.session.remove()
    return found


def pick(page, picker_label, typed, option):
    """Type in the tom-select picker labelled ``picker_label`` and choose ``option``."""
    page.get_by_role("combobox", name=picker_label).click()
    expect(page.get_by_role("combobox", name=picker_label)).to_be_focused()
    page.keyboard.type(typed, delay=30)
    page.locator(".ts-dropdown .option", has_text=option).click()
    page.keyboard.press("Escape")


def test_link_a_document_with_the_type_ahead_picker(live_app, live_server, live_user, page, browser_errors,
                                                     tmp_path):
    user = live_user("staff", email="docs@example.org")
    for number in range(25):  # more than one page of suggestions: the search must really ask the server
        add(live_app, user, "client", {"first_name": "Jean", "last_name": f"Tremblay {number}"})
    client_id = add(live_app, user, "client", {"first_name": "Zoé", "last_name": "Kilabuk"})
    partner_id = add(live_app, user, "partner", {"name": "Carrefour jeunesse emploi"})
    contact_id = add(live_app, user, "contact", {"first_name": "Anne", "last_name": "Arnatsiaq"})
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(b"%PDF-1.4\n%%EOF\n")

    log_in(page, live_server, "docs@example.org")
    page.goto(f"{live_server}/clients/{client_id}")
    page.locator("#panel-documents").get_by_role("link", name="Add a document").click()
    expect(page.locator(".ts-control .item", has_text="Zoé Kilabuk")).to_be_visible()
    pick(page, "Linked to (clients, contacts or partners)", "carrefour", "Carrefour jeunesse emploi")
    page.get_by_label("Name").fill("Entente de stage")
    page.get_by_label("File").set_input_files(str(cv))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Entente de stage")).to_be_visible()
    assert links(live_app) == {f"client:{client_id}", f"partner:{partner_id}"}

    pick(page, "Link to clients, contacts or partners", "arnatsiaq", "Anne Arnatsiaq")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.get_by_text("The link is saved.")).to_be_visible()
    assert links(live_app) == {f"client:{client_id}", f"partner:{partner_id}", f"contact:{contact_id}"}
    page.get_by_role("button", name=re.compile("Remove the link to .*Carrefour")).click()
    expect(page.get_by_text("The link is removed.")).to_be_visible()
    assert links(live_app) == {f"client:{client_id}", f"contact:{contact_id}"}
    assert browser_errors == []
