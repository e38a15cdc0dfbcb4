"""Transforms and figure builders of the Map page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import poc_data
from poc_data.charts import geo as charts
from poc_data.charts.base import fitted_height
from poc_data.load import Parsed, to_frame
from poc_data.schema import DATASETS, Mission, iso3_codes
from poc_data.style import style_of
from poc_data.transform import geo
from tests.conftest import VALID

THIS_YEAR = dt.date.today().year


@pytest.fixture(scope="module")
def missions():
    return poc_data.load("missions", VALID)


@pytest.fixture(scope="module")
def milestones():
    return poc_data.load("milestones", VALID)


@pytest.fixture(scope="module")
def harm():
    return poc_data.load("civilian_harm", VALID)


def counts_in(missions, year: int, this_year: int):
    """The per-country counts of one year."""
    return geo.country_counts_by_year(missions, [year], this_year)


def mission_frame(*rows: dict):
    """Typed missions from a few records, as the loader makes them."""
    base = {
        "name": "An operation",
        "organization": "UN",
        "type": "peacekeeping",
        "host_countries": "SLE",
        "status": "ended",
        "poc_mandate": "none",
        "source_id": "ipi-2022",
    }
    records = [Mission.model_validate(base | row).model_dump() for row in rows]
    spec = DATASETS["missions"]
    return to_frame(Parsed(spec, Path(), Path(), records=records))


def acronyms(frame) -> list[str]:
    return sorted(frame["acronym"])


@pytest.mark.parametrize("resolution", geo.MAP_RESOLUTIONS)
def test_the_offline_map_files_use_iso3_ids(resolution):
    mapped = geo.mapped_countries(resolution)
    assert {"FRA", "SRB", "SLE", "BIH"} <= mapped
    assert mapped <= iso3_codes()
    assert "XKX" not in mapped


def test_small_states_have_shapes_only_at_the_finer_scale():
    assert "MLT" not in geo.mapped_countries(110)
    assert "MLT" in geo.mapped_countries(50)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1992, ["UNPROFOR"]),
        (1995, ["UNPROFOR"]),
        (1996, []),
        (1999, ["Allied Force", "KFOR", "UNAMSIL", "UNMIK"]),
        (2005, ["KFOR", "UNAMSIL", "UNMIK"]),
        (2006, ["KFOR", "UNMIK"]),
        (THIS_YEAR, ["KFOR", "UNMIK"]),
    ],
)
def test_active_in_counts_every_year_a_period_touches(missions, year, expected):
    assert acronyms(geo.active_in(missions, year, THIS_YEAR)) == expected


def test_an_end_that_is_not_stated_counts_in_the_start_year_only():
    frame = mission_frame(
        {"acronym": "A", "start_date": "2003", "status": "unknown"},
        {"acronym": "B", "start_date": "2003-05", "status": "ongoing"},
        {"acronym": "C", "status": "unknown"},
    )
    assert acronyms(geo.active_in(frame, 2003, THIS_YEAR)) == ["A", "B"]
    assert acronyms(geo.active_in(frame, 2004, THIS_YEAR)) == ["B"]
    assert geo.end_unknown_count(frame) == 1
    assert geo.undated_count(frame) == 1


def test_year_bounds_and_default_year(missions):
    bounds = geo.year_bounds(missions, THIS_YEAR)
    assert bounds == (1992, THIS_YEAR)
    # The latest year the fixture records anything: UNAMSIL's end, 2005.
    assert geo.default_year(missions, bounds) == 2005
    assert geo.year_bounds(mission_frame({"acronym": "A"}), THIS_YEAR) is None


def test_filter_missions_and_options(missions):
    options = geo.filter_options(missions)
    assert options["organization"] == ["UN", "NATO"]
    assert options["poc_mandate"] == ["explicit", "partial", "none", "unknown"]
    chosen = geo.filter_missions(missions, organizations=["NATO"], types=options["type"], mandates=["partial"])
    assert acronyms(chosen) == ["KFOR"]


def test_country_counts_in_1999(missions):
    counts = counts_in(missions, 1999, THIS_YEAR).set_index("country")
    assert counts.loc["XKX", "operations"] == 3
    assert counts.loc["XKX", "acronyms"] == ["UNMIK", "KFOR", "Allied Force"]
    assert counts.loc["XKX", "organizations"] == ["UN", "NATO", "NATO"]
    assert counts.loc["SRB", "country_name"] == "Serbia"
    assert sorted(counts.index) == ["MNE", "SLE", "SRB", "XKX"]


def test_country_counts_by_year_only_holds_the_years_asked(missions):
    counts = geo.country_counts_by_year(missions, [1994, 1999], THIS_YEAR)
    assert sorted(set(counts["year"])) == [1994, 1999]
    assert geo.in_year(counts, 1994)["country"].tolist() == ["BIH", "HRV", "MKD"]
    assert geo.shared_zmax(counts) == 3


def test_counts_of_nothing_have_the_columns(missions):
    counts = geo.country_counts_by_year(missions.iloc[0:0], [1999], THIS_YEAR)
    assert counts.empty and list(counts.columns) == geo.COUNT_COLUMNS
    assert geo.shared_zmax(counts) == 1


def test_headquarters_are_one_marker_per_city_and_organization(missions):
    places = geo.headquarters(missions, 1999, THIS_YEAR)
    assert places[["group", "hq_city", "operations"]].values.tolist() == [
        ["NATO", "Pristina", 1],
        ["UN", "Pristina", 1],
    ]
    frame = mission_frame(
        {"acronym": "A", "start_date": "2000", "hq_city": "Goma", "hq_lat": -1.6, "hq_lon": 29.2},
        {"acronym": "B", "start_date": "2000", "hq_city": "Goma", "hq_lat": -1.8, "hq_lon": 29.4},
        {"acronym": "C", "start_date": "2000", "hq_lat": 10.2, "hq_lon": 20.0},
    )
    places = geo.headquarters(frame, 2000, THIS_YEAR).set_index("hq_city")
    assert places.loc["Goma", "operations"] == 2
    assert places.loc["Goma", "hq_lat"] == pytest.approx(-1.7)
    assert places.loc["city unknown, near 10, 20", "labels"] == ["C: An operation (UN)"]


def test_not_on_map_names_kosovo_and_its_operations(missions):
    counts = counts_in(missions, 1999, THIS_YEAR)
    assert geo.not_on_map(counts, geo.mapped_countries(110)) == "Kosovo (XKX): UNMIK, KFOR, Allied Force"
    assert geo.not_on_map(counts, geo.mapped_countries(110), operations_listed=1) == "Kosovo (XKX): UNMIK and 2 more"
    assert geo.not_on_map(counts, frozenset(), countries_listed=1).endswith("; and 3 more countries")
    assert geo.not_on_map(counts, frozenset({"XKX", "SRB", "MNE", "SLE"})) == ""


def test_host_country_choices_map_names_to_codes(missions):
    choices = geo.host_country_choices(missions)
    assert list(choices)[:3] == ["Bosnia and Herzegovina", "Croatia", "Kosovo"]
    assert choices["Kosovo"] == "XKX"
    assert len(choices) == 7


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (None, None),
        ({"selection": {"points": [], "point_indices": [], "box": [], "lasso": []}}, None),
        ({"selection": {"points": [{"curve_number": 0, "point_number": 2, "location": "SRB", "z": 1}]}}, "SRB"),
        ({"selection": {"points": [{"curve_number": 1, "lat": 42.6, "lon": 21.1}]}}, None),
        ({"selection": {"points": [{"lat": 42.6}, {"location": "SLE"}]}}, "SLE"),
        ({"selection": {"points": [{"location": "FRA"}]}}, None),
    ],
)
def test_country_from_selection(selection, expected):
    assert geo.country_from_selection(selection, ["SRB", "SLE", "XKX"]) == expected


def test_operations_table_shows_dates_as_written(missions):
    table = geo.operations_table(missions, year=1999, this_year=THIS_YEAR, titles={"ipi-2022": "The IPI paper"})
    rows = table.set_index("Acronym")
    assert rows.loc["UNAMSIL", "End"] == "2005"
    assert rows.loc["UNMIK", "End"] == "ongoing"
    assert rows.loc["UNAMSIL", "First POC resolution"] == "S/RES/1270 (1999)"
    assert rows.loc["UNPROFOR", "Host countries"] == "Croatia, Bosnia and Herzegovina, North Macedonia"
    assert rows["Active in 1999"].to_dict() == {
        "UNPROFOR": False,
        "Allied Force": True,
        "UNMIK": True,
        "KFOR": True,
        "UNAMSIL": True,
    }
    assert rows.loc["KFOR", "Source"] == "The IPI paper"
    assert table["Acronym"].tolist()[0] == "UNPROFOR"


def test_operations_table_says_when_an_end_is_not_stated():
    frame = mission_frame({"acronym": "A", "start_date": "2003", "status": "unknown"})
    assert geo.operations_table(frame, year=2003, this_year=THIS_YEAR)["End"].tolist() == ["not stated"]


def test_milestones_of_a_country(missions, milestones):
    hosted = geo.hosted_in(missions, "XKX")
    assert acronyms(hosted) == ["Allied Force", "KFOR", "UNMIK"]
    assert geo.milestones_mentioning(milestones, hosted)["id"].tolist() == ["1999-nato-1", "1999-inter-1"]


def test_transforms_do_not_mutate(missions):
    before = missions.copy()
    geo.country_counts_by_year(missions, range(1990, 2010), THIS_YEAR)
    geo.headquarters_by_year(missions, range(1990, 2010), THIS_YEAR)
    geo.operations_table(missions, year=1999, this_year=THIS_YEAR)
    assert missions.equals(before)


def year_map(missions, year, **options):
    counts = counts_in(missions, year, THIS_YEAR)
    return charts.operations_map(counts, headquarters=geo.headquarters(missions, year, THIS_YEAR), year=year, **options)


def test_operations_map_traces_and_values(missions):
    fig = year_map(missions, 1999)
    assert [trace.type for trace in fig.data] == ["choropleth", "scattergeo", "scattergeo"]
    shading = fig.data[0]
    assert dict(zip(shading.locations, shading.z, strict=True)) == {"MNE": 1, "SLE": 1, "SRB": 1, "XKX": 3}
    assert shading.colorbar.title.text == "Operations active"
    assert shading.zmin == 0 and shading.zmax == 3
    assert "Kosovo</b><br>3 operations active in 1999:<br>UNMIK (UN)" in shading.text[3]
    assert fig.layout.title.text == "Host countries by operations active in 1999"


def test_operations_map_is_drawn_offline_from_the_world_topojson(missions):
    geo_layout = year_map(missions, 1999).layout.geo
    assert geo_layout.scope == "world" and geo_layout.resolution == 110
    assert geo_layout.showland and geo_layout.showcountries and geo_layout.showocean
    assert geo_layout.fitbounds is False
    zoomed = year_map(missions, 1999, region="Balkans").layout.geo
    assert zoomed.resolution == 50
    assert tuple(zoomed.lonaxis.range) == charts.REGIONS["Balkans"][0]


def test_markers_use_each_organizations_colour_and_symbol(missions):
    for trace in year_map(missions, 1999).data[1:]:
        style = style_of(trace.name)
        assert (trace.marker.color, trace.marker.symbol) == (style.colour, style.symbol)
        assert trace.text[0].startswith("<b>Pristina</b>: headquarters of 1 operation<br>")


def test_presentation_mode_draws_larger_markers(missions):
    normal, presenting = year_map(missions, 1999), year_map(missions, 1999, presentation=True)
    assert presenting.data[1].marker.size > normal.data[1].marker.size
    assert presenting.layout.title.font.size > normal.layout.title.font.size


def test_the_picked_country_is_outlined(missions):
    fig = year_map(missions, 1999, selected="SRB")
    outline = fig.data[-1]
    assert outline.type == "choropleth" and list(outline.locations) == ["SRB"]
    assert outline.marker.line.width > fig.data[0].marker.line.width


def test_hover_text_is_escaped():
    frame = mission_frame({"acronym": "<b>X</b>", "start_date": "2000", "hq_city": "A&B", "hq_lat": 1, "hq_lon": 2})
    fig = year_map(frame, 2000)
    assert "&lt;b&gt;X&lt;/b&gt;" in fig.data[0].text[0]
    assert fig.data[1].text[0].startswith("<b>A&amp;B</b>")


def test_empty_input_gives_the_empty_figure(missions):
    fig = year_map(missions, 1996)
    assert not fig.data
    assert fig.layout.annotations[0].text == "No operation matches the filters in 1996."


ANIMATED_YEARS = list(range(1992, 2001))


def animation(missions, start_year: int, **options):
    """The map's animation over ANIMATED_YEARS, played from `start_year`."""
    return charts.operations_map_animation(
        geo.country_counts_by_year(missions, ANIMATED_YEARS, THIS_YEAR),
        headquarters_by_year=geo.headquarters_by_year(missions, ANIMATED_YEARS, THIS_YEAR),
        years=ANIMATED_YEARS,
        start_year=start_year,
        **options,
    )


def test_animation_has_a_frame_per_year_and_a_play_button(missions):
    fig = animation(missions, 1994, selected="XKX")
    # The animation plays from the chosen year: frames, slider steps and title start there.
    played = [year for year in ANIMATED_YEARS if year >= 1994]
    assert [frame.name for frame in fig.frames] == [str(year) for year in played]
    assert [step.label for step in fig.layout.sliders[0].steps] == [str(year) for year in played]
    assert fig.layout.sliders[0].active == 0
    assert fig.layout.title.text.endswith("1994")
    assert fig.layout.updatemenus[0].buttons[0].args[1]["frame"]["redraw"] is True
    assert "Play" in fig.layout.updatemenus[0].buttons[0].label
    # Every frame updates the shading and each organization's markers; the outline of the picked country stays.
    assert all(len(frame.data) == len(fig.data) - 1 for frame in fig.frames)
    assert fig.data[-1].locations == ("XKX",)
    frame_1996 = fig.frames[played.index(1996)]
    assert len(frame_1996.data[0].locations) == 0
    assert fig.frames[played.index(1994)].layout.title.text.endswith("1994")
    assert fig.data[0].zmax == 3
    json.loads(fig.to_json())


@pytest.mark.parametrize("presentation", [False, True])
def test_animation_starts_on_its_first_frame_and_leaves_room_for_its_controls(missions, presentation):
    fig = animation(missions, 1999, presentation=presentation)
    first = fig.frames[0]
    assert list(fig.data[0].locations) == list(first.data[0].locations)
    assert list(fig.data[0].z) == list(first.data[0].z)
    assert [list(trace.lon) for trace in fig.data[1:]] == [list(trace.lon) for trace in first.data[1:]]
    assert fig.layout.sliders[0].x == charts.CONTROLS_SHARE[presentation]
    assert fig.layout.margin.b == (190 if presentation else 150)
    assert fig.layout.height == fitted_height(charts.HEIGHT + 110, presentation)
    assert [button.label for button in fig.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]


def test_animation_of_nothing_is_the_empty_figure(missions):
    empty = geo.country_counts_by_year(missions.iloc[0:0], [1999], THIS_YEAR)
    fig = charts.operations_map_animation(
        empty,
        headquarters_by_year=geo.headquarters_by_year(missions.iloc[0:0], [1999], THIS_YEAR),
        years=[1999],
        start_year=1999,
    )
    assert not fig.data and not fig.frames


@pytest.mark.parametrize("data_dir", [VALID, Path(poc_data.__file__).resolve().parent.parent / "data"])
def test_one_year_counts_and_the_top_count_match_the_table_of_every_year(data_dir):
    missions = poc_data.load("missions", data_dir)
    years = list(range(1945, THIS_YEAR + 1))
    every_year = geo.country_counts_by_year(missions, years, THIS_YEAR)
    for year in range(1990, THIS_YEAR + 1):
        one = geo.year_counts(missions, year, THIS_YEAR)
        assert one.equals(geo.in_year(every_year, year)) or (one.empty and geo.in_year(every_year, year).empty)
    assert geo.max_count(missions, years, THIS_YEAR) == geo.shared_zmax(every_year)


def test_operations_table_names_sources_from_the_bibliography(missions):
    sources = poc_data.load("sources", VALID)
    titles = dict(zip(sources["id"], sources["title"], strict=True))
    by_sources = geo.operations_table(missions, year=1999, this_year=THIS_YEAR, sources=sources)
    assert by_sources.equals(geo.operations_table(missions, year=1999, this_year=THIS_YEAR, titles=titles))
