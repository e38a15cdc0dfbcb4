"""The Organizations page through AppTest: widgets, filters, links that restore a view, broken data."""

from __future__ import annotations

import json

import pytest

from tests.apptest import english_left, open_page, texts
from tests.conftest import VALID, data_copy

PAGE = "pages/3_Organizations.py"


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


def chart_spec(at, key: str) -> dict | None:
    """The plotly figure drawn with `key`, or None if the page drew none."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(f"-{key}"):
            return json.loads(element.proto.spec)
    return None


def download_labels(at) -> list[str]:
    return [button.label for button in at.download_button]


def test_page_shows_every_section_with_its_widgets():
    at = open_page(PAGE)
    assert not at.exception
    assert at.multiselect(key="org_organizations").value == ["UN", "EU", "NATO"]
    assert at.selectbox(key="org_table").value == "Table 1"
    assert at.toggle(key="org_cumulative").value is False
    assert at.multiselect(key="org_type") is not None
    assert at.toggle(key="org_by_type") is not None
    for key in ("org_milestones_chart", "org_operations_chart", "org_mandates_chart"):
        assert chart_spec(at, key) is not None, key
    shown = texts(at)
    assert "> A definition" in shown
    assert "- First point\n- Second point" in shown
    assert "UNMIK and KFOR share responsibilities" in shown
    assert "Unknown means the mandate has not been verified" in shown
    assert "Download the 1 cell of Table 1 (CSV)" in download_labels(at)
    assert "Sources of what is shown (2)" in [expander.label for expander in at.expander]


def test_organization_filter_changes_what_is_shown():
    at = open_page(PAGE)
    at.multiselect(key="org_organizations").set_value(["NATO"]).run()
    assert not at.exception
    assert "Nothing matches: no comparison points" in texts(at)
    assert [trace["name"] for trace in chart_spec(at, "org_milestones_chart")["data"]] == ["NATO"]
    mandates = chart_spec(at, "org_mandates_chart")["data"]
    assert {label for trace in mandates for label in trace["y"]} == {"NATO"}


def test_cumulative_toggle_switches_bars_to_lines():
    at = open_page(PAGE)
    assert {trace["type"] for trace in chart_spec(at, "org_milestones_chart")["data"]} == {"bar"}
    at.toggle(key="org_cumulative").set_value(True).run()
    assert {trace["type"] for trace in chart_spec(at, "org_milestones_chart")["data"]} == {"scatter"}


def test_type_filter_and_panels_change_the_operations_chart():
    at = open_page(PAGE)
    at.multiselect(key="org_type").set_value(["air campaign"]).run()
    assert [trace["name"] for trace in chart_spec(at, "org_operations_chart")["data"]] == ["NATO"]
    at.toggle(key="org_by_type").set_value(True).run()
    spec = chart_spec(at, "org_operations_chart")
    assert [note["text"] for note in spec["layout"]["annotations"]] == ["air campaign"]


def test_query_params_restore_the_view():
    query = {
        "org_organizations": ["UN", "NATO"],
        "org_table": "Table 2",
        "org_cumulative": "true",
        "org_type": ["peacekeeping", "air campaign"],
    }
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert not at.warning
    assert at.multiselect(key="org_organizations").value == ["UN", "NATO"]
    assert at.selectbox(key="org_table").value == "Table 2"
    assert at.toggle(key="org_cumulative").value is True
    assert at.multiselect(key="org_type").value == ["peacekeeping", "air campaign"]
    assert "Nothing matches: no comparison points" in texts(at)
    assert {trace["type"] for trace in chart_spec(at, "org_milestones_chart")["data"]} == {"scatter"}
    assert [trace["name"] for trace in chart_spec(at, "org_operations_chart")["data"]] == ["UN", "NATO"]


def test_invalid_query_params_give_a_notice_and_the_default():
    at = open_page(PAGE, query={"org_organizations": "WHO", "org_table": "Table 9"})
    assert not at.exception
    notices = [warning.value for warning in at.warning]
    assert len(notices) == 2
    assert all("is not available here, so the default is shown" in notice for notice in notices)
    assert at.multiselect(key="org_organizations").value == ["UN", "EU", "NATO"]
    assert at.selectbox(key="org_table").value == "Table 1"


def test_no_organization_gives_the_empty_states_not_empty_charts():
    at = open_page(PAGE)
    at.multiselect(key="org_organizations").set_value([]).run()
    assert not at.exception
    assert chart_spec(at, "org_milestones_chart") is None
    assert chart_spec(at, "org_mandates_chart") is None
    assert len([info for info in at.info if info.value.startswith("Nothing matches")]) >= 4


@pytest.mark.parametrize(
    ("bad_case", "dataset", "still_shown"),
    [
        ("repeated_key", "comparisons", "org_milestones_chart"),
        ("csv_unclosed_quote", "missions", "org_milestones_chart"),
        ("yaml_syntax", "milestones", "org_operations_chart"),
    ],
)
def test_broken_data_shows_the_error_and_keeps_the_rest(monkeypatch, tmp_path, bad_case, dataset, still_shown):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, bad_case)))
    at = open_page(PAGE)
    assert not at.exception
    assert any(f"The {dataset} dataset could not be loaded" in error.value for error in at.error)
    assert chart_spec(at, still_shown) is not None
    assert "Sources of what is shown" in at.expander[-1].label


@pytest.mark.parametrize("query", [{}, {"org_by_type": "true", "org_cumulative": "true"}])
def test_the_page_in_french_leaves_no_english_interface_text(query):
    english = open_page(PAGE, query=query)
    french = open_page(PAGE, query={**query, "lang": "fr"})
    assert not french.exception, french.exception
    assert english_left(english, french) == set()
    # The paper's texts stay in English, and the page says so.
    assert "Les définitions, les points de la comparaison et les jalons sont cités de Koops et Patz" in texts(french)
    assert "“Comparative overview of mandates, approaches, and political priorities”" in texts(english)
    assert "« Comparative overview of mandates, approaches, and political priorities » (en anglais)" in texts(french)


def test_the_charts_in_french():
    at = open_page(PAGE, query={"org_by_type": "true", "lang": "fr"})
    milestones = chart_spec(at, "org_milestones_chart")
    assert milestones["layout"]["title"]["text"] == "Jalons par an et par organisation"
    assert milestones["layout"]["xaxis"]["title"]["text"] == "Année"
    assert [trace["name"] for trace in milestones["data"]] == ["ONU", "OTAN"]
    operations = chart_spec(at, "org_operations_chart")
    assert operations["layout"]["title"]["text"] == "Opérations actives par an, par type et par organisation"
    assert "maintien de la paix" in [note["text"] for note in operations["layout"]["annotations"]]
    mandates = chart_spec(at, "org_mandates_chart")
    assert [trace["name"] for trace in mandates["data"]] == ["explicite", "partiel", "aucun", "inconnu (non vérifié)"]
    assert mandates["data"][0]["y"][0] == "ONU"
    assert at.selectbox(key="org_table").options == ["Tableau 1", "Tableau 2"]
    assert at.multiselect(key="org_type").options[0] == "maintien de la paix"
    assert "Télécharger 1 cellule du Tableau 1 (CSV)" in download_labels(at)
