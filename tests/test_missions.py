"""Transforms and figures of the Missions and mandates page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from poc_data import i18n
from poc_data.charts import missions as charts
from poc_data.load import load
from poc_data.schema import MISSION_ORGANIZATIONS, MISSION_TYPES, POC_MANDATES, RESOLUTION_KINDS
from poc_data.style import style_of
from poc_data.text import md
from poc_data.transform import missions as tm
from tests.conftest import VALID, data_copy

TODAY = dt.date(2026, 11, 22)
EVERYTHING = {
    "organizations": list(MISSION_ORGANIZATIONS),
    "types": list(MISSION_TYPES),
    "hosts": [],
    "poc_mandates": list(POC_MANDATES),
    "years": (1945, 2026),
}


@pytest.fixture(scope="module")
def data():
    return {name: load(name, VALID) for name in ("missions", "mandates", "milestones", "civilian_harm", "sources")}


@pytest.fixture
def missions(data):
    return data["missions"]


def brief_of(data, acronym, **overrides):
    arguments = {
        "mandates": data["mandates"],
        "milestones": data["milestones"],
        "harm": data["civilian_harm"],
        "sources": data["sources"],
        "today": TODAY,
    } | overrides
    return tm.mission_brief(acronym, data["missions"], **arguments)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["UNPROFOR", "UNMIK", "KFOR", "Allied Force", "UNAMSIL"]),
        ({"organizations": ["NATO"]}, ["KFOR", "Allied Force"]),
        ({"types": ["air campaign"]}, ["Allied Force"]),
        ({"hosts": ["SLE", "HRV"]}, ["UNPROFOR", "UNAMSIL"]),
        ({"poc_mandates": ["explicit"]}, ["UNAMSIL"]),
        ({"years": (1996, 2026)}, ["UNMIK", "KFOR", "Allied Force", "UNAMSIL"]),
        ({"years": (1993, 1994)}, ["UNPROFOR"]),
        # Ongoing operations count as active until today; UNAMSIL's end "2005" covers the whole of 2005.
        ({"years": (2005, 2005)}, ["UNMIK", "KFOR", "UNAMSIL"]),
        ({"years": (2020, 2026)}, ["UNMIK", "KFOR"]),
        ({"organizations": []}, []),
    ],
)
def test_filter_missions(missions, filters, expected):
    shown = tm.filter_missions(missions, **(EVERYTHING | filters), today=TODAY)
    assert shown["acronym"].tolist() == expected


def test_filter_missions_does_not_change_its_input(missions):
    before = missions.copy()
    tm.filter_missions(missions, **(EVERYTHING | {"hosts": ["XKX"]}), today=TODAY)
    pd.testing.assert_frame_equal(missions, before)


@pytest.mark.parametrize(
    ("start", "end", "status", "expected"),
    [
        ("1999-10-22", "2005", None, "1999-10-22 to 2005"),
        ("1999-06-10", float("nan"), None, "since 1999-06-10 (ongoing: no end date given)"),
        ("2004-12", None, pd.Timestamp("2025-01-31"), "since 2004-12 (ongoing as of 2025-01-31)"),
        (None, "2003", None, "an unknown date to 2003"),
    ],
)
def test_dates_text_is_as_written(start, end, status, expected):
    assert tm.dates_text(start, end, status) == expected


def test_gantt_rows_draw_partial_dates_over_their_period_and_ongoing_to_today(missions, data):
    view = tm.gantt_rows(missions, data["sources"], today=TODAY)
    rows = view.rows.set_index("acronym")
    assert rows.loc["UNAMSIL", "bar_end"] == pd.Timestamp("2005-12-31")
    assert rows.loc["UNAMSIL", "partial_note"] == "drawn to the end of 2005"
    assert rows.loc["KFOR", "bar_end"] == pd.Timestamp(TODAY)
    assert bool(rows.loc["KFOR", "ongoing"]) and not bool(rows.loc["UNAMSIL", "ongoing"])
    assert rows.loc["Allied Force", "source"] == "Civilian Deaths in the NATO Air Campaign"
    assert rows.loc["UNPROFOR", "hosts_text"] == "Croatia (HRV), Bosnia and Herzegovina (BIH), North Macedonia (MKD)"
    # Listed by organization, then by start.
    assert view.rows["acronym"].tolist() == ["UNPROFOR", "UNMIK", "UNAMSIL", "Allied Force", "KFOR"]
    assert (view.matching, view.undated, view.capped) == (5, 0, False)


@pytest.mark.parametrize(
    ("order", "expected"),
    [("most recent", ["UNAMSIL", "KFOR"]), ("longest", ["UNMIK", "KFOR"])],
)
def test_gantt_rows_cap_to_the_most_recent_or_longest(missions, data, order, expected):
    view = tm.gantt_rows(missions, data["sources"], today=TODAY, cap=2, order=order)
    assert view.rows["acronym"].tolist() == expected
    assert view.capped
    assert "Summarised: the chart draws the 2 " + order in tm.gantt_caption(view, order)


def test_gantt_rows_count_operations_without_a_start(tmp_path, data):
    directory = data_copy(tmp_path)
    path = directory / "missions.csv"
    path.write_text(path.read_text().replace(",1992-02-21,", ",,"), encoding="utf-8")
    view = tm.gantt_rows(load("missions", directory), data["sources"], today=TODAY)
    assert "UNPROFOR" not in view.rows["acronym"].tolist()
    assert (view.matching, view.undated, view.capped) == (5, 1, False)
    assert "1 operation(s) with no known start are in the table only." in tm.gantt_caption(view, "longest")


def test_missions_table_shows_dates_as_written_and_hosts_by_name(missions):
    table = tm.missions_table(missions).set_index("Acronym")
    assert list(table.columns) == tm.MISSION_TABLE_COLUMNS[1:]
    assert table.loc["UNAMSIL", "End"] == "2005"
    assert table.loc["KFOR", "End"] == "ongoing"
    assert table.loc["UNMIK", "Hosts"] == "Kosovo"


@pytest.mark.parametrize(
    ("kinds", "years", "expected"),
    [
        (list(RESOLUTION_KINDS), (1945, 2026), ["S/RES/1244 (1999)", "S/RES/1265 (1999)", "S/RES/1270 (1999)"]),
        (["thematic"], (1945, 2026), ["S/RES/1265 (1999)"]),
        (list(RESOLUTION_KINDS), (2000, 2026), []),
    ],
)
def test_filter_resolutions(data, kinds, years, expected):
    assert tm.filter_resolutions(data["mandates"], kinds=kinds, years=years)["resolution"].tolist() == expected


def test_resolutions_table_and_counts(data):
    table = tm.resolutions_table(data["mandates"], data["sources"])
    assert list(table.columns) == tm.RESOLUTION_TABLE_COLUMNS
    assert table.iloc[0][["Resolution", "Date", "Kind", "Operations"]].tolist() == [
        "S/RES/1244 (1999)",
        "1999-06-10",
        "mission mandate",
        "UNMIK, KFOR",
    ]
    assert tm.kind_counts_text(data["mandates"]) == "3 resolution(s): 2 mission mandate, 1 thematic."


@pytest.mark.parametrize(
    ("acronym", "expected_ids"),
    [
        # Kosovo during its active period: Allied Force's HRW count ends 1999-06-10, the day UNMIK starts.
        ("UNMIK", ["ipi-allied-force-casualties", "hrw-allied-force-killed"]),
        # KFOR starts two days later: only the figure for the whole of 1999 overlaps.
        ("KFOR", ["ipi-allied-force-casualties"]),
        # Named by the event.
        ("Allied Force", ["ipi-allied-force-casualties", "hrw-allied-force-killed"]),
        ("UNAMSIL", []),
    ],
)
def test_linked_harm_rule(data, acronym, expected_ids):
    mission = data["missions"].set_index("acronym", drop=False).loc[acronym]
    assert tm.linked_harm(mission, data["civilian_harm"], today=TODAY)["id"].tolist() == expected_ids


def test_mission_brief_gathers_resolutions_milestones_harm_and_sources(data):
    brief = brief_of(data, "KFOR")
    assert brief.resolutions["resolution"].tolist() == ["S/RES/1244 (1999)"]
    assert brief.milestones["id"].tolist() == ["1999-inter-1"]
    assert brief.harm["id"].tolist() == ["ipi-allied-force-casualties"]
    assert brief.cited["id"].tolist() == ["ipi-2022"]
    assert brief_of(data, "NOPE") is None


def test_brief_markdown_has_every_section_with_dates_as_written(data):
    text = tm.brief_markdown(brief_of(data, "UNAMSIL"), data["sources"])
    assert text.startswith("### United Nations Mission in Sierra Leone (UNAMSIL)\n")
    assert "- **Dates (as written):** 1999\\-10\\-22 to 2005" in text
    assert "- **Host countries:** Sierra Leone \\(SLE\\)" in text
    assert "- **POC mandate:** explicit" in text
    assert "**S/RES/1270 \\(1999\\)**, 1999\\-10\\-22, mission mandate\\: Sierra Leone." in text
    assert md("No milestone in the data names this operation.") in text
    assert md("No harm figure in the data is linked to this operation.") in text
    assert "Koops, Christian Patz" in text


def test_brief_markdown_says_what_could_not_be_loaded(data):
    no_sources = data["sources"].iloc[:0]
    brief = brief_of(data, "KFOR", mandates=None, milestones=None, harm=None, sources=no_sources)
    text = tm.brief_markdown(brief, no_sources)
    for name in ("mandates", "milestones", "civilian_harm"):
        assert md(f"The {name} dataset could not be loaded.") in text
    assert "The bibliography could not be loaded" in text


def test_brief_markdown_escapes_data_text(data):
    missions = data["missions"].copy()
    missions.loc[missions["acronym"] == "KFOR", "notes"] = "<b>bold</b> *star* [link](http://x)"
    brief = tm.mission_brief(
        "KFOR", missions, mandates=None, milestones=None, harm=None, sources=data["sources"], today=TODAY
    )
    text = tm.brief_markdown(brief, data["sources"])
    assert f"- **Notes:** {md('<b>bold</b> *star* [link](http://x)')}" in text
    assert "<b>" not in text


def test_brief_markdown_caps_harm_figures(data):
    harm = data["civilian_harm"]
    many = pd.concat([harm] * 15, ignore_index=True).assign(id=lambda frame: [f"row-{n}" for n in range(len(frame))])
    text = tm.brief_markdown(brief_of(data, "Allied Force", harm=many), data["sources"])
    assert f"... and {len(many) - tm.BRIEF_HARM_CAP} more" in text


@pytest.mark.parametrize(
    ("with_missions", "with_mandates", "expected"),
    [(True, True, (1992, 2026)), (False, True, (1999, 2026)), (False, False, (1945, 2026))],
)
def test_period_bounds(data, with_missions, with_mandates, expected):
    missions = data["missions"] if with_missions else None
    mandates = data["mandates"] if with_mandates else None
    assert tm.period_bounds(missions, mandates, TODAY) == expected


def test_choices_and_file_names(data):
    assert tm.mission_choices(data["missions"]) == ["Allied Force", "KFOR", "UNAMSIL", "UNMIK", "UNPROFOR"]
    assert tm.mission_choices(None) == []
    assert tm.file_slug("EUFOR Tchad/RCA") == "eufor-tchad-rca"


def test_gantt_marks_organizations_by_colour_and_symbol_and_poc_by_pattern(missions, data):
    view = tm.gantt_rows(missions, data["sources"], today=TODAY)
    fig = charts.missions_gantt(view.rows, today=TODAY, title="Operations")
    assert fig.layout.title.text == "Operations"
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar" and trace.legend != "legend2"}
    assert set(bars) == {"UN", "NATO"}
    assert list(bars["UN"].y) == ["UNPROFOR", "UNMIK", "UNAMSIL"]
    assert bars["UN"].marker.color == style_of("UN").colour
    assert list(bars["UN"].marker.pattern.shape) == ["."] + ["x"] + ["/"]
    assert list(bars["UN"].marker.line.width) == [1.0, 0.0, 2.5]
    starts = {trace.name: trace for trace in fig.data if trace.type == "scatter" and trace.legend != "legend2"}
    assert starts["NATO"].marker.symbol == style_of("NATO").symbol
    ongoing = next(trace for trace in fig.data if trace.name == "ongoing (bar runs to today)")
    assert list(ongoing.y) == ["UNMIK", "KFOR"]
    legend = [trace.name for trace in fig.data if trace.legend == "legend2"]
    assert legend[1:] == [charts.POC_LABELS[m] for m in POC_MANDATES]


def test_gantt_draws_bars_then_starts_per_organization_then_the_keys_and_marks_today(missions, data):
    fig = charts.missions_gantt(tm.gantt_rows(missions, data["sources"], today=TODAY).rows, today=TODAY, title="t")
    assert [(trace.type, trace.name) for trace in fig.data][:5] == [
        ("bar", "UN"),
        ("scatter", style_of("UN").label),
        ("bar", "NATO"),
        ("scatter", style_of("NATO").label),
        ("scatter", "ongoing (bar runs to today)"),
    ]
    explicit = next(trace for trace in fig.data if trace.name == charts.POC_LABELS["explicit"])
    assert (explicit.marker.pattern.shape, explicit.marker.line.width, explicit.marker.opacity) == ("/", 2.5, 1.0)
    assert explicit.marker.color != style_of("UN").colour
    assert [shape.x0 for shape in fig.layout.shapes] == [pd.Timestamp(TODAY).timestamp() * 1000]
    assert list(fig.layout.yaxis.categoryarray) == list(fig.data[0].y) + list(fig.data[2].y)
    assert fig.layout.barmode == "overlay"


def test_gantt_bar_lengths_run_from_start_to_end(missions, data):
    view = tm.gantt_rows(missions[missions["acronym"] == "UNAMSIL"], data["sources"], today=TODAY)
    bar = charts.missions_gantt(view.rows, today=TODAY, title="t").data[0]
    assert pd.Timestamp(bar.base[0]) == pd.Timestamp("1999-10-22")
    assert bar.x[0] == (pd.Timestamp("2005-12-31") - pd.Timestamp("1999-10-22")).total_seconds() * 1000
    assert "drawn to the end of 2005" in bar.customdata[0][5]


def test_gantt_of_nothing_says_so_and_presentation_is_larger(missions, data):
    empty = charts.missions_gantt(pd.DataFrame(), today=TODAY, title="Operations")
    assert empty.layout.annotations[0].text == "Nothing matches the current filters."
    rows = tm.gantt_rows(missions, data["sources"], today=TODAY).rows
    normal = charts.missions_gantt(rows, today=TODAY, title="t")
    big = charts.missions_gantt(rows, today=TODAY, title="t", presentation=True)
    assert big.data[1].marker.size > normal.data[1].marker.size
    assert big.layout.height > normal.layout.height


def test_gantt_hover_escapes_data_text(missions, data):
    changed = missions.assign(name=missions["name"].where(missions["acronym"] != "KFOR", "<b>Kosovo</b> Force"))
    rows = tm.gantt_rows(changed[changed["acronym"] == "KFOR"], data["sources"], today=TODAY).rows
    bar = charts.missions_gantt(rows, today=TODAY, title="t").data[0]
    assert bar.customdata[0][0] == "&lt;b&gt;Kosovo&lt;/b&gt; Force"
    assert bar.customdata[0][5] == ""


def test_name_fr_is_an_optional_field_shown_in_french_only(data):
    missions = data["missions"]
    assert "name_fr" in missions.columns
    by_acronym = missions.set_index("acronym")["name_fr"]
    assert by_acronym["UNPROFOR"] == "Force de protection des Nations Unies"
    assert pd.isna(by_acronym["UNMIK"])
    assert tm.missions_table(missions).set_index("Acronym").loc["UNPROFOR", "Name"] == "United Nations Protection Force"
    with i18n.language("fr"):
        shown = tm.missions_table(missions).set_index("Sigle")["Nom"]
        brief = tm.brief_markdown(brief_of(data, "UNPROFOR"), data["sources"])
        gantt = tm.gantt_rows(missions, data["sources"], today=TODAY).rows.set_index("acronym")["name"]
    assert shown["UNPROFOR"] == gantt["UNPROFOR"] == "Force de protection des Nations Unies"
    assert shown["UNMIK"] == gantt["UNMIK"] == "United Nations Interim Administration Mission in Kosovo"
    assert brief.startswith("### Force de protection des Nations Unies (UNPROFOR)\n")


def test_every_official_french_name_in_the_data_says_its_source():
    """A name_fr is the UN's or the EU's words, never ours: its record's source_detail says where it is written."""
    missions = load("missions")
    named = missions[missions["name_fr"].notna()]
    assert not named.empty
    assert named["source_detail"].fillna("").str.contains("name_fr").all(), list(named["acronym"])
