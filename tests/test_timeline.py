"""The Timeline page's transforms and figure builder, on the fixture data and on small frames built here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

import poc_data
from poc_data.charts.timeline import chart_title, operations_label, timeline_chart, wrap
from poc_data.schema import MILESTONE_ORGANIZATIONS, THEMES
from poc_data.transform import timeline as tl
from tests.conftest import VALID

ALL_YEARS = (1994, 2021)


@pytest.fixture(scope="module")
def milestones() -> pd.DataFrame:
    return poc_data.load("milestones", VALID)


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return poc_data.load("sources", VALID)


@pytest.fixture(scope="module")
def missions() -> pd.DataFrame:
    return poc_data.load("missions", VALID)


@pytest.fixture(scope="module")
def mandates() -> pd.DataFrame:
    return poc_data.load("mandates", VALID)


def crowded(count: int, year: int = 1999, organization: str = "UN") -> pd.DataFrame:
    """`count` milestones in one year and lane, in the dataset's columns and dtypes."""
    return pd.DataFrame(
        {
            "id": [f"{year}-x-{n}" for n in range(count)],
            "year": pd.array([year] * count, dtype="Int64"),
            "organization": pd.Categorical([organization] * count, categories=MILESTONE_ORGANIZATIONS),
            "text": [f"Milestone {n}" for n in range(count)],
            "themes": [["operations"]] * count,
            "missions": [[]] * count,
            "source_id": ["ipi-2022"] * count,
            "source_detail": [None] * count,
        }
    )


def operations(rows: list[tuple[str, str, str, str | None, str]]) -> pd.DataFrame:
    """Missions frame from (acronym, organization, start, end, status) tuples."""
    frame = pd.DataFrame(rows, columns=["acronym", "organization", "start_date", "end_date", "status"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["source_id"] = "ipi-2022"
    frame["source_detail"] = None
    return frame


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (tl.TimelineFilters(), ["1994-un-1", "1999-nato-1", "1999-inter-1"]),
        (tl.TimelineFilters(organizations=["NATO"]), ["1999-nato-1"]),
        (tl.TimelineFilters(organizations=[]), []),
        (tl.TimelineFilters(years=(1995, 2021)), ["1999-nato-1", "1999-inter-1"]),
        (tl.TimelineFilters(years=(1994, 1994)), ["1994-un-1"]),
        (tl.TimelineFilters(themes=["operations"]), ["1999-nato-1"]),
        (tl.TimelineFilters(themes=["policy and doctrine", "operations"]), ["1994-un-1", "1999-nato-1"]),
        (tl.TimelineFilters(missions=["KFOR"]), ["1999-inter-1"]),
        (tl.TimelineFilters(query="kosovo"), ["1999-inter-1"]),
        (tl.TimelineFilters(query="allied"), ["1999-nato-1"]),
        (tl.TimelineFilters(query="fn 145"), ["1994-un-1"]),
        (tl.TimelineFilters(query="no such words"), []),
        (tl.TimelineFilters(organizations=["UN"], query="kosovo"), []),
    ],
)
def test_filter_milestones(milestones, filters, expected):
    assert tl.filter_milestones(milestones, filters)["id"].tolist() == expected


def test_filter_milestones_leaves_its_input_alone(milestones):
    before = milestones.copy()
    tl.filter_milestones(milestones, tl.TimelineFilters(organizations=["UN"], query="UNPROFOR"))
    pd.testing.assert_frame_equal(milestones, before)


def test_filter_orders_by_year_then_lane(milestones):
    shuffled = milestones.iloc[::-1]
    assert tl.filter_milestones(shuffled, tl.TimelineFilters())["organization"].tolist() == [
        "UN",
        "NATO",
        "Interorganizational",
    ]


def test_year_bounds_and_empty(milestones):
    assert tl.year_bounds(milestones) == (1994, 1999)
    assert tl.year_bounds(milestones.iloc[0:0]) is None


def test_theme_vocabulary_from_metadata_else_from_data(milestones):
    meta = poc_data.metadata("milestones", VALID)
    assert tl.theme_vocabulary(meta, milestones) == list(THEMES)
    assert tl.theme_vocabulary(None, milestones) == sorted(
        [
            "policy and doctrine",
            "operations",
            "failures to protect and civilian harm",
            "interorganizational cooperation",
        ]
    )


def test_mission_options_are_the_acronyms_named(milestones):
    assert tl.mission_options(milestones) == ["Allied Force", "KFOR", "UNMIK", "UNPROFOR"]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [(["NATO", "UN"], ["UN", "NATO"]), (["Interorganizational", "EU"], ["EU", "Interorganizational"]), ([], [])],
)
def test_lane_order(chosen, expected):
    assert tl.lane_order(chosen) == expected


@pytest.mark.parametrize(
    ("current", "step", "expected"),
    [
        (1999, -1, 1994),
        (1999, +1, 2003),
        (1994, -1, None),
        (2003, +1, None),
        (1997, +1, 1994),
        (None, -1, 1994),
    ],
)
def test_neighbour_year(current, step, expected):
    assert tl.neighbour_year([1994, 1999, 2003], current, step) == expected


def test_neighbour_year_of_no_years():
    assert tl.neighbour_year([], 1999, 1) is None


def test_milestones_in_year_and_years_with_milestones(milestones):
    assert tl.years_with_milestones(milestones) == [1994, 1999]
    assert tl.milestones_in_year(milestones, 1999)["id"].tolist() == ["1999-nato-1", "1999-inter-1"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"authors": ["Joachim A. Koops", "Christian Patz"], "date_text": "2022-03"}, "Koops and Patz (2022)"),
        ({"authors": ["Jenna Russo"], "date_text": "2019"}, "Russo (2019)"),
        ({"authors": ["A. One", "B. Two", "C. Three"], "date_text": "2001-01-02"}, "One et al. (2001)"),
        ({"authors": ["Patz, Christian"], "date_text": "2022"}, "Patz (2022)"),
        (
            {"authors": ["International Committee of the Red Cross"], "date_text": "2019"},
            "International Committee of the Red Cross (2019)",
        ),
        ({"authors": [], "publisher": "Human Rights Watch", "date_text": "2000-02"}, "Human Rights Watch (2000)"),
        ({"authors": [], "publisher": None, "title": "A page", "date_text": None}, "A page (n.d.)"),
    ],
)
def test_short_citation(source, expected):
    assert tl.short_citation(source) == expected


def test_citations_join_the_detail_and_fall_back_to_the_id(milestones, sources):
    records = pd.DataFrame({"source_id": ["ipi-2022", "ipi-2022", "gone"], "source_detail": ["fn 1", None, "p. 2"]})
    assert tl.citations(records, sources).tolist() == [
        "Koops and Patz (2022), fn 1",
        "Koops and Patz (2022)",
        "gone, p. 2",
    ]
    assert tl.citations(records, sources.iloc[0:0]).tolist() == ["ipi-2022, fn 1", "ipi-2022", "gone, p. 2"]


def test_stack_in_cells(milestones):
    stacked = tl.stack_in_cells(milestones, ["year"])
    assert stacked["slot"].tolist() == [0, 0, 1]
    assert stacked["cell_size"].tolist() == [1, 2, 2]
    assert "slot" not in milestones.columns


@pytest.mark.parametrize(("count", "summarised"), [(tl.MAX_STACKED_MARKERS, False), (tl.MAX_STACKED_MARKERS + 1, True)])
def test_milestone_layer_summarises_crowded_cells(sources, count, summarised):
    layer = tl.milestone_layer(crowded(count), sources)
    assert layer.summarised is summarised
    assert len(layer.records) == count
    if summarised:
        assert layer.rows[["year", "organization", "count"]].values.tolist() == [[1999, "UN", count]]
    else:
        assert layer.rows["slot"].tolist() == list(range(count))


def test_operations_in_view_places_ongoing_to_the_axis_end_and_leaves_out_unknown_ends():
    frame = operations(
        [
            ("OLD", "UN", "1960-01-01", "1970-01-01", "ended"),
            ("LONG", "UN", "1990-05-01", None, "ongoing"),
            ("EUOP", "EU", "2003-06-01", "2003-09-01", "ended"),
            ("AUOP", "AU", "2004-01-01", "2007-12-31", "ended"),
            ("LOST", "NATO", "2001-01-01", None, "unknown"),
        ]
    )
    shown = tl.operations_in_view(frame, organizations=MILESTONE_ORGANIZATIONS, years=(1994, 2021))
    assert shown["acronym"].tolist() == ["LONG", "EUOP", "AUOP"]
    assert shown["lane"].tolist() == ["UN", "EU", "Interorganizational"]
    assert shown["end"].iloc[0] == pd.Timestamp("2022-01-01")
    assert shown["ongoing"].tolist() == [True, False, False]
    only_eu = tl.operations_in_view(frame, organizations=["EU"], years=(1994, 2021))
    assert only_eu["acronym"].tolist() == ["EUOP"]
    chosen = tl.operations_in_view(frame, organizations=MILESTONE_ORGANIZATIONS, years=(1994, 2021), acronyms=["AUOP"])
    assert chosen["acronym"].tolist() == ["AUOP"]
    assert tl.unplaced_operations(frame, organizations=MILESTONE_ORGANIZATIONS) == 1
    assert tl.unplaced_operations(frame, organizations=["UN"]) == 0


def test_pack_rows_never_overlaps_within_a_lane():
    frame = operations(
        [
            ("A", "UN", "2000-01-01", "2005-01-01", "ended"),
            ("B", "UN", "2001-01-01", "2002-01-01", "ended"),
            ("C", "UN", "2003-01-01", "2004-01-01", "ended"),
            ("D", "UN", "2006-01-01", "2007-01-01", "ended"),
            ("E", "EU", "2001-01-01", "2002-01-01", "ended"),
        ]
    )
    packed = tl.pack_rows(tl.operations_in_view(frame, organizations=["UN", "EU"], years=(2000, 2010)))
    assert dict(zip(packed["acronym"], packed["row"], strict=True)) == {"A": 0, "B": 1, "E": 0, "C": 1, "D": 0}


def test_active_operations_per_year():
    frame = operations([("A", "UN", "2000-06-01", "2001-03-01", "ended"), ("B", "UN", "2001-01-01", None, "ongoing")])
    shown = tl.operations_in_view(frame, organizations=["UN"], years=(2000, 2003))
    counts = tl.active_operations_per_year(shown, (2000, 2003))
    assert counts["count"].tolist() == [1, 2, 1, 1]
    assert counts["year"].tolist() == [2000, 2001, 2002, 2003]


def test_operation_layer_summarises_beyond_the_cap(sources):
    many = operations([(f"OP{n}", "UN", "2000-01-01", "2001-01-01", "ended") for n in range(tl.MAX_OPERATION_BARS + 1)])
    layer = tl.operation_layer(many, sources, organizations=["UN"], years=(2000, 2002))
    assert layer.summarised
    assert layer.rows["count"].tolist() == [tl.MAX_OPERATION_BARS + 1, tl.MAX_OPERATION_BARS + 1, 0]
    few = tl.operation_layer(many.iloc[:3], sources, organizations=["UN"], years=(2000, 2002))
    assert not few.summarised
    assert few.rows["row"].tolist() == [0, 1, 2]
    assert few.rows["citation"].tolist() == ["Koops and Patz (2022)"] * 3


def test_poc_resolutions(mandates):
    every = tl.poc_resolutions(mandates, years=ALL_YEARS)
    assert every["resolution"].tolist() == ["S/RES/1244 (1999)", "S/RES/1265 (1999)", "S/RES/1270 (1999)"]
    chosen = tl.poc_resolutions(mandates, years=ALL_YEARS, acronyms=["UNAMSIL"])
    assert chosen["resolution"].tolist() == ["S/RES/1265 (1999)", "S/RES/1270 (1999)"]
    assert tl.poc_resolutions(mandates, years=(2000, 2021)).empty


def test_poc_resolutions_without_a_date_stand_at_mid_year_and_other_kinds_are_left_out(mandates):
    changed = mandates.copy()
    changed.loc[0, "date"] = pd.NaT
    changed["kind"] = pd.Categorical(
        ["mission mandate", "thematic", "authorization of a non-UN force"], categories=mandates["kind"].cat.categories
    )
    shown = tl.poc_resolutions(changed, years=ALL_YEARS)
    assert shown["resolution"].tolist() == ["S/RES/1244 (1999)", "S/RES/1265 (1999)"]
    assert shown["when"].iloc[0] == pd.Timestamp("1999-07-01")


def test_resolution_layer_keeps_labels_apart_and_summarises_beyond_the_cap(mandates, sources):
    layer = tl.resolution_layer(mandates, sources, years=ALL_YEARS)
    assert not layer.summarised
    assert layer.rows["slot"].tolist() == [0, 1, 2]
    assert layer.rows["citation"].tolist()[1] == "United Nations (1999)"
    many = pd.concat([mandates] * (tl.MAX_RESOLUTION_MARKERS // 3 + 1), ignore_index=True)
    summary = tl.resolution_layer(many, sources, years=ALL_YEARS)
    assert summary.summarised
    assert summary.rows.to_dict("records") == [
        {"year": 1999, "count": len(many), "thematic": len(many) // 3, "mission mandate": 2 * len(many) // 3}
    ]


def test_timeline_entries(milestones, sources):
    entries = tl.timeline_entries(tl.filter_milestones(milestones, tl.TimelineFilters()), sources)
    assert entries.columns.tolist() == tl.ENTRY_COLUMNS
    first = entries.iloc[0]
    assert first["organization"] == "UN"
    assert first["missions_text"] == "UNPROFOR"
    assert first["citation"] == "Koops and Patz (2022), Annex 2, p. 26, 1994, UN column; fn 145"
    assert entries.iloc[2]["missions_text"] == "UNMIK, KFOR"
    assert [(year, len(group)) for year, group in tl.by_year(entries)] == [(1994, 1), (1999, 2)]


def test_milestones_for_csv_has_the_dataset_columns(milestones):
    shown = tl.milestones_for_csv(tl.filter_milestones(milestones, tl.TimelineFilters(organizations=["UN"])))
    assert shown.columns.tolist() == list(poc_data.DATASETS["milestones"].model.model_fields)
    assert shown["id"].tolist() == ["1994-un-1"]


def test_wrap_escapes_and_wraps():
    assert wrap("<b>bold</b> & more") == "&lt;b&gt;bold&lt;/b&gt; &amp; more"
    assert wrap("word " * 30, width=20).count("<br>") >= 5
    assert wrap(None) == ""


def chart(milestones, sources, **options):
    layer = tl.milestone_layer(tl.filter_milestones(milestones, tl.TimelineFilters()), sources)
    defaults = {"organizations": list(MILESTONE_ORGANIZATIONS), "years": ALL_YEARS}
    return timeline_chart(layer, **(defaults | options))


def test_chart_has_one_marker_trace_per_organization_with_its_colour_and_symbol(milestones, sources):
    fig = chart(milestones, sources)
    assert fig.layout.title.text == "POC milestones of the UN, EU and NATO, 1994–2021"
    assert [(trace.type, trace.name) for trace in fig.data] == [
        ("scatter", "UN"),
        ("scatter", "NATO"),
        ("scatter", "Interorganizational"),
    ]
    assert [trace.marker.symbol for trace in fig.data] == ["circle", "diamond", "star"]
    assert fig.data[0].marker.color == "#0072B2"
    assert list(fig.layout.yaxis.ticktext) == ["UN", "EU", "NATO", "Interorganizational"]
    assert fig.layout.xaxis.title.text == "Year"
    assert list(fig.layout.xaxis.range) == [pd.Timestamp("1994-01-01"), pd.Timestamp("2022-01-01")]


def test_chart_hover_has_the_full_text_and_the_source(milestones, sources):
    fig = chart(milestones, sources)
    hover = fig.data[1].hovertext[0]
    assert "Operation Allied Force causes more than 500 civilian casualties" in hover
    assert '"legal vs. legitimate"' in hover  # quotes need no escaping in plotly text
    assert "Koops and Patz (2022), Annex 2, pp. 26-27, 1999, NATO column" in hover
    assert "<i>Missions:</i> Allied Force" in hover


def test_chart_keeps_markers_of_a_cell_apart(milestones, sources):
    stacked = tl.milestone_layer(crowded(5), sources)
    fig = timeline_chart(stacked, organizations=["UN"], years=ALL_YEARS)
    assert len(set(fig.data[0].y)) == 5


def test_chart_summarises_crowded_lanes_as_bars(sources):
    layer = tl.milestone_layer(crowded(tl.MAX_STACKED_MARKERS + 5), sources)
    fig = timeline_chart(layer, organizations=["UN"], years=ALL_YEARS)
    assert [trace.type for trace in fig.data] == ["bar"]
    assert "17 milestones" in fig.data[0].hovertext[0]


def test_chart_overlays_add_lanes_and_traces(milestones, missions, mandates, sources):
    organizations = list(MILESTONE_ORGANIZATIONS)
    ops = tl.operation_layer(missions, sources, organizations=organizations, years=ALL_YEARS)
    res = tl.resolution_layer(mandates, sources, years=ALL_YEARS)
    fig = chart(milestones, sources, operations=ops, resolutions=res)
    names = [trace.name for trace in fig.data if trace.showlegend is not False and trace.name]
    assert names == ["Mission mandate", "Thematic POC resolution", "UN", "NATO", "Interorganizational"] + [
        "UN operations",
        "NATO operations",
    ]
    assert list(fig.layout.yaxis.ticktext) == [
        "POC resolutions",
        "UN",
        "EU",
        "NATO",
        "Interorganizational",
        "UN operations",
        "NATO operations",
    ]
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar"}
    unmik = list(bars["UN operations"].text).index("\u2003UNMIK")
    # UNMIK is ongoing: its bar runs from its start to the end of the axis.
    start = pd.Timestamp(bars["UN operations"].base[unmik])
    length = pd.Timedelta(milliseconds=bars["UN operations"].x[unmik])
    assert start + length == pd.Timestamp("2022-01-01")
    thematic = next(trace for trace in fig.data if trace.name == "Thematic POC resolution")
    assert list(thematic.text) == ["1265"]
    assert "First thematic POC resolution" in thematic.hovertext[0]


def test_chart_summarised_overlays(milestones, missions, mandates, sources):
    many_missions = pd.concat([missions] * 40, ignore_index=True)
    ops = tl.operation_layer(many_missions, sources, organizations=["UN", "NATO"], years=ALL_YEARS)
    many_mandates = pd.concat([mandates] * 50, ignore_index=True)
    res = tl.resolution_layer(many_mandates, sources, years=ALL_YEARS)
    assert ops.summarised and res.summarised
    fig = chart(milestones, sources, operations=ops, resolutions=res, organizations=["UN", "NATO"])
    lines = [trace for trace in fig.data if trace.type == "scatter" and trace.line.shape == "hv"]
    assert [trace.name for trace in lines] == ["UN operations (active per year)", "NATO operations (active per year)"]
    assert "UN operations<br>active (peak 80)" in fig.layout.yaxis.ticktext
    assert any(trace.type == "bar" and trace.name == "POC resolutions per year" for trace in fig.data)


def test_chart_for_one_year(milestones, sources):
    layer = tl.milestone_layer(tl.milestones_in_year(milestones, 1999), sources)
    fig = timeline_chart(layer, organizations=list(MILESTONE_ORGANIZATIONS), years=(1999, 1999))
    assert fig.layout.title.text == chart_title((1999, 1999)) == "POC milestones of the UN, EU and NATO in 1999"
    assert list(fig.layout.xaxis.range) == [pd.Timestamp("1999-01-01"), pd.Timestamp("2000-01-01")]
    # A year axis: one tick, the year, and no month the source does not give.
    assert fig.layout.xaxis.title.text == "Year"
    assert list(fig.layout.xaxis.ticktext) == ["1999"]
    assert len(fig.layout.xaxis.tickvals) == 1


def test_chart_in_presentation_mode_is_larger(milestones, sources):
    plain, presenting = chart(milestones, sources), chart(milestones, sources, presentation=True)
    assert presenting.data[0].marker.size > plain.data[0].marker.size
    assert presenting.layout.height > plain.layout.height
    assert presenting.layout.font.size > plain.layout.font.size


def test_chart_of_nothing_is_the_empty_figure(milestones, sources):
    layer = tl.milestone_layer(milestones.iloc[0:0], sources)
    fig = timeline_chart(layer, organizations=["UN"], years=ALL_YEARS)
    assert isinstance(fig, go.Figure)
    assert not fig.data
    assert fig.layout.annotations[0].text == "Nothing matches the current filters."


def test_filter_keeps_the_file_order_within_a_year_and_lane():
    frame = crowded(12)
    assert tl.filter_milestones(frame, tl.TimelineFilters())["id"].tolist() == frame["id"].tolist()


def test_chart_notes_say_what_is_summarised_or_left_out(milestones, missions, mandates, sources):
    plain = tl.milestone_layer(milestones, sources)
    assert tl.chart_notes(plain, None, None) == []
    crowded_layer = tl.milestone_layer(crowded(tl.MAX_STACKED_MARKERS + 1), sources)
    many_ops = tl.operation_layer(
        pd.concat([missions] * 60, ignore_index=True), sources, organizations=["UN"], years=ALL_YEARS
    )
    no_res = tl.resolution_layer(mandates, sources, years=(2010, 2021))
    notes = tl.chart_notes(crowded_layer, many_ops, no_res, unplaced=2)
    assert [note.split(":")[0] if note.startswith("Summarised") else note[:20] for note in notes] == [
        "Summarised",
        "Summarised",
        "2 operations of the ",
        "No thematic or missi",
    ]
    assert "180 operations" in notes[1]


def test_chart_notes_in_french_write_numbers_and_plurals_the_french_way():
    milestones = tl.ChartLayer(pd.DataFrame(), pd.DataFrame(), summarised=False)
    operations = tl.ChartLayer(pd.DataFrame(), pd.DataFrame({"id": range(1200)}), summarised=True)
    with poc_data.i18n.language("fr"):
        notes = tl.chart_notes(milestones, operations, None, unplaced=1)
        short = tl.short_citation({"authors": ["Koops, Joachim A.", "Patz, Christian"], "date_text": "2022-03"})
    assert notes[0].startswith("Résumé : 1\u202f200 opérations étaient actives")
    assert notes[1].startswith("1 opération des organisations choisies n'a pas de date de début")
    assert short == "Koops et Patz (2022)"


@pytest.mark.parametrize(
    ("lane", "english", "french"),
    [
        ("UN", "UN operations", "Opérations ONU"),
        ("Interorganizational", "Other operations", "Autres opérations"),
        ("national", "national operations", "Opérations nationales"),
    ],
)
def test_operations_labels_in_either_language(lane, english, french):
    assert operations_label(lane) == english
    with poc_data.i18n.language("fr"):
        assert operations_label(lane) == french
