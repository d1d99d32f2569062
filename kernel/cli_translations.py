"""``passerelle translations update NAME|--all``: extract the messages of the kernel (with the
theme) or of a plugin, built-in or installed from elsewhere, update its French catalogue (no fuzzy
matching: a new message stays untranslated rather than guessed) and compile it."""

from __future__ import annotations

import contextlib
import importlib.util
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

KERNEL_DIR = Path(__file__).parent
PROJECT_BABEL_CFG = KERNEL_DIR.parent / "babel.cfg"
# The same mapping as the project's babel.cfg, for an installation that does not ship it.
DEFAULT_BABEL_CFG = "[python: **.py]\n[jinja2: **/templates/**.html]\n[jinja2: **/templates/**.txt]\n"
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext"]
LOCALES = ("fr",)  # message ids are English


@dataclass(frozen=True)
class Catalogue:
    """What to extract (``sources``, folders under ``root``) into which ``translations`` folder."""

    name: str
    root: Path
    sources: tuple[Path, ...]
    translations: Path


def kernel_catalogue() -> Catalogue:
    root = KERNEL_DIR.parent
    return Catalogue("kernel", root, (KERNEL_DIR, root / "themes"), KERNEL_DIR / "translations")


def package_catalogue(name: str, package_dir: Path, module_name: str) -> Catalogue:
    """A plugin's catalogue; message locations are relative to the folder holding its top-level
    package (``plugins/clients/models.py``, ``volunteers/models.py``)."""
    root = package_dir.parents[module_name.count(".")]
    return Catalogue(name, root, (package_dir,), package_dir / "translations")


def catalogue_named(name: str) -> Catalogue:
    if name == "kernel":
        return kernel_catalogue()
    from kernel.plugins import plugin_entry_points

    entry_points = plugin_entry_points()
    package = _package_dir(entry_points[name].module) if name in entry_points else None
    if package is None:
        raise click.ClickException(f"no installed plugin named {name!r}; choose kernel or one of: "
                                   + ", ".join(sorted(entry_points)))
    return package_catalogue(name, package, entry_points[name].module)


def _package_dir(module_name: str) -> Path | None:
    """The folder of a plugin's package, found without importing the plugin."""
    spec = importlib.util.find_spec(module_name)
    if spec is None or not spec.origin or not spec.submodule_search_locations:
        return None
    return Path(spec.origin).parent


def every_catalogue() -> list[Catalogue]:
    """The kernel's and those of the installed plugins that have a translations folder."""
    from kernel.plugins import plugin_entry_points

    found = [kernel_catalogue()]
    for name in sorted(plugin_entry_points()):
        catalogue = catalogue_named(name)
        if catalogue.translations.is_dir():
            found.append(catalogue)
    return found


def update_catalogue(catalogue: Catalogue, quiet: bool = False) -> list[Path]:
    """Extract, update (or create) and compile ``catalogue``; returns the ``.po`` files."""
    catalogue.translations.mkdir(parents=True, exist_ok=True)
    template = catalogue.translations / "messages.pot"
    with _mapping_file() as mapping, contextlib.chdir(catalogue.root):
        sources = [str(source.relative_to(catalogue.root)) for source in catalogue.sources]
        _pybabel(quiet, "extract", "-F", mapping, *KEYWORDS, "-o", str(template), *sources)
    written = []
    for locale in LOCALES:
        po_path = catalogue.translations / locale / "LC_MESSAGES" / "messages.po"
        action = "update" if po_path.exists() else "init"
        options = ["--no-fuzzy-matching"] if action == "update" else []
        _pybabel(quiet, action, "-i", str(template), "-d", str(catalogue.translations), "-l", locale, *options)
        _pybabel(quiet, "compile", "-d", str(catalogue.translations), "-l", locale)
        written.append(po_path)
    return written


@contextlib.contextmanager
def _mapping_file():
    if PROJECT_BABEL_CFG.exists():
        yield str(PROJECT_BABEL_CFG)
        return
    with tempfile.NamedTemporaryFile("w", suffix=".cfg") as handle:
        handle.write(DEFAULT_BABEL_CFG)
        handle.flush()
        yield handle.name


def _pybabel(quiet: bool, *arguments: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", *(["-q"] if quiet else []), *arguments])


def update_catalogues(package_dir: Path, translations: Path, quiet: bool = False) -> list[Path]:
    """Update the catalogue of a plugin package that is not installed (a new one)."""
    catalogue = Catalogue(package_dir.name, package_dir.parent, (package_dir,), translations)
    return update_catalogue(catalogue, quiet=quiet)


@click.group("translations")
def translations_group():
    """French catalogues of the kernel and of the plugins."""


@translations_group.command("update")
@click.argument("name", required=False)
@click.option("--all", "every", is_flag=True, help="The kernel and every installed plugin with a catalogue.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the catalogues updated.")
def translations_update(name, every, quiet):
    """Extract the messages of NAME ("kernel", with the theme, or a plugin, built-in or external),
    update its French catalogue without fuzzy matching, and compile it."""
    if bool(name) == every:
        raise click.UsageError("name one part (kernel or a plugin) or give --all")
    catalogues = every_catalogue() if every else [catalogue_named(name)]
    for catalogue in catalogues:
        for po_path in update_catalogue(catalogue, quiet=quiet):
            untranslated = _untranslated(po_path)
            click.echo(f"{catalogue.name}: {po_path} updated and compiled"
                       + (f", {untranslated} messages to translate." if untranslated else "."))


def _untranslated(po_path: Path) -> int:
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        return sum(1 for message in read_po(handle) if message.id and not message.string)
