"""The Civilian harm page through AppTest."""

from __future__ import annotations

import json

import pytest

import poc_data
from poc_data.text import md
from tests.apptest import open_page, texts
from tests.conftest import VALID, data_copy
from tests.test_harm import DISAGREEING_ROWS, HEADER, SERIES_ROWS

PAGE = "pages/5_Civilian_harm.py"
LIBYA = "Libya strikes · Libya · killed · 2011-01 to 2011-12 · attributed to NATO air strikes"
RWANDA = "Genocide · Rwanda · killed · 1994-04 to 1994-07 · attributed to Hutu Power"
REVISED_2011 = "War · Afghanistan · killed · 2011-01 to 2011-12 · attributed to all parties"


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


@pytest.fixture
def richer_data(monkeypatch, tmp_path):
    """The valid fixture with a UNAMA annual series and figures that disagree."""
    directory = data_copy(tmp_path)
    rows = [HEADER, *SERIES_ROWS, *DISAGREEING_ROWS]
    (directory / "civilian_harm.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    return directory


def figures(at):
    return next(frame.value for frame in at.dataframe if frame.value.columns[0] == "Event or series")


def charts(at):
    """The figures by their subject: the title up to the filters and the group compared, which follow it."""
    specs = [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"].replace("<br>", " ").split(":")[0]: spec for spec in specs}


def widget_keys(at):
    return {widget.key for kind in ("multiselect", "selectbox") for widget in getattr(at, kind)}


def test_page_shows_figures_definitions_and_empty_states_on_the_small_fixture():
    at = open_page(PAGE)
    assert not at.exception
    assert {"ch_place", "ch_measure", "ch_tier", "ch_counted"} <= widget_keys(at)
    assert figures(at)["Figure"].tolist() == ["about 500", "more than 500"]
    assert [button.proto.label for button in at.get("download_button")] == [
        "Download the 2 figures that match (CSV)",
        "Download the 2 figures beside UCDP's counts (CSV)",
    ]
    shown = texts(at)
    assert "Nothing matches: no figures given by two or more sources" in shown
    assert "Nothing matches: no rows of the series" in shown
    assert "Definitions and caveats" in shown and "**Casualties** are the people killed plus" in shown
    assert "- **measure**: Measure\\." in shown
    # The two figures' sources and UCDP's release, whose counts stand beside them.
    assert any("Sources of what is shown (3)" in expander.label for expander in at.expander)


def test_page_compares_disagreeing_sources_and_charts_the_unama_series(richer_data):
    at = open_page(PAGE)
    assert not at.exception
    assert at.selectbox(key="ch_group").options == [LIBYA, RWANDA, REVISED_2011]
    drawn = charts(at)
    compare = drawn["Each source's figure, low to high"]
    assert compare["layout"]["xaxis"]["title"]["text"] == "people killed"
    labels = {y for trace in compare["data"] if trace.get("mode") == "markers" for y in trace.get("y") or [] if y}
    assert len(labels) == 3
    annual = drawn["Civilians killed and injured per year, by party where known"]
    assert {trace["name"] for trace in annual["data"]} >= {"insurgents", "no figure: unknown"}
    shown = texts(at)
    assert md("No figure in these data (unknown, not zero) for killed: 2012; injured: 2011, 2012.") in shown
    shares = next(frame.value for frame in at.dataframe if frame.value.columns[0] == "Year")
    assert shares["Year"].tolist() == [2010]


def ucdp_table(at):
    return next(frame.value for frame in at.dataframe if frame.value.columns[0] == "Place")


def test_ucdp_counts_stand_beside_the_figures_for_the_same_places_and_years():
    at = open_page(PAGE)
    assert not at.exception
    table = ucdp_table(at)
    organized = poc_data.load("organized_violence", VALID)
    serbia = organized[(organized["iso3"] == "SRB") & (organized["year_cy"] == 1999)].iloc[0]
    # Serbia, Montenegro and Kosovo in 1999: one UCDP row, Serbia (Yugoslavia)'s, for the whole year.
    assert table["Reported figure"].tolist() == ["about 500", "more than 500"]
    assert set(table["UCDP years"]) == {"1999"} and set(table["UCDP rows"]) == {"Serbia (Yugoslavia)"}
    assert set(table["UCDP: one-sided violence (best, low–high)"]) == {
        f"{serbia['os_total_deaths_best_cy']:,} "
        f"({serbia['os_total_deaths_low_cy']:,}–{serbia['os_total_deaths_high_cy']:,})"
    }
    assert set(table["UCDP: in state-based conflict"]) == {f"{serbia['sb_deaths_civilians_cy']:,}"}
    shown = texts(at)
    assert "UCDP's counts for the same places and years" in shown and "**Why they differ.**" in shown
    assert md("CC BY 4.0") in shown
    assert any("Sources of what is shown (3)" in expander.label for expander in at.expander)


def test_the_ucdp_comparison_follows_the_filters_and_leaves_out_other_measures(richer_data):
    at = open_page(PAGE)
    at.multiselect(key="ch_measure").set_value(["injured"]).run()
    assert not at.exception
    assert "Nothing matches: no figures of people killed or of casualties" in texts(at)
    at.multiselect(key="ch_measure").set_value(["killed"]).run()
    assert set(ucdp_table(at)["Measure"]) == {"killed"}


def test_the_page_works_without_ucdps_data(monkeypatch, tmp_path):
    directory = data_copy(tmp_path)
    (directory / "organized_violence.csv").write_text("", encoding="utf-8")
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page(PAGE)
    assert not at.exception
    assert figures(at)["Figure"].tolist() == ["about 500", "more than 500"]
    assert "UCDP's counts for the same places and years" not in texts(at)
    assert any("organized_violence dataset could not be loaded" in element.value for element in at.error)


def test_a_filter_changes_what_is_shown():
    at = open_page(PAGE)
    at.multiselect(key="ch_tier").set_value(["NGO"]).run()
    assert figures(at)["Counted by"].tolist() == ["Human Rights Watch"]
    at.multiselect(key="ch_counted").set_value(["Koops and Patz"]).run()
    assert "Nothing matches: no figures fit" in texts(at)


def test_filters_reach_the_comparison_and_the_series(richer_data):
    at = open_page(PAGE)
    at.multiselect(key="ch_place").set_value(["Rwanda"]).run()
    assert at.selectbox(key="ch_group").options == [RWANDA]
    assert "Nothing matches: no rows of the series" in texts(at)


def test_query_params_restore_the_view(richer_data):
    at = open_page(PAGE, query={"ch_measure": ["killed"], "ch_place": ["Libya", "Rwanda"], "ch_group": RWANDA})
    assert at.multiselect(key="ch_measure").value == ["killed"]
    assert at.multiselect(key="ch_place").value == ["Libya", "Rwanda"]
    assert at.selectbox(key="ch_group").value == RWANDA
    assert set(figures(at)["Measure"]) == {"killed"}
    assert len(figures(at)) == 5


@pytest.mark.parametrize(("key", "value"), [("ch_tier", ["gossip"]), ("ch_place", ["Atlantis"])])
def test_invalid_query_param_gives_a_notice_and_the_default(key, value):
    at = open_page(PAGE, query={key: value})
    assert not at.exception
    assert any("is not available here" in warning.value for warning in at.warning)
    assert len(figures(at)) == 2


def test_invalid_group_in_the_link_falls_back_to_the_first(richer_data):
    at = open_page(PAGE, query={"ch_group": "no such comparison"})
    assert any("is not available here" in warning.value for warning in at.warning)
    assert at.selectbox(key="ch_group").value == LIBYA


def test_presentation_mode_enlarges_the_charts(richer_data):
    at = open_page(PAGE)
    normal = charts(at)
    at.toggle(key="present_toggle").set_value(True).run()
    presenting = charts(at)
    for title, figure in normal.items():
        assert presenting[title]["layout"]["font"]["size"] > figure["layout"]["font"]["size"]


def unknown_measure(directory):
    path = directory / "civilian_harm.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",killed,", ",eaten,"), encoding="utf-8")


@pytest.mark.parametrize("breaks", ["empty_file", unknown_measure], ids=["empty file", "unknown measure"])
def test_broken_data_shows_the_error_and_the_rest(monkeypatch, tmp_path, breaks):
    directory = data_copy(tmp_path, breaks if isinstance(breaks, str) else None)
    if callable(breaks):
        breaks(directory)
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page(PAGE)
    assert not at.exception
    assert any("civilian_harm dataset could not be loaded" in element.value for element in at.error)
    assert "Definitions and caveats" in texts(at)
    assert not at.get("plotly_chart")


def test_the_page_in_french_leaves_no_english_interface_text(richer_data):
    english, french = open_page(PAGE), open_page(PAGE, query={"lang": "fr"})
    assert not french.exception
    assert {element.value for element in french.subheader} == {
        "Filtres",
        "Qui a compté quoi, où et quand",
        "Là où les sources divergent",
        "UNAMA annual civilian casualties",  # the series' name, as the data says it
        "Les décomptes de l’UCDP pour les mêmes lieux et années",
        "Définitions et mises en garde",
    }
    assert len(french.subheader) == len(english.subheader)
    labels = {widget.label for kind in ("multiselect", "selectbox") for widget in getattr(french, kind)}
    assert {"Lieux", "Mesures", "Niveaux des sources", "Compté par", "Comparer les chiffres pour"} <= labels
    shown = texts(french)
    for english_words in ("Each row is one figure", "Why they differ", "Casualties** are", "Each bar is the total"):
        assert english_words in texts(english)
        assert english_words not in shown
    headers = next(frame.value for frame in french.dataframe if frame.value.columns[0] == "Événement ou série")
    assert {"Lieu", "Période", "Mesure", "Chiffre", "Compté par", "Niveau"} <= set(headers.columns)


def test_the_charts_in_french_have_french_titles_axes_legends_and_numbers(richer_data):
    at = open_page(PAGE, query={"lang": "fr"})
    specs = [json.loads(element.proto.spec) for element in at.get("plotly_chart")]
    titles = [spec["layout"]["title"]["text"] for spec in specs]
    assert any(title.startswith("Le chiffre de chaque source, du plus bas au plus haut") for title in titles)
    annual = next(spec for spec in specs if spec["layout"]["title"]["text"].startswith("Civils tués et blessés par an"))
    assert {note["text"] for note in annual["layout"]["annotations"]} >= {"Civils tués", "Civils blessés"}
    assert annual["layout"]["yaxis"]["title"]["text"] == "civils"
    hovers = [text for trace in annual["data"] for text in trace.get("hovertext") or []]
    assert any("civils tués" in hover for hover in hovers)
    # Numbers the French way: a thin space between thousands (2 080), never a comma.
    assert any("2\u202f080" in hover for hover in hovers)
    assert not any("2,080" in hover for hover in hovers)
