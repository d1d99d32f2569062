"""Values no database can take — numbers beyond an SQL integer, impossible dates, NUL characters,
lone surrogates, JSON nested ten thousand deep, bodies that are not objects — get a clear,
translated 4xx, never a 500."""

import pytest
from sqlalchemy import func, select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.clients.models import Client

HUGE = "99999999999999999999"


@pytest.fixture
def api(app, staff, token_for):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = token_for(staff)["Authorization"]
    return client


def _clients() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Client))


# -- numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    f"/clients/?page={HUGE}", f"/clients/?per_page={HUGE}", f"/clients/{HUGE}", f"/clients/{HUGE}/edit",
    "/clients/2147483648", f"/clients/1?list=q%3Da&pos={HUGE}", f"/calls/?duration_hours__gt={HUGE}",
    f"/case-files/?client_id__in={HUGE}", f"/notifications/?page={HUGE}",
])
def test_huge_numbers_in_addresses_are_refused_or_ignored(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code in {200, 400, 403, 404}


def test_a_huge_number_in_a_list_filter_is_explained(staff_client):
    response = staff_client.get(f"/calls/?duration_hours__gt={HUGE}")
    assert response.status_code == 200
    assert "This number is too large." in response.get_data(as_text=True)


def test_a_huge_page_number_is_refused_with_a_message(staff_client):
    response = staff_client.get(f"/clients/?page={HUGE}")
    assert response.status_code == 400
    assert "This number is too large." in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [f"page={HUGE}", f"per_page={HUGE}", f"assigned_user_id={HUGE}"])
def test_the_api_refuses_huge_numbers_in_its_arguments(api, query):
    response = api.get(f"/api/v1/clients?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"] == "This number is too large."


def test_the_api_answers_404_for_an_id_beyond_an_sql_integer(api):
    assert api.get(f"/api/v1/clients/{HUGE}").status_code == 404
    assert api.patch(f"/api/v1/clients/{HUGE}", json={"city": "Iqaluit"}).status_code == 404


@pytest.mark.parametrize("value", [HUGE, "2147483648", "-2147483649"])
def test_a_whole_number_too_large_for_its_column_is_refused(api, value):
    response = api.post("/api/v1/calls", json={
        "subject": "Suivi", "start": "2026-03-02T10:00:00", "duration_hours": value, "duration_minutes": 0})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"duration_hours": ["This number is too large."]}


def test_a_reference_to_a_huge_id_is_an_unknown_record(app, admin, token_for):
    response = app.test_client().post("/api/v1/case-files", json={
        "file_number": "A-1", "client_id": int(HUGE), "status": "open", "intake_date": "2026-01-01"},
        headers=token_for(admin))
    assert response.status_code == 422
    assert response.get_json()["errors"]["client_id"] == ["Choose an existing record."]


# -- dates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["0000-01-01", "99999-01-01", "2026-02-30"])
def test_impossible_dates_are_refused(api, value):
    response = api.post("/api/v1/clients", json={"last_name": "Côté", "date_of_birth": value})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"date_of_birth": ["Enter a valid date."]}


@pytest.mark.parametrize("value", ["9999-12-31T23:59:00", "0001-01-01T00:00:00+05:00"])
def test_date_times_at_the_ends_of_the_calendar_are_refused_not_crashed_on(app, staff, token_for, value):
    response = app.test_client().post("/api/v1/calls", json={
        "subject": "Suivi", "start": value, "duration_hours": 0, "duration_minutes": 30},
        headers={**token_for(staff)})
    assert response.status_code in {201, 422}
    if response.status_code == 422:
        assert response.get_json()["errors"]["start"] == ["Enter a valid date and time."]


@pytest.mark.parametrize("query", ["start__after=9999-12-31", "start__between=0001-01-01&start__between=9999-12-31",
                                   "start__equals=9999-12-31", "start__before=0000-01-01"])
def test_date_filters_at_the_ends_of_the_calendar(staff_client, query):
    assert staff_client.get(f"/calls/?{query}").status_code == 200


def test_api_filter_errors_are_lists_of_messages(api):
    response = api.get("/api/v1/clients?date_of_birth=Saturday")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"date_of_birth": ["Enter a valid date."]}


# -- text ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["Cô\u0000té", "\ud800", "a\udfffb"])
def test_text_a_database_cannot_store_is_refused_by_the_api(api, value):
    response = api.post("/api/v1/clients", json={"last_name": value})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"last_name": [
        "This text contains a character that cannot be saved (a NUL or an invalid character)."]}
    assert _clients() == 0


def test_a_nul_in_a_form_is_refused(staff_client):
    response = staff_client.post("/clients/new", data={"last_name": "Cô\u0000té"})
    assert response.status_code == 422
    assert "cannot be saved" in response.get_data(as_text=True)
    assert _clients() == 0


def test_the_schema_refuses_a_nul_on_every_way_in(app, staff):
    with pytest.raises(records.ValidationError) as refused:
        records.create(entities().get("client"), {"last_name": "Cô\u0000té"}, staff)
    assert list(refused.value.messages) == ["last_name"] and "NUL" in refused.value.messages["last_name"][0]


@pytest.mark.parametrize("url", ["/clients/?q=%00", "/search?q=a%00b", "/clients/?last_name__contains=%00",
                                 "/clients/lookup?q=%00"])
def test_a_nul_in_a_search_is_refused(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 400
    assert "cannot be saved" in response.get_data(as_text=True)


def test_french_users_read_the_message_in_french(app, make_user, login_as):
    client = login_as(make_user("staff", language="fr"))
    response = client.get("/clients/?q=%00")
    assert response.status_code == 400
    assert "ne peut pas être enregistré" in response.get_data(as_text=True)


# -- bodies --------------------------------------------------------------------------------------
def test_json_nested_ten_thousand_deep_is_refused(api):
    body = '{"last_name": ' + "[" * 10_000 + "]" * 10_000 + "}"
    response = api.post("/api/v1/clients", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "The JSON sent is nested too deeply."


@pytest.mark.parametrize("body, content_type", [
    ("[1, 2]", "application/json"), ('"text"', "application/json"), ("null", "application/json"),
    ("{not json", "application/json"), ('{"last_name": "Côté"}', "text/plain"),
    ("last_name=C%C3%B4t%C3%A9", "application/x-www-form-urlencoded"), (b"\xff\xfe{", "application/json"),
])
def test_a_body_that_is_not_a_json_object_is_refused(api, body, content_type):
    for method, url in (("post", "/api/v1/clients"), ("patch", "/api/v1/clients/1")):
        response = getattr(api, method)(url, data=body, content_type=content_type)
        assert response.status_code in {400, 404}, (method, body)
        assert response.get_json()["error"]
