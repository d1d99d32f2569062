"""The advanced filter: conditions on several fields with operators that fit each kind."""

from datetime import date

from kernel import records
from kernel.db import db
from kernel.registry import entities


def _clients(user):
    entity = entities().get("client")
    rows = [
        {"first_name": "Amélie", "last_name": "Jodoin", "file_status": "open", "city": "Iqaluit",
         "arrival_date": date(2023, 5, 1), "email": "amelie@example.org"},
        {"first_name": "Jean", "last_name": "Jodoin", "file_status": "closed", "city": "Ottawa",
         "arrival_date": date(2021, 1, 10)},
        {"first_name": "Mary", "last_name": "Smith", "file_status": "on_hold", "city": "Iqaluit",
         "arrival_date": date(2024, 8, 20), "cv_up_to_date": True},
    ]
    for row in rows:
        records.create(entity, row, user)
    db.session.commit()


def names(client, query):
    response = client.get(f"/clients/?{query}&cols=first_name,last_name")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return {name for name in ("Amélie", "Jean", "Mary") if f">{name}<" in page}


def test_text_operators(staff_client, staff):
    _clients(staff)
    assert names(staff_client, "last_name__contains=jodo") == {"Amélie", "Jean"}
    assert names(staff_client, "last_name__equals=SMITH") == {"Mary"}
    assert names(staff_client, "city__starts=iqa") == {"Amélie", "Mary"}
    assert names(staff_client, "email__empty=1") == {"Jean", "Mary"}
    assert names(staff_client, "email__notempty=1") == {"Amélie"}


def test_several_fields_at_once_and_one_of(staff_client, staff):
    _clients(staff)
    assert names(staff_client, "last_name__contains=jodoin&city__equals=Iqaluit") == {"Amélie"}
    assert names(staff_client, "file_status__in=open&file_status__in=on_hold") == {"Amélie", "Mary"}


def test_dates_and_booleans(staff_client, staff):
    _clients(staff)
    assert names(staff_client, "arrival_date__before=2023-01-01") == {"Jean"}
    assert names(staff_client, "arrival_date__after=2023-05-01") == {"Mary"}
    assert names(staff_client, "arrival_date__between=2023-01-01&arrival_date__between=2023-12-31") == {"Amélie"}
    assert names(staff_client, "cv_up_to_date__is=1") == {"Mary"}


def test_a_bad_value_is_explained_and_the_list_still_shows(staff_client, staff):
    _clients(staff)
    response = staff_client.get("/clients/?arrival_date__before=yesterday")
    assert response.status_code == 200
    assert "Arrival date" in response.get_data(as_text=True)
    assert "Enter a valid date." in response.get_data(as_text=True) or "Not a valid date." in response.get_data(
        as_text=True)
