"""The guides' "how to", as a staff member does them in a browser: schedule a call from the sidebar
with the "related to" picker searching the clients by name; in French, create a task and move it
on the kanban with the keyboard."""

from playwright.sync_api import expect
from sqlalchemy import select

from kernel.db import db
from plugins.activities.models import Call, Task
from tests.browser.test_activities import log_in
from tests.browser.test_activities_documents import add
from tests.conftest import TEST_PASSWORD


def pick_one(page, label, typed, option):
    """Type in the single tom-select picker labelled ``label`` and choose ``option``."""
    page.locator(".ts-wrapper", has=page.get_by_role("combobox", name=label)).click()
    expect(page.get_by_role("combobox", name=label)).to_be_focused()
    page.keyboard.type(typed, delay=30)
    page.locator(".ts-dropdown .option", has_text=option).click()


def test_schedule_a_call_related_to_a_client(live_app, live_server, live_user, page, browser_errors):
    user = live_user("staff", email="howto@example.org")
    client_id = add(live_app, user, "client", {"first_name": "Émile", "last_name": "Zunik"})
    for number in range(25):  # the first suggestions, newest or by name: the picker must search the server
        add(live_app, user, "client", {"first_name": "Jean", "last_name": f"Tremblay {number}"})
    log_in(page, live_server, "howto@example.org")
    # The guide's way: the Activities section of the sidebar, its Calls module, then its action.
    page.locator("#sidebar summary", has_text="Activities").click()
    page.locator("#sidebar").get_by_role("link", name="Calls", exact=True).click()
    page.locator("#sidebar").get_by_role("link", name="Schedule a call").click()
    page.get_by_label("Subject").fill("Appel de suivi avec M. Zunik")
    page.get_by_label("Start").fill("2026-11-24T10:30")
    page.get_by_label("Direction").select_option(label="Outbound")
    page.get_by_label("Status").select_option(label="Planned")
    pick_one(page, "Related to", "zunik", "Émile Zunik")
    page.get_by_label("Duration (hours)").fill("0")
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Description").fill("Agenda : le CV")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Appel de suivi avec M. Zunik")).to_be_visible()
    with live_app.app_context():
        call = db.session.scalar(select(Call))
        assert (call.related_to, call.direction, call.total_minutes) == (f"client:{client_id}", "outbound", 30)
        db.session.remove()
    page.goto(f"{live_server}/clients/{client_id}")
    expect(page.locator("#panel-activities").get_by_role("link", name="Appel de suivi avec M. Zunik")).to_be_visible()
    assert browser_errors == []


def test_create_a_task_in_french_then_move_it_on_the_kanban_with_the_keyboard(live_app, live_server, live_user,
                                                                                browser):
    live_user("staff", email="tache@example.org", language="fr")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        french_task_and_kanban(live_app, live_server, page)
    finally:
        context.close()
    assert errors == []


def french_task_and_kanban(live_app, live_server, page):
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse courriel").fill("tache@example.org")
    page.get_by_label("Mot de passe", exact=True).fill(TEST_PASSWORD)
    page.get_by_label("Mot de passe", exact=True).press("Enter")
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()
    page.locator("#sidebar summary", has_text="Activités").click()
    page.locator("#sidebar").get_by_role("link", name="Tâches", exact=True).click()
    page.locator("#sidebar").get_by_role("link", name="Créer une tâche").click()
    page.get_by_label("Objet").fill("Préparer une présentation")
    page.get_by_label("Date de début").fill("2026-11-24")
    page.get_by_label("Date d’échéance").fill("2026-11-27")
    page.get_by_label("Priorité").select_option(label="Élevée")
    page.get_by_role("button", name="Sauvegarder", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Préparer une présentation")).to_be_visible()

    page.get_by_role("link", name="Kanban").first.click()
    card = page.locator(".kanban-card", has_text="Préparer une présentation")
    expect(page.locator('.kanban-cards[data-status="not_started"]').locator(".kanban-card")).to_have_count(1)
    card.get_by_label("Statut").focus()
    card.get_by_label("Statut").select_option(label="En cours")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the "Déplacer" button
    expect(page.locator('.kanban-cards[data-status="in_progress"]').locator(".kanban-card",
                                                                         has_text="Préparer une présentation")).to_be_visible()
    with live_app.app_context():
        assert db.session.scalar(select(Task.status)) == "in_progress"
        db.session.remove()


def test_invite_colleagues_to_a_meeting(live_app, live_server, live_user, page, browser_errors):
    from kernel import records
    from kernel.registry import entities
    from plugins.activities.models import MeetingInvitee

    user = live_user("staff", email="host@example.org")
    live_user("staff", email="guest@example.org", name="Colette Collègue")
    with live_app.app_context():
        meeting = records.create(entities().get("meeting"), {
            "subject": "Bilan de stage", "start": "2026-11-25T14:00:00Z", "end": "2026-11-25T15:00:00Z"},
            db.session.get(type(user), user.id))
        db.session.commit()
        meeting_id = meeting.id
        db.session.remove()
    log_in(page, live_server, "host@example.org")
    page.goto(f"{live_server}/meetings/{meeting_id}")
    page.get_by_role("link", name="Choose the guests").click()
    page.locator(".ts-wrapper", has=page.get_by_role("combobox", name="Invited colleagues")).click()
    page.keyboard.type("colette")
    page.locator(".ts-dropdown .option", has_text="Colette Collègue").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#panel-invitees")).to_contain_text("Colette Collègue")
    expect(page.locator("#panel-invitees")).to_contain_text("1 h 00")
    with live_app.app_context():
        assert db.session.scalar(select(MeetingInvitee.meeting_id)) == meeting_id
        db.session.remove()
    assert browser_errors == []
