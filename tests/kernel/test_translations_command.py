"""``passerelle translations update NAME`` (and ``--all``): the messages of a plugin's code and
templates are extracted, its French catalogue updated without fuzzy matching (a new message
stays untranslated rather than guessed) and compiled. Tried on a plugin made by
``passerelle plugin new`` in a temporary folder, installed as far as the command can tell."""

import gettext
import importlib.metadata
import shutil

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from kernel import cli_translations, plugins
from kernel.cli import main
from kernel.scaffold import create_plugin

NAME = "book_swaps"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return create_plugin(NAME, tmp_path_factory.mktemp("generated"))


@pytest.fixture
def package(generated, tmp_path, monkeypatch):
    """A fresh copy of the generated package, advertised under the plugins' entry-point group."""
    project = shutil.copytree(generated, tmp_path / generated.name)
    entry_point = importlib.metadata.EntryPoint(name=NAME, value=NAME, group=plugins.ENTRY_POINT_GROUP)
    monkeypatch.setattr(plugins, "plugin_entry_points", lambda: {NAME: entry_point})
    monkeypatch.syspath_prepend(str(project))
    return project / NAME


def update(*args):
    return CliRunner().invoke(main, ["translations", "update", "--quiet", *args])


def catalogue(package):
    with (package / "translations" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def french(package, message):
    with (package / "translations" / "fr" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle).gettext(message)


def test_a_new_message_is_extracted_and_the_translations_kept(package):
    views = package / "views.py"
    views.write_text(views.read_text().replace(
        'render_template("book_swaps/about.html")', 'render_template("book_swaps/about.html", hint=_("Swap a book"))'
    ).replace("from flask import", "from kernel.toolkit import gettext as _\nfrom flask import"))

    result = update(NAME)

    assert result.exit_code == 0, result.output
    messages = catalogue(package)
    assert messages["Swap a book"].string == ""
    assert messages["Swap a book"].locations == [(f"{NAME}/views.py", 16)]
    assert messages["Name"].string == "Nom"
    assert french(package, "About this module") == "À propos de ce module"
    assert "messages to translate" in result.output


def test_a_changed_message_is_not_guessed_from_a_similar_one(package):
    template = package / "templates" / NAME / "about.html"
    template.write_text(template.read_text().replace('_("About this module") }}</h1>', '_("About this module!") }}</h1>'))

    assert update(NAME).exit_code == 0

    changed = catalogue(package)["About this module!"]
    assert changed.string == "" and not changed.fuzzy


def test_a_translation_added_by_hand_is_compiled(package):
    po_path = package / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    po_path.write_text(po_path.read_text().replace('msgid "Book swap"\nmsgstr ""', 'msgid "Book swap"\nmsgstr "Échange de livres"'))

    assert update(NAME).exit_code == 0

    assert french(package, "Book swap") == "Échange de livres"


def test_all_updates_the_kernel_and_every_installed_plugin(package, generated, tmp_path, monkeypatch):
    kernel_copy = shutil.copytree(generated / NAME, tmp_path / "kernel_copy" / "kernel")
    monkeypatch.setattr(cli_translations, "kernel_catalogue", lambda: cli_translations.Catalogue(
        "kernel", kernel_copy.parent, (kernel_copy,), kernel_copy / "translations"))
    for po in [kernel_copy, package]:
        (po / "translations" / "fr" / "LC_MESSAGES" / "messages.mo").unlink()

    result = update("--all")

    assert result.exit_code == 0, result.output
    assert "kernel: " in result.output and f"{NAME}: " in result.output
    assert french(kernel_copy, "Name") == "Nom" and french(package, "Name") == "Nom"


def test_an_unknown_plugin_is_a_clear_error(package):
    result = update("nosuch")

    assert result.exit_code == 1
    assert "no installed plugin named 'nosuch'; choose kernel or one of: book_swaps" in result.output


def test_a_name_or_all_is_needed():
    assert "name one part (kernel or a plugin) or give --all" in update().output
    assert update("kernel", "--all").exit_code == 2
