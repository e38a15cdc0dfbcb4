"""The Timeline page through AppTest: filters, links that restore the view, year stepping, overlays, broken data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from poc_data.schema import THEMES
from poc_data.text import md
from tests.apptest import english_left, open_page, texts
from tests.conftest import VALID, data_copy

PAGE = "pages/1_Timeline.py"
UNPROFOR = "Secretary\\-general's attempt"
ALLIED_FORCE = "Operation Allied Force causes"
KOSOVO = "UNMIK and KFOR share responsibilities"
FILTER_KEYS = ("tl_org", "tl_themes", "tl_missions")


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


def entries(at) -> list[str]:
    """The milestone entries listed below the chart (badge and text), in order."""
    return [element.value for element in at.markdown if "-badge[" in element.value and "\\-badge" not in element.value]


def shows(at, *fragments: str) -> list[bool]:
    listed = "\n".join(entries(at))
    return [fragment in listed for fragment in fragments]


def figure(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def trace_names(at) -> list[str]:
    return [trace.get("name") for trace in figure(at)["data"] if trace.get("name")]


def many_milestones(tmp_path: Path, count: int) -> Path:
    """A data directory whose milestones are `count` UN bullets of 1999."""
    target = data_copy(tmp_path)
    path = target / "milestones.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["records"] = [
        {
            "id": f"1999-un-{n}",
            "year": 1999,
            "organization": "UN",
            "text": f"Generated milestone number {n:03d}",
            "themes": ["operations"],
            "missions": [],
            "source_id": "ipi-2022",
            "source_detail": f"test {n}",
        }
        for n in range(1, count + 1)
    ]
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return target


def test_page_shows_filters_chart_entries_download_and_sources():
    at = open_page(PAGE)
    assert not at.exception, at.exception
    for key in FILTER_KEYS:
        assert at.multiselect(key=key) is not None
    assert at.slider(key="tl_years").value == (1994, 1999)
    assert at.text_input(key="tl_q").value == ""
    for key in ("tl_ops", "tl_res", "tl_step"):
        assert at.toggle(key=key).value is False
    assert at.multiselect(key="tl_themes").options == list(THEMES)
    assert at.multiselect(key="tl_missions").options == ["Allied Force", "KFOR", "UNMIK", "UNPROFOR"]
    assert shows(at, UNPROFOR, ALLIED_FORCE, KOSOVO) == [True, True, True]
    assert trace_names(at) == ["UN", "NATO", "Interorganizational"]
    assert at.get("download_button")[0].proto.label == "Download the milestones shown (CSV, 3 rows)"
    page_text = texts(at)
    assert "How to read this" in page_text and "editorial tags" in page_text
    assert "Koops and Patz \\(2022\\), Annex 2, p\\. 26, 1994, UN column; fn 145" in page_text
    assert "Sources of what is shown (1)" in [expander.label for expander in at.expander]


@pytest.mark.parametrize(
    ("widget", "key", "value", "expected"),
    [
        ("multiselect", "tl_org", ["NATO"], [False, True, False]),
        ("multiselect", "tl_themes", ["interorganizational cooperation"], [False, False, True]),
        ("multiselect", "tl_missions", ["UNPROFOR"], [True, False, False]),
        ("slider", "tl_years", (1995, 1999), [False, True, True]),
        ("text_input", "tl_q", "legitimate", [False, True, False]),
    ],
)
def test_a_filter_changes_the_entries_and_the_chart(widget, key, value, expected):
    at = open_page(PAGE)
    getattr(at, widget)(key=key).set_value(value).run()
    assert not at.exception
    assert shows(at, UNPROFOR, ALLIED_FORCE, KOSOVO) == expected
    rows = "1 row" if sum(expected) == 1 else f"{sum(expected)} rows"
    assert at.get("download_button")[0].proto.label == f"Download the milestones shown (CSV, {rows})"
    assert len(figure(at)["data"]) == sum(expected)


def test_a_link_restores_the_view():
    query = {"tl_org": ["NATO", "Interorganizational"], "tl_years": ["1995", "1999"], "tl_q": "kosovo"}
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert at.multiselect(key="tl_org").value == ["NATO", "Interorganizational"]
    assert at.slider(key="tl_years").value == (1995, 1999)
    assert at.text_input(key="tl_q").value == "kosovo"
    assert shows(at, UNPROFOR, ALLIED_FORCE, KOSOVO) == [False, False, True]


@pytest.mark.parametrize(
    ("query", "key", "default"),
    [
        ({"tl_org": "WHO"}, "tl_org", ["UN", "EU", "NATO", "Interorganizational"]),
        ({"tl_themes": "astrology"}, "tl_themes", []),
        ({"tl_missions": "NOSUCH"}, "tl_missions", []),
    ],
)
def test_an_invalid_link_value_gives_a_notice_and_the_default(query, key, default):
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert at.multiselect(key=key).value == default
    assert any("is not available here" in warning.value for warning in at.warning)
    assert shows(at, UNPROFOR, ALLIED_FORCE, KOSOVO) == [True, True, True]


def test_an_invalid_year_range_gives_a_notice():
    at = open_page(PAGE, query={"tl_years": ["1800", "1999"]})
    assert not at.exception
    assert any("is not available here" in warning.value for warning in at.warning)
    assert at.slider(key="tl_years").value == (1994, 1999)


def test_nothing_matches_shows_the_empty_state_not_a_chart():
    at = open_page(PAGE, query={"tl_q": "no such words anywhere"})
    assert not at.exception
    assert any("Nothing matches" in info.value for info in at.info)
    assert not at.get("plotly_chart")
    assert entries(at) == []


def test_presenting_one_year_at_a_time_steps_through_the_years():
    at = open_page(PAGE, query={"tl_step": "true"})
    assert not at.exception
    year = at.selectbox(key="tl_year")
    assert year.options == ["1994", "1999"]
    assert year.value == 1994
    assert at.button(key="tl_prev").disabled and not at.button(key="tl_next").disabled
    assert [header.value for header in at.header] == ["1994"]
    assert [subheader.value for subheader in at.subheader] == [
        "Secretary\\-general's attempt to add explicit protection language to UNPROFOR mandate is rejected by "
        "Security Council"
    ]
    assert figure(at)["layout"]["title"]["text"] == "POC milestones of the UN, EU and NATO in 1994"

    at.button(key="tl_next").click().run()
    assert not at.exception
    assert at.selectbox(key="tl_year").value == 1999
    assert at.button(key="tl_next").disabled and not at.button(key="tl_prev").disabled
    assert [header.value for header in at.header] == ["1999"]
    assert len(at.subheader) == 2
    assert at.query_params["tl_year"] == "1999"

    at.button(key="tl_prev").click().run()
    assert at.selectbox(key="tl_year").value == 1994


def test_a_link_restores_the_presented_year_and_a_bad_year_falls_back():
    at = open_page(PAGE, query={"tl_step": "true", "tl_year": "1999"})
    assert at.selectbox(key="tl_year").value == 1999
    assert [header.value for header in at.header] == ["1999"]
    at = open_page(PAGE, query={"tl_step": "true", "tl_year": "1997"})
    assert at.selectbox(key="tl_year").value == 1994
    assert any("is not available here" in warning.value for warning in at.warning)


def test_overlays_draw_operations_and_resolutions_and_cite_them():
    at = open_page(PAGE, query={"tl_ops": "true", "tl_res": "true"})
    assert not at.exception
    names = trace_names(at)
    assert {"UN operations", "NATO operations", "Mission mandate", "Thematic POC resolution"} <= set(names)
    ticks = figure(at)["layout"]["yaxis"]["ticktext"]
    assert ticks[0] == "POC resolutions" and ticks[-2:] == ["UN operations", "NATO operations"]
    captions = " ".join(caption.value for caption in at.caption)
    assert "ongoing runs to the end of the axis" in captions
    assert "labelled with their number" in captions
    assert "Sources of what is shown (3)" in [expander.label for expander in at.expander]


def test_the_missions_filter_narrows_the_overlays():
    at = open_page(PAGE, query={"tl_ops": "true", "tl_res": "true", "tl_missions": "UNPROFOR"})
    bars = [trace for trace in figure(at)["data"] if trace["type"] == "bar"]
    assert [trace["text"] for trace in bars] == [["\u2003UNPROFOR"]]
    assert "Mission mandate" not in trace_names(at)


def test_a_long_list_is_paginated_and_a_crowded_lane_summarised(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(many_milestones(tmp_path, 45)))
    at = open_page(PAGE)
    assert not at.exception
    assert len(entries(at)) == 30
    assert "Milestones 1–30 of 45, 30 a page; downloads hold them all." in texts(at)
    assert any(caption.value.startswith("Summarised: more than 12 milestones") for caption in at.caption)
    assert [trace["type"] for trace in figure(at)["data"]] == ["bar"]
    at = open_page(PAGE, query={"tl_page": "2"})
    assert len(entries(at)) == 15
    assert "Generated milestone number 045" in entries(at)[-1]
    assert at.get("download_button")[0].proto.label == "Download the milestones shown (CSV, 45 rows)"


@pytest.mark.parametrize(
    ("bad_case", "query", "broken", "entries_shown"),
    [
        ("yaml_syntax", {}, "milestones", 0),
        ("csv_unclosed_quote", {"tl_ops": "true"}, "missions", 3),
        ("not_utf8", {"tl_res": "true"}, "mandates", 3),
    ],
)
def test_broken_data_shows_the_error_and_the_rest_of_the_page(
    monkeypatch, tmp_path, bad_case, query, broken, entries_shown
):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, bad_case)))
    at = open_page(PAGE, query=query)
    assert not at.exception, at.exception
    assert any(f"The {broken} dataset could not be loaded" in error.value for error in at.error)
    assert [title.value for title in at.title] == ["Timeline"]
    assert len(entries(at)) == entries_shown
    assert at.expander, "the sources footer is still drawn"


@pytest.mark.parametrize(("count", "expected_entries"), [(0, 0), (1, 1)])
def test_an_empty_or_one_year_dataset_still_works(monkeypatch, tmp_path, count, expected_entries):
    monkeypatch.setenv("POC_DATA_DIR", str(many_milestones(tmp_path, count)))
    at = open_page(PAGE)
    assert not at.exception, at.exception
    assert len(entries(at)) == expected_entries
    # A single year leaves no range to choose.
    assert not at.slider
    if count == 0:
        assert "The milestones dataset has no records yet." in texts(at)


def left_in_english(english: AppTest, french: AppTest) -> set[str]:
    """The English run's interface text the French run still shows, but for the milestones' quoted text (a heading
    when a year is presented) and a word the same in both."""
    records = yaml.safe_load((VALID / "milestones.yaml").read_text(encoding="utf-8"))["records"]
    quoted = "\n".join([*entries(french), *(md(record["text"]) for record in records)])
    return english_left(english, french, same=("Missions",), quoted=quoted)


@pytest.mark.parametrize("query", [{"tl_ops": "true", "tl_res": "true"}, {"tl_step": "true"}])
def test_the_page_in_french_leaves_no_english_interface_text(query):
    english = open_page(PAGE, query=query)
    french = open_page(PAGE, query={**query, "lang": "fr"})
    assert not french.exception, french.exception
    assert left_in_english(english, french) == set()
    # The quoted milestones stay as the paper wrote them, and the page says so.
    assert UNPROFOR in texts(french)
    assert "Le texte des jalons est cité de l'annexe 2 de Koops et Patz (2022), en anglais." in texts(french)
    assert "en anglais" not in texts(english)


def test_the_chart_in_french():
    at = open_page(PAGE, query={"tl_ops": "true", "tl_res": "true", "lang": "fr"})
    spec = figure(at)
    assert spec["layout"]["title"]["text"] == "Jalons de la PdC – ONU, UE et OTAN, de 1994 à 1999"
    assert spec["layout"]["xaxis"]["title"]["text"] == "Année"
    assert spec["layout"]["yaxis"]["ticktext"][:2] == ["Résolutions de PdC", "ONU"]
    assert {"Opérations ONU", "Mandat de mission", "Résolution thématique de PdC"} <= set(trace_names(at))
    hovers = " ".join(text for trace in spec["data"] for text in trace.get("hovertext") or [])
    assert "<i>Adoptée le :</i> 17 sept. 1999" in hovers and "<i>Mandat de PdC :</i> partiel" in hovers
    assert at.multiselect(key="tl_org").options == ["ONU", "UE", "OTAN", "Interorganisationnel"]
    assert at.multiselect(key="tl_themes").options[0] == "politique et doctrine"
    assert at.get("download_button")[0].proto.label == "Télécharger les jalons affichés (CSV, 3 lignes)"


def test_presenting_a_year_in_french():
    at = open_page(PAGE, query={"tl_step": "true", "lang": "fr"})
    assert at.selectbox(key="tl_year").label == "Année présentée"
    assert at.button(key="tl_next").label == "Année suivante"
    assert figure(at)["layout"]["title"]["text"] == "Jalons de la PdC – ONU, UE et OTAN, en 1994"
