"""The Organizations page's transforms and figure builders, on small frames and on the fixture data."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from poc_data.charts import organizations as charts
from poc_data.charts.base import sizes
from poc_data.load import load
from poc_data.schema import MISSION_TYPES
from poc_data.style import style_of
from poc_data.transform import organizations as org
from tests.conftest import VALID


def comparison(table, dimension, organization, points, *, document=None, year=None, source_id="ipi-2022"):
    return {
        "id": f"{table}-{dimension}-{organization}-{year}".lower().replace(" ", "-"),
        "table": table,
        "dimension": dimension,
        "organization": organization,
        "points": points,
        "document": document,
        "year": year,
        "source_id": source_id,
        "source_detail": f"{table} detail",
    }


@pytest.fixture
def comparisons():
    rows = [
        comparison("table1", "Mandate", "NATO", ["N1"]),
        comparison("table1", "Mandate", "UN", ["U1", "U2"]),
        comparison("table1", "Priorities", "EU", ["E1"]),
        comparison("table1", "Priorities", "EU", ["E2"]),
        comparison("table2", "Training", "UN", ["T1"]),
        comparison("annex1", "Policy (2016)", "NATO", ["def N"], document="Policy (2016)", year=2016),
        comparison("annex1", "Handbook", "NATO", ["def N2"], document=None, year=2021),
        comparison("annex1", "Guidelines (2003)", "EU", ["def E"], document="Guidelines (2003)", year=2003),
        comparison("annex1", "Concept (2015)", "EU", ["def E2"], document="Concept (2015)", year=2015),
        comparison("annex1", "Policy (2019)", "UN", ["def U"], document="Policy (2019)", year=2019),
    ]
    frame = pd.DataFrame(rows)
    frame["organization"] = pd.Categorical(frame["organization"], categories=["UN", "EU", "NATO"])
    frame["year"] = frame["year"].astype("Int64")
    frame["document"] = frame["document"].astype("str")
    return frame


def milestone_frame(rows):
    frame = pd.DataFrame(rows, columns=["id", "year", "organization", "text", "source_id", "source_detail"])
    frame["year"] = frame["year"].astype("Int64")
    frame["organization"] = pd.Categorical(
        frame["organization"], categories=["UN", "EU", "NATO", "Interorganizational"]
    )
    return frame


@pytest.fixture
def milestones():
    return milestone_frame(
        [
            ("2000-un-1", 2000, "UN", "a", "ipi-2022", "Annex 2"),
            ("2000-un-2", 2000, "UN", "b", "ipi-2022", "Annex 2"),
            ("2002-un-1", 2002, "UN", "c", "ipi-2022", "Annex 2"),
            ("2001-eu-1", 2001, "EU", "d", "ipi-2022", "Annex 2"),
            ("2001-inter-2", 2001, "Interorganizational", "f", "ipi-2022", "Annex 2"),
            ("2001-inter-1", 2001, "Interorganizational", "e", "ipi-2022", "Annex 2"),
            ("1999-inter-1", 1999, "Interorganizational", "g", "other-source", None),
        ]
    )


def mission_frame(rows):
    columns = ["acronym", "organization", "type", "start", "end", "poc_mandate", "source_id"]
    frame = pd.DataFrame(rows, columns=columns)
    # An operation with an end has ended; one with a start and no end is ongoing; one with neither is unknown.
    frame["status"] = [
        "ended" if pd.notna(end) else ("ongoing" if pd.notna(start) else "unknown")
        for start, end in zip(frame["start"], frame["end"], strict=True)
    ]
    frame["start_date"] = pd.to_datetime(frame.pop("start"))
    frame["end_date"] = pd.to_datetime(frame.pop("end"))
    frame["organization"] = pd.Categorical(frame["organization"], categories=["UN", "EU", "NATO", "AU"])
    frame["type"] = pd.Categorical(frame["type"], categories=MISSION_TYPES)
    frame["poc_mandate"] = pd.Categorical(frame["poc_mandate"], categories=["explicit", "partial", "none", "unknown"])
    return frame


@pytest.fixture
def missions():
    return mission_frame(
        [
            ("A", "UN", "peacekeeping", "2000-06-01", "2002-12-31", "explicit", "s1"),
            ("B", "UN", "political mission", "2001-01-01", None, "unknown", "s1"),
            ("C", "NATO", "air campaign", "2001-03-01", "2001-06-01", "none", "s2"),
            ("D", "NATO", "military operation", None, None, "partial", "s2"),
            ("E", "AU", "peacekeeping", "2001-01-01", "2003-01-01", "explicit", "s3"),
            ("F", "UN", "peacekeeping", "2001-01-01", "2001-02-01", "explicit", "s1"),
        ]
    )


@pytest.fixture
def sources():
    return pd.DataFrame(
        {
            "id": ["ipi-2022", "s1", "s2"],
            "title": ["IPI paper", "Source one", "Source two"],
            "authors": [[], [], []],
            "publisher": [None, None, None],
            "date_text": [None, None, None],
        }
    )


@pytest.mark.parametrize(("chosen", "ordered"), [(["NATO", "UN"], ["UN", "NATO"]), ([], []), (["EU", "WHO"], ["EU"])])
def test_in_order(chosen, ordered):
    assert org.in_order(chosen) == ordered


def test_definitions_orders_by_organization_then_year_and_ranks_each(comparisons):
    definitions = org.definitions(comparisons, ["NATO", "EU"])
    assert list(definitions["heading"]) == ["Guidelines (2003)", "Concept (2015)", "Policy (2016)", "Handbook"]
    assert list(definitions["rank"]) == [0, 1, 0, 1]
    assert set(definitions["table"]) == {"annex1"}


def test_definitions_pages_show_the_same_number_per_organization(comparisons):
    definitions = org.definitions(comparisons, ["UN", "EU", "NATO"])
    assert org.definitions_pages(definitions, 1) == 2
    assert list(org.definitions_page(definitions, 2, 1)["heading"]) == ["Concept (2015)", "Handbook"]
    assert org.definitions_pages(definitions.iloc[0:0], 4) == 1


def test_comparison_grid_keeps_table_order_and_merges_repeated_cells(comparisons):
    cells = org.comparison_cells(comparisons, "table1", ["UN", "EU", "NATO"])
    grid = org.comparison_grid(cells, ["UN", "EU", "NATO"])
    assert list(grid["dimension"]) == ["Mandate", "Priorities"]
    assert grid.loc[0, "UN"] == ["U1", "U2"]
    assert grid.loc[0, "EU"] == []
    assert grid.loc[1, "EU"] == ["E1", "E2"]
    assert list(grid.columns) == ["dimension", "UN", "EU", "NATO"]


def test_comparison_cells_follow_the_organization_filter(comparisons):
    cells = org.comparison_cells(comparisons, "table1", ["NATO"])
    assert list(cells["points"]) == [["N1"]]
    assert list(org.csv_of_cells(cells).columns) == [
        "id",
        "table",
        "dimension",
        "organization",
        "points",
        "source_id",
        "source_detail",
    ]


def test_milestones_per_year_fills_missing_years_and_accumulates(milestones):
    frame = org.milestones_per_year(milestones, ["UN", "EU", "NATO"])
    assert list(frame.columns) == org.PER_YEAR_COLUMNS
    un = frame[frame["organization"] == "UN"]
    assert list(un["year"]) == [2000, 2001, 2002]
    assert list(un["milestones"]) == [2, 0, 1]
    assert list(un["cumulative"]) == [2, 2, 3]
    assert set(frame["organization"]) == {"UN", "EU"}


def test_milestones_per_year_of_nothing_is_empty(milestones):
    assert org.milestones_per_year(milestones, ["NATO"]).empty
    assert org.milestones_per_year(milestones, []).empty


def test_transforms_do_not_mutate_their_input(milestones, missions, comparisons):
    before = [frame.copy(deep=True) for frame in (milestones, missions, comparisons)]
    org.milestones_per_year(milestones, ["UN"])
    org.operations_per_year(missions, 2003)
    org.poc_mandate_counts(missions, ["UN"])
    org.comparison_grid(org.comparison_cells(comparisons, "table1", ["UN"]), ["UN"])
    org.with_citation(milestones, pd.DataFrame({"id": [], "title": []}))
    for old, new in zip(before, (milestones, missions, comparisons), strict=True):
        pd.testing.assert_frame_equal(old, new)


def test_operations_per_year_counts_each_active_year_and_ongoing_ones(missions):
    frame = org.operations_per_year(missions, ongoing_until=2003)
    un = frame[frame["organization"] == "UN"].set_index(["year", "type"])["operations"]
    assert un[(2000, "peacekeeping")] == 1
    assert un[(2001, "peacekeeping")] == 2
    assert un[(2003, "political mission")] == 1
    assert (2003, "peacekeeping") not in un.index
    nato = frame[frame["organization"] == "NATO"]
    assert list(nato["year"]) == [2001]


def test_undated_operations_are_left_out_and_named(missions):
    assert list(org.undated(missions)["acronym"]) == ["D"]
    assert "military operation" not in set(org.operations_per_year(missions, 2003)["type"])


def test_operations_totals_fill_years_and_break_down_by_type(missions):
    chosen = org.missions_of(missions, ["UN", "NATO"], MISSION_TYPES)
    totals = org.operations_totals(org.operations_per_year(chosen, 2003), ["UN", "EU", "NATO"])
    row = totals[(totals["year"] == 2001) & (totals["organization"] == "UN")].iloc[0]
    assert row["operations"] == 3
    assert row["by_type"] == "peacekeeping 2, political mission 1"
    nato_2003 = totals[(totals["year"] == 2003) & (totals["organization"] == "NATO")].iloc[0]
    assert (nato_2003["operations"], nato_2003["by_type"]) == (0, "none")
    assert set(totals["organization"]) == {"UN", "NATO"}


def test_operations_by_type_is_zero_filled(missions):
    chosen = org.missions_of(missions, ["UN"], ["peacekeeping", "political mission"])
    frame = org.operations_by_type(org.operations_per_year(chosen, 2003), ["UN"])
    assert len(frame) == 4 * 2
    assert frame.set_index(["year", "type"]).loc[(2003, "peacekeeping"), "operations"] == 0


def test_missions_of_filters_organization_and_type(missions):
    chosen = org.missions_of(missions, ["UN"], ["peacekeeping"])
    assert list(chosen["acronym"]) == ["A", "F"]


def test_poc_mandate_counts_list_every_category_and_sum_to_100(missions):
    counts = org.poc_mandate_counts(missions, ["UN", "EU", "NATO"])
    assert list(counts.columns) == org.MANDATE_COLUMNS
    assert set(counts["organization"]) == {"UN", "NATO"}
    un = counts[counts["organization"] == "UN"].set_index("poc_mandate")
    assert list(un.index) == ["explicit", "partial", "none", "unknown"]
    assert list(un["operations"]) == [2, 0, 0, 1]
    assert un["total"].unique().tolist() == [3]
    assert un["share"].sum() == pytest.approx(100, abs=0.2)
    assert org.poc_mandate_counts(missions.iloc[0:0], ["UN"]).empty


def test_interorganizational_milestones_are_sorted_by_year(milestones):
    assert list(org.interorganizational_milestones(milestones)["id"]) == [
        "1999-inter-1",
        "2001-inter-1",
        "2001-inter-2",
    ]


def test_with_citation_names_the_source_and_where(milestones, sources):
    cited = org.with_citation(milestones, sources)
    assert cited.iloc[0]["citation"] == "IPI paper, Annex 2"
    assert cited.iloc[-1]["citation"] == "other-source"


@pytest.mark.parametrize(
    ("authors", "publisher", "date_text", "expected"),
    [
        (["Joachim A. Koops", "Christian Patz"], "IPI", "2022-03", "Koops and Patz (2022)"),
        (["Ann Smith", "Bo Li", "Cy Young"], None, "2001", "Smith et al. (2001)"),
        (["Ann Smith"], None, None, "Smith"),
        ([], "Human Rights Watch", "2000-02", "Human Rights Watch (2000)"),
        ([], None, None, "A title"),
    ],
)
def test_short_source_names(authors, publisher, date_text, expected):
    source = {"id": "s", "authors": authors, "title": "A title", "publisher": publisher, "date_text": date_text}
    assert org.short_source_names(pd.DataFrame([source])) == {"s": expected}


@pytest.mark.parametrize(("limit", "expected"), [(2, "Source one; Source two"), (1, "Source one; and 1 more (see")])
def test_source_label(missions, sources, limit, expected):
    assert org.source_label(missions[missions["source_id"] != "s3"], sources, limit=limit).startswith(expected)


@pytest.mark.parametrize(("organizations", "expected"), [(["UN"], "2000-2002"), (["EU"], "2001"), ([], "no years")])
def test_year_range(milestones, organizations, expected):
    assert org.year_range(org.of_organizations(milestones, organizations)) == expected


def test_fixture_data_goes_through_every_transform():
    comparisons = load("comparisons", VALID)
    milestones = load("milestones", VALID)
    missions = load("missions", VALID)
    assert list(org.definitions(comparisons, org.ORGANIZATIONS)["organization"]) == ["NATO"]
    grid = org.comparison_grid(org.comparison_cells(comparisons, "table1", org.ORGANIZATIONS), org.ORGANIZATIONS)
    assert grid.loc[0, "UN"] == ["First point", "Second point"]
    assert org.milestones_per_year(milestones, org.ORGANIZATIONS)["milestones"].sum() == 2
    per_year = org.operations_per_year(missions, ongoing_until=2000)
    assert per_year[per_year["year"] == 1999]["operations"].sum() == 4
    counts = org.poc_mandate_counts(missions, org.ORGANIZATIONS)
    assert counts["operations"].sum() == 5


# Figure builders


def test_milestones_chart_stacks_one_bar_trace_per_organization(milestones):
    frame = org.milestones_per_year(milestones, ["UN", "EU"])
    fig = charts.milestones_per_year_chart(frame, source="IPI paper")
    assert [trace.type for trace in fig.data] == ["bar", "bar"]
    assert [trace.name for trace in fig.data] == ["UN", "EU"]
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].y) == [2, 0, 1]
    assert fig.data[0].marker.color == style_of("UN").colour
    assert fig.data[1].marker.pattern.shape == charts.pattern_of("EU") != charts.pattern_of("UN")
    assert "IPI paper" in fig.data[0].hovertemplate
    assert fig.layout.title.text == "Milestones per year, per organization"
    assert fig.layout.xaxis.title.text == "Year"


@pytest.mark.parametrize(("cumulative", "dtick"), [(False, 1), (True, 1)])
def test_count_axes_have_whole_number_ticks(milestones, cumulative, dtick):
    frame = org.milestones_per_year(milestones, ["UN", "EU"])
    fig = charts.milestones_per_year_chart(frame, cumulative=cumulative)
    assert fig.layout.yaxis.dtick == dtick
    big = frame.assign(milestones=frame["milestones"] * 20, cumulative=frame["cumulative"] * 20)
    assert charts.milestones_per_year_chart(big, cumulative=cumulative).layout.yaxis.dtick == (12 if cumulative else 8)


def test_milestones_chart_cumulative_draws_lines_with_symbols(milestones):
    frame = org.milestones_per_year(milestones, ["UN", "EU"])
    fig = charts.milestones_per_year_chart(frame, cumulative=True)
    assert [trace.type for trace in fig.data] == ["scatter", "scatter"]
    assert list(fig.data[0].y) == [2, 2, 3]
    assert [trace.marker.symbol for trace in fig.data] == [style_of("UN").symbol, style_of("EU").symbol]
    assert "cumulative" in fig.layout.title.text


def test_operations_chart_has_a_line_per_organization_with_its_style(missions):
    chosen = org.missions_of(missions, ["UN", "NATO"], MISSION_TYPES)
    totals = org.operations_totals(org.operations_per_year(chosen, 2003), ["UN", "NATO"])
    fig = charts.operations_per_year_chart(totals, source="Source one")
    assert [trace.name for trace in fig.data] == ["UN", "NATO"]
    assert [trace.marker.symbol for trace in fig.data] == ["circle", "diamond"]
    # Lines in the darker shade of each organization's colour, which stands out from the white plot at 3:1.
    assert [trace.line.color for trace in fig.data] == [style_of("UN").outline, style_of("NATO").outline]
    assert [trace.marker.color for trace in fig.data] == [style_of("UN").colour, style_of("NATO").colour]
    assert list(fig.data[0].y) == [1, 3, 2, 1]
    assert "customdata[1]" in fig.data[0].hovertemplate
    assert fig.layout.yaxis.title.text == "Operations active"


def test_operations_by_type_chart_has_a_panel_per_type(missions):
    chosen = org.missions_of(missions, ["UN", "NATO"], MISSION_TYPES)
    frame = org.operations_by_type(org.operations_per_year(chosen, 2003), ["UN", "NATO"])
    fig = charts.operations_by_type_chart(frame)
    panels = {annotation.text for annotation in fig.layout.annotations}
    assert panels == {"peacekeeping", "air campaign", "political mission"}
    assert {trace.name for trace in fig.data} == {"UN", "NATO"}
    assert sorted(trace.name for trace in fig.data if trace.showlegend is not False) == ["NATO", "UN"]


def test_poc_mandate_chart_stacks_four_categories_to_100(missions):
    counts = org.poc_mandate_counts(missions, ["UN", "NATO"])
    fig = charts.poc_mandate_chart(counts)
    assert [trace.name for trace in fig.data] == ["explicit", "partial", "none", "unknown (not verified)"]
    assert all(trace.orientation == "h" for trace in fig.data)
    assert list(fig.data[0].y) == ["UN", "NATO"]
    totals = [sum(trace.x[i] for trace in fig.data) for i in range(2)]
    assert totals == [pytest.approx(100, abs=0.2)] * 2
    assert list(fig.data[0].text) == ["2", ""]
    assert list(fig.data[0].customdata[0]) == [2, 3]
    assert tuple(fig.layout.xaxis.range) == (0, 100)


@pytest.mark.parametrize(
    ("builder", "columns"),
    [
        (charts.milestones_per_year_chart, org.PER_YEAR_COLUMNS),
        (charts.operations_per_year_chart, org.TOTALS_COLUMNS),
        (charts.operations_by_type_chart, org.OPERATIONS_COLUMNS),
        (charts.poc_mandate_chart, org.MANDATE_COLUMNS),
    ],
)
def test_builders_return_the_empty_figure_for_no_rows(builder, columns):
    fig = builder(pd.DataFrame(columns=columns))
    assert isinstance(fig, go.Figure)
    assert not fig.data
    assert fig.layout.annotations[0].text.startswith("Nothing matches")


def test_presentation_mode_enlarges_type_and_markers(milestones):
    frame = org.milestones_per_year(milestones, ["UN"])
    normal = charts.milestones_per_year_chart(frame, cumulative=True)
    large = charts.milestones_per_year_chart(frame, cumulative=True, presentation=True)
    assert large.layout.font.size == sizes(True)["font"] > normal.layout.font.size
    assert large.data[0].marker.size > normal.data[0].marker.size
