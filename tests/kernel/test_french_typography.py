"""French catalogues follow French typography and hold no English.

Every French catalogue of the project (the kernel's, a theme's, each plugin's: found with a glob, so
a new plugin is covered) is read with Babel, and each translation is checked:

- a non-breaking space (U+00A0, or the narrow U+202F) before ``:`` ``;`` ``?`` ``!`` and just
  inside « »; URLs, times and ratios (``11:00``), placeholders (``%(name)s``, ``{seq:04d}``) and
  HTML tags are left out of the check;
- no entry is empty or fuzzy (``test_translations.py`` checks, besides, that every message used in
  the code is in its catalogue);
- no translation is the English message itself, unless each of its words is also French (the short
  allow-list below), and no translation holds a common English word.

To fix: type the non-breaking space (Alt Gr + Space on a French keyboard, or ``\\u00a0``).
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import select

from kernel.db import db
from kernel.display import display_value
from kernel.entities import FieldMeta
from kernel.i18n import format_datetime
from kernel.registry import entities
from kernel.setup import first_start

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_FOLDERS = ("kernel/translations", "themes/*/translations", "plugins/*/translations",
                     "examples/*/*/translations")  # an example plugin is a package of its own
CATALOGUES = sorted(
    path for pattern in CATALOGUE_FOLDERS for path in ROOT.glob(f"{pattern}/fr/LC_MESSAGES/messages.po")
)
NO_BREAK = "\u00a0\u202f"

# Text where the punctuation is not French prose: URLs, placeholders, tags, times and ratios,
# and an HTTP header written as the client must send it.
NOT_PROSE = re.compile(
    r"[a-z][a-z0-9+.-]*://\S+"          # https://example.org/?a=1
    r"|%(?:\([^)]*\))?[-#0+]*\d*[a-zA-Z]"  # %(name)s, %(minutes)02d, %s
    r"|\d{4}-\d{2}-\d{2}T[\d:.]+Z?"      # 2026-01-31T12:00:00Z, a format to type
    r"|\{[^{}]*\}"                      # {seq:04d}
    r"|<[^<>]*>"                        # <strong>, <jeton>
    r"|\d+:\d+"                         # 11:00, 3:1
    r"|Authorization: Bearer"
)
PUNCTUATION = re.compile(r"[:;?!]")

# Words spelled the same in French and in English: a translation equal to its English message is
# accepted only when each of its words is here.
FRENCH_AS_IN_ENGLISH = {
    "actions", "active", "administration", "agent", "alberta", "client", "clients", "code", "construction",
    "consultant", "contact", "contacts", "csv", "cv", "date", "description", "distance", "document",
    "documents", "fax", "h", "information", "inuktitut", "kanban", "km", "latitude", "longitude", "manitoba", "menu",
    "message", "messages", "mobile", "module", "modules", "note", "notes", "notification", "notifications", "nunavut", "ontario", "options",
    "page", "pages", "placement", "placements", "position", "programme", "programmes", "prospect", "question",
    "saskatchewan", "service", "services", "sms", "type", "yukon",
}
# Common English words of an interface that are not French words: one of them in a French
# translation is English left behind. (Shared with the browser test of the French interface.)
ENGLISH_WORDS = {
    "about", "add", "all", "and", "are", "back", "by", "call", "calls", "cancel", "choose", "click", "close",
    "delete", "due", "edit", "email", "error", "export", "filter", "filters", "for", "from", "help", "hide",
    "home", "import", "is", "items", "last", "list", "loading", "log", "meeting", "meetings", "more", "my",
    "name", "new", "next", "no", "none", "not", "of", "open", "or", "out", "partner", "partners", "please",
    "previous", "record", "records", "remove", "report", "reports", "save", "search", "select", "settings",
    "show", "sign", "task", "tasks", "the", "this", "to", "today", "tomorrow", "user", "users", "view", "week",
    "with", "yes", "you", "your", "at", "be", "has", "have", "was", "will", "can", "need", "needs", "demonstration",
    "training", "follow", "up",
}
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]+")


def catalogue_name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def entries(path: Path):
    """``(msgid, [translations], entry)`` for each message of the catalogue."""
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    for entry in catalogue:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        yield ids, list(strings), entry


def typography_faults(text: str) -> list[str]:
    """What is wrong with the spaces of one French translation (empty when nothing)."""
    prose = NOT_PROSE.sub("\x00", text)
    faults = []
    for match in PUNCTUATION.finditer(prose):
        before = prose[match.start() - 1] if match.start() else ""
        if before in NO_BREAK or (before in "?!" and match.group() in "?!"):  # « ?! » is one mark
            continue
        faults.append(f"no non-breaking space before {match.group()!r} in …{prose[max(0, match.start() - 20):match.end()]!r}")
    for match in re.finditer("«", prose):
        if prose[match.end():match.end() + 1] not in tuple(NO_BREAK):
            faults.append("no non-breaking space after «")
    for match in re.finditer("»", prose):
        if not match.start() or prose[match.start() - 1] not in NO_BREAK:
            faults.append("no non-breaking space before »")
    return faults


def words_of(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(NOT_PROSE.sub(" ", text))}


def english_faults(ids: tuple[str, ...], text: str) -> list[str]:
    faults = []
    if text in ids and not words_of(text) <= FRENCH_AS_IN_ENGLISH:
        faults.append("the translation is the English message (if it is French too, add its words to "
                      "FRENCH_AS_IN_ENGLISH)")
    english = sorted(words_of(text) & ENGLISH_WORDS)
    if english:
        faults.append(f"English word(s) {', '.join(english)}")
    return faults


@pytest.fixture(params=CATALOGUES, ids=catalogue_name)
def catalogue(request) -> Path:
    return request.param


def test_every_catalogue_is_found():
    """The globs above find every French catalogue git knows of."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files", "*/fr/LC_MESSAGES/messages.po"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    assert "kernel/translations/fr/LC_MESSAGES/messages.po" in listed
    assert set(listed) <= {catalogue_name(path) for path in CATALOGUES}


def test_french_punctuation_has_non_breaking_spaces(catalogue):
    faults = [f"{ids[0]!r}: {fault}" for ids, strings, _entry in entries(catalogue)
              for text in strings for fault in typography_faults(text)]
    assert not faults, f"{catalogue_name(catalogue)}:\n" + "\n".join(faults)


def test_no_translation_is_empty_or_fuzzy(catalogue):
    faults = [f"{ids[0]!r}: {'fuzzy' if entry.fuzzy else 'empty'}" for ids, strings, entry in entries(catalogue)
              if entry.fuzzy or not all(strings)]
    assert not faults, f"{catalogue_name(catalogue)}:\n" + "\n".join(faults)


def test_no_english_left_in_french(catalogue):
    faults = [f"{ids[0]!r} → {text!r}: {fault}" for ids, strings, _entry in entries(catalogue)
              for text in strings for fault in english_faults(ids, text)]
    assert not faults, f"{catalogue_name(catalogue)}:\n" + "\n".join(faults)


@pytest.mark.parametrize("text, expected", [
    ("Mot de passe oublié ?", 1), ("Merci!", 1), ("Le filtre « %(name)s » est supprimé.", 2),
    ("Mot de passe oublié\u00a0?", 0), ("Le filtre «\u00a0%(name)s\u202f» est supprimé.", 0),
    ("Ouvert à 11:00, voir https://example.org/?a=1 ou {seq:04d}", 0), ("Quoi\u00a0?!", 0),
    ("Envoyez l'en-tête Authorization: Bearer <jeton>.", 0),
])
def test_the_typography_check_itself(text, expected):
    assert len(typography_faults(text)) == expected


def test_the_english_check_itself():
    assert english_faults(("Save",), "Save")
    assert english_faults(("Save the file",), "Enregistrer the file")
    assert not english_faults(("Notes",), "Notes")
    assert not english_faults(("Save",), "Enregistrer")


# Times are shown to the minute: Babel's medium width adds seconds ("14:05:30"), which nobody reads.
MOMENT = datetime(2026, 1, 14, 14, 5, 30)
SECONDS = re.compile(r"\d:\d\d:\d\d")


@pytest.mark.parametrize("language, expected", [("fr", r"^14 janv\. 2026, \d\d:05\|"),
                                                ("en", r"^Jan 14, 2026, \d\d?:05\s[AP]M\|")])
def test_dates_and_times_are_shown_to_the_minute(app, language, expected):
    template = "{{ moment|datetimeformat('medium') }}|{{ moment|datetimeformat('long') }}|{{ moment|timeformat }}"
    with app.test_request_context(), force_locale(language):
        shown = render_template_string(template, moment=MOMENT.replace(tzinfo=UTC))
        field = display_value(FieldMeta(name="start", kind="datetime", label="Start"), MOMENT)
    assert not SECONDS.search(shown) and not SECONDS.search(field), (shown, field)
    assert re.search(expected, shown), shown
    assert re.search(expected.replace("\\|", "$"), field), field


def test_a_pattern_of_its_own_is_kept(app):
    with app.test_request_context(), force_locale("fr"):
        assert format_datetime(MOMENT, "yyyy-MM-dd HH:mm:ss", rebase=False) == "2026-01-14 14:05:30"
        assert format_datetime(MOMENT, "medium", rebase=False) == "14 janv. 2026, 14:05"


# The demo data of a new (French-speaking) installation is French too, with its typography.
# Names of organisations and places are proper nouns, kept as the organisations write them.
PROPER_NAMES = {("agency", "name"), ("resource_location", "name"), ("partner", "name")}


def french_text_fields(entity):
    """The free-text fields of an entity, less those in English beside a French twin (name, name_fr)."""
    names = set(entity.fields)
    return [name for name, meta in entity.fields.items() if meta.kind in ("text", "longtext")
            and not name.endswith("_en") and f"{name}_fr" not in names and (entity.name, name) not in PROPER_NAMES]


def test_the_demo_data_is_french(app):
    assert first_start(load_demo=True)
    faults = []
    for entity in entities():
        for name in french_text_fields(entity):
            column = getattr(entity.model, name)
            for text in db.session.scalars(select(column).where(column.is_not(None)).distinct()):
                english = sorted(words_of(text) & ENGLISH_WORDS)
                faults += [f"{entity.name}.{name} {text!r}: {fault}" for fault in typography_faults(text)]
                faults += [f"{entity.name}.{name} {text!r}: English word(s) {english}"] if english else []
    assert not faults, "\n".join(faults)
