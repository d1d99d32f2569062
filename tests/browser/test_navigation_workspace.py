"""Navigation by workspace in a real browser: the page height does not depend on the number of
enabled modules, the module filter ignores case and accents, sections remember being opened or
closed, the full-screen toggle hides the sidebar and is remembered, and favourites and recently
viewed records are one click away in the top bar. In English and French."""

import threading
from contextlib import contextmanager

from playwright.sync_api import expect
from werkzeug.serving import make_server

from kernel import records
from kernel.db import db
from kernel.registry import entities
from kernel.users import User
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000


@contextmanager
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def log_in(page, base_url, email, dashboard="Dashboard"):
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base_url}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1, name=dashboard)).to_be_visible(timeout=TIMEOUT)
    page.wait_for_load_state("load")  # the sidebar's deferred script binds its handlers by then


def add_clients(app, count):
    with app.app_context():
        author = db.session.query(User).first()
        made = [records.create(entities().get("client"), {"first_name": f"Person{number}", "last_name": "Test"}, author)
                for number in range(count)]
        db.session.commit()
        ids = [record.id for record in made]
        db.session.remove()
    return ids


def list_page_height(page, base_url) -> int:
    page.goto(f"{base_url}/clients/")
    expect(page.get_by_role("heading", level=1, name="Clients")).to_be_visible()
    return page.evaluate("document.documentElement.scrollHeight")


def test_the_height_of_a_list_does_not_depend_on_the_modules_enabled(make_app, live_app, live_user, page):
    every_module = make_app(WTF_CSRF_ENABLED=True)
    two_modules = make_app(WTF_CSRF_ENABLED=True, PASSERELLE_PLUGINS="clients,partners")
    live_user("administrator", email="height@example.org")
    add_clients(every_module, 3)
    page.set_viewport_size({"width": 1440, "height": 900})
    heights = []
    for app in (two_modules, every_module):
        with served(app) as base_url:
            log_in(page, base_url, "height@example.org")
            heights.append(list_page_height(page, base_url))
            page.context.clear_cookies()
    assert heights[0] == heights[1] == 900  # a short list fits the window, whatever the sidebar holds


def test_the_module_filter_ignores_case_and_accents_in_french(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="filtre@example.org", language="fr")
    log_in(page, live_server, "filtre@example.org", dashboard="Tableau de bord")
    sidebar = page.locator("#sidebar")
    activities = sidebar.locator('[data-section="activities"] details')
    expect(activities).not_to_have_attribute("open", "")
    sidebar.get_by_label("Rechercher un module").fill("TACH")
    expect(sidebar.get_by_role("link", name="Tâches", exact=True)).to_be_visible()
    expect(sidebar.get_by_role("link", name="Clients", exact=True)).to_be_hidden()
    expect(sidebar.locator('[data-section="clients"]')).to_be_hidden()
    sidebar.get_by_label("Rechercher un module").fill("réu")
    expect(sidebar.get_by_role("link", name="Réunions", exact=True)).to_be_visible()
    sidebar.get_by_label("Rechercher un module").fill("")
    expect(sidebar.get_by_role("link", name="Clients", exact=True)).to_be_visible()
    expect(activities).not_to_have_attribute("open", "")  # closed again, as it was
    assert browser_errors == []


def test_sections_and_full_screen_are_remembered(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="sections@example.org")
    log_in(page, live_server, "sections@example.org")
    sidebar = page.locator("#sidebar")
    sidebar.locator('[data-section="contact_centre"] summary').click()
    sidebar.locator('[data-section="clients"] summary').click()
    page.reload()
    page.wait_for_load_state("load")
    expect(sidebar.locator('a[href="/helpline-contacts/"]')).to_be_visible()
    expect(sidebar.get_by_role("link", name="Clients", exact=True)).to_be_hidden()

    toggle = page.get_by_role("button", name="Full screen")
    toggle.click()
    expect(sidebar).to_be_hidden()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.reload()
    page.wait_for_load_state("load")
    expect(sidebar).to_be_hidden()
    page.get_by_role("button", name="Full screen").click()
    expect(sidebar).to_be_visible()
    assert browser_errors == []


def test_recently_viewed_is_one_click_away(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="recent@example.org")
    [client_id] = add_clients(live_app, 1)
    log_in(page, live_server, "recent@example.org")
    page.goto(f"{live_server}/clients/{client_id}")
    page.goto(f"{live_server}/tasks/")
    page.locator(".favourites-menu summary").click()
    panel = page.locator("#favourites-list")
    expect(panel.get_by_role("heading", name="Recently viewed")).to_be_visible()
    panel.get_by_role("link", name="Person0 Test").click()
    expect(page.get_by_role("heading", level=1, name="Person0 Test")).to_be_visible()
    assert browser_errors == []
