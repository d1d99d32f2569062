"""The office-visit registration form on a tablet at the front desk (800x1280, touch), in French and
in English: a visitor registers, is thanked, the form is empty for the next one, the kiosk keeps
them away from the rest of the application, and the staff member leaves it with their password."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kernel.app import create_app
from kernel.db import db
from plugins.clients.models import Client
from plugins.sae.models import Visit
from tests.browser.conftest import DEFAULT_TIMEOUT_MS
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000
PLUGINS = "clients,partners,activities,sae"
TABLET = {"width": 800, "height": 1280}


@pytest.fixture(scope="session")
def migrated(settings):
    app = create_app({**settings, "PASSERELLE_PLUGINS": PLUGINS})
    with app.app_context():
        from kernel import migrate

        migrate.upgrade()
    return True


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, PASSERELLE_PLUGINS=PLUGINS)


@pytest.fixture
def tablet(browser):
    context = browser.new_context(viewport=TABLET, has_touch=True, is_mobile=True, locale="fr-CA")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message):
        # A form sent back with its errors answers 422 (and a wrong password 401): expected here.
        expected = "status of 422" in message.text or "status of 401" in message.text
        if message.type == "error" and not expected:
            errors.append(message.text)

    page.on("console", on_console)
    page.errors = errors
    yield page
    context.close()


def open_the_form(page, live_server, email):
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/sae/registration")
    page.locator("#email").fill(email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    # opening the page does not start the kiosk: the staff member chooses to
    page.get_by_role("button", name="Démarrer la borne d'inscription").click()
    expect(page.get_by_role("heading", level=1, name="Bienvenue\u00a0: inscrivez votre visite")).to_be_visible(
        timeout=TIMEOUT)
    page.wait_for_load_state("load")  # its stylesheet too, on a busy machine: the fields' sizes are measured


def saved_visits(app):
    with app.app_context():
        rows = db.session.execute(select(Client.first_name, Client.last_name, Visit.reason)
                                  .join(Visit, Visit.client_id == Client.id).order_by(Visit.id)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_visitors_register_in_french_and_english_on_a_tablet(live_app, live_server, live_user, tablet, screenshot_dir):
    page = tablet
    live_user("staff", email="accueil@example.org", language="fr")
    open_the_form(page, live_server, "accueil@example.org")
    # Large touch targets: every input and choice at least 44 pixels high, the form fits the width.
    for selector in ("#first_name", "#phone", "#preferred_language", ".kiosk-choice", ".kiosk-submit"):
        assert page.locator(selector).first.bounding_box()["height"] >= 44, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]

    # A mistake is explained in French, next to the field, and nothing is lost.
    page.get_by_label("Prénom").fill("Zoé")
    page.get_by_label("Nom de famille").fill("Kilabuk")
    page.get_by_label("Courriel").fill("pas-un-courriel")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("alert")).to_contain_text("Veuillez vérifier les champs en évidence.")
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Zoé")
    page.screenshot(path=str(screenshot_dir / "registration-tablet-fr-error.png"), full_page=True)

    page.get_by_label("Courriel").fill("zoe.kilabuk@example.org")
    page.get_by_text("De l'aide pour un CV").click()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1, name="Merci, Zoé\u00a0!")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("link", name="Visiteur suivant").click()
    expect(page.get_by_label("Prénom")).to_have_value("")
    expect(page.get_by_label("Courriel")).to_have_value("")

    # The next visitor prefers English.
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1, name="Welcome: register your visit")).to_be_visible(timeout=TIMEOUT)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("First name").fill("John")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Phone").fill("867-979-4321")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_text("I have an appointment").click()
    page.screenshot(path=str(screenshot_dir / "registration-tablet-en.png"), full_page=True)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1, name="Thank you, John!")).to_be_visible(timeout=TIMEOUT)
    assert saved_visits(live_app) == [("Zoé", "Kilabuk", "cv"), ("John", "Smith", "appointment")]

    # The visitor cannot wander into the application; the staff member leaves with the password.
    page.goto(f"{live_server}/clients/")
    expect(page.get_by_role("heading", level=1, name="Welcome: register your visit")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("link", name="Staff: leave the form").click()
    # the password page is in the staff member's language (French), not the visitor's
    page.get_by_label("Mot de passe").fill("wrong password")
    page.get_by_role("button", name="Quitter le formulaire").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce n'est pas le mot de passe")
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Quitter le formulaire").click()
    page.goto(f"{live_server}/clients/")
    expect(page.locator("h1")).not_to_have_text("Welcome: register your visit", timeout=TIMEOUT)
    assert "/clients/" in page.url
    assert page.errors == []
