"""The Map page's UCDP layer in a real browser at the projector sizes, in presentation mode and offline: the
civilians-killed map fits the screen, names its source inside the figure, and its legend and colour bar are whole."""

from __future__ import annotations

import pytest

from tests.browser import test_presentation
from tests.browser.test_presentation import check_fits, presented

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
    assert section["ticks"][:3] == ["1", "10", "100"]
    assert section["countries"] > 100
    projector.page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".find(c => c.textContent.includes('Civilians killed in')).scrollIntoView({block: 'center'})"
    )
    projector.page.screenshot(path=str(projector.screenshot(f"present-map-ucdp-2014-{projector.size}-map")))
