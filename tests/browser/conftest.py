"""Browser tests: the fixtures (``live_app``, ``live_server``, ``live_user``, ``page``,
``screenshot``, ``browser_errors``) come from the testing kit (``kernel.testing.browser``).

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` leaves them out),
whether it uses the browser or only the live server, and they are skipped, with the command to
run, when chromium or Playwright is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.testing.browser import DEFAULT_TIMEOUT_MS, why_no_browser

HERE = Path(__file__).parent

__all__ = ["DEFAULT_TIMEOUT_MS"]


def _in_this_folder(item) -> bool:
    return HERE in Path(str(item.path)).parents


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected test of the session, not only this folder's.
    mine = [item for item in items if _in_this_folder(item)]
    reason = why_no_browser() if mine else None
    for item in mine:
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
