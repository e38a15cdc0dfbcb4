"""The Map page's UCDP layer: civilians killed per country and year, and its choropleth."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from poc_data import i18n
from poc_data.charts.violence_map import civilians_map, events_map
from poc_data.load import load
from poc_data.transform import violence_map as vm
from tests.conftest import VALID

SHIPPED = VALID.parents[2] / "data"
COLUMNS = {
    "One-sided violence": ["os_total_deaths_best_cy"],
    "One-sided, by governments": ["os_any_govt_killings_best_cy"],
    "One-sided, by non-state groups": ["os_nsgroup_killings_best_cy"],
    "In conflict (state-based and non-state)": ["sb_deaths_civilians_cy", "ns_deaths_civilians_cy"],
}


@pytest.fixture(scope="module")
def shipped():
    return load("organized_violence", SHIPPED)


def released(year: int, columns: list[str]) -> dict[str, int]:
    """UCDP's file read with the csv module, apart from the dataset's reader: country name -> the columns' sum."""
    with (SHIPPED / "organized_violence.csv").open(encoding="utf-8", newline="") as file:
        return {
            row["country_cy"]: sum(int(row[column]) for column in columns)
            for row in csv.DictReader(file)
            if int(row["year_cy"]) == year
        }


@pytest.mark.parametrize("measure", list(COLUMNS))
@pytest.mark.parametrize("year", [1994, 2014, 2024])
def test_the_counts_are_ucdps_for_the_year(shipped, measure, year):
    killed = vm.civilians_killed(shipped, year, measure)
    assert dict(zip(killed["country"], killed["deaths"].astype(int), strict=True)) == released(year, COLUMNS[measure])
    assert killed["deaths"].is_monotonic_decreasing
    assert vm.total_killed(killed) == sum(released(year, COLUMNS[measure]).values())


def test_the_central_african_republic_in_2014(shipped):
    row = vm.civilians_killed(shipped, 2014, "One-sided violence").set_index("iso3").loc["CAF"]
    assert (row.deaths, row.one_sided_govt, row.one_sided_nonstate, row.in_conflict) == (2295, 54, 2241, 161)
    assert row.low <= row.deaths <= row.high
    conflict = vm.civilians_killed(shipped, 2014, "In conflict (state-based and non-state)")
    assert conflict.set_index("iso3").loc["CAF", "deaths"] == 161
    assert conflict["low"].isna().all()


def test_the_transform_leaves_its_input_alone(shipped):
    before = shipped.copy()
    vm.civilians_killed(shipped, 2000, "One-sided violence")
    pd.testing.assert_frame_equal(shipped, before)


def test_largest_count_spans_every_year():
    frame = load("organized_violence", VALID)
    assert vm.largest_count(frame, "One-sided violence") == 32765
    assert vm.largest_count(frame, "In conflict (state-based and non-state)") == 6033
    assert vm.largest_count(frame.iloc[0:0], "One-sided violence") == 0
    assert vm.years(frame) == (1989, 2000)


def test_ended_states_are_said_to_be_off_the_map():
    frame = load("organized_violence", VALID)
    killed = vm.civilians_killed(frame, 1999, "One-sided violence")
    assert vm.unmapped(killed, frozenset({"SLE", "SRB"})) == "DR Congo (Zaire) (COD) 2,869"
    assert vm.unmapped(killed, frozenset({"SLE", "SRB", "COD"})) == ""
    assert vm.unmapped(killed, frozenset()) == ""


def figure_for(year=1999, measure="One-sided violence", **options):
    frame = load("organized_violence", VALID)
    killed = vm.civilians_killed(frame, year, measure)
    return civilians_map(
        killed,
        measure=measure,
        year=year,
        largest=vm.largest_count(frame, measure),
        source="Source: UCDP <b>test</b>",
        **options,
    )


def test_the_map_shades_counts_on_a_log_scale_and_whites_out_zeros():
    fig = figure_for()
    zero, shading = fig.data[0], fig.data[1]
    assert dict(zip(shading.locations, shading.customdata, strict=True)) == {"COD": 2869, "SLE": 1340, "SRB": 775}
    np.testing.assert_allclose(shading.z, np.log10([2869, 1340, 775]))
    assert (shading.zmin, shading.zmax) == (0, 5)
    assert list(shading.colorbar.ticktext) == ["1", "10", "100", "1,000", "10,000", "100,000"]
    assert list(figure_for(presentation=True).data[1].colorbar.ticktext) == ["1", "100", "10,000"]
    assert set(zero.locations) == {"BIH", "HRV"} and "White: none" in shading.colorbar.title.text
    assert "One-sided, by governments: 775" in shading.text[2]


def test_the_map_carries_its_source_escaped_and_outlines_the_picked_country():
    fig = figure_for(selected="SLE", presentation=True)
    source = [note for note in fig.layout.annotations if note.name == "source"]
    assert len(source) == 1 and "&lt;b&gt;test&lt;/b&gt;" in source[0].text
    assert fig.data[-1].locations == ("SLE",)
    assert fig.layout.margin.b > 10


def test_a_year_without_rows_says_so_and_keeps_the_source():
    fig = figure_for(year=2010)
    assert "no row for 2010" in fig.layout.annotations[0].text
    assert any(note.name == "source" for note in fig.layout.annotations)


def events_frame(rows: list[tuple]) -> pd.DataFrame:
    """Events as events_in gives them, from (type_of_violence, where_prec, latitude, longitude, deaths_civilians)."""
    frame = pd.DataFrame(rows, columns=["type_of_violence", "where_prec", "latitude", "longitude", "deaths_civilians"])
    count = len(frame)
    frame["id"] = range(1, count + 1)
    frame["date_start"] = pd.to_datetime(["2014-03-01"] * count)
    frame["date_end"] = pd.to_datetime(["2014-03-02"] * count)
    frame["side_a"], frame["side_b"] = "Government of <i>X</i>", "Civilians"
    frame["where_description"], frame["adm_1"] = "Bossangoa town", None
    frame["best"] = frame["low"] = frame["high"] = frame["deaths_civilians"] + 1
    return frame


LOCATIONS = pd.DataFrame(
    {"lat": [0.0], "lon": [0.0], "location": ["Camp"], "mission": ["MINUSCA"], "troops": pd.array([500], "Int64")}
)
# About 11, 33 and 67 km north of the location (a degree of latitude is about 111 km), and one imprecise event on it.
EVENTS = events_frame([(3, 1, 0.1, 0.0, 10), (1, 2, 0.3, 0.0, 5), (2, 1, 0.6, 0.0, 7), (3, 4, 0.01, 0.0, 100)])


def test_deaths_near_count_only_the_precisely_placed_events():
    near = vm.near_deployments(EVENTS, LOCATIONS)
    assert near[["radius_km", "events", "deaths_civilians"]].values.tolist() == [[25, 1, 10], [50, 2, 15]]
    assert set(near["all_deaths_civilians"]) == {22}
    assert vm.events_summary(EVENTS) == {
        "events": 4,
        "deaths_civilians": 122,
        "rough_events": 1,
        "rough_deaths_civilians": 100,
    }
    assert vm.near_deployments(EVENTS, vm.NO_LOCATIONS)["deaths_civilians"].tolist() == [0, 0]
    assert vm.share_text(10, 22) == "10 (45%)" and vm.share_text(0, 0) == "0"


def test_deployed_in_takes_the_country_and_year():
    deployments = load("deployments", SHIPPED)
    minusca = vm.deployed_in(deployments, "CAF", 2014)
    assert len(minusca) == 8 and set(minusca["mission"]) == {"MINUSCA"}
    assert vm.deployed_in(deployments, "CAF", 2013).empty


def test_event_span_of_a_country():
    countries = pd.DataFrame({"iso3": ["CAF"], "first_year": [1991], "last_year": [2022]})
    assert vm.event_span(countries, "CAF") == (1991, 2022)
    assert vm.event_span(countries, "MLI") is None
    assert vm.event_span(None, "CAF") is None


def events_figure(events=EVENTS, locations=LOCATIONS, presentation=False):
    return events_map(
        events,
        locations,
        country="Central African Republic",
        iso3="CAF",
        year=2014,
        source="Source: UCDP GED; Geo-PKO",
        presentation=presentation,
    )


def test_event_markers_by_type_precision_and_deaths():
    fig = events_figure()
    traces = {trace.name: trace for trace in fig.data}
    assert set(traces) == {
        "Picked country",
        "State-based (1)",
        "Non-state (1)",
        "One-sided (2)",
        "UN location (1)",
        "Open: an area's centre",
    }
    one_sided = traces["One-sided (2)"]
    # Largest first; the imprecise event has an open marker; areas proportional to civilians killed.
    assert list(one_sided.customdata) == [100, 10]
    assert list(one_sided.marker.symbol) == ["circle-open", "circle"]
    np.testing.assert_allclose(one_sided.marker.size, [40, max(6, 40 * np.sqrt(0.1))])
    assert traces["State-based (1)"].marker.symbol[0] == "triangle-up"
    assert traces["Non-state (1)"].marker.symbol[0] == "diamond"
    assert "where_prec 4" in one_sided.text[0] and "region's centre" in one_sided.text[0]
    assert "&lt;i&gt;X&lt;/i&gt;" in one_sided.text[0]
    assert traces["UN location (1)"].marker.symbol == "square"
    assert any(note.name == "source" and "Geo-PKO" in note.text for note in fig.layout.annotations)


def test_the_events_map_frames_the_events_and_locations():
    fig = events_figure()
    assert fig.layout.geo.lataxis.range[0] < 0 < 0.6 < fig.layout.geo.lataxis.range[1]
    assert fig.layout.geo.resolution == 50


def test_an_events_map_without_locations_or_anything():
    fig = events_figure(locations=vm.NO_LOCATIONS)
    assert not any(str(trace.name).startswith("UN location") for trace in fig.data)
    empty = events_figure(events=EVENTS.iloc[0:0], locations=vm.NO_LOCATIONS)
    assert "No event and no deployment location in 2014" in empty.layout.annotations[0].text


def test_the_maps_read_in_french():
    with i18n.language("fr"):
        shading = figure_for().data[1]
        events = events_figure()
        assert vm.share_text(1234, 2000) == "1\u202f234 (62\xa0%)"
    assert shading.colorbar.title.text == "Civils tués<br>(échelle log.)<br>Blanc : aucun"
    assert list(shading.colorbar.ticktext)[3:5] == ["1\u202f000", "10\u202f000"]
    assert "Unilatérale, par des gouvernements : 775" in shading.text[2]
    assert "Violence unilatérale : 775" in shading.text[2]
    names = {trace.name for trace in events.data}
    assert {"Pays choisi", "Étatique (1)", "Non étatique (1)", "Unilatérale (2)", "Emplacement de l’ONU (1)"} <= names
    one_sided = next(trace for trace in events.data if trace.name == "Unilatérale (2)")
    assert "where_prec 4 de l’UCDP) : seulement sa région" in one_sided.text[0]
    assert events.layout.title.text.startswith("Événements violents en Central African Republic, 2014")
    assert events.layout.separators == ",\u202f"
    assert any(note.text.startswith("Surface du marqueur : civils tués.") for note in events.layout.annotations)
