"""What users do, in a real browser with no network: filters change the chart and the list, a link restores a view
(and says what in it was ignored), presentation mode enlarges the type on every page, downloads hold exactly the rows
shown, the chart's own PNG export works, and a country picked on the map lists its operations.

Expected values come from the shipped data, read here with the package, so the tests follow the data as it grows; each
test first checks that the data still makes its point (e.g. a filter that leaves fewer rows, but some).
"""

from __future__ import annotations

import csv
import io
import re
import struct
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, quote_plus, urlsplit

import pandas as pd
import pytest

from poc_data.load import load
from poc_data.schema import MILESTONE_ORGANIZATIONS
from poc_data.style import style_of
from poc_data.transform import timeline as tl
from poc_data.transform.geo import host_country_choices
from poc_data.transform.reference import filter_sources
from tests.browser.server import rerun_settled
from tests.conftest import REPO

pytestmark = pytest.mark.browser

DATA = REPO / "data"
ENTRIES_PER_PAGE = 30  # pages/1_Timeline.py lists this many milestones a page
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_SCALE = 2  # poc_data.ui.show.CHART_CONFIG["toImageButtonOptions"]["scale"]

MARKERS = """document.querySelectorAll('[data-testid="stPlotlyChart"] .scatterlayer .point').length"""
MARKERS_ARE = f"n => {MARKERS} === n"
# Each Timeline entry is a paragraph that opens with its organization's badge: [badge, text] for each.
ENTRIES = """() => [...document.querySelectorAll('[data-testid="stMain"] p > .stMarkdownBadge:first-child')]
    .map(badge => [badge.textContent.trim(), badge.parentElement.textContent.slice(badge.textContent.length).trim()])"""
# A chart's tick labels on one axis: "y" names the Timeline's lanes, "x" its years.
TICKS = """axis => [...document.querySelectorAll(`[data-testid="stPlotlyChart"] .${axis}tick text`)]
    .map(t => t.textContent)"""
CAPTIONS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stCaptionContainer"]')]
    .map(c => c.textContent)"""
CAPTION_IS = f"text => ({CAPTIONS})().includes(text)"
HEADING_IS = """text => [...document.querySelectorAll('[data-testid="stMain"] h1, [data-testid="stMain"] h3')]
    .some(h => h.textContent === text)"""
# Font sizes in px of the page title, a caption, a Timeline entry's text, and the first chart's title and year ticks.
FONT_SIZES = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const px = selector => {
    const element = main.querySelector(selector);
    return element ? parseFloat(getComputedStyle(element).fontSize) : null;
  };
  return {
    heading: px('h1'),
    caption: px('[data-testid="stCaptionContainer"] p'),
    entry: px('p:has(> .stMarkdownBadge)'),
    chart_title: px('[data-testid="stPlotlyChart"] .gtitle'),
    chart_ticks: px('[data-testid="stPlotlyChart"] .xtick text'),
  };
}"""
LARGER = f"""before => {{ const now = ({FONT_SIZES})();
  return now.heading > before.heading && now.chart_title > before.chart_title; }}"""
SMALLER = f"""before => {{ const now = ({FONT_SIZES})();
  return now.heading < before.heading && now.chart_title < before.chart_title; }}"""
# The first dataframe after a heading (or on the page, for null): its row count and one column's cells in view.
# st.dataframe draws on a canvas; its accessible table, loaded lazily, holds the rows drawn and the total.
TABLE = """([heading, column]) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const title = heading === null ? null : [...main.querySelectorAll('h3')].find(h => h.textContent === heading);
  if (heading !== null && !title) return null;
  const frame = [...main.querySelectorAll('[data-testid="stDataFrame"]')]
    .find(d => !title || title.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING);
  const table = frame && frame.querySelector('table[role="grid"]');
  if (!table) return null;
  const index = [...table.querySelectorAll('th')].map(th => th.textContent).indexOf(column);
  return {rows: Number(table.getAttribute('aria-rowcount')) - 1,
          cells: [...table.querySelectorAll('tbody tr')].map(tr => tr.querySelectorAll('td')[index]?.textContent)};
}"""
# A point inside a country's shape on the map, as far as possible from the headquarters markers (which a click
# near them would pick instead): {x, y, clearance} in viewport pixels and how many markers there are, or null.
SPOT_IN_COUNTRY = """code => {
  const shape = [...document.querySelectorAll('.choroplethlayer path')].find(p => p.__data__?.loc === code);
  if (!shape) return null;
  shape.scrollIntoView({block: 'center'});
  const box = shape.getBoundingClientRect();
  const toShape = shape.getScreenCTM().inverse();
  const markers = [...document.querySelectorAll('.scattergeo .point')]
    .map(m => m.getBoundingClientRect()).map(r => [r.x + r.width / 2, r.y + r.height / 2]);
  let best = null;
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const x = box.x + box.width * i / 20, y = box.y + box.height * j / 20;
    if (!shape.isPointInFill(new DOMPoint(x, y).matrixTransform(toShape))) continue;
    const distance = Math.min(1e6, ...markers.map(([mx, my]) => Math.hypot(mx - x, my - y)));
    if (!best || distance > best.clearance) best = {x, y, clearance: distance, markers: markers.length};
  }
  return best;
}"""


@cache
def dataset(dataset_id: str) -> pd.DataFrame:
    return load(dataset_id, DATA)


def milestones_shown(organizations=MILESTONE_ORGANIZATIONS, years=None, query: str = "") -> pd.DataFrame:
    """What the Timeline should show for these filters, checked to be drawn one marker per milestone."""
    milestones = dataset("milestones")
    filters = tl.TimelineFilters(
        organizations=tl.lane_order(organizations),
        years=years or tl.year_bounds(milestones),
        themes=[],
        missions=[],
        query=query,
    )
    shown = tl.filter_milestones(milestones, filters)
    assert not tl.milestone_layer(shown, dataset("sources")).summarised, "the chart would count, not draw, markers"
    return shown


def country_label(code: str) -> str:
    """The country as the Map's Country box offers it (and writes it into the link)."""
    return next(label for label, value in host_country_choices(dataset("missions")).items() if value == code)


def operations_in(code: str) -> set[str]:
    """The acronyms of the operations hosted in a country, read straight from data/missions.csv."""
    with (DATA / "missions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["acronym"] for row in csv.DictReader(handle) if code in row["host_countries"].split(";")}


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def download(page, button) -> tuple[str, bytes]:
    """Click a download control and return the file's suggested name and its bytes."""
    with page.expect_download() as started:
        button.click()
    saved = started.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def table(page, heading: str | None, column: str, rows: int) -> list[str]:
    """One column's cells in view of the dataframe under `heading`, once its grid holds `rows` rows.

    The grid loads lazily and redraws after the script run that changed it has ended, so both are waited for."""
    waited = f"""([arg, rows]) => {{ const found = ({TABLE})(arg);
      return found && found.rows === rows ? found.cells : null; }}"""
    return page.wait_for_function(waited, arg=[[heading, column], rows]).json_value()


def chosen(page, key: str) -> list[str]:
    """The values shown as chosen in a multiselect, by its key."""
    return page.locator(f".st-key-{key} [data-tag]").evaluate_all("tags => tags.map(t => t.getAttribute('aria-label'))")


def thumbs(page, key: str) -> list[str]:
    """The values shown on a slider's thumbs, by its key."""
    return page.locator(f".st-key-{key} [data-testid='stSliderThumbValue']").all_inner_texts()


def pager_caption(page) -> tuple[int, int, int] | None:
    """The first, last and total rows named by the Timeline's pager caption ("Milestones 1–30 of 150..."), if any."""
    for caption in page.evaluate(CAPTIONS):
        found = re.match(r"Milestones (\d+)–(\d+) of (\d+)", caption)
        if found:
            return tuple(int(number) for number in found.groups())
    return None


def click_toggle(page, label: str) -> None:
    # The switch's input is visually hidden; a user clicks its label.
    page.get_by_test_id("stSidebar").get_by_text(label, exact=True).click()


def test_filters_change_the_chart_the_entries_and_the_csv(app):
    page = app.page
    everything = milestones_shown()
    without_un = milestones_shown([org for org in MILESTONE_ORGANIZATIONS if org != "UN"])
    searched = milestones_shown([org for org in MILESTONE_ORGANIZATIONS if org != "UN"], query="civilian")
    assert len(everything) > len(without_un) > ENTRIES_PER_PAGE >= len(searched) > 0

    app.open("Timeline", charts=1)
    assert page.evaluate(f"() => {MARKERS}") == len(everything)
    assert style_of("UN").label in page.evaluate(TICKS, "y")
    assert chosen(page, "tl_org") == list(MILESTONE_ORGANIZATIONS)
    assert len(page.evaluate(ENTRIES)) == ENTRIES_PER_PAGE
    assert pager_caption(page) == (1, ENTRIES_PER_PAGE, len(everything))

    page.get_by_role("button", name="Remove UN").click()
    rerun_settled(page, MARKERS_ARE, len(without_un), charts=1)
    assert "UN" not in chosen(page, "tl_org")
    assert style_of("UN").label not in page.evaluate(TICKS, "y")
    assert pager_caption(page) == (1, ENTRIES_PER_PAGE, len(without_un))
    assert style_of("UN").label not in {badge.split()[-1] for badge, _ in page.evaluate(ENTRIES)}

    search = page.get_by_role("textbox", name="Search the text")
    search.fill("civilian")
    search.press("Enter")
    rerun_settled(page, MARKERS_ARE, len(searched), charts=1)
    entries = page.evaluate(ENTRIES)
    assert [text for _, text in entries] == searched["text"].tolist()
    assert pager_caption(page) is None
    app.screenshot("interaction-timeline-filtered")

    button = page.locator(".st-key-tl_download button")
    assert f"CSV, {len(searched)} rows" in button.inner_text()
    name, data = download(page, button)
    rows = csv_rows(data)
    assert name == "poc-explorer-milestones.csv"
    assert [row["id"] for row in rows] == searched["id"].tolist()
    assert [row["text"] for row in rows] == [text for _, text in entries]


def test_link_restores_the_timeline_view(app):
    page = app.page
    organizations, years, query = ["EU", "NATO"], (2000, 2015), "civilian"
    expected = milestones_shown(organizations, years, query)
    assert 0 < len(expected) < len(milestones_shown(organizations))

    link = f"Timeline?tl_org=EU&tl_org=NATO&tl_years={years[0]}&tl_years={years[1]}&tl_q={query}"
    app.open(link, charts=1)
    assert chosen(page, "tl_org") == organizations
    assert thumbs(page, "tl_years") == ["2000", "2015"]
    assert page.get_by_role("textbox", name="Search the text").input_value() == query
    assert page.evaluate(TICKS, "y") == [style_of(org).label for org in organizations]
    assert all(years[0] <= int(tick) <= years[1] + 1 for tick in page.evaluate(TICKS, "x"))
    assert page.evaluate(f"() => {MARKERS}") == len(expected)
    assert [text for _, text in page.evaluate(ENTRIES)] == expected["text"].tolist()
    assert query_of(page) == {"tl_org": organizations, "tl_years": ["2000", "2015"], "tl_q": [query]}
    assert page.locator('[data-testid="stAlert"]').count() == 0
    app.screenshot("interaction-timeline-from-link")


def test_link_values_not_offered_get_a_notice(app):
    """A link with an unknown organization keeps the known one; an impossible year range falls back to the default.

    Both get a notice naming what was ignored."""
    page = app.page
    milestones = dataset("milestones")
    first, last = tl.year_bounds(milestones)
    app.open("Timeline?tl_org=EU&tl_org=WHO&tl_years=1800&tl_years=2000", charts=1)
    notices = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("organizations value 'WHO' is not available here" in notice for notice in notices), notices
    assert any("years value '1800', '2000' is not available here" in notice for notice in notices), notices
    assert chosen(page, "tl_org") == ["EU"]
    assert thumbs(page, "tl_years") == [str(first), str(last)]
    assert page.evaluate(f"() => {MARKERS}") == len(milestones_shown(["EU"]))
    assert query_of(page) == {"tl_org": ["EU"]}
    app.screenshot("interaction-link-notice")


def test_presentation_mode_enlarges_the_type_and_stays_on_across_pages(app):
    page = app.page
    app.open("Timeline?tl_org=EU", charts=1)
    normal = page.evaluate(FONT_SIZES)
    assert None not in normal.values(), normal

    click_toggle(page, "Presentation mode")
    rerun_settled(page, LARGER, normal, charts=1)
    presenting = page.evaluate(FONT_SIZES)
    assert all(presenting[part] > normal[part] for part in normal), (normal, presenting)
    assert page.get_by_role("switch", name="Presentation mode").is_checked()
    assert query_of(page)["present"] == ["true"]
    app.screenshot("interaction-presentation-timeline")

    page.get_by_test_id("stSidebar").get_by_role("link").filter(has_text=re.compile(r"Map$")).click()
    rerun_settled(page, HEADING_IS, "Map", charts=1)
    page.wait_for_function(f"() => ({FONT_SIZES})().chart_title !== null")
    on_map = page.evaluate(FONT_SIZES)
    assert on_map["heading"] == presenting["heading"]
    assert on_map["caption"] == presenting["caption"]
    assert page.get_by_role("switch", name="Presentation mode").is_checked()
    assert urlsplit(page.url).path.endswith("/Map")
    assert query_of(page)["present"] == ["true"]
    app.screenshot("interaction-presentation-map")

    click_toggle(page, "Presentation mode")
    rerun_settled(page, SMALLER, on_map, charts=1)
    restored = page.evaluate(FONT_SIZES)
    assert restored["heading"] == normal["heading"]
    assert restored["caption"] == normal["caption"]
    assert restored["chart_title"] < on_map["chart_title"]
    assert not page.get_by_role("switch", name="Presentation mode").is_checked()
    assert "present" not in query_of(page)


def test_sources_csv_holds_exactly_the_rows_listed(app):
    page = app.page
    sources = dataset("sources")
    tiers = ["academic", "NGO"]
    by_tier = filter_sources(sources, tiers=tiers, query="")
    searched = filter_sources(sources, tiers=tiers, query="civilians")
    assert len(sources) > len(by_tier) > len(searched) > 0

    app.open("Sources_and_data?src_tier=academic&src_tier=NGO")
    assert f"{len(by_tier)} of {len(sources)} sources." in page.evaluate(CAPTIONS)
    table(page, None, "id", rows=len(by_tier))

    search = page.get_by_role("textbox", name="Search authors, titles, publishers and addresses")
    search.fill("civilians")
    search.press("Enter")
    rerun_settled(page, CAPTION_IS, f"{len(searched)} of {len(sources)} sources.")
    listed = table(page, None, "id", rows=len(searched))
    app.screenshot("interaction-sources-filtered")

    name, data = download(page, page.locator(".st-key-src_download button"))
    rows = csv_rows(data)
    assert name == "poc-explorer-sources.csv"
    assert [row["id"] for row in rows] == searched["id"].tolist()
    assert [row["id"] for row in rows][: len(listed)] == listed
    assert {row["tier"] for row in rows} <= set(tiers)


def test_chart_png_download_gives_a_png(app):
    page = app.page
    app.open("Organizations", charts=1)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.hover()
        name, data = download(page, chart.locator('.modebar-btn[data-title*="PNG" i]'))
        assert name.endswith(".png")
        assert data[:8] == PNG_SIGNATURE
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        drawn = chart.locator(".main-svg").first.evaluate("svg => [svg.width.baseVal.value, svg.height.baseVal.value]")
        assert (width, height) == (round(drawn[0] * PNG_SCALE), round(drawn[1] * PNG_SCALE))


def test_country_from_link_or_box_lists_its_operations(app):
    page = app.page
    congo, mali = country_label("COD"), country_label("MLI")
    in_congo, in_mali = operations_in("COD"), operations_in("MLI")
    assert {"MONUC", "MONUSCO"} <= in_congo
    assert in_mali and in_mali != in_congo

    app.open(f"Map?map_country={quote_plus(congo)}", charts=1)
    country_box = page.get_by_role("combobox", name="Country")
    assert country_box.input_value() == congo
    assert set(table(page, f"Operations in {congo}", "Acronym", rows=len(in_congo))) == in_congo
    _, data = download(page, page.locator(".st-key-map_download_country button"))
    assert sorted(row["acronym"] for row in csv_rows(data)) == sorted(in_congo)
    app.screenshot("interaction-map-country-from-link")

    # Click first, as a user does: filling the box without focusing it first is not always taken as typing.
    country_box.click()
    country_box.fill(mali)
    page.get_by_role("option", name=mali, exact=True).click()
    rerun_settled(page, HEADING_IS, f"Operations in {mali}", charts=1)
    assert set(table(page, f"Operations in {mali}", "Acronym", rows=len(in_mali))) == in_mali
    assert country_box.input_value() == mali
    assert query_of(page)["map_country"] == [mali]


def test_clicking_a_country_on_the_map_lists_its_operations(app):
    page = app.page
    congo = country_label("COD")
    app.open("Map?map_region=Africa", charts=1)
    page.wait_for_function("() => [...document.querySelectorAll('.choroplethlayer path')].some(p => p.__data__?.loc)")
    spot = page.evaluate(SPOT_IN_COUNTRY, "COD")
    assert spot is not None, "the Democratic Republic of the Congo is not shaded on the default year's map"
    assert spot["markers"] > 0, "the headquarters markers were not found, so a clear spot cannot be chosen"
    assert spot["clearance"] > 25, "no spot in the country is clear of the headquarters markers"
    x, y = spot["x"], spot["y"]
    # plotly picks what is clicked from the hover that precedes the click: wait for its label first.
    page.mouse.move(x, y)
    page.wait_for_selector(".hoverlayer .hovertext")
    page.mouse.click(x, y)
    rerun_settled(page, HEADING_IS, f"Operations in {congo}", charts=1)
    in_congo = operations_in("COD")
    assert set(table(page, f"Operations in {congo}", "Acronym", rows=len(in_congo))) == in_congo
    assert query_of(page)["map_country"] == [congo]
    assert page.get_by_role("combobox", name="Country").input_value() == congo
    app.screenshot("interaction-map-country-clicked")
