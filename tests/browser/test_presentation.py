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
  // Whether each chart is whole on the screen the room sees first, before anything is scrolled.
  const firstView = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .map(chart => chart.getBoundingClientRect().bottom <= innerHeight + 1);
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
    // A legend entry is cut off where it runs past the legend's box (plotly clips it there).
    const entriesInside = [...chart.querySelectorAll('.legend')].every(legend => {
      const bg = legend.querySelector('.bg').getBoundingClientRect();
      const texts = [...legend.querySelectorAll('text.legendtext')];
      return texts.every(text => text.getBoundingClientRect().right <= bg.right + 1);
    });
    const title = chart.querySelector('.gtitle');
    return {title: title ? title.textContent : '', height: box.height, width: box.width,
            fits: box.height <= innerHeight - top && box.width <= innerWidth && box.left >= 0,
            titleInside: inside(title), legendsInside: [...chart.querySelectorAll('.legend')].every(inside),
            entriesInside};
  });
  const texts = '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,'
    + ' [data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, [data-tag] > span,'
    + ' [data-testid="stMultiSelectTagsContainer"], [data-testid="stMain"] [data-testid="stCaptionContainer"] p,'
    + ' [data-testid="stMain"] button p, [data-testid="stWidgetLabel"] p';
  // The text elements named above, and anything on the page that is cut off with an ellipsis (button labels).
  const ellipsed = [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(element => getComputedStyle(element).textOverflow === 'ellipsis');
  const clipped = [...new Set([...document.querySelectorAll(texts), ...ellipsed])]
    .filter(element => element.getClientRects().length && element.scrollWidth > element.clientWidth + 1)
    .map(element => element.textContent.slice(0, 60));
  return {sidebarWidth, expander: !!expander, charts, firstView, clipped,
          pageWidth: document.documentElement.scrollWidth};
}"""
MAPS_DRAWN = """() => [...document.querySelectorAll('.geolayer')].filter(geo => geo.children.length)
  .every(geo => geo.querySelector('.countries path'))"""
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


def presented(app, path: str, screenshot: str | None = None) -> dict:
    """Open a page in presentation mode, save what the room sees first, and measure it."""
    separator = "&" if "?" in path else "?"
    app.open(f"{path}{separator}present=true")
    page = app.page
    assert page.locator('[data-testid="stException"]').count() == 0
    # A map draws its countries once its boundaries have loaded.
    page.wait_for_function(MAPS_DRAWN)
    if screenshot:
        app.screenshot(screenshot)
    return page.evaluate(MEASURE)


def check_fits(measured: dict, width: int) -> None:
    assert measured["sidebarWidth"] < 5, "the sidebar is open in presentation mode"
    assert measured["expander"], "the menu cannot be reached: no button opens the sidebar"
    assert measured["pageWidth"] <= width, "the page scrolls sideways"
    for chart in measured["charts"]:
        assert chart["fits"], chart
        assert chart["titleInside"], chart
        assert chart["legendsInside"], chart
        assert chart["entriesInside"], chart
    assert measured["clipped"] == []


@pytest.mark.parametrize("info", PAGES, ids=[info.label for info in PAGES])
def test_every_page_fits_the_projector(projector, info):
    measured = presented(projector, url_path(info.path), f"present-{url_path(info.path) or 'Home'}-{projector.size}")
    check_fits(measured, int(projector.size.split("x")[0]))


@pytest.mark.parametrize(
    ("story", "number"), STORY_STEPS, ids=[f"{story.id}-{number}" for story, number in STORY_STEPS]
)
def test_every_story_step_fits_the_projector(projector, story, number):
    measured = presented(
        projector,
        f"Stories?story={quote_plus(story.title)}&step={number}",
        f"present-story-{story.id}-{number}-{projector.size}",
    )
    check_fits(measured, int(projector.size.split("x")[0]))
    assert all(measured["firstView"]), "the step's chart runs below the screen: the room sees it cut off"
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
    # A one-year timeline has one tick, the year, and no month.
    page.wait_for_function(f"() => ({ticks})().join() === '1999'", timeout=10_000)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    rerun_settled(page, "() => new URL(location).searchParams.get('tl_year') === '2000'")
    wait_rendered(page)
    page.wait_for_function(f"() => ({ticks})().join() === '2000'", timeout=10_000)
    assert re.search(r"in 2000", page.locator(".gtitle").first.text_content())
    projector.screenshot(f"present-timeline-one-year-{projector.size}")
    page.keyboard.press("ArrowLeft")
    rerun_settled(page, "() => new URL(location).searchParams.get('tl_year') === '1999'")


def test_the_map_animation_starts_at_the_chosen_year_and_its_controls_do_not_overlap(projector):
    page = projector.page
    presented(projector, "Map?map_animate=true&map_year=2000", f"present-map-animation-{projector.size}")
    boxes = page.evaluate(
        """() => {
      const box = element => { const r = element.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
      const labels = [...document.querySelectorAll('.slider-label')];
      const readout = labels.find(label => label.textContent.startsWith('Year shown'));
      return {buttons: [...document.querySelectorAll('.updatemenu-button')].map(box),
              readout: box(readout), readoutText: readout.textContent,
              steps: labels.filter(label => label !== readout).map(label => label.textContent)};
    }"""
    )
    assert boxes["readoutText"].endswith("2000")
    assert boxes["steps"][0] == "2000", "the animation starts from the year chosen"
    readout = boxes["readout"]
    for button in boxes["buttons"]:
        apart = button["right"] <= readout["left"] or readout["right"] <= button["left"]
        assert apart or button["bottom"] <= readout["top"] or readout["bottom"] <= button["top"], (button, readout)
    caption = page.get_by_text("The animation plays every year from 2000")
    assert caption.count() == 1


def test_keyboard_focus_is_visible_and_the_current_page_is_marked(projector):
    page = projector.page
    projector.open("Timeline")
    link = page.get_by_test_id("stSidebar").get_by_role("link").filter(has_text=re.compile(r"Map$"))
    page.keyboard.press("Tab")
    link.focus()
    assert link.evaluate("a => parseFloat(getComputedStyle(a).outlineWidth)") >= 3
    current = page.get_by_test_id("stSidebar").locator(".st-key-menu_current a")
    assert current.count() == 1 and "Timeline" in current.inner_text()
    assert current.evaluate("a => parseFloat(getComputedStyle(a).borderLeftWidth)") >= 3
