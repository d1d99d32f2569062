"""The activities panel of a client, contact or partner: upcoming and history, and the four
"create" buttons already linked to the record."""

import re
from datetime import date, timedelta

from kernel.db import utcnow
from tests.activities.helpers import create


def iso(moment):
    return moment.replace(microsecond=0).isoformat() + "Z"


def panel_of(page: str) -> str:
    return re.search(r'id="panel-activities".*?</section>', page, re.S).group(0)


def test_upcoming_and_history_of_a_client(staff, staff_client):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    link = f"client:{person.id}"
    now = utcnow()
    create("call", {"subject": "Appel à venir", "start": iso(now + timedelta(days=2)), "duration_hours": 0,
                    "duration_minutes": 30, "related_to": link}, staff)
    create("call", {"subject": "Appel passé", "start": iso(now - timedelta(days=2)), "duration_hours": 0,
                    "duration_minutes": 30, "status": "held", "related_to": link}, staff)
    create("meeting", {"subject": "Réunion à venir", "start": iso(now + timedelta(days=1)),
                       "end": iso(now + timedelta(days=1, hours=1)), "related_to": link}, staff)
    create("task", {"subject": "Tâche ouverte", "status": "in_progress", "related_to": link,
                    "due_date": (date.today() + timedelta(days=3)).isoformat()}, staff)
    create("task", {"subject": "Tâche terminée", "status": "completed", "related_to": link}, staff)
    create("note", {"subject": "Note d'entrevue", "text": "Bien passé", "related_to": link}, staff)
    create("call", {"subject": "Appel d'un autre", "start": iso(now + timedelta(days=2)), "duration_hours": 1,
                    "duration_minutes": 0}, staff)

    panel = panel_of(staff_client.get(f"/clients/{person.id}").get_data(as_text=True))
    upcoming, history = panel.split("<h3>History</h3>")
    for subject in ("Appel à venir", "Réunion à venir", "Tâche ouverte"):
        assert subject in upcoming and subject not in history
    for subject in ("Appel passé", "Tâche terminée", "Note d&#39;entrevue"):
        assert subject in history and subject not in upcoming
    assert "Appel d&#39;un autre" not in panel
    assert upcoming.index("Réunion à venir") < upcoming.index("Appel à venir") < upcoming.index("Tâche ouverte")
    for plural, label, extra in (("calls", "Schedule a call", "&amp;status=planned"),
                                 ("meetings", "Schedule a meeting", "&amp;status=planned"),
                                 ("tasks", "Create a task", ""), ("notes", "Add a note", "")):
        assert f'href="/{plural}/new?related_to=client:{person.id}{extra}"' in panel
        assert label in panel


def test_the_panel_replaces_the_four_linked_panels(staff, staff_client):
    partner = create("partner", {"name": "Carrefour emploi"}, staff)
    page = staff_client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert 'id="panel-activities"' in page
    for name in ("call", "meeting", "task", "note"):
        assert f'id="panel-linked-{name}-related_to"' not in page
    form = staff_client.get(f"/meetings/new?related_to=partner:{partner.id}").get_data(as_text=True)
    assert f'<option value="partner:{partner.id}" selected>' in form and "Carrefour emploi" in form


def test_read_only_sees_the_panel_without_create_buttons(staff, readonly, login_as):
    contact = create("contact", {"first_name": "Anne", "last_name": "Roy"}, staff)
    page = login_as(readonly).get(f"/contacts/{contact.id}").get_data(as_text=True)
    panel = panel_of(page)
    assert "Nothing planned." in panel and "Schedule a call" not in panel


def test_in_french(staff, make_user, login_as):
    francophone = make_user("staff", language="fr")
    person = create("client", {"last_name": "Kilabuk"}, staff)
    panel = panel_of(login_as(francophone).get(f"/clients/{person.id}").get_data(as_text=True))
    assert "À venir" in panel and "Historique" in panel and "Planifier un appel" in panel
