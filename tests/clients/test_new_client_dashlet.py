"""The default dashboard of staff starts with the guide's "New client" action,
in English and in French; a read-only user, who may not create clients, does not get it."""

import re

import pytest


def first_dashlet(page: str) -> str:
    return re.search(r'<section class="card dashlet".*?</section>', page, re.S).group(0)


@pytest.mark.parametrize("language, action", [("en", "New client"), ("fr", "Nouveau client")])
def test_staff_dashboard_starts_with_new_client(make_user, login_as, language, action):
    browser = login_as(make_user("staff", email=f"home-{language}@example.org", language=language))
    dashlet = first_dashlet(browser.get("/").get_data(as_text=True))
    assert 'id="dashlet-clients:new-client"' in dashlet
    assert re.search(rf'<a class="button primary" href="/clients/new">{action}</a>', dashlet)
    response = browser.get("/clients/new")
    assert response.status_code == 200


def test_read_only_users_do_not_get_it(readonly, login_as):
    assert "dashlet-clients:new-client" not in login_as(readonly).get("/").get_data(as_text=True)
