"""A label's colon in templates follows the reader's language (issue 16 §5): « Organisme : X » in
French has a non-breaking space before the colon, which a colon typed after ``}}`` cannot have."""

import re
from pathlib import Path

from kernel.i18n import colon

PROJECT = Path(__file__).resolve().parents[2]
TYPED_COLON = re.compile(r"\}\}:(?= |<|$)", re.M)


def templates():
    for folder in ("kernel", "themes", "plugins", "examples"):
        for path in (PROJECT / folder).rglob("templates/**/*"):
            if path.suffix in {".html", ".txt"}:
                yield path


def test_templates_write_a_labels_colon_with_colon():
    typed = [f"{path.relative_to(PROJECT)}:{text.count(chr(10), 0, match.start()) + 1}"
             for path in templates() for text in [path.read_text(encoding="utf-8")]
             for match in TYPED_COLON.finditer(text)]
    assert not typed, f"write {{{{ colon() }}}} instead of a typed colon after a label: {typed}"


def test_the_colon_is_the_readers(app):
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        french = colon()
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        english = colon()
    assert (french, english) == ("\u00a0:", ":")
