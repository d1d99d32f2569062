"""A staff member's first steps, in a real browser: log in, switch the interface to French, create a
client, find them again with a quick search typed without accents, then switch to dark and compact."""

import re

from playwright.sync_api import expect

from kernel.db import db
from plugins.clients.models import Client
from tests.conftest import TEST_PASSWORD


def add_clients(app, *names):
    """Other clients, so that the quick search has something to leave out."""
    with app.app_context():
        db.session.add_all(Client(first_name=first, last_name=last) for first, last in names)
        db.session.commit()
        db.session.remove()


def body_background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def open_user_menu(page):
    menu = page.locator("details.user-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return menu


def test_first_steps_of_a_staff_member(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="patrick@example.org", name="Patrick Staff", language="en")
    add_clients(live_app, ("Zoé", "Tremblay"), ("Émile", "Tremblay"), ("Anne", "Noël"))
    html = page.locator("html")

    # Log in through the login page, in English.
    page.goto(f"{live_server}/login")
    expect(page).to_have_title(re.compile(r"^Log in"))
    page.get_by_label("E-mail address").fill("patrick@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("details.user-menu summary")).to_have_text("Patrick Staff")

    # Switch the interface to French through the user menu of the top bar.
    menu = open_user_menu(page)
    expect(menu.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    menu.get_by_role("button", name="Français").click()
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()
    menu = open_user_menu(page)
    expect(menu.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")
    expect(menu.get_by_role("button", name="English")).not_to_have_attribute("aria-pressed", "true")
    menu.locator("summary").click()  # close it again

    # Create a client through the sidebar: the Clients module, then its action.
    page.locator("#sidebar").get_by_role("link", name="Clients", exact=True).click()
    page.locator("#sidebar").get_by_role("link", name="Créer un client").click()
    expect(page.get_by_role("heading", level=1, name="Créer un client")).to_be_visible()
    page.get_by_label("Prénom", exact=True).fill("Émile")
    page.get_by_label("Nom de famille").fill("Noël")
    save = page.locator(".page-head button.primary[type=submit]")
    expect(save, "the Save button of the form is not labelled “Sauvegarder” (a catalogue overriding the kernel's "
                 "translation of “Save”?)").to_have_text("Sauvegarder")
    save.click()
    expect(page.get_by_role("heading", level=1, name="Émile Noël")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/clients/\d+$"))
    expect(page.locator(".flash-success")).to_contain_text("Émile Noël")

    # Find them in the clients list with a quick search typed without accents.
    page.locator("#sidebar").get_by_role("link", name="Clients", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Clients")).to_be_visible()
    rows = page.locator("table.records tbody tr")
    expect(rows).to_have_count(4)
    search = page.get_by_role("searchbox", name="Recherche rapide")
    search.fill("emile noel")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=emile(\+|%20)noel"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Émile")
    expect(rows.first).to_contain_text("Noël")

    # Dark and compact: the attributes change and so do the colours.
    light_background = body_background(page)
    menu = open_user_menu(page)
    menu.locator("button[name=theme][value=dark]").click()
    expect(html).to_have_attribute("data-theme", "dark")
    menu = open_user_menu(page)
    menu.locator("button[name=density][value=compact]").click()
    expect(html).to_have_attribute("data-theme", "dark")
    expect(html).to_have_attribute("data-density", "compact")
    expect(page).to_have_url(re.compile(r"[?&]q=emile(\+|%20)noel"))  # the switch kept the page
    # The attributes can be there before the reloaded page's style sheet applies (a busy machine):
    # wait for the computed style, up to the default timeout, rather than read it once.
    page.wait_for_load_state("load")
    page.wait_for_function("light => getComputedStyle(document.body).backgroundColor !== light", arg=light_background)
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '14px'")
    assert body_background(page) != light_background
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "14px"
    expect(html).to_have_attribute("lang", "fr")

    assert browser_errors == []
