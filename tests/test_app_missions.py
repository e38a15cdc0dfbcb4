"""The Missions and mandates page through AppTest."""

from __future__ import annotations

import json

import plotly.io
import pytest

from poc_data.text import md
from tests.apptest import open_page, texts
from tests.conftest import VALID, data_copy

PAGE = "pages/4_Missions_and_mandates.py"
FILTER_KEYS = ("mm_org", "mm_type", "mm_host", "mm_poc", "mm_years", "mm_order", "mm_kind")


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


def charts(at):
    return [json.loads(element.proto.spec) for element in at.get("plotly_chart")]


def gantts(at):
    return [figure for figure in charts(at) if figure["layout"]["title"]["text"].startswith("Operations ")]


def gantt_operations(at):
    """The operations the Gantt draws, from its organizations' bars."""
    (figure,) = gantts(at)
    return [y for trace in figure["data"] if trace["type"] == "bar" and trace.get("y") != [None] for y in trace["y"]]


def table(at, first_column):
    return next(frame.value for frame in at.dataframe if frame.value.columns[0] == first_column)


def widget_keys(at):
    return {widget.key for kind in ("multiselect", "selectbox", "slider", "toggle") for widget in getattr(at, kind)}


def downloads(at):
    return [button.proto.label for button in at.get("download_button")]


def test_page_shows_gantt_table_resolutions_and_footer():
    at = open_page(PAGE)
    assert not at.exception
    assert {*FILTER_KEYS, "mm_mission", "mm_print"} <= widget_keys(at)
    assert sorted(gantt_operations(at)) == ["Allied Force", "KFOR", "UNAMSIL", "UNMIK", "UNPROFOR"]
    assert len(table(at, "Acronym")) == 5
    assert table(at, "Resolution")["Resolution"].tolist() == [
        "S/RES/1244 (1999)",
        "S/RES/1265 (1999)",
        "S/RES/1270 (1999)",
    ]
    assert downloads(at) == [
        "Download the 5 operations that match (CSV)",
        "Download the deployment locations of these operations (CSV)",
        "Download the 3 resolutions that match (CSV)",
    ]
    assert "Choose an operation" in texts(at)
    assert any("Sources of what is shown" in expander.label for expander in at.expander)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("mm_org", ["NATO"], ["Allied Force", "KFOR"]),
        ("mm_poc", ["explicit"], ["UNAMSIL"]),
        ("mm_host", ["Sierra Leone"], ["UNAMSIL"]),
        ("mm_years", (1992, 1995), ["UNPROFOR"]),
    ],
)
def test_a_filter_changes_the_gantt_and_the_table(key, value, expected):
    at = open_page(PAGE)
    widget = at.slider(key=key) if key == "mm_years" else at.multiselect(key=key)
    widget.set_value(value).run()
    assert sorted(gantt_operations(at)) == expected
    assert sorted(table(at, "Acronym")["Acronym"]) == expected


def test_resolution_kind_filter():
    at = open_page(PAGE)
    at.multiselect(key="mm_kind").set_value(["thematic"]).run()
    assert table(at, "Resolution")["Resolution"].tolist() == ["S/RES/1265 (1999)"]
    assert md("1 resolution(s): 1 thematic.") in texts(at)


def test_query_params_restore_the_view_and_the_brief():
    at = open_page(PAGE, query={"mm_org": ["UN"], "mm_years": ["1999", "2026"], "mm_mission": "UNAMSIL"})
    assert at.multiselect(key="mm_org").value == ["UN"]
    assert at.slider(key="mm_years").value == (1999, 2026)
    assert at.selectbox(key="mm_mission").value == "UNAMSIL"
    assert sorted(gantt_operations(at)) == ["UNAMSIL", "UNMIK"]
    brief = texts(at)
    assert "### United Nations Mission in Sierra Leone (UNAMSIL)" in brief
    assert "**S/RES/1270 \\(1999\\)**" in brief
    assert "Download this brief (Markdown)" in downloads(at)


def test_print_brief_hides_the_chart_and_tables_and_keeps_the_filters():
    at = open_page(PAGE, query={"mm_mission": "KFOR", "mm_print": "true", "mm_org": ["NATO"]})
    assert not at.exception
    assert at.toggle(key="mm_print").value is True
    assert charts(at) == []
    assert [frame.value.columns[0] for frame in at.dataframe] == []
    assert downloads(at) == ["Download this brief (Markdown)"]
    assert "### Kosovo Force (KFOR)" in texts(at)
    assert at.multiselect(key="mm_org").value == ["NATO"]
    at.toggle(key="mm_print").set_value(False).run()
    assert gantt_operations(at) == ["Allied Force", "KFOR"]


@pytest.mark.parametrize(
    ("key", "value"), [("mm_org", ["WHO"]), ("mm_mission", "NOPE"), ("mm_years", ["1066", "2000"])]
)
def test_invalid_query_param_gives_a_notice_and_the_default(key, value):
    at = open_page(PAGE, query={key: value})
    assert not at.exception
    assert any("is not available here" in warning.value for warning in at.warning)
    assert len(table(at, "Acronym")) == 5


def test_no_match_shows_the_empty_state():
    at = open_page(PAGE, query={"mm_org": ["EU"]})
    assert "Nothing matches: no operations" in texts(at)
    assert gantts(at) == []


@pytest.mark.parametrize(
    ("bad_case", "error", "still_shown"),
    [
        ("csv_unclosed_quote", "missions dataset could not be loaded", "Resolution"),
        ("short_row", "mandates dataset could not be loaded", "Acronym"),
    ],
)
def test_broken_data_shows_the_error_and_the_rest(monkeypatch, tmp_path, bad_case, error, still_shown):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, bad_case)))
    at = open_page(PAGE, query={"mm_mission": "KFOR"})
    assert not at.exception
    assert any(error in element.value for element in at.error)
    assert len(table(at, still_shown)) > 0


def test_brief_without_harm_data_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, "empty_file")))
    at = open_page(PAGE, query={"mm_mission": "KFOR"})
    assert not at.exception
    assert md("The civilian_harm dataset could not be loaded.") in texts(at)


def test_personnel_over_time_for_the_largest_operations_and_a_chosen_one():
    at = open_page(PAGE)
    assert not at.exception
    chosen = next(element for element in at.multiselect if element.key == "mm_dep_ops")
    assert chosen.value == ["UNAMSIL", "UNPROFOR", "UNMIK"]
    charts = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    personnel = next(fig for fig in charts if fig.layout.title.text.startswith("Troops deployed"))
    assert [trace.name for trace in personnel.data] == ["UNAMSIL", "UNMIK", "UNPROFOR"]
    chosen.set_value(["UNPROFOR"]).run()
    charts = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    personnel = next(fig for fig in charts if fig.layout.title.text.startswith("Troops deployed"))
    assert [trace.name for trace in personnel.data] == ["UNPROFOR"]
    assert "Download the deployment locations of these operations (CSV)" in [
        button.proto.label for button in at.get("download_button")
    ]


def test_eu_civilian_missions_are_a_type_in_the_filter_the_gantt_and_the_table(monkeypatch, tmp_path):
    data_dir = data_copy(tmp_path)
    with (data_dir / "missions.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "EUPM,European Union Police Mission,,EU,,civilian mission,BIH,2003-01,2012-06-30,ended,,unknown,,"
            "Sarajevo,,,ipi-2022,,\n"
        )
    monkeypatch.setenv("POC_DATA_DIR", str(data_dir))
    at = open_page(PAGE, query={"mm_type": "civilian mission"})
    assert not at.exception
    assert "civilian mission" in at.multiselect(key="mm_type").options
    assert at.multiselect(key="mm_type").value == ["civilian mission"]
    assert gantt_operations(at) == ["EUPM"]
    assert table(at, "Acronym")["Acronym"].tolist() == ["EUPM"]


def interface_text(at):
    """The interface's words of a run: headings, captions, widgets' labels, placeholders and help, buttons."""
    widgets = [widget for kind in ("multiselect", "selectbox", "slider", "toggle") for widget in getattr(at, kind)]
    return {
        "subheaders": [element.value for element in at.subheader],
        "captions": [element.value for element in at.caption],
        "labels": [widget.label for widget in widgets],
        "helps": [widget.help for widget in widgets if widget.help],
        "placeholders": [widget.proto.placeholder for widget in widgets if getattr(widget.proto, "placeholder", "")],
        "downloads": downloads(at),
    }


# Words that are the same in both languages (and the language switch, labelled in both).
SAME_IN_FRENCH = {"Types", "Type", "Date", "Source", "Notes", "Sources", "Language / Langue"}


def test_the_page_in_french_leaves_no_english_interface_text():
    english, french = open_page(PAGE), open_page(PAGE, query={"lang": "fr"})
    assert not french.exception
    english_text, french_text = interface_text(english), interface_text(french)
    for part, shown in english_text.items():
        assert len(french_text[part]) == len(shown), part
        for in_english, in_french in zip(shown, french_text[part], strict=True):
            assert in_english in SAME_IN_FRENCH or in_french != in_english, (part, in_english)
    assert french_text["subheaders"][:2] == ["Opérations", "Effectifs au fil du temps"]
    assert "Télécharger les 5 opérations retenues (CSV)" in french_text["downloads"]
    for english_words in ("Mission brief", "Choose an operation", "Security Council resolutions", "Bars run from"):
        assert english_words not in texts(french)


def test_the_gantt_and_the_tables_in_french_with_the_official_french_name():
    at = open_page(PAGE, query={"lang": "fr"})
    (figure,) = [spec for spec in charts(at) if spec["layout"]["title"]["text"].startswith("Opérations actives")]
    assert figure["layout"]["legend"]["title"]["text"] == "Organisation"
    assert figure["layout"]["legend2"]["title"]["text"] == "Mandat de PdC"
    assert "Mandat de PdC : %{customdata[7]}" in figure["data"][0]["hovertemplate"]
    operations = table(at, "Sigle").set_index("Sigle")
    # UNPROFOR has a French name in the data; UNMIK has none, so its name stays as the sources give it.
    assert operations.loc["UNPROFOR", "Nom"] == "Force de protection des Nations Unies"
    assert operations.loc["UNMIK", "Nom"] == "United Nations Interim Administration Mission in Kosovo"
    assert operations.loc["UNPROFOR", "Mandat de PdC"] == "partiel"
    assert list(table(at, "Résolution").columns)[:3] == ["Résolution", "Date", "Catégorie"]


def test_the_brief_in_french_is_headed_by_the_french_name():
    at = open_page(PAGE, query={"lang": "fr", "mm_mission": "UNPROFOR"})
    assert not at.exception
    shown = texts(at)
    assert "### Force de protection des Nations Unies (UNPROFOR)" in shown
    assert "- **Mandat de PdC:** partiel" in shown
    assert "Mandate resolutions that list it" not in shown
