"""Deployments: the transforms for the Map and Missions pages and their figure builders."""

from __future__ import annotations

import pandas as pd
import pytest

import poc_data
from poc_data.charts.deployments import TROOP_BINS, deployments_map, personnel_chart
from poc_data.transform import deployments as dep
from tests.conftest import VALID


@pytest.fixture(scope="module")
def deployments():
    return poc_data.load("deployments", VALID)


def test_years_and_operations(deployments):
    assert dep.year_range(deployments) == (1994, 2000)
    assert dep.year_range(deployments.iloc[0:0]) is None
    assert dep.operations_in(deployments, 1994) == ["UNPROFOR"]
    assert dep.operations_in(deployments, 2000) == ["UNAMSIL", "UNMIK"]
    assert dep.operations(deployments) == ["UNAMSIL", "UNMIK", "UNPROFOR"]


@pytest.mark.parametrize(
    ("year", "operation", "locations"),
    [
        (2000, dep.ALL_OPERATIONS, ["Freetown", "Freetown", "Pristina"]),
        (2000, "UNMIK", ["Pristina"]),
        (1996, "UNMIK", []),
    ],
)
def test_locations_of_a_year_and_operation(deployments, year, operation, locations):
    points = dep.locations(deployments, year, operation)
    assert sorted(points["location"]) == locations
    assert "hq_label" not in deployments.columns


def test_headquarters_labels(deployments):
    points = dep.locations(deployments, 1994)
    assert dict(zip(points["location"], points["hq_label"], strict=True)) == {
        "Sarajevo": "sector headquarters",
        "Zagreb": "mission headquarters",
    }


def test_personnel_by_year_sums_troops_and_counts_police_and_observer_sites(deployments):
    series = dep.personnel_by_year(deployments, ["UNPROFOR", "UNAMSIL"])
    assert series.columns.tolist() == dep.PERSONNEL_COLUMNS
    rows = {(r.mission, r.year): r for r in series.itertuples(index=False)}
    assert rows["UNPROFOR", 1994].troops == 700 and rows["UNPROFOR", 1994].locations == 2
    assert (rows["UNPROFOR", 1994].police_sites, rows["UNPROFOR", 1994].observer_sites) == (1, 1)
    # Tuzla gives no troop number: unknown, not zero.
    assert pd.isna(rows["UNPROFOR", 1995].troops) and rows["UNPROFOR", 1995].troops_unknown == 1
    assert rows["UNAMSIL", 2000].troops == 925
    assert dep.personnel_by_year(deployments, []).empty


def test_largest_operations_come_first(deployments):
    assert dep.largest_operations(deployments, 2) == ["UNAMSIL", "UNPROFOR"]


def test_map_sizes_circles_by_troops_and_marks_sites_and_headquarters(deployments):
    fig = deployments_map(dep.locations(deployments, 2000), year=2000, operation="")
    names = [trace.name for trace in fig.data]
    assert names == ["500–999", "100–499", "No troops (police or observers)", "Mission headquarters"]
    big, small = fig.data[0], fig.data[1]
    assert big.marker.size[0] > small.marker.size[0]
    # Areas in proportion: 825 troops against 100.
    assert big.marker.size[0] ** 2 / small.marker.size[0] ** 2 == pytest.approx(825 / 100)
    assert "Freetown" in big.text[0] and "825 troops" in big.text[0]
    assert fig.layout.title.text == "Deployments in 2000"
    assert len(TROOP_BINS) == 7


def test_map_of_unknown_troops_and_the_empty_state(deployments):
    fig = deployments_map(dep.locations(deployments, 1995, "UNPROFOR"), year=1995, operation="UNPROFOR")
    assert [trace.name for trace in fig.data] == ["No troop number"]
    assert "troops not given" in fig.data[0].text[0]
    empty = deployments_map(dep.locations(deployments, 1996), year=1996, operation="")
    assert "No deployment location in 1996" in str(empty.layout.annotations[0].text)


def test_personnel_chart_has_a_line_per_operation(deployments):
    fig = personnel_chart(dep.personnel_by_year(deployments, ["UNPROFOR", "UNAMSIL"]))
    assert [trace.name for trace in fig.data] == ["UNAMSIL", "UNPROFOR"]
    assert list(fig.data[1].x) == [1994] and list(fig.data[1].y) == [700]
    assert personnel_chart(dep.personnel_by_year(deployments, ["UNMIK"])).data[0].y[0] == 0


def test_deployment_text_from_the_data_is_escaped_in_legends_and_hovers(deployments):
    hostile = "<b>UN</b>%{y}"
    series = dep.personnel_by_year(deployments, ["UNAMSIL"]).assign(mission=hostile)
    trace = personnel_chart(series).data[0]
    assert trace.name == "&lt;b&gt;UN&lt;/b&gt;%&#123;y}"
    assert "<b>&lt;b&gt;UN&lt;/b&gt;%&#123;y}</b>" in trace.hovertemplate
    points = dep.locations(deployments, 2000).assign(location=hostile)
    assert all(
        text.startswith("<b>&lt;b&gt;UN&lt;/b&gt;%&#123;y}</b>")
        for text in deployments_map(points, year=2000, operation="").data[0].text
    )
