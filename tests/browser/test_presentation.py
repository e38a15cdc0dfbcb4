"""Presentation mode at the projector sizes, 1024x768 and 1280x720, on every page and every step of every shipped
story: the sidebar is collapsed (its menu one click away), every chart lies inside the viewport, no title, metric,
chip or chart title is clipped, and the arrow keys step. Screenshots of each go to test-artifacts/browser/."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest

from poc_data.load import load
from poc_data.stories import read_stories
from poc_data.ui import PAGES
from tests.browser.conftest import OfflinePage
from tests.browser.server import rerun_settled, wait_rendered
from tests.browser.test_pages import url_path
from tests.conftest import REPO

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1280, 720)]

# What a projected page must satisfy, measured in the page: {sidebar, expander, charts: [...], clipped: [...]}.
MEASURE = """() => {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  const sidebarWidth = sidebar ? sidebar.getBoundingClientRect().width : 0;
  const expander = document.querySelector('[data-testid="stExpandSidebarButton"]');
  const header = document.querySelector('[data-testid="stHeader"]');
  const top = header ? header.getBoundingClientRect().height : 0;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
    chart.scrollIntoView({block: 'end'});
    const box = chart.getBoundingClientRect();
    const svg = chart.querySelector('.main-svg').getBoundingClientRect();
    const inside = element => {
      if (!element) return true;
      const r = element.getBoundingClientRect();
      return r.left >= svg.left - 1 && r.right <= svg.right + 1
        && r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1;
    };
    const title = chart.querySelector('.gtitle');
    return {title: title ? title.textContent : '', height: box.height, width: box.width,
            fits: box.height <= innerHeight - top && box.width <= innerWidth && box.left >= 0,
            titleInside: inside(title), legendsInside: [...chart.querySelectorAll('.legend')].every(inside)};
  });
  const texts = '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,'
    + ' [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, [data-tag] > span,'
    + ' [data-testid="stMultiSelectTagsContainer"], [data-testid="stMain"] [data-testid="stCaptionContainer"] p,'
    + ' [data-testid="stMain"] button p, [data-testid="stWidgetLabel"] p';
  const clipped = [...document.querySelectorAll(texts)]
    .filter(element => element.getClientRects().length && element.scrollWidth > element.clientWidth + 1)
    .map(element => element.textContent.slice(0, 60));
  return {sidebarWidth, expander: !!expander, charts, clipped, pageWidth: document.documentElement.scrollWidth};
}"""
HEADER_TEXT = """() => [...document.querySelectorAll('[data-testid="stMain"] h2')].map(h => h.textContent).join('|')"""


def shipped_stories():
    data = {name: load(name, REPO / "data") for name in ("milestones", "missions", "recommendations", "sources")}
    files = read_stories(REPO / "data", data=data, source_ids=set(data["sources"]["id"]))
    return [story_file.story for story_file in files]


STORY_STEPS = [(story, number) for story in shipped_stories() for number in range(1, len(story.steps) + 1)]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def projector(request, browser, server):
    """A fresh page at a projector's size; the test fails if it reached beyond localhost."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    page = OfflinePage(context.new_page(), server)
    page.size = f"{width}x{height}"
    yield page
    context.close()
    assert page.blocked == [], f"requests beyond localhost: {page.blocked}"


def presented(app, path: str) -> dict:
    """Open a page in presentation mode and measure it."""
    separator = "&" if "?" in path else "?"
    app.open(f"{path}{separator}present=true")
    page = app.page
    assert page.locator('[data-testid="stException"]').count() == 0
    return page.evaluate(MEASURE)


def check_fits(measured: dict, width: int) -> None:
    assert measured["sidebarWidth"] < 5, "the sidebar is open in presentation mode"
    assert measured["expander"], "the menu cannot be reached: no button opens the sidebar"
    assert measured["pageWidth"] <= width, "the page scrolls sideways"
    for chart in measured["charts"]:
        assert chart["fits"], chart
        assert chart["titleInside"], chart
        assert chart["legendsInside"], chart
    assert measured["clipped"] == []


@pytest.mark.parametrize("info", PAGES, ids=[info.label for info in PAGES])
def test_every_page_fits_the_projector(projector, info):
    measured = presented(projector, url_path(info.path))
    projector.screenshot(f"present-{url_path(info.path) or 'Home'}-{projector.size}")
    check_fits(measured, int(projector.size.split("x")[0]))


@pytest.mark.parametrize(
    ("story", "number"), STORY_STEPS, ids=[f"{story.id}-{number}" for story, number in STORY_STEPS]
)
def test_every_story_step_fits_the_projector(projector, story, number):
    measured = presented(projector, f"Stories?story={quote_plus(story.title)}&step={number}")
    projector.screenshot(f"present-story-{story.id}-{number}-{projector.size}")
    check_fits(measured, int(projector.size.split("x")[0]))
    assert projector.page.evaluate(HEADER_TEXT) == story.steps[number - 1].title
    step = story.steps[number - 1]
    charts = len(measured["charts"])
    assert charts == (1 if step.page not in ("Round_table",) and step.view not in ("definitions", "comparison") else 0)


def test_arrow_keys_step_through_a_story(projector):
    story = shipped_stories()[0]
    page = projector.page
    presented(projector, f"Stories?story={quote_plus(story.title)}")
    assert page.evaluate(HEADER_TEXT) == story.steps[0].title
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    rerun_settled(page, f"() => ({HEADER_TEXT})() === {story.steps[1].title!r}")
    assert parse_qs(urlsplit(page.url).query)["step"] == ["2"]
    page.keyboard.press("ArrowRight")
    rerun_settled(page, f"() => ({HEADER_TEXT})() === {story.steps[2].title!r}")
    page.keyboard.press("ArrowLeft")
    rerun_settled(page, f"() => ({HEADER_TEXT})() === {story.steps[1].title!r}")
    assert parse_qs(urlsplit(page.url).query)["step"] == ["2"]


def test_arrow_keys_step_the_timeline_a_year_at_a_time(projector):
    page = projector.page
    presented(projector, "Timeline?tl_step=true&tl_year=1999")
    year_box = page.get_by_role("combobox", name="Year presented")
    assert year_box.input_value() == "1999"
    ticks = (
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .xtick text')].map(t => t.textContent)"""
    )
    assert page.evaluate(ticks) == ["1999"], "a one-year timeline has one tick, the year"
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    rerun_settled(page, "() => new URL(location).searchParams.get('tl_year') === '2000'")
    wait_rendered(page)
    assert page.evaluate(ticks) == ["2000"]
    assert re.search(r"in 2000", page.locator(".gtitle").first.text_content())
    projector.screenshot(f"present-timeline-one-year-{projector.size}")
    page.keyboard.press("ArrowLeft")
    rerun_settled(page, "() => new URL(location).searchParams.get('tl_year') === '1999'")
