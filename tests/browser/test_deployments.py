"""The deployment views in a real browser: the Map's locations sized by troops, the personnel chart on Missions."""

from __future__ import annotations

from poc_data.load import load
from poc_data.transform import deployments as dep
from tests.conftest import REPO

DATA = REPO / "data"
GEO_POINTS = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const map = charts.find(chart => chart.textContent.includes('deployed in'));
  return map ? map.querySelectorAll('.scattergeo .point').length : -1;
}"""
LEGEND = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .legendtext')].map(t => t.textContent)"""


def test_the_map_draws_the_locations_of_the_chosen_operation_and_year(app):
    deployments = load("deployments", DATA)
    points = dep.locations(deployments, 2019, "MONUSCO")
    # A marker per location, and a star over each mission headquarters.
    expected = len(points) + int((points["hq"] == 3).sum())
    app.open("Map?map_year=2019&map_dep_op=MONUSCO", charts=2)
    page = app.page
    page.wait_for_function(f"() => ({GEO_POINTS})() === {expected}")
    assert "Where MONUSCO deployed in 2019" in page.content()
    assert "Mission headquarters" in page.evaluate(LEGEND)
    app.screenshot("deployments-map-monusco-2019")


def test_missions_page_draws_personnel_over_time_for_the_largest_operations(app):
    largest = dep.largest_operations(load("deployments", DATA))
    app.open("Missions_and_mandates", charts=2)
    page = app.page
    legend = page.evaluate(LEGEND)
    assert set(largest) <= set(legend)
    assert "Troops deployed, by year" in page.content()
    app.screenshot("deployments-personnel")
