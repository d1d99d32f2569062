"""Every template works under the Content-Security-Policy (kernel/security/headers.py), so that nobody
adds inline code later: no inline <script> without the request's nonce, no on*= handler, no
javascript: link, no style="" attribute nor <style> without the nonce, and no htmx feature that
evaluates code (hx-on, trigger filters, js: values). JavaScript and CSS live in static files."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(path for folder in ("kernel", "plugins", "themes") for path in (ROOT / folder).rglob("*.html"))

TAG = re.compile(r"<[a-zA-Z][^<>]*>")
SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
STYLE = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
FORBIDDEN_IN_TAGS = {
    "an on*= event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE),
    "hx-on (evaluated by htmx)": re.compile(r"\s(data-)?hx-on", re.IGNORECASE),
    "an hx-trigger filter (evaluated by htmx)": re.compile(r"\s(data-)?hx-trigger\s*=\s*(\"[^\"]*\[|'[^']*\[)"),
    "js: values (evaluated by htmx)": re.compile(r"\s(data-)?hx-(vals|vars|headers)\s*=\s*[\"']\s*(js|javascript):"),
}
NOT_EXECUTED = re.compile(r"type=[\"']application/(ld\+)?json[\"']", re.IGNORECASE)
NONCE = re.compile(r"nonce=\"\{\{ csp_nonce\(\) \}\}\"")


JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def inline_code_in(text: str) -> list[str]:
    text = JINJA_COMMENT.sub("", text)
    problems = []
    for tag in SCRIPT.findall(text):
        if "src=" not in tag and not NOT_EXECUTED.search(tag) and not NONCE.search(tag):
            problems.append(f"an inline script without nonce: {tag}")
    for tag in STYLE.findall(text):
        if not NONCE.search(tag):
            problems.append(f"a <style> without nonce (put the rules in a static .css file): {tag}")
    for tag in TAG.findall(text):
        problems += [f"{what}: {tag[:120]}" for what, pattern in FORBIDDEN_IN_TAGS.items() if pattern.search(tag)]
    return problems


def test_the_templates_are_found():
    assert len(TEMPLATES) > 50
    assert any(_name(path) == "themes/default/templates/layout.html" for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_template_has_no_inline_code(path):
    problems = inline_code_in(path.read_text(encoding="utf-8"))
    assert problems == [], f"{_name(path)} breaks the Content-Security-Policy: move the code into a static file"


@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>", '<script type="module">go()</script>', '<button onclick="go()">',
    '<form class="x" onsubmit="return confirm(1)">', '<input ONCHANGE="this.form.submit()">',
    '<span style="color:red">', "<style>p {}</style>", '<a href="javascript:void(0)">',
    '<div hx-on:click="x()">', "<a hx-trigger=\"keydown[key=='Escape']\">", "<div hx-vals='js:{a: 1}'>",
])
def test_the_scan_catches_inline_code(snippet):
    assert inline_code_in(snippet)


@pytest.mark.parametrize("snippet", [
    '<script src="/static/app.js" defer></script>', '<script nonce="{{ csp_nonce() }}">go()</script>',
    '<script type="application/json" id="data">{"a": 1}</script>', '<style nonce="{{ csp_nonce() }}">p {}</style>',
    '<a hx-trigger="click, inline-cancel" data-inline-cancel>', "<p>Come on = now</p>",
    "{# a <style> in a comment #}", '<input data-on-change="submit">',
])
def test_the_scan_allows_files_nonces_data_and_text(snippet):
    assert inline_code_in(snippet) == []
