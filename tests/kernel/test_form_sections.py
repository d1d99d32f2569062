"""Form sections: a plugin adds a part to another entity's create and edit form (hook
``passerelle_form_sections``); its values are saved with the record in the same save, its errors
refuse the save together with the record's, and its changes are in the record's history."""

import types

import pytest
from sqlalchemy import func, select

from kernel import hookimpl
from kernel.db import db
from kernel.form_sections import FormSection
from kernel.history import RecordChange
from kernel.registry import entities
from tests.conftest import login

TEMPLATE = """<label for="nicknames">Nicknames</label>
<input id="nicknames" name="nicknames" value="{{ values.text }}">
{% if errors.get("nicknames") %}<p class="error" id="nicknames-error">{{ errors["nicknames"]|join(" ") }}</p>{% endif %}"""


@pytest.fixture
def nicknames_plugin(tmp_path):
    """Keeps clients' nicknames in a dict (a plugin would keep them in its table)."""
    folder = tmp_path / "nicknames_plugin"
    (folder / "templates" / "nicknames").mkdir(parents=True)
    (folder / "templates" / "nicknames" / "section.html").write_text(TEMPLATE, encoding="utf-8")
    plugin = types.ModuleType("nicknames_plugin")
    plugin.__file__ = str(folder / "__init__.py")
    plugin.stored, plugin.saved_changes = {}, []

    def read(record):
        return {"text": plugin.stored.get(record.id, "") if record is not None else ""}

    def parse(form, record):
        text = form.get("nicknames", "")
        return {"text": text}, ({"nicknames": ["No digits in a nickname."]} if any(c.isdigit() for c in text) else {})

    def save(record, values, user):
        old = plugin.stored.get(record.id, "")
        plugin.stored[record.id] = values["text"]
        return {"nicknames": (old or None, values["text"] or None)} if old != values["text"] else {}

    def passerelle_form_sections(entity, record, user):
        if entity.name != "client":
            return None
        return [FormSection("nicknames", "Nicknames", "nicknames/section.html", read, parse, save)]

    def passerelle_record_saved(entity, record, created, changes, user):
        plugin.saved_changes.append(changes)

    plugin.passerelle_form_sections = hookimpl(passerelle_form_sections)
    plugin.passerelle_record_saved = hookimpl(passerelle_record_saved)
    return plugin


@pytest.fixture
def client_and_plugin(make_app, make_user, nicknames_plugin):
    app = make_app(extra_plugins={"nicknames": nicknames_plugin}, PASSERELLE_PLUGINS="clients,nicknames")
    with app.app_context():
        yield login(app.test_client(), make_user("staff")), nicknames_plugin


def test_the_section_is_in_the_form_and_saved_with_the_record(client_and_plugin):
    client, plugin = client_and_plugin
    form = client.get("/clients/new").get_data(as_text=True)
    assert '<h2 id="section-nicknames-title">Nicknames</h2>' in form
    assert '<input type="hidden" name="form_section" value="nicknames">' in form
    response = client.post("/clients/new", data={"first_name": "Zoé", "last_name": "Côté",
                                                 "form_section": "nicknames", "nicknames": "Zozo"})
    assert response.status_code == 302
    record_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert plugin.stored == {record_id: "Zozo"}
    assert plugin.saved_changes[-1]["nicknames"] == (None, "Zozo")  # the save hook sees it with the record's
    assert 'value="Zozo"' in client.get(f"/clients/{record_id}/edit").get_data(as_text=True)

    model = entities().get("client").model
    response = client.post(f"/clients/{record_id}/edit", data={
        "first_name": "Zoé", "last_name": "Côté", "version": "1", "form_section": "nicknames", "nicknames": "Zed"})
    assert response.status_code == 302
    assert db.session.get(model, record_id).version == 2  # only the section changed: a stale form is still refused
    change = db.session.scalar(select(RecordChange).where(RecordChange.record_id == record_id,
                                                          RecordChange.field == "nicknames"))
    assert (change.old_value, change.new_value) == ("Zozo", "Zed")
    assert "<td>Nicknames</td>" in client.get(f"/clients/{record_id}").get_data(as_text=True)


def test_a_section_error_refuses_the_save_with_the_records_errors_and_keeps_the_input(client_and_plugin):
    client, plugin = client_and_plugin
    response = client.post("/clients/new", data={"first_name": "Zoé", "last_name": "",
                                                 "form_section": "nicknames", "nicknames": "R2D2"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="nicknames-error">No digits in a nickname.</p>' in page
    assert 'id="field-last_name-error"' in page and 'value="R2D2"' in page
    assert plugin.stored == {}
    assert db.session.scalar(select(func.count()).select_from(entities().get("client").model)) == 0


def test_a_form_without_the_section_leaves_it_alone(client_and_plugin):
    client, plugin = client_and_plugin
    response = client.post("/clients/new", data={"first_name": "Zoé", "last_name": "Côté", "nicknames": "Zozo"})
    assert response.status_code == 302
    assert plugin.stored == {}
