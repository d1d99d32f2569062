"""Accessibility, checked by axe-core (npm package, injected by the test): no violation on the
dashboard, a list, a record page and the edit form, in English and French."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_navigation_workspace import add_clients, log_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page shown (WCAG 2.1 A and AA rules), one line per rule and node."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # through DevTools: the page's CSP does not apply
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})""")
    return [f"{violation['id']}: {node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
            for violation in result["violations"] for node in violation["nodes"]]


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed: run `make frontend`")
@pytest.mark.parametrize("language, dashboard", [("en", "Dashboard"), ("fr", "Tableau de bord")])
def test_axe_finds_no_violation_on_the_main_pages(live_app, live_server, live_user, page, language, dashboard):
    live_user("administrator", email=f"axe-{language}@example.org", language=language)
    [client_id] = add_clients(live_app, 1)
    log_in(page, live_server, f"axe-{language}@example.org", dashboard=dashboard)
    found = {}
    for path in ("/", "/clients/", f"/clients/{client_id}", f"/clients/{client_id}/edit"):
        page.goto(f"{live_server}{path}")
        expect(page.locator("main h1")).to_be_visible()
        found[path] = axe_violations(page)
    assert found == {path: [] for path in found}, json.dumps(found, indent=1, ensure_ascii=False)
