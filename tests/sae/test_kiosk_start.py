"""Opening /sae/registration does not turn a session into the kiosk: the staff member chooses to, with
the "Start the registration kiosk" button (a POST with its CSRF token). A link or an image pointing
at /sae/registration cannot lock someone's browser."""

import re

from sqlalchemy import func, select

from kernel.db import db
from plugins.sae.models import Visit
from tests.conftest import TEST_PASSWORD, csrf_token_from

VISITOR = {"first_name": "Aputi", "last_name": "Akavak", "phone": "867-979-5555", "email": "", "postal_code": "",
           "preferred_language": "", "reason": "job_search", "details": ""}


def test_opening_the_page_offers_the_choice_and_leaves_the_crm_usable(staff, login_as):
    client = login_as(staff)
    page = client.get("/sae/registration")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Start the registration kiosk" in text
    assert re.search(r'<form method="post" action="/sae/registration/start">', text)
    assert client.get("/clients/").status_code == 200  # not in kiosk mode


def test_the_start_button_enters_the_kiosk(staff, login_as):
    client = login_as(staff)
    assert client.post("/sae/registration/start").status_code == 302
    assert "Bienvenue\u00a0: inscrivez votre visite" in client.get("/sae/registration").get_data(as_text=True)
    assert client.get("/clients/").headers["Location"].endswith("/sae/registration")


def test_a_visit_posted_outside_the_kiosk_is_not_saved(staff, login_as):
    client = login_as(staff)
    response = client.post("/sae/registration", data=VISITOR)
    assert response.status_code == 303 and response.headers["Location"].endswith("/sae/registration")
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0
    page = client.get("/sae/registration").get_data(as_text=True)
    assert "The registration kiosk is not started on this browser: the visit was not saved." in page
    assert client.get("/clients/").status_code == 200


def test_starting_takes_the_permission(make_user, login_as):
    assert login_as(make_user("readonly")).post("/sae/registration/start").status_code == 403


def test_starting_takes_the_csrf_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        staff_member = make_user("staff")
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": staff_member.email, "password": TEST_PASSWORD,
                                    "csrf_token": csrf_token_from(page)})
        assert client.post("/sae/registration/start").status_code == 400  # no token: refused
        assert client.get("/clients/").status_code == 200
        token = csrf_token_from(client.get("/sae/registration").get_data(as_text=True))
        assert client.post("/sae/registration/start", data={"csrf_token": token}).status_code == 302
        assert client.get("/clients/").status_code == 302
