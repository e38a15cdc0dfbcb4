"""The Map page's UCDP layer in a real browser at the projector sizes, in presentation mode and offline: the
civilians-killed map fits the screen, names its source inside the figure, and its legend and colour bar are whole."""

from __future__ import annotations

import shutil

import pytest

from poc_data.events import import_ged
from tests.browser import test_presentation
from tests.browser.conftest import OfflinePage
from tests.browser.server import start_server, stop_server
from tests.browser.test_presentation import check_fits, presented
from tests.conftest import FIXTURES, REPO

pytestmark = pytest.mark.browser
projector = test_presentation.projector

SECTION = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const map = charts.find(chart => (chart.querySelector('.gtitle') || {}).textContent?.startsWith('Civilians killed'));
  if (!map) return null;
  map.scrollIntoView({block: 'end'});
  const svg = map.querySelector('.main-svg').getBoundingClientRect();
  const inside = element => { const r = element.getBoundingClientRect();
    return r.left >= svg.left - 1 && r.right <= svg.right + 1 && r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1; };
  const notes = [...map.querySelectorAll('.annotation')];
  const source = notes.find(note => note.textContent.startsWith('Source:'));
  const bar = map.querySelector('.colorbar');
  return {source: source ? source.textContent : '', sourceInside: source ? inside(source) : false,
          barInside: bar ? inside(bar) : false,
          ticks: [...map.querySelectorAll('.colorbar .cbaxis text')].map(t => t.textContent),
          countries: map.querySelectorAll('.choroplethlocation').length};
}"""


def test_the_civilians_layer_fits_the_projector_and_cites_ucdp(projector):
    measured = presented(
        projector, "Map?map_year=2014&map_ucdp=true&map_region=Africa", f"present-map-ucdp-2014-{projector.size}"
    )
    check_fits(measured, int(projector.size.split("x")[0]))
    section = projector.page.evaluate(SECTION)
    assert section is not None, "no civilians-killed map"
    assert "UCDP Country-Year Dataset on Organized Violence" in section["source"]
    assert section["sourceInside"] and section["barInside"]
    assert section["ticks"][:3] == ["1", "100", "10,000"]
    assert section["countries"] > 100
    projector.page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".find(c => c.textContent.includes('Civilians killed in')).scrollIntoView({block: 'center'})"
    )
    projector.page.screenshot(path=str(projector.screenshot(f"present-map-ucdp-2014-{projector.size}-map")))


@pytest.fixture(scope="module")
def events_server(tmp_path_factory):
    """The app on the shipped data with the GED fixture's events imported (three in the Central African Republic in
    2014, where MINUSCA had eight deployment locations)."""
    directory = tmp_path_factory.mktemp("events") / "data"
    shutil.copytree(REPO / "data", directory, ignore=shutil.ignore_patterns("violence_events.*"))
    import_ged(FIXTURES / "ucdp" / "GEDEvent_v23_1.csv", directory)
    process, base = start_server(directory)
    yield base
    stop_server(process)


@pytest.fixture(params=test_presentation.SIZES, ids=[f"{w}x{h}" for w, h in test_presentation.SIZES])
def events_projector(request, browser, events_server):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = OfflinePage(context.new_page(), events_server)
    page.size = f"{width}x{height}"
    yield page
    context.close()
    assert page.blocked == [], f"requests beyond localhost: {page.blocked}"


EVENTS_MAP = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const map = charts.find(chart => chart.textContent.includes('Violent events in'));
  if (!map) return null;
  return {points: map.querySelectorAll('.scattergeo .point').length,
          legend: [...map.querySelectorAll('.legendtext')].map(t => t.textContent),
          source: [...map.querySelectorAll('.annotation')].map(n => n.textContent).join(' ')};
}"""


def test_a_country_years_events_and_deployments_fit_the_projector(events_projector):
    measured = presented(
        events_projector,
        "Map?map_year=2014&map_ucdp=true&map_country=Central+African+Republic",
        f"present-map-events-car-2014-{events_projector.size}",
    )
    check_fits(measured, int(events_projector.size.split("x")[0]))
    shown = events_projector.page.evaluate(EVENTS_MAP)
    assert shown is not None, "no events map"
    # Three events and MINUSCA's eight locations of 2014.
    assert shown["points"] == 3 + 8
    assert "UN location (8)" in shown["legend"] and "Open: an area's centre" in shown["legend"]
    assert "Georeferenced Event Dataset" in shown["source"] and "Geo-PKO" in shown["source"]
    labels = events_projector.page.get_by_test_id("stMetricLabel").all_inner_texts()
    assert [label.strip() for label in labels][1:] == ["Within 25 km of a UN location", "Within 50 km of a UN location"]
