"""The Violence against civilians page through AppTest: on the shipped data (MINUSCA and the Central African
Republic by default), on the small fixture, and with links that cannot be used."""

from __future__ import annotations

import base64

import numpy as np
import plotly.io
import pytest

import poc_data
from tests.apptest import open_page, texts
from tests.conftest import REPO, VALID, data_copy

PAGE = "pages/10_Violence_against_civilians.py"
DATA = REPO / "data"


@pytest.fixture
def shipped_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(DATA))


def charts(at):
    """The figures by the start of their title."""
    figures = [plotly.io.from_json(element.proto.spec) for element in at.get("plotly_chart")]
    return {figure.layout.title.text.replace("<br>", " "): figure for figure in figures}


def presence(at):
    return next(spec for title, spec in charts(at).items() if title.startswith("Civilians killed (UCDP)"))


def values(figure, name):
    """A trace's y values, decoded from plotly's typed-array encoding where the figure was sent with it."""
    array = next(item for item in figure.data if item.name == name).y
    if isinstance(array, dict):
        array = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return [int(value) for value in array]


def downloads(at):
    return [button.proto.label for button in at.get("download_button")]


def test_default_view_is_minusca_with_ucdps_and_geopkos_numbers(shipped_data):
    at = open_page(PAGE)
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="vac_operation").value == "MINUSCA"
    spec = presence(at)
    assert spec.layout.title.text == "Civilians killed (UCDP) and MINUSCA's troops, 2009–2024"
    organized = poc_data.load("organized_violence", DATA)
    caf = organized[(organized["iso3"] == "CAF") & organized["year_cy"].between(2009, 2024)].sort_values("year_cy")
    assert values(spec, "Governments (one-sided)") == caf["os_any_govt_killings_best_cy"].astype(int).tolist()
    assert values(spec, "Non-state groups (one-sided)") == caf["os_nsgroup_killings_best_cy"].astype(int).tolist()
    deployments = poc_data.load("deployments", DATA)
    minusca = deployments[deployments["mission"] == "MINUSCA"].groupby("year")["troops"].sum()
    assert values(spec, "Troops (Geo-PKO)") == minusca.astype(int).tolist()
    assert any("CC BY 4.0" in note.text for note in spec.layout.annotations)
    shown = texts(at)
    assert "MINUSCA starts" in shown and "S/RES/2149 \\(2014\\), 10 Apr 2014" in shown
    assert "lower bounds, not totals" in shown and "a pattern here is not a cause" in shown
    assert at.selectbox(key="vac_country").value == "Central African Republic"
    actors = next(spec for title, spec in charts(at).items() if title.startswith("Who killed civilians"))
    assert "Government" in {item.name for item in actors.data}
    assert "if even one dead" in shown
    assert downloads(at) == ["Download these 16 years (CSV)", "Download the 19 actors (CSV)"]
    assert any("Sources of what is shown" in expander.label for expander in at.expander)
    assert "Cite UCDP's data as" in shown


def test_another_operation_by_its_widget_and_by_a_link(shipped_data):
    at = open_page(PAGE)
    at.selectbox(key="vac_operation").set_value("MINUSMA").run()
    assert not at.exception
    assert presence(at).layout.title.text.startswith("Civilians killed (UCDP) and MINUSMA's troops, 2008–")
    assert "Host countries: Mali \\(MLI\\)" in texts(at)
    linked = open_page(PAGE, query={"vac_operation": "UNMISS", "vac_all_years": "true"})
    assert not linked.exception
    assert linked.selectbox(key="vac_operation").value == "UNMISS"
    assert presence(linked).layout.title.text == "Civilians killed (UCDP) and UNMISS's troops, 1989–2024"


def test_an_operation_geopko_does_not_map_says_so(shipped_data):
    at = open_page(PAGE, query={"vac_operation": "EUFOR RCA"})
    assert not at.exception
    assert "Geo\\-PKO has no deployment of EUFOR RCA" in texts(at)
    assert not [item for item in presence(at).data if item.type == "bar"]


def test_an_operation_ucdp_has_no_row_for_says_so(monkeypatch, tmp_path):
    directory = data_copy(tmp_path)
    missions = directory / "missions.csv"
    missions.write_text(
        missions.read_text(encoding="utf-8")
        + "UNMIT,United Nations Integrated Mission in Timor-Leste,,UN,,peacekeeping,TLS,2006-08-25,2012-12-31,"
        "ended,,none,,Dili,-8.5569,125.5603,ipi-2022,,\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page(PAGE, query={"vac_operation": "UNMIT"})
    assert not at.exception, [e.message for e in at.exception]
    shown = texts(at)
    assert "UCDP has no row for UNMIT's host countries in 2000" in shown
    assert "Geo\\-PKO has no deployment of UNMIT" in shown


def test_the_small_fixture_opens_on_its_first_operation(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))
    at = open_page(PAGE)
    assert not at.exception
    assert at.selectbox(key="vac_operation").value == "Allied Force"
    at.selectbox(key="vac_operation").set_value("UNAMSIL").run()
    spec = presence(at)
    assert values(spec, "Troops (Geo-PKO)") == [925]
    assert "UNAMSIL starts" in texts(at)


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"vac_operation": "NOT-AN-OPERATION"}, "operation value 'NOT\\-AN\\-OPERATION' is not available here"),
        ({"vac_actor_years": ["1999", "1995"]}, "the range is reversed"),
        ({"vac_actor_years": ["2020", "1995"]}, "outside 1989\\-2001"),
        ({"vac_all_years": "maybe"}, "a switch is true or false"),
    ],
)
def test_a_link_that_cannot_be_used_gives_a_notice_and_the_default(monkeypatch, query, notice):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert any(notice in warning.value for warning in at.warning), [w.value for w in at.warning]
    assert at.selectbox(key="vac_operation").value == "Allied Force"


def test_the_country_and_years_of_the_actors(shipped_data):
    at = open_page(PAGE, query={"vac_country": "Democratic Republic of the Congo", "vac_actor_years": ["2010", "2012"]})
    assert not at.exception
    table = next(frame.value for frame in at.dataframe if frame.value.columns[0] == "Actor")
    one_sided = poc_data.load("one_sided_violence", DATA)
    rows = one_sided[one_sided["iso3"].map(lambda codes: "COD" in codes) & one_sided["year"].between(2010, 2012)]
    assert table["Civilians killed (best)"].sum() == rows["best_fatality_estimate"].sum()
    assert set(table["Actor"]) == set(rows["actor_name"])


def interface_text(at) -> list[str]:
    """The interface's own words on a run: widget labels and help, headings, captions, notices, expanders, downloads,
    table headings, and the figures' titles, axes and legend names."""
    shown = [element.label for kind in ("slider", "selectbox", "toggle") for element in getattr(at, kind)]
    shown += [element.help or "" for kind in ("selectbox", "toggle") for element in getattr(at, kind)]
    shown += [str(element.value) for kind in ("subheader", "caption", "info") for element in getattr(at, kind)]
    shown += [expander.label for expander in at.expander] + downloads(at)
    shown += [str(column) for frame in at.dataframe for column in frame.value.columns]
    for figure in charts(at).values():
        shown += [figure.layout.title.text, figure.layout.xaxis.title.text or "", figure.layout.yaxis.title.text or ""]
        shown += [str(trace.name) for trace in figure.data if trace.name]
    return [text for text in shown if text]


ENGLISH_LEFT_OUT = (
    "Violence and presence, year by year",
    "Every year UCDP covers",
    "Who targets civilians",
    "Civilians killed (UCDP) and",
    "Who killed civilians deliberately",
    "Governments (one-sided)",
    "State-based conflict",
    "Troops (Geo-PKO)",
    "Non-state group",
    "lower bounds, not totals",
    "a pattern here is not a cause",
    "most civilians killed first",
    "Year by year (table)",
    "Download",
    "By governments",
    "Figures include killings in",
    "Civilians killed in the years chosen",
    "Cite UCDP's data as",
)


def test_the_page_in_french_leaves_no_english_interface_text(shipped_data):
    english = open_page(PAGE)
    french = open_page(PAGE, query={"lang": "fr"})
    assert not french.exception
    shown = interface_text(french) + [texts(french)]
    assert [phrase for phrase in ENGLISH_LEFT_OUT if any(phrase in text for text in shown)] == []
    assert [
        phrase
        for phrase in ENGLISH_LEFT_OUT
        if not any(phrase in text for text in interface_text(english) + [texts(english)])
    ] == []
    spec = next(figure for title, figure in charts(french).items() if title.startswith("Civils tués (UCDP)"))
    assert spec.layout.title.text == "Civils tués (UCDP) et militaires de MINUSCA, de 2009 à 2024"
    assert {"Gouvernements (unilatérale)", "Conflit armé étatique", "Militaires (Geo-PKO)"} <= {
        t.name for t in spec.data
    }
    assert spec.layout.yaxis.title.text == "Civils tués (UCDP)"
    assert any(note.text.startswith("Source :") for note in spec.layout.annotations)
    assert "début de MINUSCA" in texts(french) and "10 avr\\. 2014" in texts(french)
    assert downloads(french) == ["Télécharger ces 16 années (CSV)", "Télécharger les 19 acteurs (CSV)"]
