"""Creating and editing clients through the HTML forms, as staff do."""

from sqlalchemy import select

from kernel.db import db
from plugins.clients.models import Client


def test_staff_creates_a_client_and_sees_it(staff_client):
    response = staff_client.post("/clients/new", data={
        "first_name": "Émile", "last_name": "Noël", "email": "emile@example.org",
        "phone": "867 979 1234", "file_status": "open", "cv_up_to_date": "1",
    })
    assert response.status_code == 302
    client = db.session.scalar(select(Client))
    assert client.last_name == "Noël"
    assert client.phone == "(867) 979-1234"
    assert client.cv_up_to_date is True
    page = staff_client.get(response.location).get_data(as_text=True)
    assert "Émile Noël" in page and "(867) 979-1234" in page


def test_required_and_format_errors_keep_what_was_typed(staff_client):
    response = staff_client.post("/clients/new", data={
        "first_name": "Zoé", "last_name": "", "email": "not-an-email", "phone": "12",
        "file_status": "nonsense", "city": "x" * 256,
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This field is required." in page
    assert "Enter a valid e-mail address" in page
    assert "Enter a valid phone number" in page
    assert "Choose one of the options offered." in page
    assert "At most 255 characters." in page
    assert 'value="Zoé"' in page
    assert db.session.scalar(select(Client)) is None


def test_errors_are_in_french_for_a_french_user(make_user, login_as):
    user = make_user("staff", language="fr")
    response = login_as(user).post("/clients/new", data={"last_name": "", "email": "x"})
    page = response.get_data(as_text=True)
    assert "Ce champ est obligatoire." in page
    assert "Saisissez une adresse courriel valide" in page
