"""Each user sees their workspace first: a caseworker's sidebar starts with Clients, an agent's with
the contact centre. The rule: the user's own choice (profile), else their role's in the WORKSPACES
setting, else the first section in order. The workspace is open; the other sections are closed."""

import re

from tests.conftest import login


def _sections(page: str) -> list[tuple[str, bool]]:
    """The sidebar's sections in order, with whether each is open."""
    found = re.findall(r'<li class="menu-section[^"]*" data-section="([^"]+)">\s*<details( open)?', page)
    return [(key, bool(opened)) for key, opened in found]


def test_a_caseworkers_sidebar_starts_with_clients_and_partners(staff_client):
    page = staff_client.get("/").get_data(as_text=True)
    sections = _sections(page)
    assert sections[0] == ("clients", True)
    assert ("contact_centre", False) in sections and ("directory", False) in sections
    assert sections[-1] == ("settings", False)
    clients = page.index('data-section="clients"')
    assert clients < page.index('href="/clients/"') < page.index('data-section="activities"')


def test_an_agents_sidebar_starts_with_the_contact_centre(make_user, login_as):
    agent = login_as(make_user("staff", workspace="contact_centre"))
    page = agent.get("/").get_data(as_text=True)
    sections = _sections(page)
    assert sections[0] == ("contact_centre", True)
    assert ("clients", False) in sections
    assert page.index('href="/helpline-contacts/"') < page.index('href="/clients/"')


def test_the_workspace_setting_gives_a_role_its_workspace(make_app, make_user):
    app = make_app(WORKSPACES={"staff": "contact_centre"})
    with app.app_context():
        page = login(app.test_client(), make_user("staff")).get("/").get_data(as_text=True)
        supervisor_page = login(app.test_client(), make_user("supervisor")).get("/").get_data(as_text=True)
    assert _sections(page)[0] == ("contact_centre", True)
    assert _sections(supervisor_page)[0] == ("clients", True)


def test_a_workspace_the_user_cannot_see_falls_back_to_the_first_section(make_user, login_as):
    client = login_as(make_user("staff", workspace="no-such-section"))
    assert _sections(client.get("/").get_data(as_text=True))[0] == ("clients", True)


def test_the_section_of_the_page_shown_is_open_too(staff_client):
    sections = dict(_sections(staff_client.get("/resources/").get_data(as_text=True)))
    assert sections["clients"] is True and sections["directory"] is True and sections["activities"] is False


def test_sections_are_named_in_the_users_language(make_user, login_as):
    page = login_as(make_user("staff", language="fr")).get("/").get_data(as_text=True)
    assert "Clients et partenaires" in page and "Centre d’appels" in page and "Répertoire" in page
    assert "Paramètres" in page


def test_a_user_chooses_their_workspace_in_their_profile(make_user, login_as):
    user = make_user("staff", language="fr")
    client = login_as(user)
    profile = client.get("/profile/").get_data(as_text=True)
    assert '<select id="pref-workspace" name="workspace"' in profile
    assert '<option value="contact_centre" >Centre d’appels</option>' in profile
    response = client.post("/profile/preferences", data={"workspace": "contact_centre"})
    assert response.status_code == 302
    assert _sections(client.get("/").get_data(as_text=True))[0] == ("contact_centre", True)
    client.post("/profile/preferences", data={"workspace": ""})  # back to the role's
    assert _sections(client.get("/").get_data(as_text=True))[0] == ("clients", True)


def test_an_unknown_workspace_is_refused_with_a_message(make_user, login_as):
    client = login_as(make_user("staff"))
    response = client.post("/profile/preferences", data={"workspace": "settings"})
    assert response.status_code == 422
    assert "Choose a workspace from the list." in response.get_data(as_text=True)
    assert _sections(client.get("/").get_data(as_text=True))[0] == ("clients", True)
