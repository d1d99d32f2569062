"""Browser tests: the real app served over HTTP in a background thread, driven by Debian's chromium
through Playwright (which never downloads a browser here).

Fixtures:
  ``live_app``     the app, with CSRF protection ENABLED as in production;
  ``live_server``  its base URL (``http://127.0.0.1:<free port>``), served while the test runs;
  ``live_user``    creates a user in the database the server uses, committed before the browser starts;
  ``page``         a fresh Playwright page (own cookies), 1280x800, English browser locale;
  ``screenshot``   ``screenshot("name")`` saves a PNG of the page into a temporary folder (or the folder
                   named by BROWSER_SCREENSHOTS) and returns its path; a failing test also leaves a
                   screenshot there (the path is printed).
  ``browser_errors`` JavaScript errors and console errors the pages produced (a test asserts it is empty).

Every test that uses the browser is marked ``browser`` (``pytest -m "not browser"`` leaves them
out), and is skipped, with the command to run, when chromium or Playwright is not installed.
Playwright is imported only when a test asks for the browser.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from kernel.testing import TEST_PASSWORD

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MISSING_CHROMIUM = "chromium is not installed: run `apt-get install chromium` (Debian) to run the browser tests"
MISSING_PLAYWRIGHT = "the playwright package is not installed: run `pip install playwright` to run the browser tests"
DEFAULT_TIMEOUT_MS = 10_000  # a step that takes longer than this is a failure, not a slow test


def chromium_path() -> str | None:
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def playwright_installed() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def why_no_browser() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if chromium_path() is None:
        return MISSING_CHROMIUM
    if not playwright_installed():
        return MISSING_PLAYWRIGHT
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real chromium through Playwright")


def pytest_collection_modifyitems(config, items):
    """Mark ``browser`` every test that uses the browser; skip them when it cannot run."""
    users = [item for item in items if "browser" in getattr(item, "fixturenames", ())]
    reason = why_no_browser() if users else None
    for item in users:
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so ``page`` knows at teardown whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


# -- the server ----------------------------------------------------------------------------------

@pytest.fixture
def live_app(make_app):
    """The app the live server runs; CSRF stays on, as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(live_app):
    """Serve ``live_app`` on 127.0.0.1 and a free port in a background thread; yields the base URL.

    Each request runs in its own thread, hence with its own scoped database session (removed at the
    end of the request), exactly as under gunicorn.
    """
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)  # port 0: the OS picks a free one
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def live_user(live_app):
    """``live_user(role="staff", email=None, name=None, language="en", password=TEST_PASSWORD, **fields)``
    creates and commits a user the live server can log in; returns it (detached, attributes loaded)."""
    from kernel.db import db
    from kernel.users import User

    count = 0

    def create(role="staff", email=None, name=None, language="en", password=TEST_PASSWORD, **fields):
        nonlocal count
        count += 1
        with live_app.app_context():
            user = User(
                email=email or f"{role}{count}@example.org", name=name or f"{role.title()} {count}",
                role=role, language=language, **fields,
            )
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
            db.session.remove()
        return user

    return create


# -- the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    """One chromium for the whole session (starting it is the slow part); each test gets its own context."""
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    """A temporary folder, or the folder named by BROWSER_SCREENSHOTS (pytest only keeps its last
    three temporary folders, so other test runs may remove the screenshots of this one)."""
    chosen = os.environ.get("BROWSER_SCREENSHOTS")
    if chosen:
        path = Path(chosen)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def page(browser, request, screenshot_dir):
    # English browser locale: the login page preselects the browser's language, and logging in
    # saves it as the user's language.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-CA")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"JavaScript error: {error}"))

    def on_console(message):
        source = (message.location or {}).get("url", "")
        # No page declares an icon yet, so chromium asks for /favicon.ico, which does not exist.
        if message.type == "error" and not source.split("?")[0].rstrip("/").endswith("/favicon.ico"):
            errors.append(f"console: {message.text} ({source or page.url})")

    page.on("console", on_console)
    page.browser_errors = errors
    try:
        yield page
    finally:
        _screenshot_if_failed(page, request, screenshot_dir)
        context.close()


def _screenshot_if_failed(page, request, screenshot_dir) -> None:
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed or page.is_closed():
        return
    path = screenshot_dir / f"{request.node.name}-failure.png"
    try:
        page.screenshot(path=str(path), full_page=True)
        print(f"\nscreenshot of the failing page: {path} ({page.url})")
    except Exception as error:  # the page may be in any state: never hide the real failure
        print(f"\nno screenshot of the failing page: {error}")


@pytest.fixture
def browser_errors(page) -> list[str]:
    """JavaScript errors and console errors (failed loads included) seen so far by ``page``."""
    return page.browser_errors


@pytest.fixture
def screenshot(page, screenshot_dir, request):
    """``screenshot("name", full_page=True)`` → path of a PNG of the current page, for debugging."""

    def take(name: str, full_page: bool = True) -> Path:
        path = screenshot_dir / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
