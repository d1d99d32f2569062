"""Every message of the kernel, the theme and each plugin has a French translation.

The messages are extracted from the source as ``make messages`` does, then looked up in the
package's French catalogue: a message that is missing there, empty or fuzzy fails the test, by name.
To fix it: ``make messages``, then translate the new entries of the ``.po`` file.
"""

import os
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHOD_MAP = [  # the same as babel.cfg
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]
# Jinja's extractor skips, silently, a template it cannot parse: make that an error instead.
OPTIONS_MAP = {pattern: {"silent": "false"} for pattern, method in METHOD_MAP if method == "jinja2"}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# (source folders, translations folder): the theme's messages are in the kernel's catalogue;
# each plugin with a translations/ folder has its own.
CATALOGUES = {"kernel": ([ROOT / "kernel", ROOT / "themes"], ROOT / "kernel" / "translations")} | {
    f"plugins/{folder.parent.name}": ([folder.parent], folder)
    for folder in sorted(ROOT.glob("plugins/*/translations"))
}


def scanned(directory: str) -> bool:
    name = os.path.basename(directory)
    return not name.startswith((".", "_")) and name != "tests"


def extracted_messages(folders: list[Path]) -> dict[tuple[str, str | None], str]:
    """``{(msgid, context): "file:line"}`` for every message marked for translation."""
    found = {}
    for folder in folders:
        for filename, lineno, message, _comments, context in extract_from_dir(
            folder, METHOD_MAP, OPTIONS_MAP, KEYWORDS, directory_filter=scanned
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            found.setdefault((msgid, context), f"{folder.relative_to(ROOT)}/{filename}:{lineno}")
    return found


def is_translated(entry) -> bool:
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(strings)


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_message_has_a_french_translation(name):
    folders, translations = CATALOGUES[name]
    po_path = translations / "fr" / "LC_MESSAGES" / "messages.po"
    assert po_path.is_file(), f"{po_path.relative_to(ROOT)} is missing: run `make messages`"
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    messages = extracted_messages(folders)
    assert messages, f"no message found in the source of {name}: is the extraction broken?"

    missing = [
        f"{where}: {msgid!r}"
        for (msgid, context), where in messages.items()
        if not is_translated(catalogue.get(msgid, context=context))
    ]
    assert not missing, (
        f"{len(missing)} message(s) of {name} without a French translation in "
        f"{po_path.relative_to(ROOT)} (run `make messages`, then translate):\n" + "\n".join(missing)
    )


def test_no_two_catalogues_translate_a_message_differently():
    """The catalogues are merged into one at run time (the kernel's last), so a message that two
    plugins translate differently would show one plugin's French in the other's screens. Give
    such a message a context (``pgettext``) or the same French."""
    seen: dict[tuple[str, str | None], tuple[str, str]] = {}
    conflicts = []
    for name, (_folders, translations) in CATALOGUES.items():
        with (translations / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or not is_translated(message):
                continue
            key = (str(message.id), message.context)
            french = str(message.string)
            earlier = seen.setdefault(key, (name, french))
            if earlier[1] != french and name != "kernel" and earlier[0] != "kernel":
                conflicts.append(f"{key[0]!r}: {earlier[0]} says {earlier[1]!r}, {name} says {french!r}")
    assert not conflicts, "translated differently:\n" + "\n".join(conflicts)
