"""What several browser tests check: axe-core's verdict on the page shown, and a page that fits a
phone's width."""

from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = {"width": 390, "height": 844}


def axe_violations(page) -> list[str]:
    """What axe-core (WCAG 2.1 A and AA, best practices) finds on the page shown, one line per rule
    and node. axe-core is loaded through DevTools when the page has not got it: a page's CSP does
    not apply there."""
    if not AXE.is_file():
        raise AssertionError("axe-core is not installed: run `make install-test` (npm ci)")
    try:
        result = _axe_run(page)
    except PlaywrightError:
        # A click just before may have started a navigation: the run met a document going away
        # ("Cannot read properties of null"). Run it again once the page it ends on has loaded.
        result = _axe_run(page)
    return [f"{violation['id']}: {node['target']}" for violation in result["violations"] for node in violation["nodes"]]


def _axe_run(page) -> dict:
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                         "resultTypes: ['violations']})", AXE_TAGS)


def fits_the_phone(page) -> bool:
    """Nothing on the page is wider than the phone's screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def press_shortcut(page, keys: str) -> None:
    """Press a page's keyboard shortcut once its deferred scripts have bound it: a test that types
    right after a navigation may otherwise be faster than the script on a busy machine."""
    page.wait_for_load_state("load")
    page.keyboard.press(keys)


def page_with_axe(browser, viewport: dict, locale: str | None = None):
    """``(context, page, errors)``: a new browser context of that size and locale, with axe-core
    loaded in every page and the page's script errors collected; close the context when done."""
    options = {"viewport": viewport} | ({"locale": locale} if locale else {})
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    if AXE.is_file():
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors
