"""Settings (survey questions, source lines, service types, postal codes, SAE settings, choice
lists…) are not daily work: they are listed in the sidebar's closed "Settings" section and on the
Administration page, grouped by the section they belong to, not among the daily modules."""

import re


def _daily_sections(page: str) -> str:
    sidebar = re.search(r'<aside class="sidebar".*?</aside>', page, re.S).group(0)
    return sidebar.split('data-section="settings"')[0]


def _settings_section(page: str) -> str:
    return re.search(r'data-section="settings">.*?</details>', page, re.S).group(0)


SETTINGS_SCREENS = ['href="/survey-questions/"', 'href="/source-lines/"', 'href="/note-templates/"',
                    'href="/taxonomy-terms/"']


def test_settings_are_not_among_the_daily_modules(staff_client):
    page = staff_client.get("/").get_data(as_text=True)
    daily = _daily_sections(page)
    assert 'href="/helpline-contacts/"' in daily and 'href="/resources/"' in daily
    for link in SETTINGS_SCREENS:
        assert link not in daily
        assert link in _settings_section(page)
    assert 'href="/administration/"' in _settings_section(page)


def test_the_administration_page_groups_settings_by_section(admin_client):
    page = admin_client.get("/administration/").get_data(as_text=True)
    groups = dict(re.findall(r'<h2 id="settings-([a-z_]+)">.*?</h2>(.*?)</section>', page, re.S))
    assert 'href="/admin/users"' in groups["settings"] and 'href="/admin/choices"' in groups["settings"]
    assert 'href="/survey-questions/"' in groups["contact_centre"]
    assert 'href="/admin/contactcenter/checklist"' in groups["contact_centre"]
    assert 'href="/admin/directory/postal-codes"' in groups["directory"]
    assert 'href="/admin/directory/synonyms"' in groups["directory"]
    assert 'href="/sae/settings"' in groups["employment"]


def test_a_staff_member_sees_only_the_settings_they_may_open(staff_client):
    page = staff_client.get("/administration/").get_data(as_text=True)
    assert 'href="/survey-questions/"' in page
    assert 'href="/admin/users"' not in page and 'href="/sae/settings"' not in page
    assert 'href="/admin/directory/postal-codes"' not in page


def test_the_administration_page_in_french(make_user, login_as):
    page = login_as(make_user("administrator", language="fr")).get("/administration/").get_data(as_text=True)
    assert "<h1>Administration</h1>" in page and "Général" in page and "Listes de choix" in page
    assert "Tous les paramètres" in page


def test_the_administration_page_needs_a_login(app):
    response = app.test_client().get("/administration/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
