"""Every page in a real browser on a hostile data directory, opened by a hostile link: no error, a notice for the
link, the data's markup shown as text, nothing of a file outside the data directory, and no request beyond the app
(a Markdown image, an HTML image or a plotly link to example.com would be recorded and fail the test)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from poc_data.safe_text import WORD_JOINER
from poc_data.ui import PAGES
from tests.browser.conftest import OfflinePage
from tests.browser.server import start_server, stop_server
from tests.browser.test_pages import url_path
from tests.hostile import LONG_SEARCH, MARKUP, SECRET_LINE, TRACKER, hostile_data, links_for

pytestmark = pytest.mark.browser

# The page's own address is one request: Tornado refuses request lines longer than 64 kB, so the browser's search
# link is shorter than the AppTest one (which checks the 50,000 words); 5,000 words is still far past the limit.
SEARCH = " ".join(LONG_SEARCH.split()[:5000])


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    process, base = start_server(hostile_data(tmp_path_factory.mktemp("hostile")))
    yield base
    stop_server(process)


@pytest.fixture
def hostile_app(browser, hostile_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = OfflinePage(context.new_page(), hostile_server)
    yield page
    context.close()
    assert page.blocked == [], f"requests beyond localhost: {page.blocked}"


def hostile_link(script: str) -> str:
    links = {key: SEARCH if value == LONG_SEARCH else value for key, value in links_for(script).items()}
    return f"{url_path(script)}?{urlencode(links, doseq=True)}"


@pytest.mark.parametrize("info", PAGES, ids=[info.label for info in PAGES])
def test_hostile_link_and_data_show_text_and_request_nothing(hostile_app, info):
    hostile_app.open(hostile_link(info.path))
    page = hostile_app.page
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert "presentation mode value 'zzz' is not available here" in body
    assert SECRET_LINE not in body
    assert "Traceback" not in body
    # Markup from the data and the link is on the page as text, never as an image, a link, maths or colour.
    assert (
        page.locator(
            f'img[src^="{TRACKER}"], a[href^="{TRACKER}"], .katex, [data-testid="stMarkdownColoredText"]'
        ).count()
        == 0
    )
    assert page.evaluate(f"() => document.documentElement.outerHTML.includes('src=\"{TRACKER}')") is False
    hostile_app.screenshot(f"hostile-{url_path(info.path) or 'Home'}")


def test_markup_in_a_key_figure_reads_as_written(hostile_app):
    hostile_app.open("")
    label = hostile_app.page.locator('[data-testid="stMetricLabel"]').first.inner_text()
    assert label.replace(WORD_JOINER, "").strip() == MARKUP.strip()
