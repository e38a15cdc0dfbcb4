"""The Map page's UCDP layer: civilians killed per country and year, and its choropleth."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from poc_data.charts.violence_map import civilians_map
from poc_data.load import load, metadata
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


def test_the_source_line_cites_the_release():
    line = vm.ucdp_source_line(metadata("organized_violence", SHIPPED))
    assert "UCDP Country-Year Dataset on Organized Violence within Country Borders 25.1" in line
    assert "Davies" in line and "Journal of Peace Research 62(4)" in line and "CC-BY-4.0" in line
    assert vm.ucdp_source_line(None).startswith("Source: UCDP")


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
