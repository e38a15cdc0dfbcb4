"""The installed app (`pip install .`, then `poc-explorer` in another folder) in a real browser with no network: the
home page and a data page load from the installed files, with their charts and maps."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OfflinePage
from tests.package import clean_environment, start, stop

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def installed_server(installed_app, tmp_path_factory):
    process, base = start(installed_app, tmp_path_factory.mktemp("elsewhere"), clean_environment())
    yield base
    output = stop(process)
    assert "Traceback" not in output


PAGES = [("", "Key figures", 0), ("Map", "Where were operations deployed in a given year", 1)]


@pytest.mark.parametrize(("path", "shown", "charts"), PAGES)
def test_the_installed_app_loads_its_pages(browser, installed_server, path, shown, charts):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = OfflinePage(context.new_page(), installed_server)
    try:
        page.open(path, charts=charts)
        assert page.page.get_by_text(shown).first.is_visible()
        assert page.page.locator('[data-testid="stException"]').count() == 0
        assert page.page.locator('[data-testid="stAlertContentError"]').count() == 0
        if charts:
            assert page.page.locator(".main-svg").count() >= charts
        page.screenshot(f"installed-{path or 'home'}")
    finally:
        context.close()
    assert page.blocked == [], f"requests beyond localhost: {page.blocked}"
