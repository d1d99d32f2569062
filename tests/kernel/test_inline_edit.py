"""Inline editing: the pencil beside a field of a detail page turns it into a one-field form that
saves through the same validation and optimistic locking as the edit form."""

import re

from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.history import RecordChange
from kernel.registry import entities
from plugins.clients.models import Client

HTMX = {"HX-Request": "true"}


def _client(user, **values):
    record = records.create(entities().get("client"), {"last_name": "Côté", **values}, user)
    db.session.commit()
    return record


def _saved(record_id) -> Client:
    db.session.expire_all()
    return db.session.get(Client, record_id)


def _field_view(page: str, name: str) -> str:
    match = re.search(rf'<div class="field-view[^"]*" id="field-view-{name}".*?</div>', page, re.S)
    assert match, f"no field {name} in the page"
    return match.group(0)


def test_each_editable_field_has_a_pencil_that_falls_back_to_the_edit_form(staff_client, staff):
    record = _client(staff, city="Iqaluit")
    page = staff_client.get(f"/clients/{record.id}").get_data(as_text=True)
    city = _field_view(page, "city")
    assert "Iqaluit" in city
    assert f'href="/clients/{record.id}/edit#field-city"' in city
    assert f'hx-get="/clients/{record.id}/fields/city/edit"' in city
    assert 'aria-label="Edit City"' in city
    assert page.count('class="inline-edit"') == len(entities().get("client").editable_fields)
    assert 'id="record-history"' in page and 'hx-trigger="record-saved from:body"' in page


def test_no_pencil_for_someone_who_may_not_edit(staff, readonly, login_as):
    record = _client(staff, city="Iqaluit")
    reader = login_as(readonly)
    assert 'class="inline-edit"' not in reader.get(f"/clients/{record.id}").get_data(as_text=True)
    assert reader.get(f"/clients/{record.id}/fields/city/edit", headers=HTMX).status_code == 403
    refused = reader.post(f"/clients/{record.id}/fields/city", data={"city": "Nuuk", "version": "1"}, headers=HTMX)
    assert refused.status_code == 403 and _saved(record.id).city == "Iqaluit"


def test_the_pencil_opens_a_one_field_form_with_the_version(staff_client, staff):
    record = _client(staff, city="Iqaluit")
    response = staff_client.get(f"/clients/{record.id}/fields/city/edit", headers=HTMX)
    assert response.status_code == 200
    form = response.get_data(as_text=True)
    assert 'id="field-view-city"' in form and "<html" not in form
    assert f'hx-post="/clients/{record.id}/fields/city"' in form
    assert 'name="csrf_token"' in form and 'name="version" value="1"' in form
    assert 'name="city" value="Iqaluit"' in form
    assert 'name="last_name"' not in form
    assert f'hx-get="/clients/{record.id}/fields/city"' in form  # cancel
    assert 'hx-trigger="click, inline-cancel" data-inline-cancel' in form  # Escape sends inline-cancel (app.js)


def test_saving_swaps_back_the_new_value_and_writes_the_history(staff_client, staff):
    record = _client(staff, city="Iqaluit", cv_up_to_date=True)
    response = staff_client.post(f"/clients/{record.id}/fields/city",
                                 data={"city": "Rankin Inlet", "version": "1"}, headers=HTMX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "Rankin Inlet" in _field_view(fragment, "city") and "<form" not in _field_view(fragment, "city")
    assert 'name="version" value="2"' in fragment and 'hx-swap-oob="outerHTML:input[data-record-version]"' in fragment
    assert '<h1 id="record-title" hx-swap-oob="true">' in fragment
    assert response.headers["HX-Trigger"] == "record-saved"  # the page's history reloads
    saved = _saved(record.id)
    assert (saved.city, saved.version, saved.last_name, saved.cv_up_to_date) == ("Rankin Inlet", 2, "Côté", True)
    change = db.session.scalar(select(RecordChange).where(RecordChange.field == "city"))
    assert (change.old_value, change.new_value, change.user_id) == ("Iqaluit", "Rankin Inlet", staff.id)


def test_a_choice_and_a_checkbox_save_alone(staff_client, staff):
    record = _client(staff, city="Iqaluit", cv_up_to_date=True)
    unchecked = staff_client.post(f"/clients/{record.id}/fields/cv_up_to_date", data={"version": "1"}, headers=HTMX)
    assert unchecked.status_code == 200 and "No" in _field_view(unchecked.get_data(as_text=True), "cv_up_to_date")
    chosen = staff_client.post(f"/clients/{record.id}/fields/file_status",
                               data={"file_status": "on_hold", "version": "2"}, headers=HTMX)
    assert "On hold" in _field_view(chosen.get_data(as_text=True), "file_status")
    saved = _saved(record.id)
    assert (saved.cv_up_to_date, saved.file_status, saved.city) == (False, "on_hold", "Iqaluit")


def test_a_validation_error_is_shown_in_place_in_the_users_language(make_user, login_as):
    french = make_user("staff", language="fr")
    record = _client(french, email="zoe@example.org")
    client = login_as(french)
    response = client.post(f"/clients/{record.id}/fields/email",
                           data={"email": "not an address", "version": "1"}, headers=HTMX)
    assert response.status_code == 422
    fragment = response.get_data(as_text=True)
    assert 'value="not an address"' in fragment and 'aria-invalid="true"' in fragment
    assert "Saisissez une adresse courriel valide, comme nom@example.org." in fragment
    assert _saved(record.id).email == "zoe@example.org"

    emptied = client.post(f"/clients/{record.id}/fields/last_name", data={"last_name": "", "version": "1"},
                          headers=HTMX)
    assert emptied.status_code == 422 and "Ce champ est obligatoire." in emptied.get_data(as_text=True)
    assert _saved(record.id).last_name == "Côté"


def test_a_stale_version_shows_the_conflict_and_keeps_the_typed_value(staff_client, staff, make_user, login_as):
    record = _client(staff, city="Iqaluit")
    colleague = login_as(make_user("staff", name="Colleague"))
    assert colleague.post(f"/clients/{record.id}/fields/city", data={"city": "Rankin Inlet", "version": "1"},
                          headers=HTMX).status_code == 200

    response = staff_client.post(f"/clients/{record.id}/fields/city",
                                 data={"city": "Cambridge Bay", "version": "1"}, headers=HTMX)
    assert response.status_code == 409
    fragment = response.get_data(as_text=True)
    assert "Someone else saved this record while you were editing it" in fragment
    assert "Value saved by the other person: Rankin Inlet" in fragment
    assert 'value="Cambridge Bay"' in fragment and 'name="version" value="2"' in fragment
    assert _saved(record.id).city == "Rankin Inlet"

    again = staff_client.post(f"/clients/{record.id}/fields/city",
                              data={"city": "Cambridge Bay", "version": "2"}, headers=HTMX)
    assert again.status_code == 200 and _saved(record.id).city == "Cambridge Bay"


def test_cancel_puts_the_value_back(staff_client, staff):
    record = _client(staff, city="Iqaluit")
    response = staff_client.get(f"/clients/{record.id}/fields/city", headers=HTMX)
    assert response.status_code == 200
    view = _field_view(response.get_data(as_text=True), "city")
    assert "Iqaluit" in view and "<form" not in view and 'class="inline-edit"' in view


def test_unknown_or_read_only_fields_and_trashed_records_are_not_found(staff_client, staff, admin_client):
    record = _client(staff)
    assert staff_client.get(f"/clients/{record.id}/fields/nosuch/edit").status_code == 404
    assert staff_client.get(f"/clients/{record.id}/fields/search_text/edit").status_code == 404
    admin_client.post(f"/clients/{record.id}/delete", data={"version": "1"})
    assert staff_client.post(f"/clients/{record.id}/fields/city", data={"city": "X", "version": "1"},
                             headers=HTMX).status_code == 404
