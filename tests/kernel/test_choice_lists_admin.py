"""Editable choice lists: administrators change labels, order and options of every list; forms,
lists, filters, exports and validation follow at once; a deactivated option is no longer offered
but the records that hold it keep it."""

import csv
import io
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from kernel import records
from kernel.choices import ChoiceOption
from kernel.db import db
from kernel.registry import entities
from kernel.users import User
from plugins.clients.models import FILE_STATUSES, Client
from tests.conftest import TEST_PASSWORD, csrf_token_from

EDITOR = "/admin/choices/client_file_status"


class FormInputs(HTMLParser):
    """The (name, value) pairs a browser would send for the inputs of a page (checked boxes only)."""

    def __init__(self):
        super().__init__()
        self.pairs = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag != "input" or "name" not in attributes or attributes["name"] == "csrf_token":
            return
        if attributes.get("type") == "checkbox" and "checked" not in attributes:
            return
        self.pairs.append((attributes["name"], attributes.get("value") or ""))


def editor_form(client, url=EDITOR) -> dict[str, list[str]]:
    """The options editor's form as loaded, ready to be changed and posted."""
    parser = FormInputs()
    parser.feed(client.get(url).get_data(as_text=True))
    form: dict[str, list[str]] = {}
    for name, value in parser.pairs:
        form.setdefault(name, []).append(value)
    return form


def save(client, form, url=EDITOR):
    return client.post(url, data=form)


def page_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def offered_options(page: str, name: str = "file_status") -> list[str]:
    select_html = re.search(rf'<select id="field-{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]+)"', select_html)


def filter_options(page: str, name: str = "file_status") -> list[list[str]]:
    fields = json.loads(unescape(re.search(r"data-fields='([^']*)'", page).group(1)))
    return fields[name]["options"]


@pytest.fixture
def french_staff(make_user, login_as):
    user = make_user("staff", language="fr", email="francine@example.org")
    return user, login_as(user)


def add_client(user, **values) -> Client:
    record = records.create(entities().get("client"), {"last_name": "Tremblay", **values}, user)
    db.session.commit()
    return record


# -- access -------------------------------------------------------------------------------------
def test_only_administrators_edit_choice_lists(staff_client, readonly, login_as, admin_client):
    reader = login_as(readonly)
    for client in (staff_client, reader):
        assert client.get("/admin/choices").status_code == 403
        assert client.get(EDITOR).status_code == 403
        assert client.post(EDITOR, data={"values": ["open"], "label_fr:open": "X", "label_en:open": "X",
                                         "position:open": "1"}).status_code == 403
    overview = page_of(admin_client.get("/admin/choices"))
    assert "Clients · File status" in overview and "Clients · Gender" in overview
    assert admin_client.get("/admin/choices/no_such_list").status_code == 404


def test_the_editor_shows_the_declared_options_in_both_languages(admin_client):
    page = page_of(admin_client.get(EDITOR))
    assert 'value="Open"' in page and 'value="Ouvert"' in page
    assert 'name="active:closed" value="1" checked' in page


# -- labels -------------------------------------------------------------------------------------
def test_a_french_label_changes_the_form_list_filter_and_export(admin_client, french_staff, staff_client, staff):
    user, french = french_staff
    add_client(user, file_status="open")
    form = editor_form(admin_client)
    form["label_fr:open"] = ["Dossier ouvert"]
    response = save(admin_client, form)
    assert response.status_code == 302
    assert "Dossier ouvert" in page_of(admin_client.get(response.location))

    new_form = page_of(french.get("/clients/new"))
    assert '<option value="open" >Dossier ouvert</option>' in new_form
    listing = page_of(french.get("/clients/?cols=last_name,file_status"))
    assert "Dossier ouvert" in listing
    assert ["open", "Dossier ouvert"] in filter_options(listing)
    rows = list(csv.reader(io.StringIO(french.get("/clients/export.csv?cols=last_name,file_status")
                                       .get_data(as_text=True))))
    assert rows[1] == ["Tremblay", "Dossier ouvert"]
    # English users keep the English label
    assert "Dossier ouvert" not in page_of(staff_client.get("/clients/?cols=last_name,file_status"))
    assert '<option value="open" >Open</option>' in page_of(staff_client.get("/clients/new"))


def test_labels_are_required_and_limited(admin_client):
    form = editor_form(admin_client)
    form["label_en:open"] = [""]
    form["label_fr:closed"] = ["é" * 256]
    response = save(admin_client, form)
    assert response.status_code == 422
    page = page_of(response)
    assert "This field is required." in page and "At most 255 characters." in page
    assert 'value="Open"' not in page  # what was typed is shown again
    assert db.session.scalar(select(ChoiceOption)) is None
    assert not FILE_STATUSES.is_edited


# -- new options and order ----------------------------------------------------------------------
def test_an_added_option_is_offered_and_used(admin_client, staff_client):
    form = editor_form(admin_client)
    form.update(new_value=["archived"], new_label_fr=["Archivé"], new_label_en=["Archived"])
    assert save(admin_client, form).status_code == 302

    assert offered_options(page_of(staff_client.get("/clients/new")))[-1] == "archived"
    response = staff_client.post("/clients/new", data={"last_name": "Nanook", "file_status": "archived"})
    assert response.status_code == 302
    assert "Archived" in page_of(staff_client.get("/clients/?cols=last_name,file_status"))
    db.session.rollback()
    assert "archived" in FILE_STATUSES.values()  # outside a request the rows are read directly


@pytest.mark.parametrize("code, message", [
    ("open", "This list already has an option with this code."),
    ("a b", "Use letters, digits, hyphens and underscores"),
    ("x" * 51, "Use letters, digits, hyphens and underscores"),
])
def test_a_new_code_must_be_new_and_simple(admin_client, code, message):
    form = editor_form(admin_client)
    form.update(new_value=[code], new_label_fr=["Étiquette"], new_label_en=["Label"])
    response = save(admin_client, form)
    assert response.status_code == 422
    assert message in page_of(response)


def test_options_are_reordered(admin_client, staff_client):
    form = editor_form(admin_client)
    form["position:closed"] = ["0"]
    assert save(admin_client, form).status_code == 302
    assert offered_options(page_of(staff_client.get("/clients/new"))) == ["closed", "open", "in_progress", "on_hold"]


# -- deactivation -------------------------------------------------------------------------------
def test_a_deactivated_option_is_no_longer_offered_but_records_keep_it(admin_client, staff_client, staff,
                                                                       token_for, app):
    held = add_client(staff, file_status="on_hold")
    other = add_client(staff, last_name="Smith", file_status="open")
    form = editor_form(admin_client)
    del form["active:on_hold"]
    assert save(admin_client, form).status_code == 302

    new_form = page_of(staff_client.get("/clients/new"))
    assert "on_hold" not in offered_options(new_form)
    listing = page_of(staff_client.get("/clients/?cols=last_name,file_status"))
    assert "on_hold" not in [value for value, _label in filter_options(listing)]
    assert "On hold" in listing  # the record still shows its label
    assert "On hold" in page_of(staff_client.get(f"/clients/{held.id}"))
    refused = staff_client.post("/clients/new", data={"last_name": "New", "file_status": "on_hold"})
    assert refused.status_code == 422 and "Choose one of the options offered." in page_of(refused)

    edit_form = page_of(staff_client.get(f"/clients/{held.id}/edit"))
    assert '<option value="on_hold" selected>On hold</option>' in edit_form
    saved = staff_client.post(f"/clients/{held.id}/edit", data={
        "last_name": "Tremblay", "city": "Iqaluit", "file_status": "on_hold", "version": str(held.version)})
    assert saved.status_code == 302
    changed = staff_client.post(f"/clients/{other.id}/edit", data={
        "last_name": "Smith", "file_status": "on_hold", "version": str(other.version)})
    assert changed.status_code == 422

    headers = token_for(staff)
    api = app.test_client()
    assert api.patch(f"/api/v1/clients/{held.id}", headers=headers,
                     json={"file_status": "on_hold", "city": "Ottawa"}).status_code == 200
    assert api.patch(f"/api/v1/clients/{other.id}", headers=headers,
                     json={"file_status": "on_hold"}).status_code == 422
    db.session.rollback()
    kept = db.session.get(Client, held.id)
    assert (kept.file_status, kept.city) == ("on_hold", "Ottawa")
    assert "On hold" in page_of(staff_client.get("/clients/?file_status__in=on_hold&cols=last_name,file_status"))


# -- CSRF ---------------------------------------------------------------------------------------
def test_the_administration_forms_need_their_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        admin = User(email="csrf-admin@example.org", name="Casey Admin", role="administrator", language="en")
        admin.set_password(TEST_PASSWORD)
        db.session.add(admin)
        db.session.commit()
        client = app.test_client()
        token = csrf_token_from(client.get("/login").data)
        client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD, "csrf_token": token})
        form = editor_form(client)
        form["label_en:open"] = ["Opened"]
        assert save(client, form).status_code == 400
        assert client.post("/admin/fields/client/new", data={
            "key": "school", "kind": "text", "label_fr": "École", "label_en": "School"}).status_code == 400
        token = csrf_token_from(client.get(EDITOR).data)
        assert save(client, {**form, "csrf_token": [token]}).status_code == 302
        token = csrf_token_from(client.get("/admin/fields/client/new").data)
        assert client.post("/admin/fields/client/new", data={
            "key": "school", "kind": "text", "label_fr": "École", "label_en": "School", "csrf_token": token,
        }).status_code == 302
        db.session.remove()
