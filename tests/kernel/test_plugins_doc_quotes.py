"""docs/plugins.md quotes the example module file by file: a code block preceded by
``<!-- file: PATH -->`` must be exactly that file, so the guide cannot drift from working code."""

import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
GUIDE = PROJECT / "docs" / "plugins.md"
QUOTE = re.compile(r"<!-- file: (?P<path>[^ ]+) -->\n```[\w+-]*\n(?P<body>.*?)^```$", re.S | re.M)


def quotes(markdown: str) -> list[tuple[str, str]]:
    """(path, quoted text) of every block marked as quoting a file."""
    return [(match["path"], match["body"]) for match in QUOTE.finditer(markdown)]


def test_the_guide_quotes_every_file_of_the_example_module_but_its_compiled_catalogue():
    quoted = {path for path, _body in quotes(GUIDE.read_text(encoding="utf-8"))}
    example = {path.relative_to(PROJECT).as_posix() for path in (PROJECT / "examples" / "volunteers").rglob("*")
               if path.is_file() and path.suffix not in {".mo", ".pyc"} and ".egg-info" not in str(path)}
    assert example - quoted == set()


def test_every_marker_is_followed_by_its_quote():
    markdown = GUIDE.read_text(encoding="utf-8")
    assert markdown.count("<!-- file: ") == len(quotes(markdown))


@pytest.mark.parametrize("path, body", quotes(GUIDE.read_text(encoding="utf-8")))
def test_a_quote_is_its_file_to_the_character(path, body):
    assert (PROJECT / path).read_text(encoding="utf-8") == body


def test_a_quote_that_drifts_is_found():
    markdown = "<!-- file: examples/volunteers/pyproject.toml -->\n```toml\n[project]\nname = \"old\"\n```\n"
    [(path, body)] = quotes(markdown)
    assert path == "examples/volunteers/pyproject.toml"
    assert (PROJECT / path).read_text(encoding="utf-8") != body
