"""The plugin contract is checked, as mature plugin hosts check theirs.

- Docs and code agree: every hookspec of ``kernel.hookspecs`` is in the hook table of
  ``docs/plugins.md``, and every hook listed there exists.
- Every hookspec is typed (its arguments and its return) and says whether it is firstresult, which
  matches its ``firstresult`` flag.
- Every hookspec is called: an application with every plugin, plus a spy plugin implementing every
  hook, starts from an empty database (demo data), serves its main pages and API, and runs the
  worker's jobs; each hook must have reached the spy. A hook the kernel never calls fails here.
- Start-up errors (a hook that is not in the contract, a plugin that fails to import, a missing
  required plugin) are one clear ``PluginError`` line, which the command line prints translated
  with exit status 2.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import os
import re
import subprocess
import sys
import types
import typing
from pathlib import Path

import pytest

from kernel import hookimpl, hookspecs
from kernel.db import db
from kernel.plugins import ENTRY_POINT_GROUP, PluginError, hook_names
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "plugins.md"
HOOKS = hook_names()


# -- docs and code --------------------------------------------------------------------------------

def documented_hooks() -> list[str]:
    """The hooks of the table "The hooks" of docs/plugins.md: rows starting ``| `passerelle_x(…)` |``."""
    return re.findall(r"^\| `(passerelle_\w+)\(", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_contract_has_hooks_to_check():
    assert "passerelle_entities" in HOOKS and "passerelle_record_panels" in HOOKS and len(HOOKS) >= 18


def test_every_hookspec_is_documented_in_the_plugin_guide():
    missing = [name for name in HOOKS if name not in documented_hooks()]
    assert not missing, f"add these hooks to the hook table of docs/plugins.md: {missing}"


def test_every_documented_hook_exists():
    unknown = [name for name in documented_hooks() if name not in HOOKS]
    assert not unknown, f"docs/plugins.md lists hooks that kernel/hookspecs.py does not declare: {unknown}"


@pytest.mark.parametrize("name", HOOKS)
def test_every_hookspec_is_typed(name):
    spec = getattr(hookspecs, name)
    hints = typing.get_type_hints(spec)
    arguments = list(inspect.signature(spec).parameters)
    assert "return" in hints, f"{name} has no return annotation"
    assert [argument for argument in arguments if argument not in hints] == [], f"{name} has untyped arguments"


@pytest.mark.parametrize("name", HOOKS)
def test_every_hookspec_says_whether_it_is_firstresult(name):
    spec = getattr(hookspecs, name)
    firstresult = spec.passerelle_spec["firstresult"]
    doc = inspect.getdoc(spec) or ""
    says_not = "Not firstresult" in doc
    says_yes = re.search(r"(?<!Not )firstresult", doc, flags=re.IGNORECASE) is not None
    assert says_not != says_yes, f"{name}: the docstring must say 'firstresult' or 'Not firstresult', once"
    assert says_yes == firstresult, f"{name}: the docstring and the firstresult flag disagree"


# -- every hook is called ------------------------------------------------------------------------

def spy_plugin(called: set[str]) -> types.ModuleType:
    """A plugin implementing every hook, answering nothing and recording that it was called.

    The kernel reaches it whichever way it calls a hook (``pm.hook.<name>(...)`` or each
    implementation in turn), so it sees every call."""
    def recorder(name: str):
        def record():
            called.add(name)

        return hookimpl(record)

    spy = types.ModuleType("contract_spy")
    for name in HOOKS:
        setattr(spy, name, recorder(name))
    return spy


@pytest.fixture
def called_hooks(make_app, make_user, tmp_path):
    """Start an application with every plugin from an empty database, and use it: the hooks the
    spy saw."""
    from kernel.db import utcnow
    from kernel.inbound_sms import InboundSms, receive_sms
    from kernel.setup import ADMIN_EMAIL, first_start
    from kernel.worker import plugin_jobs

    called: set[str] = set()
    app = make_app(extra_plugins={"contract_spy": spy_plugin(called)}, INSTANCE_PATH=str(tmp_path))
    with app.app_context():
        admin_password = first_start(load_demo=True)
        assert admin_password, "the database was not empty: first start did not run"
        plugin_jobs()
        staff = make_user("staff")
        admin_client = app.test_client()
        response = admin_client.post("/login", data={"email": ADMIN_EMAIL, "password": admin_password})
        assert response.status_code == 302
        staff_client = login(app.test_client(), staff)
        for number, client in enumerate((admin_client, staff_client)):
            drive_main_pages(client, last_name=f"Contract-{number}")
        # a message queued (every one is checked: passerelle_outbox_check)
        assert app.test_client().post("/password/forgot", data={"email": staff.email}).status_code == 302
        # the calendar's events, with what other modules put on it (passerelle_calendar_items)
        assert staff_client.get("/activities/calendar/events?start=2026-03-09&end=2026-03-16").status_code == 200
        # an SMS received from a person (a gateway's webhook hands it over: passerelle_inbound_sms)
        receive_sms(InboundSms("+18679791234", "+18675550000", "Hello", utcnow(), "SMcontract"))
        db.session.remove()
    return called


def drive_main_pages(client, last_name: str) -> None:
    for path in ("/", "/profile/", "/clients/", "/clients/new", "/reports/", "/reports/build?entity=client",
                 "/reports/build?entity=client&columns=last_name&consent=statistics"):
        assert client.get(path).status_code == 200, path
    created = client.post("/clients/new", data={"first_name": "Zébulon", "last_name": last_name})
    assert created.status_code == 302
    assert client.get(created.headers["Location"]).status_code == 200
    client.get(f"/privacy/people{created.headers['Location']}/export.zip")  # a person's export (managers)


def test_every_hookspec_is_called_by_the_kernel(called_hooks):
    never_called = [name for name in HOOKS if name not in called_hooks]
    assert not never_called, (
        f"these hooks were never called while the application started and served its main pages: "
        f"{never_called}; call them from the kernel, drive the page that calls them here, or remove them"
    )


# -- start-up errors ------------------------------------------------------------------------------

def fake_plugin(name: str, **attributes) -> types.ModuleType:
    plugin = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(plugin, key, value)
    return plugin


def test_a_misspelled_hook_stops_the_start_naming_the_plugin_the_hook_and_the_right_name(make_app):
    @hookimpl
    def passerelle_record_panel(entity, record, user):
        return []

    typo = fake_plugin("typo", passerelle_record_panel=passerelle_record_panel)
    with pytest.raises(PluginError) as raised:
        make_app(extra_plugins={"typo": typo}, plugins=["clients", "typo"])
    assert str(raised.value) == (
        "plugin 'typo' implements 'passerelle_record_panel', which is not a hook: did you mean "
        "'passerelle_record_panels'?"
    )


def test_a_hook_name_far_from_any_hook_points_to_the_contract(make_app):
    @hookimpl
    def bake_bread():
        return []

    baker = fake_plugin("baker", bake_bread=bake_bread)
    with pytest.raises(PluginError, match=r"plugin 'baker' implements 'bake_bread', which is not a hook \(see kernel/hookspecs.py\)"):
        make_app(extra_plugins={"baker": baker}, plugins=["baker"])


def test_a_hook_taking_an_argument_the_hook_does_not_give_is_refused(make_app):
    @hookimpl
    def passerelle_profile_panels(user, colour):
        return []

    odd = fake_plugin("odd", passerelle_profile_panels=passerelle_profile_panels)
    with pytest.raises(PluginError, match=r"^plugin 'odd' does not fit the plugin contract: .*colour"):
        make_app(extra_plugins={"odd": odd}, plugins=["odd"])


def test_an_optional_hook_of_another_project_is_allowed(make_app):
    @hookimpl(optionalhook=True)
    def passerelle_future_hook():
        return []

    ahead = fake_plugin("ahead", passerelle_future_hook=passerelle_future_hook)
    app = make_app(extra_plugins={"ahead": ahead}, plugins=["ahead"])
    assert app.extensions["passerelle.plugins"].names() == ["ahead"]


def with_entry_points(monkeypatch, **values: str) -> None:
    """Advertise extra plugins under the entry-point group, as an installed distribution would."""
    from kernel import plugins as plugin_loader

    real = plugin_loader.plugin_entry_points

    def advertised():
        found = real()
        for name, value in values.items():
            found[name] = importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)
        return found

    monkeypatch.setattr(plugin_loader, "plugin_entry_points", advertised)


def test_a_plugin_that_fails_to_import_stops_the_start_with_one_line(make_app, monkeypatch):
    with_entry_points(monkeypatch, broken="passerelle_missing_dependency_xyz")
    with pytest.raises(PluginError) as raised:
        make_app(plugins=["clients", "broken"])
    message = str(raised.value)
    assert message == (
        "plugin 'broken' cannot be imported (ModuleNotFoundError: No module named "
        "'passerelle_missing_dependency_xyz'): install what it needs, or remove it from PASSERELLE_PLUGINS"
    )
    assert "\n" not in message


def test_a_broken_plugin_that_is_not_enabled_is_not_even_imported(make_app, monkeypatch):
    with_entry_points(monkeypatch, broken="passerelle_missing_dependency_xyz")
    app = make_app(plugins=["clients"])
    assert app.extensions["passerelle.plugins"].names() == ["clients"]


def test_a_missing_required_plugin_says_how_to_enable_it(make_app):
    needy = fake_plugin("needy", REQUIRES=("clients", "bookkeeping"))
    with pytest.raises(PluginError) as raised:
        make_app(extra_plugins={"needy": needy}, plugins=["needy"])
    assert str(raised.value) == (
        "plugin 'needy' requires plugin 'clients', which is not enabled: add 'clients' to PASSERELLE_PLUGINS; "
        "plugin 'needy' requires plugin 'bookkeeping', which is not installed: install it, or remove "
        "'needy' from PASSERELLE_PLUGINS"
    )


def test_plugin_errors_are_translated():
    from babel.support import Translations

    french = Translations.load(str(ROOT / "kernel" / "translations"), ["fr"])
    error = PluginError.several([
        PluginError("plugin '%(plugin)s' implements '%(hook)s', which is not a hook: did you mean '%(closest)s'?",
                    plugin="typo", hook="passerelle_record_panel", closest="passerelle_record_panels"),
        PluginError("plugins require each other in a cycle through '%(plugin)s'", plugin="a"),
    ])
    assert error.translated(french.gettext) == (
        "le module «\u00a0typo\u00a0» implémente «\u00a0passerelle_record_panel\u00a0», qui n’est pas un point "
        "d’extension\u00a0: vouliez-vous dire «\u00a0passerelle_record_panels\u00a0»\u00a0?\u00a0; des modules se "
        "requièrent mutuellement en cycle, par «\u00a0a\u00a0»"
    )


def run_cli(tmp_path, *arguments, **environment) -> subprocess.CompletedProcess:
    env = {**os.environ, "PASSERELLE_INSTANCE": str(tmp_path), **environment}
    env.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "kernel.cli", *arguments], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_command_line_prints_one_translated_line_and_exits_with_status_2(tmp_path):
    finished = run_cli(tmp_path, "db", "upgrade", PASSERELLE_PLUGINS="sae,clients", DEFAULT_LANGUAGE="fr")
    assert finished.returncode == 2
    assert finished.stderr == (
        "Passerelle ne peut pas démarrer\u00a0: le module «\u00a0sae\u00a0» requiert le module «\u00a0partners\u00a0», "
        "qui n’est pas activé\u00a0: ajoutez «\u00a0partners\u00a0» à PASSERELLE_PLUGINS\n"
    )
    assert "Traceback" not in finished.stdout + finished.stderr


def test_the_command_line_speaks_the_installation_s_language(tmp_path):
    finished = run_cli(tmp_path, "db", "upgrade", PASSERELLE_PLUGINS="clients,nosuch", DEFAULT_LANGUAGE="en")
    assert finished.returncode == 2
    assert finished.stderr.startswith(
        "Passerelle cannot start: PASSERELLE_PLUGINS names plugins that are not installed: nosuch. Installed: ")
    assert finished.stderr.count("\n") == 1


# -- a disabled plugin's paths --------------------------------------------------------------------

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_every_method_on_a_disabled_plugin_s_paths_answers_404(make_app, make_user):
    from kernel.users import create_token

    app = make_app(plugins=["clients"])
    with app.app_context():
        user = make_user("administrator")
        token = create_token(db.session.merge(user), "contract")
        db.session.commit()
        client = login(app.test_client(), user)
        headers = {"Authorization": f"Bearer {token}"}
        paths = ("/api/v1/partners", "/api/v1/partners/1", "/partners/", "/partners/new", "/partners/1",
                 "/partners/1/edit", "/partners/1/delete")
        answers = {(method, path): client.open(path, method=method, headers=headers).status_code
                   for method in METHODS for path in paths}
        assert {key: code for key, code in answers.items() if code != 404} == {}


def test_a_method_an_enabled_path_does_not_take_still_answers_405(make_app, make_user):
    app = make_app(plugins=["clients"])
    with app.app_context():
        client = login(app.test_client(), make_user("administrator"))
        assert client.put("/clients/").status_code == 405
        assert client.get("/clients/1/delete").status_code == 405
