"""Closed records (``Entity.closing``): read-only through every door until a user allowed to
reopen them does so. Here the clients' entity is given a closing rule for the test."""

import pytest
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.entities import Closing
from kernel.history import RecordChange
from kernel.registry import entities
from plugins.clients.models import Client

HTMX = {"HX-Request": "true"}


@pytest.fixture
def closing(app, monkeypatch):
    entity = entities().get("client")
    rule = Closing(is_closed=lambda record: record.file_status == "closed", message="This file is closed.",
                   reopen_permission="clients.delete", reopen_values={"file_status": "open"})
    monkeypatch.setattr(entity, "closing", rule)
    return entity


def _closed_client(user) -> Client:
    entity = entities().get("client")
    record = records.create(entity, {"last_name": "Côté", "city": "Iqaluit"}, user)
    records.update(entity, record, {"file_status": "closed"}, user)  # closing is the last change allowed
    db.session.commit()
    return record


def _saved(record_id) -> Client:
    db.session.expire_all()
    return db.session.get(Client, record_id)


def test_a_closed_record_shows_why_and_offers_no_edit_or_delete(closing, staff, staff_client):
    record = _closed_client(staff)
    page = staff_client.get(f"/clients/{record.id}").get_data(as_text=True)
    assert "This file is closed." in page
    assert f'href="/clients/{record.id}/edit"' not in page
    assert f"/clients/{record.id}/delete" not in page
    assert 'class="inline-edit"' not in page
    assert f"/clients/{record.id}/reopen" not in page  # staff may not delete clients, so may not reopen


def test_forms_inline_edit_and_delete_refuse_a_closed_record(closing, staff, admin_client):
    record = _closed_client(staff)
    edit = admin_client.post(f"/clients/{record.id}/edit",
                             data={"last_name": "Tremblay", "version": str(record.version)})
    assert edit.status_code == 302
    assert "This file is closed." in admin_client.get(edit.headers["Location"]).get_data(as_text=True)
    inline = admin_client.post(f"/clients/{record.id}/fields/city",
                               data={"city": "Nuuk", "version": str(record.version)}, headers=HTMX)
    assert inline.status_code == 422 and "This file is closed." in inline.get_data(as_text=True)
    assert admin_client.get(f"/clients/{record.id}/fields/city/edit", headers=HTMX).status_code == 409
    admin_client.post(f"/clients/{record.id}/delete", data={"version": str(record.version)})
    saved = _saved(record.id)
    assert (saved.last_name, saved.city, saved.deleted_at) == ("Côté", "Iqaluit", None)


def test_mass_actions_refuse_a_closed_record(closing, staff, admin_client):
    record = _closed_client(staff)
    admin_client.post("/clients/mass", data={"action": "delete", "ids": str(record.id)})
    assert _saved(record.id).deleted_at is None


def test_the_api_answers_409_and_changes_nothing(closing, staff, admin, token_for, app):
    record = _closed_client(staff)
    api = app.test_client()
    headers = token_for(admin)
    patched = api.patch(f"/api/v1/clients/{record.id}", json={"city": "Nuuk"}, headers=headers)
    assert patched.status_code == 409 and "This file is closed." in patched.get_json()["error"]
    assert api.delete(f"/api/v1/clients/{record.id}", headers=headers).status_code == 409
    saved = _saved(record.id)
    assert saved.city == "Iqaluit" and saved.deleted_at is None


def test_a_user_allowed_to_reopen_does_so_and_it_is_in_the_history(closing, staff, admin, admin_client):
    record = _closed_client(staff)
    page = admin_client.get(f"/clients/{record.id}").get_data(as_text=True)
    assert f"/clients/{record.id}/reopen" in page
    admin_client.post(f"/clients/{record.id}/reopen", data={"version": str(record.version)})
    assert _saved(record.id).file_status == "open"
    changes = db.session.scalars(select(RecordChange).where(RecordChange.record_id == record.id)).all()
    assert any(change.field == "file_status" and change.new_value == "open" for change in changes)
    assert admin_client.post(f"/clients/{record.id}/edit",
                             data={"last_name": "Tremblay", "version": str(_saved(record.id).version)}
                             ).status_code == 302
    assert _saved(record.id).last_name == "Tremblay"


def test_someone_without_the_reopen_permission_is_refused(closing, staff, staff_client):
    record = _closed_client(staff)
    assert staff_client.post(f"/clients/{record.id}/reopen", data={"version": str(record.version)}).status_code == 403
    assert _saved(record.id).file_status == "closed"


def test_panels_offer_no_add_button_on_a_closed_record(closing, staff, admin_client):
    import re

    def add_links(record_id):
        page = admin_client.get(f"/clients/{record_id}").get_data(as_text=True)
        return [link for link in re.findall(r'href="([^"]+/new\?[^"]+)"', page)
                if f"client:{record_id}" in link or f"client%3A{record_id}" in link]

    entity = entities().get("client")
    open_client = records.create(entity, {"last_name": "Ouverte"}, staff)
    db.session.commit()
    assert add_links(open_client.id)  # "Schedule a call", a participation… already linked to the client
    assert add_links(_closed_client(staff).id) == []
