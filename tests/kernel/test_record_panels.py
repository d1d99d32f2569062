"""Record panels: a plugin adds sections to another plugin's detail page (hook
``passerelle_record_panels``) without any change to the kernel or to that plugin."""

import re
import types

import pytest

from kernel import hookimpl, records
from kernel.db import db
from kernel.panels import Panel
from kernel.registry import entities
from tests.conftest import login

NOTES_TEMPLATE = """<ul class="notes">{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul>
<p class="about">{{ _("Notes about") }} {{ entity.title_of(record) }}</p>"""


@pytest.fixture
def notes_plugin(tmp_path):
    """A plugin living in a temporary folder, with a template for its panel, that adds a "Notes"
    panel (with a button) and a "Reminders" panel to clients, and shows nothing to read-only users."""
    folder = tmp_path / "notes_plugin"
    (folder / "templates" / "notes").mkdir(parents=True)
    (folder / "templates" / "notes" / "panel.html").write_text(NOTES_TEMPLATE, encoding="utf-8")
    (folder / "templates" / "notes" / "reminders.html").write_text("<p>No reminder.</p>", encoding="utf-8")
    plugin = types.ModuleType("notes_plugin")
    plugin.__file__ = str(folder / "__init__.py")

    def passerelle_record_panels(entity, record, user):
        if entity.name != "client" or user.role == "readonly":
            return None
        return [
            Panel(key="reminders", title="Reminders", template="notes/reminders.html", order=200),
            Panel(key="notes", title="Notes", template="notes/panel.html",
                  context={"notes": [f"Called {record.first_name}", "Sent the CV"]},
                  actions=[("Add a note", f"/notes/new?client={record.id}")], order=10),
        ]

    plugin.passerelle_record_panels = hookimpl(passerelle_record_panels)
    return plugin


def _client(user):
    record = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": "Côté"}, user)
    db.session.commit()
    return record


def _panel(page: str, key: str) -> str:
    match = re.search(rf'<section class="card record-panel" id="panel-{key}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_a_plugin_adds_a_panel_with_a_title_actions_and_its_template(make_app, make_user, notes_plugin):
    app = make_app(extra_plugins={"notes": notes_plugin}, PASSERELLE_PLUGINS="clients,notes")
    with app.app_context():
        user = make_user("staff")
        record = _client(user)
        page = login(app.test_client(), user).get(f"/clients/{record.id}").get_data(as_text=True)
        notes = _panel(page, "notes")
        assert '<h2 id="panel-notes-title">Notes</h2>' in notes
        assert 'aria-labelledby="panel-notes-title"' in notes
        assert f'<a class="button" href="/notes/new?client={record.id}">Add a note</a>' in notes
        assert "<li>Called Zoé</li><li>Sent the CV</li>" in notes
        assert "Notes about Zoé Côté" in notes  # the page's entity and record are in the context
        assert "No reminder." in _panel(page, "reminders")
        assert page.index('id="panel-notes"') < page.index('id="panel-reminders"') < page.index('id="record-history"')


def test_a_panel_shows_only_where_and_to_whom_the_plugin_says(make_app, make_user, notes_plugin):
    app = make_app(extra_plugins={"notes": notes_plugin}, PASSERELLE_PLUGINS="clients,notes")
    with app.app_context():
        staff, reader = make_user("staff"), make_user("readonly")
        record = _client(staff)
        page = login(app.test_client(), reader).get(f"/clients/{record.id}")
        assert page.status_code == 200
        assert "record-panel" not in page.get_data(as_text=True)


def test_without_the_plugin_there_is_no_panel(make_app, make_user):
    app = make_app(PASSERELLE_PLUGINS="clients")
    with app.app_context():
        user = make_user("staff")
        record = _client(user)
        page = login(app.test_client(), user).get(f"/clients/{record.id}").get_data(as_text=True)
    assert "record-panel" not in page and "History" in page
