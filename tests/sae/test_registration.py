"""The office-visit registration form: a kiosk only staff can open, which keeps the visitor in it,
matches an existing client with the kernel's duplicate rules without ever revealing one,
records the visit and notifies the staff on duty."""

from sqlalchemy import func, select

from kernel.db import db
from kernel.notifications import Notification
from plugins.clients.models import Client
from plugins.sae.models import Visit
from plugins.sae.settings import save_members
from tests.conftest import TEST_PASSWORD

VISITOR = {"first_name": "Aputi", "last_name": "Akavak", "phone": "867-979-5555", "email": "aputi@example.org",
           "postal_code": "X0A 0H0", "preferred_language": "iu", "reason": "job_search", "details": ""}


def kiosk(client):
    """The staff member starts the kiosk (a POST: opening the page does not)."""
    assert client.post("/sae/registration/start").status_code == 302
    return client


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_only_a_logged_in_staff_member_opens_it(app, make_user, login_as):
    anonymous = app.test_client().get("/sae/registration")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert login_as(make_user("readonly")).get("/sae/registration").status_code == 403
    page = kiosk(login_as(make_user("staff"))).get("/sae/registration").get_data(as_text=True)
    assert "Bienvenue\u00a0: inscrivez votre visite" in page and "English" in page  # French until the visitor chooses
    assert 'autocomplete="off"' in page and 'class="sidebar"' not in page


def test_the_kiosk_keeps_the_visitor_in_the_form_until_the_password(staff, login_as):
    client = kiosk(login_as(staff))
    for path in ("/", "/clients/", "/search?q=a", "/logout", "/profile", "/api/v1/clients"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/sae/registration"), path
    wrong = client.post("/sae/registration/exit", data={"password": "not it"})
    assert wrong.status_code == 401 and "This is not the password" in wrong.get_data(as_text=True)
    assert client.get("/clients/").status_code == 302
    assert client.post("/sae/registration/exit", data={"password": TEST_PASSWORD}).status_code == 302
    assert client.get("/clients/").status_code == 200


def test_a_new_visitor_becomes_a_client_with_a_visit_and_staff_on_duty_are_notified(
        make_user, staff, login_as):
    on_duty = make_user("staff", email="desk@example.org", name="Dana Desk", language="fr")
    save_members(set(), {on_duty.id})
    db.session.commit()
    client = kiosk(login_as(staff))
    response = client.post("/sae/registration", data=VISITOR)
    assert response.status_code == 302 and "/sae/registration/thanks" in response.headers["Location"]
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Aputi" in thanks
    person = db.session.scalar(select(Client))
    assert (person.first_name, person.last_name, person.preferred_language) == ("Aputi", "Akavak", "iu")
    visit = db.session.scalar(select(Visit))
    assert (visit.client_id, visit.reason) == (person.id, "job_search") and visit.visited_at is not None
    assert (visit.email, visit.postal_code) == ("aputi@example.org", "X0A 0H0") and "979" in visit.phone
    notes = db.session.scalars(select(Notification)).all()
    assert [note.user_id for note in notes] == [on_duty.id]
    assert "Aputi Akavak" in notes[0].text and "Nouveau client" in notes[0].text
    assert client.get("/sae/registration").get_data(as_text=True).count('value="Aputi"') == 0


def test_an_existing_client_is_matched_and_never_shown(staff, login_as):
    client = kiosk(login_as(staff))
    client.post("/sae/registration", data=VISITOR)
    existing = db.session.scalar(select(Client))
    # the same person again, typed differently: no new client, a second visit
    again = client.post("/sae/registration", data={**VISITOR, "first_name": "aputi", "last_name": "AKAVAK",
                                               "phone": "(867) 979 5555", "email": "", "reason": "cv"})
    assert again.status_code == 302
    assert _count(Client) == 1 and _count(Visit) == 2
    visits = db.session.scalars(select(Visit).order_by(Visit.id)).all()
    assert {visit.client_id for visit in visits} == {existing.id}
    assert visits[-1].email is None and db.session.get(Client, existing.id).email == "aputi@example.org"
    notes = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert "at the front desk" in notes[-1].text


def test_someone_else_with_the_same_email_is_not_matched_nor_revealed(staff, login_as, a_client):
    client = kiosk(login_as(staff))
    response = client.post("/sae/registration", data={**VISITOR, "email": "emile@example.org"})
    assert response.status_code == 302
    assert _count(Client) == 2
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Émile" not in thanks and "Noël" not in thanks and "emile@example.org" not in thanks


def test_bad_input_gets_clear_messages_in_the_visitors_language_and_nothing_is_saved(staff, login_as, a_client):
    client = kiosk(login_as(staff))
    client.get("/sae/registration/language/fr")
    response = client.post("/sae/registration", data={**VISITOR, "last_name": "Noël", "first_name": "",
                                                  "email": "pas-un-courriel", "phone": "", "reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'lang="fr"' in page and "Ce champ est obligatoire." in page
    assert "Émile" not in page and "emile@example.org" not in page  # no "did you mean"
    assert _count(Client) == 1 and _count(Visit) == 0
    english = client.get("/sae/registration/language/en")
    assert english.status_code == 302
    assert "Register" in client.get("/sae/registration").get_data(as_text=True)


def test_with_nobody_on_duty_the_staff_member_who_opened_it_is_notified(staff, login_as):
    kiosk(login_as(staff)).post("/sae/registration", data=VISITOR)
    assert [note.user_id for note in db.session.scalars(select(Notification))] == [staff.id]
