"""The REST API of the clients entity: authentication, permissions, lists, create, read, update, delete."""

import pytest
from flask import g
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.clients.models import Client

URL = "/api/v1/clients"


@pytest.fixture
def api(app):
    return app.test_client()


@pytest.fixture
def staff_token(staff, token_for):
    return token_for(staff)


def _add(user, *rows):
    entity = entities().get("client")
    created = [records.create(entity, row, user) for row in rows]
    db.session.commit()
    return [record.id for record in created]


def _row(record_id) -> Client:
    db.session.expire_all()
    return db.session.get(Client, record_id)


# Authentication and permissions

@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer psl_not-a-real-token"},
    {"Authorization": "Bearer "},
    {"Authorization": "Basic cGF0cmljazpwYXNzd29yZA=="},
    {"Authorization": "psl_without_scheme"},
])
def test_a_missing_or_bad_token_answers_401(api, staff, headers):
    headers = {**headers, "Accept-Language": "en"}
    for response in (api.get(URL, headers=headers), api.post(URL, json={"last_name": "X"}, headers=headers),
                     api.get(f"{URL}/1", headers=headers)):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "API token" in response.get_json()["error"]
    assert db.session.scalar(select(Client)) is None


def test_the_401_message_follows_the_language_asked_for(api):
    response = api.get(URL, headers={"Accept-Language": "fr"})
    assert response.status_code == 401
    assert response.get_json()["error"].startswith("Un jeton d'API valide est requis")


def test_a_logged_in_browser_session_is_not_enough_for_the_api(staff_client):
    assert staff_client.get(URL).status_code == 401


def test_the_token_of_a_deactivated_user_stops_working(api, staff, staff_token):
    assert api.get(URL, headers=staff_token).status_code == 200
    staff.active = False
    db.session.merge(staff)
    db.session.commit()
    assert api.get(URL, headers=staff_token).status_code == 401


def test_a_readonly_user_can_read_but_not_write(api, readonly, staff, token_for):
    (record_id,) = _add(staff, {"last_name": "Noël"})
    headers = token_for(readonly)
    assert api.get(URL, headers=headers).status_code == 200
    assert api.get(f"{URL}/{record_id}", headers=headers).status_code == 200

    created = api.post(URL, json={"last_name": "Côté"}, headers=headers)
    assert created.status_code == 403
    assert created.get_json() == {"error": "You are not allowed to do this."}
    assert api.patch(f"{URL}/{record_id}", json={"city": "Iqaluit"}, headers=headers).status_code == 403
    assert api.delete(f"{URL}/{record_id}", headers=headers).status_code == 403
    assert [client.last_name for client in db.session.scalars(select(Client))] == ["Noël"]
    assert _row(record_id).city is None and _row(record_id).deleted_at is None


def test_staff_cannot_delete_but_a_supervisor_can(api, staff, staff_token, make_user, token_for):
    (record_id,) = _add(staff, {"last_name": "Noël"})
    assert api.delete(f"{URL}/{record_id}", headers=staff_token).status_code == 403
    assert _row(record_id).deleted_at is None
    assert api.delete(f"{URL}/{record_id}", headers=token_for(make_user("supervisor"))).status_code == 204


def test_an_unknown_entity_is_404(api, staff_token):
    response = api.get("/api/v1/unicorns", headers=staff_token)
    assert response.status_code == 404
    assert response.is_json


# Lists

def test_the_list_is_paginated(api, staff, staff_token):
    _add(staff, *({"first_name": f"Person{i:02d}", "last_name": f"Name{i:02d}"} for i in range(25)))
    first = api.get(URL, headers=staff_token).get_json()
    assert first["total"] == 25 and first["page"] == 1 and first["per_page"] == 20 and first["pages"] == 2
    assert len(first["items"]) == 20

    third = api.get(URL, query_string={"per_page": 10, "page": 3}, headers=staff_token).get_json()
    assert (third["total"], third["page"], third["per_page"], third["pages"]) == (25, 3, 10, 3)
    assert [item["last_name"] for item in third["items"]] == ["Name20", "Name21", "Name22", "Name23", "Name24"]


def test_quick_search_ignores_accents_and_case(api, staff, staff_token):
    _add(staff, {"first_name": "Émile", "last_name": "Noël"}, {"first_name": "Zoé", "last_name": "Côté"},
         {"first_name": "John", "last_name": "Smith"})
    found = api.get(URL, query_string={"q": "emile"}, headers=staff_token).get_json()
    assert [(item["first_name"], item["last_name"]) for item in found["items"]] == [("Émile", "Noël")]
    assert found["total"] == 1
    found = api.get(URL, query_string={"q": "COTE zoe"}, headers=staff_token).get_json()
    assert [item["last_name"] for item in found["items"]] == ["Côté"]


def test_field_filters(api, staff, staff_token):
    _add(staff, {"last_name": "Open1", "file_status": "open"}, {"last_name": "Closed", "file_status": "closed"},
         {"last_name": "Open2", "file_status": "open"}, {"last_name": "Nothing"})
    found = api.get(URL, query_string={"file_status": "open"}, headers=staff_token).get_json()
    assert [item["last_name"] for item in found["items"]] == ["Open1", "Open2"]
    assert found["total"] == 2
    both = api.get(URL, query_string={"file_status": "open", "q": "open2"}, headers=staff_token).get_json()
    assert [item["last_name"] for item in both["items"]] == ["Open2"]


def test_a_bad_filter_value_is_422(api, staff_token):
    response = api.get(URL, query_string={"cv_up_to_date": "perhaps"}, headers=staff_token)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["cv_up_to_date"]


def test_sorting(api, staff, staff_token):
    _add(staff, {"last_name": "Bouchard"}, {"last_name": "Arsenault"}, {"last_name": "Cormier"})
    ascending = api.get(URL, headers=staff_token).get_json()
    assert [item["last_name"] for item in ascending["items"]] == ["Arsenault", "Bouchard", "Cormier"]
    descending = api.get(URL, query_string={"sort": "-last_name"}, headers=staff_token).get_json()
    assert [item["last_name"] for item in descending["items"]] == ["Cormier", "Bouchard", "Arsenault"]


def test_deleted_records_are_not_listed(api, staff, staff_token, admin, token_for):
    kept, gone = _add(staff, {"last_name": "Kept"}, {"last_name": "Gone"})
    assert api.delete(f"{URL}/{gone}", headers=token_for(admin)).status_code == 204
    listed = api.get(URL, headers=staff_token).get_json()
    assert [item["id"] for item in listed["items"]] == [kept] and listed["total"] == 1


# Create

def test_post_creates_a_record(api, staff, staff_token):
    response = api.post(URL, headers=staff_token, json={
        "first_name": "Émile", "last_name": "Noël", "email": "Emile@Example.org", "phone": "867 979 1234",
        "file_status": "open", "cv_up_to_date": True, "date_of_birth": "1990-04-01"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] and body["version"] == 1
    assert body["last_name"] == "Noël" and body["phone"] == "(867) 979-1234"
    assert body["date_of_birth"] == "1990-04-01" and body["cv_up_to_date"] is True
    assert body["created_by_id"] == staff.id and body["assigned_user_id"] == staff.id
    assert response.headers["Location"].endswith(f"{URL}/{body['id']}")
    assert response.headers["ETag"] == '"1"'

    row = _row(body["id"])
    assert row.first_name == "Émile" and row.file_status == "open" and row.created_by_id == staff.id
    fetched = api.get(response.headers["Location"], headers=staff_token)
    assert fetched.status_code == 200 and fetched.get_json() == body


def test_read_only_keys_are_ignored_on_post(api, staff_token):
    response = api.post(URL, headers=staff_token, json={"last_name": "Noël", "id": 999, "version": 42})
    assert response.status_code == 201
    assert response.get_json()["id"] != 999 and response.get_json()["version"] == 1


@pytest.mark.parametrize("body, field, message", [
    ({"first_name": "Émile"}, "last_name", "This field is required."),
    ({"last_name": "   "}, "last_name", "This field is required."),
    ({"last_name": None}, "last_name", "This field is required."),
    ({"last_name": "Noël", "email": "not-an-email"}, "email", "Enter a valid e-mail address"),
    ({"last_name": "Noël", "shoe_size": 44}, "shoe_size", "This field does not exist."),
    ({"last_name": "Noël", "file_status": "lost"}, "file_status", "Choose one of the options offered."),
    ({"last_name": "Noël", "date_of_birth": "yesterday"}, "date_of_birth", "Enter a valid date."),
    ({"last_name": "x" * 256}, "last_name", "At most 255 characters."),
])
def test_post_invalid_answers_422_with_errors_by_field(api, staff_token, body, field, message):
    response = api.post(URL, headers=staff_token, json=body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert field in errors
    assert isinstance(errors[field], list) and all(isinstance(text, str) for text in errors[field])
    assert any(text.startswith(message) for text in errors[field]), errors
    assert db.session.scalar(select(Client)) is None


def test_errors_are_in_the_language_of_the_token_owner(api, make_user, token_for):
    headers = token_for(make_user("staff", language="fr"))
    response = api.post(URL, headers=headers, json={"last_name": "", "email": "x"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["last_name"] == ["Ce champ est obligatoire."]
    assert any(text.startswith("Saisissez une adresse courriel valide") for text in errors["email"])


@pytest.mark.parametrize("data, content_type", [
    ("not json", "application/json"), ("[1, 2]", "application/json"), ("last_name=Noël", "text/plain"),
])
def test_post_something_else_than_a_json_object_is_400(api, staff_token, data, content_type):
    response = api.post(URL, headers=staff_token, data=data, content_type=content_type)
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]


# Read, update, delete

def test_get_one_with_etag(api, staff, staff_token):
    (record_id,) = _add(staff, {"first_name": "Zoé", "last_name": "Côté"})
    response = api.get(f"{URL}/{record_id}", headers=staff_token)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.get_json()["last_name"] == "Côté" and response.get_json()["version"] == 1
    assert api.get(f"{URL}/{record_id + 100}", headers=staff_token).status_code == 404


def test_patch_with_the_current_version_saves_and_increments_it(api, staff, staff_token):
    (record_id,) = _add(staff, {"first_name": "Zoé", "last_name": "Côté"})
    etag = api.get(f"{URL}/{record_id}", headers=staff_token).headers["ETag"]
    response = api.patch(f"{URL}/{record_id}", json={"city": "Iqaluit"},
                         headers={**staff_token, "If-Match": etag})
    assert response.status_code == 200
    body = response.get_json()
    assert body["city"] == "Iqaluit" and body["first_name"] == "Zoé" and body["version"] == 2
    assert response.headers["ETag"] == '"2"'
    row = _row(record_id)
    assert (row.city, row.first_name, row.version) == ("Iqaluit", "Zoé", 2)

    weak = api.patch(f"{URL}/{record_id}", json={"city": "Pangnirtung"},
                     headers={**staff_token, "If-Match": 'W/"2"'})
    assert weak.status_code == 200 and weak.get_json()["version"] == 3


def test_patch_with_a_stale_version_is_412_and_changes_nothing(api, staff, staff_token):
    (record_id,) = _add(staff, {"last_name": "Côté", "city": "Iqaluit"})
    assert api.patch(f"{URL}/{record_id}", json={"city": "Rankin Inlet"},
                     headers={**staff_token, "If-Match": '"1"'}).status_code == 200

    stale = api.patch(f"{URL}/{record_id}", json={"city": "Cambridge Bay"},
                      headers={**staff_token, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.get_json()["version"] == 2
    row = _row(record_id)
    assert (row.city, row.version) == ("Rankin Inlet", 2)


def test_patch_with_the_version_in_the_body(api, staff, staff_token):
    (record_id,) = _add(staff, {"last_name": "Côté"})
    assert api.patch(f"{URL}/{record_id}", json={"city": "Iqaluit", "version": 7},
                     headers=staff_token).status_code == 412
    assert _row(record_id).city is None
    ok = api.patch(f"{URL}/{record_id}", json={"city": "Iqaluit", "version": 1}, headers=staff_token)
    assert ok.status_code == 200 and ok.get_json()["version"] == 2


def test_patch_invalid_is_422_and_changes_nothing(api, staff, staff_token):
    (record_id,) = _add(staff, {"last_name": "Côté", "email": "zoe@example.org"})
    response = api.patch(f"{URL}/{record_id}", json={"email": "nope", "last_name": ""},
                         headers={**staff_token, "If-Match": '"1"'})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"email", "last_name"}
    row = _row(record_id)
    assert (row.email, row.last_name, row.version) == ("zoe@example.org", "Côté", 1)


def test_delete_moves_the_record_to_the_trash(api, staff, admin, token_for):
    (record_id,) = _add(staff, {"last_name": "Côté"})
    headers = token_for(admin)
    response = api.delete(f"{URL}/{record_id}", headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 204
    assert response.data == b""
    assert api.get(f"{URL}/{record_id}", headers=headers).status_code == 404
    assert api.patch(f"{URL}/{record_id}", json={"city": "X"}, headers=headers).status_code == 404
    assert api.delete(f"{URL}/{record_id}", headers=headers).status_code == 404
    row = _row(record_id)
    assert row is not None and row.last_name == "Côté"
    assert row.deleted_at is not None and row.updated_by_id == admin.id


def test_delete_with_a_stale_version_is_412(api, staff, admin, token_for):
    (record_id,) = _add(staff, {"last_name": "Côté"})
    response = api.delete(f"{URL}/{record_id}", headers={**token_for(admin), "If-Match": '"5"'})
    assert response.status_code == 412
    assert _row(record_id).deleted_at is None


def test_a_read_sends_the_token_and_the_custom_fields_in_one_statement(api, staff, staff_token):
    """Issue 18: the custom fields' definitions, which every records' API request needs, ride on
    the token's statement (one round trip fewer for each API request)."""
    from kernel.custom_fields import CustomField
    from tests.statements import statements_sent

    db.session.add(CustomField(entity="client", key="badge", kind="text", label_en="Badge", label_fr="Badge"))
    db.session.commit()
    [person] = _add(staff, {"first_name": "Ann", "last_name": "Lavoie", "badge": "B-7"})
    api.get(f"{URL}/{person}", headers=staff_token)
    with statements_sent() as sent:
        answer = api.get(f"{URL}/{person}", headers=staff_token)
    assert answer.status_code == 200 and answer.get_json()["badge"] == "B-7"
    reads = [statement for statement in sent if statement.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1, "\n---\n".join(reads)  # the token, the definitions and the record
    assert "api_tokens" in reads[0] and "custom_fields" in reads[0] and "clients" in reads[0]


def test_a_save_reads_the_token_and_the_record_in_one_statement(api, staff, staff_token):
    """Issue 18: the record an address names rides on the token's statement, into the session;
    the save then changes it without reading it again."""
    from tests.statements import statements_sent

    [person] = _add(staff, {"first_name": "Ann", "last_name": "Lavoie"})
    version = api.get(f"{URL}/{person}", headers=staff_token).headers["ETag"]
    db.session.remove()  # tests share one application context: nothing of the read is left for the save
    g.pop("api_record_read", None)
    with statements_sent() as sent:
        answer = api.patch(f"{URL}/{person}", json={"city": "Iqaluit"}, headers={**staff_token, "If-Match": version})
    assert answer.status_code == 200 and answer.get_json()["city"] == "Iqaluit"
    reads = [statement for statement in sent if statement.lstrip().upper().startswith("SELECT")]
    assert "api_tokens" in reads[0] and "clients" in reads[0]
    assert not any("FROM clients" in statement for statement in reads[1:]), "\n---\n".join(reads)
    assert _row(person).city == "Iqaluit"


def test_a_stale_save_is_refused_without_reading_the_user_or_the_record_again(api, staff, staff_token):
    """Issue 18: the 412 is worded before the rollback, which expires the token's user (its
    language) and the record (its version): the token's statement is the only read."""
    from tests.statements import statements_sent

    [person] = _add(staff, {"first_name": "Ann", "last_name": "Lavoie"})
    assert api.patch(f"{URL}/{person}", json={"city": "Iqaluit"},
                     headers={**staff_token, "If-Match": '"1"'}).status_code == 200
    db.session.remove()
    g.pop("api_record_read", None)
    with statements_sent() as sent:
        answer = api.patch(f"{URL}/{person}", json={"city": "Igloolik"}, headers={**staff_token, "If-Match": '"1"'})
    assert answer.status_code == 412
    assert answer.get_json() == {"version": 2, "error": {
        "fr": "Quelqu'un a modifié cette fiche depuis que vous l'avez lue ; relisez-la et réessayez.",
        "en": "Someone changed this record since you read it; read it again and retry."}[staff.language]}
    reads = [statement for statement in sent if statement.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "api_tokens" in reads[0], "\n---\n".join(reads)
    assert _row(person).city == "Iqaluit"


def test_the_record_read_with_the_token_is_shown_only_to_whom_may_see_it(api, staff, make_user, token_for,
                                                                        monkeypatch):
    """The record an address names is read with the token, before any permission is checked: a
    token that does not work, or a user who may not see the record, gets no part of it."""
    from datetime import timedelta

    from kernel.db import utcnow
    from kernel.users import ApiToken, User

    [person] = _add(staff, {"first_name": "Ann", "last_name": "Secret-Lavoie"})
    path = f"{URL}/{person}"
    expired, deactivated = make_user(email="expired@example.org"), make_user(email="gone@example.org")
    expired_token, deactivated_token = token_for(expired), token_for(deactivated)
    db.session.get(ApiToken, db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == expired.id))
                   ).expires_at = utcnow() - timedelta(minutes=1)
    db.session.get(User, deactivated.id).active = False
    db.session.commit()
    for headers in (expired_token, deactivated_token, {"Authorization": "Bearer psl_not-a-real-token"}):
        response = api.get(path, headers=headers)
        assert response.status_code == 401 and b"Secret-Lavoie" not in response.data

    no_clients = make_user(email="no-clients@example.org")
    headers = {**token_for(no_clients), "Accept-Language": "en"}
    refuses_clients = User.can
    monkeypatch.setattr(User, "can", lambda user, permission: (
        user.id != no_clients.id or not permission.startswith("clients.")) and refuses_clients(user, permission))
    for response in (api.get(path, headers=headers), api.patch(path, json={"city": "X"}, headers=headers),
                     api.delete(path, headers=headers)):
        assert response.status_code == 403 and b"Secret-Lavoie" not in response.data
    assert _row(person).city is None and _row(person).deleted_at is None


def test_an_address_naming_no_record_answers_404_with_a_good_token(api, staff, staff_token):
    [person] = _add(staff, {"last_name": "Lavoie"})
    assert api.get(f"{URL}/{person + 1000}", headers=staff_token).status_code == 404
    assert api.patch(f"{URL}/{person + 1000}", json={"city": "X"}, headers=staff_token).status_code == 404
    records.delete(entities().get("client"), db.session.get(Client, person), staff)
    db.session.commit()
    assert api.get(f"{URL}/{person}", headers=staff_token).status_code == 404
