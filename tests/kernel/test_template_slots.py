"""Named template slots: a plugin fills places of the kernel's pages (record header, Actions menu,
list buttons, search results, dashboard, profile) in order, for the users and entities it says,
escaped; a broken filler is left out of the page; an unknown slot or template stops the start."""

import logging
import re
import types
from pathlib import Path

import pytest
from sqlalchemy import text

from kernel import hookimpl, records
from kernel.app import THEMES_DIR
from kernel.db import db
from kernel.plugins import PluginError
from kernel.registry import entities
from kernel.slots import SLOT_NAMES, Slot
from tests.conftest import login

PLACES = {  # slot name → the page of a client (or of the user) where it is placed
    "record_header_buttons": "/clients/{id}",
    "record_actions_menu": "/clients/{id}/edit",
    "list_buttons": "/clients/",
    "result_card_actions": "/search?q=Tremblay",
    "dashboard_top": "/",
    "profile_sections": "/profile/",
}


def make_plugin(tmp_path, fillers, templates, context=None):
    """A plugin in a temporary folder whose ``templates/slotty/`` holds ``templates``."""
    folder = tmp_path / "slotty"
    (folder / "templates" / "slotty").mkdir(parents=True)
    for name, source in templates.items():
        (folder / "templates" / "slotty" / name).write_text(source, encoding="utf-8")
    plugin = types.ModuleType("slotty")
    plugin.__file__ = str(folder / "__init__.py")
    plugin.passerelle_template_slots = hookimpl(lambda: fillers)
    if context:
        plugin.passerelle_template_context = hookimpl(lambda: context)
    return plugin


def client_record(user, last_name="Tremblay"):
    record = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": last_name}, user)
    db.session.commit()
    return record


def test_every_slot_is_filled_in_its_place_with_the_pages_arguments(make_app, make_user, tmp_path):
    templates = {f"{name}.html": f'<span class="filled-{name}">{{{{ {"user.name" if name in ("dashboard_top", "profile_sections") else "entity.name"} }}}}</span>'
                 for name in SLOT_NAMES}
    plugin = make_plugin(tmp_path, [Slot(name, f"slotty/{name}.html") for name in SLOT_NAMES], templates)
    app = make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")
    with app.app_context():
        user = make_user("staff", name="Sam Slot")
        record = client_record(user)
        client = login(app.test_client(), user)
        for name, place in PLACES.items():
            page = client.get(place.format(id=record.id)).get_data(as_text=True)
            expected = "Sam Slot" if name in ("dashboard_top", "profile_sections") else "client"
            assert f'<span class="filled-{name}">{expected}</span>' in page, name


def test_fillers_render_in_order_then_registration_order(make_app, make_user, tmp_path):
    templates = {"a.html": "<i>A</i>", "b.html": "<i>B</i>", "c.html": "<i>C</i>"}
    fillers = [Slot("list_buttons", "slotty/a.html", order=200), Slot("list_buttons", "slotty/b.html", order=10),
               Slot("list_buttons", "slotty/c.html", order=200)]
    app = make_app(extra_plugins={"slotty": make_plugin(tmp_path, fillers, templates)},
                   PASSERELLE_PLUGINS="clients,slotty")
    with app.app_context():
        page = login(app.test_client(), make_user("staff")).get("/clients/").get_data(as_text=True)
    assert re.findall(r"<i>(\w)</i>", page) == ["B", "A", "C"]


def test_a_filler_shows_only_to_holders_of_its_permission_and_on_its_entities(make_app, make_user, tmp_path):
    templates = {"managers.html": "<i>for managers</i>", "clients.html": "<i>for clients</i>"}
    fillers = [Slot("list_buttons", "slotty/managers.html", permission="kernel.manage_users"),
               Slot("list_buttons", "slotty/clients.html", entities=("client",))]
    app = make_app(extra_plugins={"slotty": make_plugin(tmp_path, fillers, templates)},
                   PASSERELLE_PLUGINS="clients,partners,slotty")
    with app.app_context():
        staff = login(app.test_client(), make_user("staff"))
        admin = login(app.test_client(), make_user("administrator"))
        assert "for managers" not in staff.get("/clients/").get_data(as_text=True)
        assert "for managers" in admin.get("/clients/").get_data(as_text=True)
        assert "for clients" in staff.get("/clients/").get_data(as_text=True)
        partners = staff.get("/partners/")
        assert partners.status_code == 200
        assert "for clients" not in partners.get_data(as_text=True)


def test_what_a_filler_shows_is_escaped(make_app, make_user, tmp_path):
    templates = {"name.html": '<b class="named">{{ record.last_name }}</b>'}
    plugin = make_plugin(tmp_path, [Slot("record_header_buttons", "slotty/name.html")], templates)
    app = make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")
    with app.app_context():
        user = make_user("staff")
        record = client_record(user, last_name='<script>alert("x")</script>')
        page = login(app.test_client(), user).get(f"/clients/{record.id}").get_data(as_text=True)
    assert '<b class="named">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</b>' in page


def test_a_broken_filler_is_logged_and_left_out_the_page_still_answers(make_app, make_user, tmp_path, caplog):
    def broken_query():
        return db.session.execute(text("SELECT nothing FROM no_such_table")).scalar()

    templates = {"typo.html": "<i>{{ nothing.at_all }}</i>", "query.html": "<i>{{ broken_query() }}</i>",
                 "fine.html": "<i>still here</i>"}
    fillers = [Slot("record_header_buttons", "slotty/typo.html", order=1),
               Slot("record_header_buttons", "slotty/query.html", order=2),
               Slot("record_header_buttons", "slotty/fine.html", order=3)]
    plugin = make_plugin(tmp_path, fillers, templates, context={"broken_query": broken_query})
    app = make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")
    with app.app_context():
        user = make_user("staff")
        record = client_record(user)
        with caplog.at_level(logging.ERROR, logger="kernel.slots"):
            page = login(app.test_client(), user).get(f"/clients/{record.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<i>still here</i>" in html
    assert 'id="record-history"' in html  # the rest of the page, read after the failed statement
    failed = [record.getMessage() for record in caplog.records if record.name == "kernel.slots"]
    assert failed == ["the template slotty/typo.html filling the slot record_header_buttons failed",
                      "the template slotty/query.html filling the slot record_header_buttons failed"]


def test_the_context_processors_run_once_for_every_filler_of_a_page(make_app, make_user, tmp_path):
    """Ten result cards or one, a filler each: the plugins' template context is made as many times
    (for the page, and once for all the fillers: kernel.fragments), and each filler still sees it."""
    made = []

    def counted_context():
        made.append(1)
        return {"slotty_mark": "marked"}

    templates = {"card.html": '<i class="card-action">{{ slotty_mark }} {{ record.last_name }}</i>'}
    plugin = make_plugin(tmp_path, [Slot("result_card_actions", "slotty/card.html")], templates)
    plugin.passerelle_template_context = hookimpl(counted_context)
    app = make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")
    with app.app_context():
        user = make_user("staff")
        for number in range(12):
            client_record(user, last_name=f"Tremblay{number:02d}")
        client_record(user, last_name="Gagnon")
        client = login(app.test_client(), user)
        client.get("/search?q=Gagnon")
        client.get("/search?q=Tremblay")  # the layout's fragments of each page, rendered once (kernel.menu)
        made.clear()
        one = client.get("/search?q=Gagnon").get_data(as_text=True)
        for_one = len(made)
        made.clear()
        ten = client.get("/search?q=Tremblay").get_data(as_text=True)
    assert '<i class="card-action">marked Gagnon</i>' in one
    assert len(re.findall(r'<i class="card-action">marked Tremblay\d\d</i>', ten)) == 10  # the search shows ten
    assert len(made) == for_one


def test_a_filler_whose_when_answers_false_is_not_rendered_and_true_renders_it(make_app, make_user, tmp_path):
    """``when`` is asked before each rendering; false: the template is not rendered at all."""
    shown = {"now": False}
    asked, rendered = [], []

    def when():
        asked.append(1)
        return shown["now"]

    def count_render():
        rendered.append(1)
        return ""

    templates = {"card.html": '<i class="card-action">{{ record.last_name }}{{ count_render() }}</i>'}
    fillers = [Slot("result_card_actions", "slotty/card.html", when=when)]
    plugin = make_plugin(tmp_path, fillers, templates, context={"count_render": count_render})
    app = make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")
    with app.app_context():
        user = make_user("staff")
        for number in range(3):
            client_record(user, last_name=f"Tremblay{number}")
        client = login(app.test_client(), user)
        hidden = client.get("/search?q=Tremblay").get_data(as_text=True)
        assert (len(asked), rendered) == (3, [])
        assert "card-action" not in hidden
        shown["now"] = True
        page = client.get("/search?q=Tremblay").get_data(as_text=True)
    assert len(rendered) == 3
    assert len(re.findall(r'<i class="card-action">Tremblay\d</i>', page)) == 3


def test_a_when_that_fails_is_logged_and_its_filler_left_out(make_app, make_user, tmp_path, caplog):
    def when():
        raise RuntimeError("broken")

    fillers = [Slot("list_buttons", "slotty/a.html", when=when), Slot("list_buttons", "slotty/b.html")]
    plugin = make_plugin(tmp_path, fillers, {"a.html": "<i>A</i>", "b.html": "<i>B</i>"})
    app = make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")
    with app.app_context(), caplog.at_level(logging.ERROR, logger="kernel.slots"):
        page = login(app.test_client(), make_user("staff")).get("/clients/")
    assert page.status_code == 200
    assert re.findall(r"<i>(\w)</i>", page.get_data(as_text=True)) == ["B"]
    assert "the template slotty/a.html filling the slot list_buttons failed" in caplog.text


def test_a_when_that_is_not_a_function_stops_the_start(make_app, tmp_path):
    plugin = make_plugin(tmp_path, [Slot("list_buttons", "slotty/a.html", when=True)], {"a.html": "a"})
    with pytest.raises(PluginError, match="when=True is not a function"):
        make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")


def test_an_unknown_slot_name_stops_the_start_naming_the_plugin_and_the_slots(make_app, tmp_path):
    plugin = make_plugin(tmp_path, [Slot("list_button", "slotty/a.html")], {"a.html": "a"})
    with pytest.raises(PluginError, match=r"plugin 'slotty': fills the template slot 'list_button', which does "
                                          r"not exist\. Template slots: record_header_buttons, .*list_buttons"):
        make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")


def test_a_missing_template_stops_the_start(make_app, tmp_path):
    plugin = make_plugin(tmp_path, [Slot("list_buttons", "slotty/missing.html")], {"a.html": "a"})
    with pytest.raises(PluginError, match="the template 'slotty/missing.html' filling the slot 'list_buttons' does not exist"):
        make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")


def test_a_filler_that_is_not_a_slot_stops_the_start(make_app, tmp_path):
    plugin = make_plugin(tmp_path, [("list_buttons", "slotty/a.html")], {"a.html": "a"})
    with pytest.raises(PluginError, match="not a kernel Slot"):
        make_app(extra_plugins={"slotty": plugin}, PASSERELLE_PLUGINS="clients,slotty")


def test_an_unknown_slot_in_a_template_renders_nothing_and_is_logged(app, caplog):
    from flask import render_template_string

    with app.test_request_context(), caplog.at_level(logging.ERROR, logger="kernel.slots"):
        assert render_template_string('[{{ slot("no_such_slot") }}]') == "[]"
    assert "the template slot 'no_such_slot' does not exist" in caplog.text


def slot_calls() -> dict[str, set[str]]:
    """Slot name → the templates (theme, kernel, plugins) that place it."""
    roots = [THEMES_DIR, Path("kernel"), Path("plugins")]
    found: dict[str, set[str]] = {}
    for root in roots:
        for path in Path(root).rglob("*.html"):
            for name in re.findall(r"""\bslot\(\s*["'](\w+)["']""", path.read_text(encoding="utf-8")):
                found.setdefault(name, set()).add(str(path))
    return found


# Slots a module's own screens place (a person's consent asked on the contact screen and the
# registration kiosk): the kernel declares them so that neither module imports the privacy plugin.
PLACED_BY_MODULES = {"person_consent", "person_form_consent"}


def test_templates_place_only_declared_slots_and_the_theme_places_every_one():
    calls = slot_calls()
    assert set(calls) - set(SLOT_NAMES) == set()
    placed_by_theme = {name for name, paths in calls.items() if any(str(THEMES_DIR) in path for path in paths)}
    assert placed_by_theme == set(SLOT_NAMES) - PLACED_BY_MODULES
    assert PLACED_BY_MODULES <= set(calls)
