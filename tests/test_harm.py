"""Transforms and figures of the Civilian harm page."""

from __future__ import annotations

import pandas as pd
import pytest

from poc_data.charts import harm as charts
from poc_data.load import load, metadata
from poc_data.transform import harm as th
from tests.conftest import VALID, data_copy

HEADER = (
    "id,series,event,place,place_detail,period_start,period_end,measure,victims,qualifier,value_low,value_high,"
    "attributed_to,counted_by,source_id,source_detail,source_tier,notes"
)
UNAMA = "UNAMA annual civilian casualties"
SERIES_ROWS = [
    f"u10k,{UNAMA},War,AFG,,2010-01-01,2010-12-31,killed,civilians,exact,2777,2777,all parties,UNAMA,ipi-2022,,media,"
    '"AP. shares: insurgents 75%; coalition 16%; unattributed 9% (shares of deaths). The fact sheet adds."',
    f"u10k-ins,{UNAMA},War,AFG,,2010-01-01,2010-12-31,killed,civilians,exact,2080,2080,insurgents,UNAMA,ipi-2022,,"
    "media,",
    f"u10k-coal,{UNAMA},War,AFG,,2010-01-01,2010-12-31,killed,civilians,exact,440,440,coalition,UNAMA,ipi-2022,,media,",
    f"u10i,{UNAMA},War,AFG,,2010-01-01,2010-12-31,injured,civilians,exact,4343,4343,all parties,UNAMA,ipi-2022,,media,",
    f"u11k-first-report,{UNAMA},War,AFG,,2011-01-01,2011-12-31,killed,civilians,exact,3021,3021,all parties,UNAMA,"
    "ipi-2022,,media,",
    f"u11k-later-report,{UNAMA},War,AFG,,2011-01-01,2011-12-31,killed,civilians,exact,3133,3133,all parties,UNAMA,"
    "hrw-2000-allied-force,,NGO,",
    f"u13k,{UNAMA},War,AFG,,2013-01-01,2013-12-31,killed,civilians,exact,2959,2959,all parties,UNAMA,ipi-2022,,media,",
    f"u13k-age,{UNAMA},War,AFG,,2013-01-01,2013-12-31,killed,civilians,exact,2000,2000,anti-government elements,"
    "UNAMA,ipi-2022,,media,",
    f"u13k-tal,{UNAMA},War,AFG,,2013-01-01,2013-12-31,killed,civilians,exact,1500,1500,Taliban,UNAMA,ipi-2022,,media,"
    "Part of the anti-government elements total: do not stack with it.",
    f"u13i,{UNAMA},War,AFG,,2013-01-01,2013-12-31,injured,civilians,exact,100,100,all parties,UNAMA,ipi-2022,,media,",
    f"u13i-a,{UNAMA},War,AFG,,2013-01-01,2013-12-31,injured,civilians,exact,80,80,party A,UNAMA,ipi-2022,,media,",
    f"u13i-b,{UNAMA},War,AFG,,2013-01-01,2013-12-31,injured,civilians,exact,70,70,party B,UNAMA,ipi-2022,,media,",
    "h1,UNAMA partial-year civilian casualties,War,AFG,,2013-01-01,2013-06-30,killed,civilians,exact,1319,1319,"
    "all parties,UNAMA,ipi-2022,,media,",
]
DISAGREEING_ROWS = [
    "lib-hrw,,Libya strikes,LBY,8 sites,2011,2011,killed,civilians,at least,72,72,NATO air strikes,"
    "Human Rights Watch,hrw-2000-allied-force,,NGO,",
    "lib-ami,,Libya strikes,LBY,,2011,2011,killed,civilians,exact,55,55,NATO air strikes,Amnesty,ipi-2022,,academic,",
    "lib-nyt,,Libya strikes,LBY,,2011,2011,killed,civilians,range,40,70,NATO air strikes,NYT,"
    "un-press-1999-1265,,official,",
    "lib-inj,,Libya strikes,LBY,,2011,2011,injured,civilians,exact,55,55,NATO air strikes,UN,ipi-2022,,academic,",
    "rw-1,,Genocide,RWA,,1994-04-07,1994-07-15,killed,Tutsis,range,500000,1100000,Hutu Power,WP,ipi-2022,,academic,",
    "rw-2,,Genocide,RWA,,1994-04,1994-07,killed,Tutsis,about,500000,500000,Hutu Power,Economist,"
    "hrw-2000-allied-force,,NGO,",
    "same-source-a,,Kiwanja,COD,,2008-11-04,2008-11-05,killed,people,at least,150,150,CNDP,HRW,ipi-2022,,academic,",
    "same-source-b,,Kiwanja,COD,,2008-11-04,2008-11-05,killed,people,at least,6,6,CNDP,HRW,ipi-2022,,academic,",
]


@pytest.fixture
def harm_dir(tmp_path):
    """A copy of the valid fixture whose civilian_harm.csv holds the rows a test writes."""
    directory = data_copy(tmp_path)

    def write(rows: list[str]) -> pd.DataFrame:
        (directory / "civilian_harm.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        return load("civilian_harm", directory)

    return write


@pytest.fixture
def fixture_harm():
    return load("civilian_harm", VALID)


@pytest.fixture
def sources():
    return load("sources", VALID)


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "expected"),
    [
        ("exact", 2777, 2777, "2,777"),
        ("about", 500, 500, "about 500"),
        ("range", 400, 600, "400–600"),
        ("more than", 8000, 8000, "more than 8,000"),
        ("at least", 72, None, "at least 72"),
        ("up to", 200, pd.NA, "up to 200"),
    ],
)
def test_value_text_keeps_the_sources_hedging(qualifier, low, high, expected):
    assert th.value_text(qualifier, low, high) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("1999-03-24", "1999-06-10", "1999-03-24 to 1999-06-10"),
        ("1999", "1999", "1999"),
        ("2014-01-17", None, "2014-01-17"),
    ],
)
def test_period_text_is_as_written(start, end, expected):
    assert th.period_text(start, end) == expected


@pytest.mark.parametrize(
    ("codes", "detail", "expected"),
    [
        (["SRB", "MNE", "XKX"], "FRY", "Serbia, Montenegro, Kosovo (FRY)"),
        (["AFG"], None, "Afghanistan"),
        ([], "global", "global"),
        ([], None, "no country given"),
    ],
)
def test_place_text_names_countries_and_detail(codes, detail, expected):
    assert th.place_text(codes, detail) == expected


@pytest.mark.parametrize(
    ("filters", "expected_ids"),
    [
        ({}, ["hrw-allied-force-killed", "ipi-allied-force-casualties"]),
        ({"measures": ["killed"]}, ["hrw-allied-force-killed"]),
        ({"tiers": ["academic"]}, ["ipi-allied-force-casualties"]),
        ({"counted_by": ["Human Rights Watch"]}, ["hrw-allied-force-killed"]),
        ({"places": ["XKX"]}, ["hrw-allied-force-killed", "ipi-allied-force-casualties"]),
        ({"places": ["AFG"]}, []),
        ({"measures": []}, []),
    ],
)
def test_filter_harm(fixture_harm, filters, expected_ids):
    arguments = {"places": [], "measures": list(th.MEASURE_AXIS), "tiers": list(charts.TIER_COLOURS), "counted_by": []}
    shown = th.filter_harm(fixture_harm, **(arguments | filters))
    assert shown["id"].tolist() == expected_ids


def test_filter_harm_does_not_change_its_input(fixture_harm):
    before = fixture_harm.copy()
    th.filter_harm(fixture_harm, places=["AFG"], measures=["killed"], tiers=["NGO"], counted_by=["x"])
    pd.testing.assert_frame_equal(fixture_harm, before)


def test_country_and_counting_body_options(fixture_harm):
    assert th.country_options(fixture_harm["place"]) == {"Kosovo": "XKX", "Montenegro": "MNE", "Serbia": "SRB"}
    assert th.counted_by_options(fixture_harm) == ["Human Rights Watch", "Koops and Patz"]


def test_harm_table_says_who_counted_what_where_and_when(fixture_harm, sources):
    table = th.harm_table(fixture_harm, sources)
    assert list(table.columns) == th.HARM_TABLE_COLUMNS
    first = table.iloc[0]
    assert first["Place"] == "Serbia, Montenegro, Kosovo (FRY)"
    assert first["Period"] == "1999-03-24 to 1999-06-10"
    assert first["Figure"] == "about 500"
    assert first["Source"] == "Civilian Deaths in the NATO Air Campaign"
    assert first["Tier"] == "NGO"
    assert table.iloc[1]["Figure"] == "more than 500"


def test_a_countrys_figures_are_those_whose_place_includes_it_oldest_first(fixture_harm, sources):
    figures = th.harm_in_country(fixture_harm, "XKX")
    assert figures["id"].tolist() == ["ipi-allied-force-casualties", "hrw-allied-force-killed"]
    table = th.harm_table(figures, sources)
    assert table["Figure"].tolist() == ["more than 500", "about 500"]
    assert table["Period"].tolist() == ["1999", "1999-03-24 to 1999-06-10"]
    assert th.harm_in_country(fixture_harm, "SLE").empty


@pytest.mark.parametrize(
    ("qualifier", "low", "high", "expected"),
    [
        ("exact", 2777, 2777, "2,777"),
        ("about", 500, 500, "about 500"),
        ("range", 100, 200, "100–200"),
        ("about", 100, 200, "about 100–200"),
        ("at least", 5, None, "at least 5"),
    ],
)
def test_harm_figures_keep_their_qualifier(fixture_harm, qualifier, low, high, expected):
    figure = (
        fixture_harm.iloc[:1]
        .assign(qualifier=qualifier, value_low=low, value_high=high)
        .astype({"value_low": "Int64", "value_high": "Int64"})
    )
    assert th.harm_table(figure, pd.DataFrame())["Figure"].tolist() == [expected]


@pytest.mark.parametrize(
    ("event", "series", "expected"),
    [
        ("Armed conflict", "UNAMA annual", "Armed conflict — UNAMA annual"),
        ("Armed conflict", None, "Armed conflict"),
        (None, "UNAMA annual", "UNAMA annual"),
        (None, None, "unnamed event"),
    ],
)
def test_harm_table_names_the_event_and_its_series_once(fixture_harm, event, series, expected):
    figure = fixture_harm.iloc[:1].assign(event=event, series=series)
    assert th.harm_table(figure, pd.DataFrame())["Event or series"].tolist() == [expected]


def test_an_empty_harm_table_keeps_its_columns(fixture_harm):
    assert list(th.harm_table(fixture_harm.iloc[0:0], pd.DataFrame()).columns) == th.HARM_TABLE_COLUMNS


def test_harm_table_shows_source_ids_when_the_bibliography_is_missing(fixture_harm):
    table = th.harm_table(fixture_harm, pd.DataFrame())
    assert table["Source"].tolist() == ["hrw-2000-allied-force", "ipi-2022"]


def test_disagreements_group_the_same_thing_from_several_sources(harm_dir, sources):
    harm = harm_dir(DISAGREEING_ROWS)
    compared = th.disagreements(harm, sources)
    groups = th.disagreement_groups(compared)
    assert groups == [
        "Libya strikes · Libya · killed · 2011-01 to 2011-12 · attributed to NATO air strikes",
        "Genocide · Rwanda · killed · 1994-04 to 1994-07 · attributed to Hutu Power",
    ]
    libya = th.group_rows(compared, groups[0])
    assert libya["id"].tolist() == ["lib-hrw", "lib-ami", "lib-nyt"]
    assert libya["figure"].tolist() == ["at least 72", "55", "40–70"]
    assert charts.source_labels(libya).iloc[0] == "Human Rights Watch<br>Civilian Deaths in the NATO Air Campaign"
    assert th.group_axis_title(libya) == "people killed"
    assert list(th.group_table(libya).columns) == th.GROUP_TABLE_COLUMNS


def test_disagreements_need_two_sources(fixture_harm, sources):
    assert th.disagreements(fixture_harm, sources).empty
    assert th.disagreement_groups(th.disagreements(fixture_harm.iloc[:0], sources)) == []


def test_disagreement_labels_escape_markup(harm_dir):
    rows = [
        "a,,E,LBY,,2011,2011,killed,civilians,exact,1,1,X,<b>Body</b>,s-one,,NGO,",
        "b,,E,LBY,,2011,2011,killed,civilians,exact,2,2,X,Other,s-two,,NGO,",
    ]
    compared = th.disagreements(harm_dir(rows), pd.DataFrame(columns=["id", "title"]))
    assert charts.source_labels(compared).iloc[0] == "&lt;b&gt;Body&lt;/b&gt;<br>s-one"


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        (
            "AP. shares: insurgents 75%; coalition 16%; unattributed 9% (shares of deaths). The fact sheet adds.",
            "insurgents 75%; coalition 16%; unattributed 9% (shares of deaths)",
        ),
        (
            "shares: AGE 63% (Taliban 37%); PGF 24% (ANSF 14%, IMF 6%).",
            "AGE 63% (Taliban 37%); PGF 24% (ANSF 14%, IMF 6%)",
        ),
        (
            'shares: AGE 74% (JURIST: "x"; https://www.jurist.org/a/ ). Later.',
            'AGE 74% (JURIST: "x"; https://www.jurist.org/a/ )',
        ),
        ("no shares here", None),
        (None, None),
    ],
)
def test_shares_text_is_verbatim(notes, expected):
    assert th.shares_text(notes) == expected


def test_attribution_shares_table(harm_dir, sources):
    shares = th.attribution_shares(th.series_rows(harm_dir(SERIES_ROWS)), sources)
    assert list(shares.columns) == th.SHARES_COLUMNS
    assert shares.iloc[0].tolist() == [
        2010,
        "killed",
        "insurgents 75%; coalition 16%; unattributed 9% (shares of deaths)",
        sources.set_index("id").loc["ipi-2022", "title"],
        "media",
    ]


def segments_of(annual, year, measure):
    rows = annual[(annual["year"] == year) & (annual["measure"] == measure) & (annual["kind"] == "segment")]
    return dict(zip(rows["label"], rows["value"], strict=True))


def test_annual_series_stacks_parties_with_the_rest_of_the_total(harm_dir, sources):
    annual = th.annual_series(harm_dir(SERIES_ROWS), sources)
    assert segments_of(annual, 2010, "killed") == {"insurgents": 2080, "coalition": 440, th.REMAINDER: 257}
    assert segments_of(annual, 2010, "injured") == {th.WHOLE_TOTAL: 4343}


def test_annual_series_prefers_the_revision_and_marks_the_other_report(harm_dir, sources):
    annual = th.annual_series(harm_dir(SERIES_ROWS), sources)
    assert segments_of(annual, 2011, "killed") == {th.WHOLE_TOTAL: 3133}
    other = annual[annual["kind"] == "other report"]
    assert other[["year", "measure", "value"]].values.tolist() == [[2011, "killed", 3021]]


def test_annual_series_leaves_out_parts_of_another_party_and_never_double_counts(harm_dir, sources):
    annual = th.annual_series(harm_dir(SERIES_ROWS), sources)
    assert segments_of(annual, 2013, "killed") == {"anti-government elements": 2000, th.REMAINDER: 959}
    assert segments_of(annual, 2013, "injured") == {th.WHOLE_TOTAL: 100}


def test_annual_series_shows_gaps_as_unknown_and_ignores_other_series(harm_dir, sources):
    annual = th.annual_series(harm_dir(SERIES_ROWS), sources)
    assert th.gap_years(annual) == {"killed": [2012], "injured": [2011, 2012]}
    assert th.gaps_text(annual) == "No figure in these data (unknown, not zero) for killed: 2012; injured: 2011, 2012."
    assert 1319 not in annual["value"].tolist()
    assert annual.loc[annual["year"] == 2010, "shares"].iloc[0].startswith("insurgents")


def test_annual_series_is_empty_without_the_series(fixture_harm, sources):
    assert th.annual_series(fixture_harm, sources).empty


def test_field_definitions_come_from_the_metadata_escaped():
    text = th.field_definitions(metadata("civilian_harm", VALID))
    assert text.splitlines()[0] == "- **measure**: Measure\\."
    assert "**counted\\_by**" in text


def test_disagreement_chart_draws_ranges_qualifiers_and_tiers(harm_dir, sources):
    compared = th.disagreements(harm_dir(DISAGREEING_ROWS), sources)
    libya = th.group_rows(compared, th.disagreement_groups(compared)[0])
    fig = charts.disagreement_chart(libya, title="Each source", value_title="people killed")
    assert fig.layout.title.text == "Each source"
    assert fig.layout.xaxis.title.text == "people killed"
    markers = {trace.name: trace for trace in fig.data if trace.mode == "markers" and trace.legend != "legend2"}
    assert set(markers) == {"official source", "NGO source", "academic source"}
    assert markers["NGO source"].marker.symbol == ("triangle-right",)
    assert markers["official source"].marker.color == charts.TIER_COLOURS["official"]
    assert list(markers["official source"].x) == [40, 70]
    ranges = [trace for trace in fig.data if trace.mode == "lines"]
    assert [list(trace.x) for trace in ranges] == [[40, 70, None]]
    assert {trace.name for trace in fig.data if trace.legend == "legend2"} == {
        "at least",
        "exact (stated plainly)",
        "range (low and high)",
    }


@pytest.mark.parametrize("builder", [charts.disagreement_chart, charts.annual_chart])
def test_charts_of_nothing_say_so(builder):
    fig = builder(pd.DataFrame(), title="Empty")
    assert fig.layout.title.text == "Empty"
    assert fig.layout.annotations[0].text == "Nothing matches the current filters."


def test_annual_chart_stacks_bars_and_marks_reports_and_gaps(harm_dir, sources):
    annual = th.annual_series(harm_dir(SERIES_ROWS), sources)
    fig = charts.annual_chart(annual, title="UNAMA")
    assert fig.layout.barmode == "stack"
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert {trace.name.replace("<br>", " ") for trace in bars} >= {"insurgents", "coalition", "total (all parties)"}
    insurgents = next(trace for trace in bars if trace.name == "insurgents")
    assert list(insurgents.x) == [2010] and list(insurgents.y) == [2080]
    assert insurgents.marker.pattern.shape == "/"
    gaps = [trace for trace in fig.data if trace.name == "no figure: unknown"]
    assert [list(trace.x) for trace in gaps] == [[2012], [2011, 2012]]
    assert [a.text for a in fig.layout.annotations].count("unknown") == 3
    reports = [trace for trace in fig.data if trace.name == "another report of the total"]
    assert list(reports[0].y) == [3021]


def test_presentation_mode_enlarges_markers(harm_dir, sources):
    compared = th.disagreements(harm_dir(DISAGREEING_ROWS), sources)
    rows = th.group_rows(compared, th.disagreement_groups(compared)[0])
    normal = charts.disagreement_chart(rows, title="t")
    big = charts.disagreement_chart(rows, title="t", presentation=True)
    assert big.data[1].marker.size > normal.data[1].marker.size
    assert big.layout.font.size > normal.layout.font.size


@pytest.mark.parametrize(("rows", "cap", "note"), [(3, 30, None), (45, 30, "the first 30 of 45 figures")])
def test_capped_says_what_the_chart_leaves_out(rows, cap, note):
    drawn, summary = th.capped(pd.DataFrame({"n": range(rows)}), cap)
    assert len(drawn) == min(rows, cap)
    assert summary is None if note is None else note in summary


def test_presented_annual_chart_names_each_panel_on_its_axis_in_ink(harm_dir, sources):
    annual = th.annual_series(harm_dir(SERIES_ROWS), sources)
    fig = charts.annual_chart(annual, title="t", presentation=True)
    titles = [axis.title.text for axis in (fig.layout.yaxis, fig.layout.yaxis2)]
    assert titles == ["Civilians killed", "Civilians injured"]
    assert {axis.title.font.color for axis in (fig.layout.yaxis, fig.layout.yaxis2)} == {"#000000"}
    assert not [note for note in fig.layout.annotations if note.text in ("Civilians killed", "Civilians injured")]


def hovers_of(fig, name: str) -> list[str]:
    return [text for trace in fig.data if trace.name == name for text in trace.hovertext]


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("insurgents", "<b>2010, civilians killed</b><br>insurgents: 2,080 of 2,777<br>Source: "),
        (
            "rest of the total<br>(not split by party)",
            "<b>2010, civilians killed</b><br>Rest of the total: 257 of 2,777 (the total minus the parties above)"
            "<br>Total from: ",
        ),
        (
            "total<br>(all parties)",
            "<b>2011, civilians killed</b><br>Total, all parties: 3,133<br>Counted by UNAMA<br>",
        ),
        (
            "another report of the total",
            "<b>2011, civilians killed</b><br>Another report of the total: 3,021 (the bar shows 3,133)<br>Source: ",
        ),
        ("no figure: unknown", "<b>2012, civilians killed</b><br>No figure in these data: unknown, not zero"),
    ],
)
def test_annual_hover_says_what_each_mark_stands_for(harm_dir, sources, name, start):
    fig = charts.annual_chart(th.annual_series(harm_dir(SERIES_ROWS), sources), title="t")
    assert hovers_of(fig, name)[0].startswith(start)


def test_annual_hover_adds_the_shares_the_notes_state_for_the_year(harm_dir, sources):
    fig = charts.annual_chart(th.annual_series(harm_dir(SERIES_ROWS), sources), title="t")
    shares = "<br>Shares stated for 2010: insurgents 75%; coalition 16%; unattributed 9% (shares of deaths)"
    assert hovers_of(fig, "insurgents")[0].endswith(shares)
    assert not hovers_of(fig, "anti-government elements")[0].endswith(shares)


def test_annual_chart_lists_each_label_once_in_the_legend_in_stacking_order(harm_dir, sources):
    fig = charts.annual_chart(th.annual_series(harm_dir(SERIES_ROWS), sources), title="t")
    in_legend = [trace.legendgroup for trace in fig.data if trace.showlegend]
    assert in_legend == [
        th.WHOLE_TOTAL,
        "insurgents",
        "coalition",
        "anti-government elements",
        th.REMAINDER,
        "other report",
        "gap",
    ]
    assert [trace.xaxis for trace in fig.data].count("x2") == 2
    assert list(fig.layout.xaxis.range) == [2009.4, 2013.6]


def test_annual_chart_keeps_the_legend_on_the_right_off_a_projector(harm_dir, sources):
    fig = charts.annual_chart(th.annual_series(harm_dir(SERIES_ROWS), sources), title="t")
    assert (fig.layout.legend.orientation, fig.layout.legend.x) == ("v", 1.01)
    assert [note.text for note in fig.layout.annotations][:2] == ["Civilians killed", "Civilians injured"]


def test_disagreement_chart_draws_ranges_and_a_key_of_qualifiers(harm_dir, sources):
    compared = th.disagreements(harm_dir(DISAGREEING_ROWS), sources)
    rows = th.group_rows(compared, th.disagreement_groups(compared)[0])
    fig = charts.disagreement_chart(rows, title="t")
    lines = [trace for trace in fig.data if trace.mode == "lines"]
    assert [list(trace.x) for trace in lines] == [[40, 70, None]]
    key = [trace.name for trace in fig.data if trace.legend == "legend2"]
    assert key == [charts.QUALIFIER_LABELS[q] for q in ("exact", "at least", "range")]
    assert list(fig.layout.yaxis.categoryarray) == charts.source_labels(rows).tolist()
