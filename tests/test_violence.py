"""UCDP's counts beside the peacekeepers: the transforms of the Violence against civilians and Civilian harm pages,
checked against the shipped frames, and their figure builders."""

from __future__ import annotations

import pandas as pd
import pytest

import poc_data
from poc_data.charts.violence import actors_chart, violence_presence_chart
from poc_data.load import metadata
from poc_data.transform import harm as th
from poc_data.transform import violence as tv
from tests.conftest import REPO, VALID

DATA = REPO / "data"
CREDIT = "Source: UCDP test release, CC BY 4.0."


@pytest.fixture(scope="module")
def shipped():
    names = ("organized_violence", "one_sided_violence", "missions", "mandates", "deployments", "civilian_harm")
    return {name: poc_data.load(name, DATA) for name in names}


def minusca(shipped):
    return tv.operation(shipped["missions"], "MINUSCA")


def test_minusca_host_country_totals_per_year_equal_organized_violence(shipped):
    organized = shipped["organized_violence"]
    killed = tv.civilians_killed_by_year(organized, ["CAF"], (1989, 2024))
    caf = organized[organized["iso3"] == "CAF"].sort_values("year_cy")
    assert killed["year"].tolist() == caf["year_cy"].astype(int).tolist() == list(range(1989, 2025))
    for name, column in tv.KILLED_COLUMNS.items():
        assert killed[name].tolist() == caf[column].astype(int).tolist(), name
    assert set(killed["rows"]) == {"Central African Republic"}
    # 2013, the year before MINUSCA: UCDP's own numbers for the Central African Republic.
    row = killed.set_index("year").loc[2013]
    assert (row["government_best"], row["government_low"], row["government_high"]) == (1375, 1005, 1829)
    assert (row["non_state_best"], row["state_based"], row["non_state_conflict"]) == (1315, 62, 62)


def test_a_period_keeps_only_its_years_and_a_year_without_a_row_is_absent(shipped):
    organized = shipped["organized_violence"]
    assert tv.civilians_killed_by_year(organized, ["CAF"], (2013, 2015))["year"].tolist() == [2013, 2014, 2015]
    # South Sudan has rows from its independence in 2011 only: earlier years are absent, not zero.
    assert tv.civilians_killed_by_year(organized, ["SSD"], (2008, 2012))["year"].tolist() == [2011, 2012]
    assert tv.civilians_killed_by_year(organized, ["ATA"], (1990, 2000)).empty


def test_territories_are_counted_in_the_row_that_holds_them_and_each_row_once(shipped):
    organized = shipped["organized_violence"]
    serbia_1999 = organized[(organized["iso3"] == "SRB") & (organized["year_cy"] == 1999)]
    assert tv.ucdp_rows(organized, ["XKX"], [1999])["id"].tolist() == serbia_1999["id"].tolist()
    # Serbia, Montenegro and Kosovo in 1999 are one UCDP row, counted once.
    both = tv.civilians_killed_by_year(organized, ["SRB", "MNE", "XKX"], (1999, 1999))
    assert both["one_sided_best"].tolist() == serbia_1999["os_total_deaths_best_cy"].astype(int).tolist()
    assert tv.ucdp_rows(organized, ["XKX"], [2010])["iso3"].tolist() == ["XKX"]
    assert "Kosovo is counted in Serbia's rows until 2007" in tv.counted_within_note(["XKX"], (1999, 2010))
    assert tv.counted_within_note(["XKX"], (2008, 2010)) == ""
    assert tv.counted_within_note(["CAF"], (1999, 2010)) == ""


def test_minusca_troops_per_year_equal_the_deployments_sums(shipped):
    deployments = shipped["deployments"]
    troops = tv.troops_by_year(deployments, "MINUSCA", ["CAF"], (2009, 2024))
    own = deployments[deployments["mission"] == "MINUSCA"]
    expected = own.groupby("year")["troops"].sum()
    assert troops["year"].tolist() == expected.index.astype(int).tolist() == list(range(2014, 2025))
    assert troops["troops"].astype(int).tolist() == expected.astype(int).tolist()
    assert troops["locations"].tolist() == own.groupby("year")["id"].count().tolist()
    assert troops["police_sites"].tolist() == own.groupby("year")["police"].sum().tolist()
    assert tv.troops_by_year(deployments, "MINUSCA", ["CAF"], (2016, 2017))["year"].tolist() == [2016, 2017]
    assert tv.troops_by_year(None, "MINUSCA", ["CAF"], (2009, 2024)).empty


def test_locations_outside_the_host_countries_are_left_out_and_said(shipped):
    deployments = shipped["deployments"]
    hosts = ["COD"]
    inside = tv.deployments_in_hosts(deployments, "MONUC", hosts)
    outside = tv.deployments_elsewhere(deployments, "MONUC", hosts)
    own = deployments[deployments["mission"] == "MONUC"]
    assert len(inside) + len(outside) == len(own) and not outside.empty
    assert all("COD" in countries for countries in inside["countries"])
    troops = tv.troops_by_year(deployments, "MONUC", hosts, (1999, 2010))
    assert troops["troops"].sum() == inside["troops"].sum()
    note = tv.elsewhere_note(outside)
    assert note.startswith(f"{len(outside)} of the operation's locations") and "Uganda" in note


def test_markers_are_the_start_the_first_poc_resolution_and_the_end(shipped):
    markers = tv.operation_markers(minusca(shipped), shipped["mandates"]).set_index("kind")
    mandates = shipped["mandates"]
    assert markers.loc["start", "date"] == pd.Timestamp("2014-04-10")
    assert markers.loc["poc", "date"] == mandates.loc[mandates["resolution"] == "S/RES/2149 (2014)", "date"].iloc[0]
    assert "S/RES/2149 (2014)" in markers.loc["poc", "label"]
    assert pd.isna(markers.loc["end", "date"]) and markers.loc["end", "text"] == "MINUSCA is ongoing"
    minusma = tv.operation(shipped["missions"], "MINUSMA")
    ended = tv.operation_markers(minusma, mandates).set_index("kind")
    assert ended.loc["end", "date"] == minusma["end_date"] and pd.notna(minusma["end_date"])
    undated = minusca(shipped).copy()
    undated["start_date"], undated["first_poc_resolution"] = pd.NaT, None
    unknown_start = tv.operation_markers(undated, mandates).set_index("kind")
    assert pd.isna(unknown_start.loc["start", "date"]) and "not in the data" in unknown_start.loc["start", "text"]
    assert "no first POC resolution" in unknown_start.loc["poc", "text"]
    missing = tv.operation_markers(minusca(shipped), mandates.iloc[0:0]).set_index("kind")
    assert pd.isna(missing.loc["poc", "date"]) and "date not in the mandates data" in missing.loc["poc", "text"]


def test_default_period_runs_from_before_the_start_to_after_the_end(shipped):
    missions = shipped["missions"]
    assert tv.default_period(minusca(shipped), (1989, 2024)) == (2009, 2024)
    assert tv.default_period(tv.operation(missions, "UNPROFOR"), (1989, 2024)) == (1989, 2000)
    assert tv.default_period(tv.operation(missions, "UNAMIR"), (1989, 2024)) == (1989, 2001)
    assert tv.default_period(minusca(shipped), (1989, 2024), every_year=True) == (1989, 2024)


def test_operation_choices_are_the_operations_with_hosts(shipped):
    missions = shipped["missions"]
    choices = tv.operation_choices(missions)
    assert "MINUSCA" in choices and len(choices) == int((missions["host_countries"].map(len) > 0).sum())
    assert choices == sorted(choices, key=str.casefold)
    assert tv.operation_choices(None) == []
    assert tv.default_index(choices, "MINUSCA") == choices.index("MINUSCA")
    assert tv.default_index(["A", "B"], "MINUSCA") == 0


def test_actors_in_the_central_african_republic_sum_their_rows(shipped):
    one_sided = shipped["one_sided_violence"]
    actors = tv.actors_in_country(one_sided, "CAF", (1989, 2022))
    assert actors.columns.tolist() == tv.ACTOR_COLUMNS
    rows = one_sided[one_sided["iso3"].map(lambda codes: "CAF" in codes)]
    assert len(actors) == rows["actor_id"].nunique()
    assert actors["best"].sum() == rows["best_fatality_estimate"].sum()
    assert actors["best"].tolist() == sorted(actors["best"], reverse=True)
    for actor in actors.itertuples(index=False):
        own = rows[rows["actor_id"] == actor.actor_id]
        assert (actor.best, actor.low, actor.high) == (
            own["best_fatality_estimate"].sum(),
            own["low_fatality_estimate"].sum(),
            own["high_fatality_estimate"].sum(),
        )
        assert actor.years_active == own["year"].nunique()
        assert actor.government == bool(own["is_government_actor"].max())
    lra = actors[actors["actor_name"] == "LRA"].iloc[0]
    assert not lra["government"] and "South Sudan" in lra["other_countries"]
    assert actors[actors["actor_name"] == "Government of Central African Republic"].iloc[0]["government"]


def test_actors_keep_to_the_years_chosen(shipped):
    one_sided = shipped["one_sided_violence"]
    actors = tv.actors_in_country(one_sided, "CAF", (2013, 2014))
    rows = one_sided[one_sided["iso3"].map(lambda codes: "CAF" in codes) & one_sided["year"].between(2013, 2014)]
    assert actors["best"].sum() == rows["best_fatality_estimate"].sum()
    assert tv.actors_in_country(one_sided, "ATA", (1989, 2022)).empty
    assert "Central African Republic" in tv.actor_countries(one_sided)


@pytest.mark.parametrize(
    ("years", "text"),
    [
        ([2013, 2014, 2015, 2018], "2013–2015, 2018"),
        ([2001], "2001"),
        ([2003, 2001, 2002, 2002], "2001–2003"),
        ([], ""),
    ],
)
def test_years_text(years, text):
    assert tv.years_text(years) == text


def test_citations_name_the_release_its_version_and_licence():
    ucdp = metadata("organized_violence", DATA)
    credit = tv.credit_line(ucdp, metadata("deployments", DATA))
    assert credit.startswith("Source: UCDP Country-Year Dataset on Organized Violence within Country Borders 25.1")
    assert "(Davies et al. 2025), CC BY 4.0" in credit and "Geo-PKO, Cil, Fjelde, Hultman and Nilsson (2020)" in credit
    assert "(Eck and Hultman 2007)" in tv.credit_line(metadata("one_sided_violence", DATA))
    assert tv.full_citation(ucdp).startswith("Davies, Shawn") and tv.full_citation(ucdp).endswith("CC BY 4.0.")
    assert tv.credit_line(None) == "Source: UCDP (see Sources and data)."


def test_presence_table_holds_every_year_shown_with_its_citation(shipped):
    killed = tv.civilians_killed_by_year(shipped["organized_violence"], ["CAF"], (2009, 2024))
    troops = tv.troops_by_year(shipped["deployments"], "MINUSCA", ["CAF"], (2009, 2024))
    table = tv.presence_table(killed, troops, citation="Cite me.")
    assert table["year"].tolist() == list(range(2009, 2025))
    assert table["government_best"].tolist() == killed["government_best"].tolist()
    assert table.loc[table["year"] < 2014, "troops"].isna().all()
    assert table.loc[table["year"] == 2024, "troops"].iloc[0] == troops["troops"].iloc[-1]
    assert set(table["citation"]) == {"Cite me."}
    nothing = tv.presence_table(killed.iloc[0:0], troops.iloc[0:0], citation="Cite me.")
    assert nothing.empty and "citation" in nothing.columns
    assert tv.presence_table(killed, troops.iloc[0:0], citation="")["troops"].isna().all()
    view = tv.presence_view_table(table)
    assert view.loc[view["Year"] == 2013, "(low–high)"].iloc[0] == "1,005–1,829"


def test_ucdp_beside_reported_figures(shipped):
    harm, organized = shipped["civilian_harm"], shipped["organized_violence"]
    figures = harm[harm["id"].isin(["unama-2010-killed", "unama-2009-2014-killed", "unama-2012-injured"])]
    figures = figures.sort_values("id")
    compared = tv.ucdp_beside_figures(figures, organized, th.harm_table(figures, pd.DataFrame()))
    assert compared.columns.tolist() == tv.COMPARISON_COLUMNS
    # Injured is not a count of deaths: it is left out.
    assert compared["Reported figure"].tolist() == ["17,774", "2,777"]
    afghanistan = organized[organized["iso3"] == "AFG"].set_index("year_cy")
    one_year = afghanistan.loc[2010]
    assert compared.iloc[1]["UCDP years"] == "2010"
    assert compared.iloc[1]["UCDP: one-sided violence (best, low–high)"] == (
        f"{one_year['os_total_deaths_best_cy']:,} "
        f"({one_year['os_total_deaths_low_cy']:,}–{one_year['os_total_deaths_high_cy']:,})"
    )
    assert compared.iloc[1]["UCDP: in state-based conflict"] == f"{one_year['sb_deaths_civilians_cy']:,}"
    six_years = afghanistan.loc[2009:2014]
    assert compared.iloc[0]["UCDP years"] == "2009–2014"
    assert compared.iloc[0]["UCDP: civilians in all organized violence"] == (
        f"{six_years['cumulative_total_deaths_civilians_in_orgvio_cy'].sum():,}"
    )


def test_figures_without_a_country_or_a_covered_year_say_so(shipped):
    harm, organized = shipped["civilian_harm"], shipped["organized_violence"]
    figures = harm[harm["id"].isin(["ocha-2013-humanitarian-workers-killed", "hrw-allied-force-1999-killed"])]
    figures = figures.sort_values("id")
    compared = tv.ucdp_beside_figures(figures, organized, th.harm_table(figures, pd.DataFrame())).set_index(
        "Counted by"
    )
    assert compared.loc["Human Rights Watch", "UCDP rows"] == "Serbia (Yugoslavia)"
    assert compared.loc["OCHA (statement by USG Valerie Amos)", "UCDP years"] == "no country given"
    late = figures.iloc[[0]].assign(period_start=pd.Timestamp("2030-01-01"), period_end=pd.Timestamp("2030-12-31"))
    shown = tv.ucdp_beside_figures(late, organized, th.harm_table(late, pd.DataFrame()))
    assert shown.iloc[0]["UCDP years"] == "UCDP covers 1989–2024 only"


def chart_data(shipped, acronym="MINUSCA", years=(2009, 2024)):
    mission = tv.operation(shipped["missions"], acronym)
    hosts = list(mission["host_countries"])
    killed = tv.civilians_killed_by_year(shipped["organized_violence"], hosts, years)
    troops = tv.troops_by_year(shipped["deployments"], acronym, hosts, years)
    return killed, troops, tv.operation_markers(mission, shipped["mandates"])


def presence_chart(killed, troops, markers, years=(2009, 2024), presentation=False):
    return violence_presence_chart(
        killed,
        troops,
        markers,
        acronym="MINUSCA",
        years=years,
        credit=CREDIT,
        presentation=presentation,
    )


def test_presence_chart_draws_ucdps_and_geopkos_numbers_with_the_dates_marked(shipped):
    killed, troops, markers = chart_data(shipped)
    fig = presence_chart(killed, troops, markers)
    by_name = {trace.name: trace for trace in fig.data if trace.name}
    assert list(by_name.get("Governments (one-sided)").y) == killed["government_best"].tolist()
    assert list(by_name["Non-state groups (one-sided)"].y) == killed["non_state_best"].tolist()
    assert list(by_name["State-based conflict"].y) == killed["state_based"].tolist()
    assert list(by_name["Troops (Geo-PKO)"].y) == troops["troops"].astype(float).tolist()
    bands = [trace for trace in fig.data if trace.type == "scatter" and trace.fill == "tonexty"]
    assert len(bands) == 2 and list(bands[0].y) == killed["government_high"].astype(float).tolist()
    # Start and first POC resolution fall on the same day: one line, one label; ongoing: no end line.
    lines = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert [pd.Timestamp(line.x0) for line in lines] == [pd.Timestamp("2014-04-10")]
    labels = [a.text for a in fig.layout.annotations]
    assert any(text.startswith("start; first POC resolution, S/RES/2149 (2014), 10 Apr 2014") for text in labels)
    assert any(text.startswith("Source: UCDP test release") for text in labels)


def test_an_ended_operation_has_its_end_marked(shipped):
    killed, troops, markers = chart_data(shipped, "MINUSMA", (2008, 2024))
    fig = presence_chart(killed, troops, markers, years=(2008, 2024))
    ends = sorted(pd.Timestamp(shape.x0) for shape in fig.layout.shapes if shape.type == "line")
    assert ends[-1] == tv.operation(shipped["missions"], "MINUSMA")["end_date"] and len(ends) == 2


def test_presence_chart_says_which_panel_is_empty(shipped):
    killed, troops, markers = chart_data(shipped)
    no_troops = presence_chart(killed, troops.iloc[0:0], markers)
    assert tv.no_troops_text("MINUSCA", "2009–2024") in [a.text for a in no_troops.layout.annotations]
    assert not [trace for trace in no_troops.data if trace.type == "bar"]
    no_killed = presence_chart(killed.iloc[0:0], troops, markers)
    assert tv.no_killed_text("MINUSCA", "2009–2024") in [a.text for a in no_killed.layout.annotations]
    nothing = presence_chart(killed.iloc[0:0], troops.iloc[0:0], markers)
    expected = f"{tv.no_killed_text('MINUSCA', '2009–2024')} {tv.no_troops_text('MINUSCA', '2009–2024')}"
    assert [a.text for a in nothing.layout.annotations][0] == expected
    assert any("Source: UCDP" in a.text for a in nothing.layout.annotations)


def test_presented_presence_chart_fits_the_screen(shipped):
    fig = presence_chart(*chart_data(shipped), presentation=True)
    assert fig.layout.height <= 560 and fig.layout.font.size == 22


def test_markup_in_a_label_is_escaped(shipped):
    killed, troops, markers = chart_data(shipped)
    fig = presence_chart(killed.assign(rows="<b>x</b>"), troops, markers.assign(label="<i>y</i>"))
    assert all("<b>x" not in text for trace in fig.data for text in (trace.text or []))
    assert all("<i>" not in a.text for a in fig.layout.annotations)


def test_actors_chart_draws_the_best_estimate_with_its_band(shipped):
    actors = tv.actors_in_country(shipped["one_sided_violence"], "CAF", (1989, 2022))
    fig = actors_chart(actors, title="Actors", credit=CREDIT)
    drawn = {label: x for trace in fig.data for label, x in zip(trace.y, trace.x, strict=True)}
    assert len(drawn) == len(actors) and sum(drawn.values()) == actors["best"].sum()
    government = next(trace for trace in fig.data if trace.name == "Government")
    assert "Government of Central African Republic" in government.y
    for trace in fig.data:
        assert min(trace.error_x.array) >= 0 and min(trace.error_x.arrayminus) >= 0
    (credit,) = [note for note in fig.layout.annotations if note.text.startswith("Source")]
    # It starts under the actors' names, left of the plot, so that it is not cut at the figure's right edge.
    assert credit.xshift < 0 and credit.xanchor == "left"
    capped = actors_chart(actors, title="Actors", credit=CREDIT, cap=3, presentation=True)
    assert sum(len(trace.y) for trace in capped.data) == 3 and capped.layout.height <= 560
    assert tv.actors_caption(actors, presentation=True).startswith(f"7 of {len(actors)} actors drawn")
    empty = actors_chart(actors.iloc[0:0], title="Actors", credit=CREDIT)
    assert "No actor of one-sided violence" in empty.layout.annotations[0].text


def test_transforms_do_not_change_their_input():
    organized = poc_data.load("organized_violence", VALID)
    before = organized.copy()
    tv.civilians_killed_by_year(organized, ["SLE", "XKX"], (1994, 2000))
    pd.testing.assert_frame_equal(organized, before)
