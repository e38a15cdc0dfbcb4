"""Browser fixtures: the app served on a free localhost port, Debian's Chromium driven by Playwright, no network.

Every request that is not to the local server is blocked and recorded, and fails the test that made it. Without
Chromium or Playwright these tests skip with the reason; under CI (CI=true) a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.server import CHROMIUM_FLAGS, start_server, stop_server, wait_rendered
from tests.conftest import REPO

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
ARTIFACTS = REPO / "test-artifacts" / "browser"


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def chromium_path() -> str:
    """Debian's Chromium, or $POC_CHROMIUM."""
    candidates = [os.environ.get("POC_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    found = next((c for c in candidates if c and Path(c).exists()), None)
    if found is None:
        _missing("Chromium is not installed (apt-get install chromium) - browser tests skipped")
    return found


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The app on the shipped data."""
    process, base = start_server()
    yield base
    stop_server(process)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class OfflinePage:
    """A Playwright page that may only talk to the local server; anything else is blocked and recorded."""

    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.blocked: list[str] = []
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, path: str = "", charts: int = 0) -> None:
        """Go to a page of the app and wait until it has run to its end and drawn every chart (at least `charts`)."""
        self.page.goto(f"{self.base}/{path}")
        wait_rendered(self.page, charts=charts)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def app(browser, server) -> Iterator[OfflinePage]:
    """A fresh browser page on the shipped data; the test fails if it reached beyond localhost."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = OfflinePage(context.new_page(), server)
    yield page
    context.close()
    assert page.blocked == [], f"requests beyond localhost: {page.blocked}"
