"""The installed app (`pip install .`, then `poc-explorer` in another folder) in a real browser with no network:
every page loads from the installed files without an error, the map with its countries."""

from __future__ import annotations

import pytest

from poc_data import ui
from tests.browser.conftest import OfflinePage
from tests.browser.test_pages import url_path
from tests.package import clean_environment, start, stop

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def installed_server(installed_app, tmp_path_factory):
    process, base = start(installed_app, tmp_path_factory.mktemp("elsewhere"), clean_environment())
    yield base
    output = stop(process)
    assert "Traceback" not in output


PAGES = [
    (url_path(info.path), "Key figures" if info.path == "app.py" else info.question, 1 if "Map" in info.path else 0)
    for info in ui.PAGES
]


@pytest.mark.parametrize(("path", "shown", "charts"), PAGES, ids=[page[0] or "home" for page in PAGES])
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
