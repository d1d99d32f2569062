"""Issue 18: a record's page, with every panel of every enabled plugin, costs at most 8 SQL
statements, however many plugins add panels (they batch their queries). Counted, never timed."""

from io import BytesIO

from kernel import records
from kernel.db import db
from kernel.registry import entities
from tests.statements import statements_sent

BUDGET = 8
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _create(name, values, user):
    record = records.create(entities().get(name), values, user)
    db.session.commit()
    return record


def _upload(client, link):
    response = client.post("/documents/upload", data={
        "name": "CV", "category": "other", "link": link, "file": (BytesIO(PDF), "cv.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302


def _a_busy_client(user, client):
    """A client with activities, documents, a case file, a partner contact and a volunteer."""
    person = _create("client", {"first_name": "Émile", "last_name": "Noël", "email": "emile@example.org"}, user)
    link = f"client:{person.id}"
    for subject in ("Suivi", "Relance"):
        _create("call", {"subject": subject, "related_to": link, "start": "2026-03-02T10:00", "status": "held",
                         "duration_hours": 0, "duration_minutes": 30}, user)
        _create("note", {"subject": subject, "text": "Texte", "related_to": link}, user)
    _create("task", {"subject": "CV", "related_to": link, "due_date": "2026-03-09", "status": "not_started"}, user)
    _create("meeting", {"subject": "Entrevue", "related_to": link, "start": "2026-03-03T10:00",
                        "end": "2026-03-03T11:00"}, user)
    _upload(client, link)
    if entities().get("case_file") is not None:
        _create("case_file", {"file_number": "SAE-2026-0001", "client_id": person.id, "status": "active",
                              "intake_date": "2026-01-12"}, user)
    if entities().get("volunteer") is not None:
        _create("volunteer", {"name": "Vera", "client_id": person.id}, user)
    return person


def _page_statements(client, path) -> list[str]:
    client.get(path)  # the first view of a page remembers it; the budget is for every view
    with statements_sent() as sent:
        response = client.get(path)
    assert response.status_code == 200
    return sent


def _within_budget(sent):
    assert len(sent) <= BUDGET, f"{len(sent)} statements:\n" + "\n---\n".join(sent)


def test_a_clients_page_with_every_panel_stays_within_the_budget(admin, admin_client):
    person = _a_busy_client(admin, admin_client)
    page = admin_client.get(f"/clients/{person.id}").get_data(as_text=True)
    assert "Suivi" in page and "CV" in page and "SAE-2026-0001" in page
    _within_budget(_page_statements(admin_client, f"/clients/{person.id}"))


def test_a_partners_page_with_its_contacts_stays_within_the_budget(admin, admin_client):
    partner = _create("partner", {"name": "Northmart Iqaluit", "partner_type": "company"}, admin)
    for name in ("Mitchell", "Lavoie"):
        _create("contact", {"last_name": name, "partner_id": partner.id}, admin)
    _create("call", {"subject": "Offre", "related_to": f"partner:{partner.id}", "start": "2026-03-02T10:00",
                     "status": "held", "duration_hours": 0, "duration_minutes": 30}, admin)
    page = admin_client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Mitchell" in page and "Offre" in page
    _within_budget(_page_statements(admin_client, f"/partners/{partner.id}"))


def test_a_caller_profiles_page_stays_within_the_budget(admin, admin_client):
    if entities().get("caller_profile") is None:
        return
    profile = _create("caller_profile", {"name": "Émile Noël", "phone": "(867) 979-1234"}, admin)
    page = admin_client.get(f"/caller-profiles/{profile.id}")
    assert page.status_code == 200
    _within_budget(_page_statements(admin_client, f"/caller-profiles/{profile.id}"))


EVERY_PLUGIN_AND_VOLUNTEERS = ("activities", "clients", "contactcenter", "directory", "partners", "privacy", "programs",
                               "reports", "sae", "sms_gateway", "volunteers")


def test_the_example_volunteers_module_adds_a_panel_and_no_statement(settings, migrated, make_app, make_user):
    from kernel.testing import login, migrated_plugins

    with migrated_plugins(settings, EVERY_PLUGIN_AND_VOLUNTEERS):
        app = make_app(plugins=EVERY_PLUGIN_AND_VOLUNTEERS)
        with app.app_context():
            admin = make_user("administrator", email="ada@example.org")
            client = login(app.test_client(), admin)
            person = _a_busy_client(admin, client)
            page = client.get(f"/clients/{person.id}").get_data(as_text=True)
            assert "Vera" in page and "Suivi" in page, page[page.find("<main"):][:3000]
            _within_budget(_page_statements(client, f"/clients/{person.id}"))
            db.session.remove()


def test_a_first_view_with_a_full_recent_list_stays_within_the_budget(admin, admin_client):
    """The worst case: the page is new to the user's recent views, whose older ones then go."""
    from kernel.navigation import RECENT_KEPT_AT_MOST

    person = _a_busy_client(admin, admin_client)
    for index in range(RECENT_KEPT_AT_MOST):
        other = _create("client", {"first_name": f"P{index}", "last_name": "Roy"}, admin)
        admin_client.get(f"/clients/{other.id}")
    with statements_sent() as sent:
        assert admin_client.get(f"/clients/{person.id}").status_code == 200
    _within_budget(sent)
    assert any(statement.startswith("DELETE FROM recent_views") for statement in sent)
