"""Transforms of the Sources and data page, and of the home page."""

from __future__ import annotations

import pytest

import poc_data
from poc_data.problems import Code, Problem
from poc_data.transform.home import card_label, dataset_dates, format_number, key_figure_cards
from poc_data.transform.reference import bibliography_table, fields_table, filter_sources, problems_table
from tests.conftest import VALID


@pytest.fixture(scope="module")
def sources():
    return poc_data.load("sources", VALID)


@pytest.mark.parametrize(
    ("tiers", "query", "expected"),
    [
        (
            ["official", "NGO", "academic"],
            "",
            [
                "ipi-2022",
                "hrw-2000-allied-force",
                "un-press-1999-1265",
                "geopko-2025-frontmap-v2-3",
                "ucdp-2025-organized-violence-cy-25-1",
                "ucdp-2023-one-sided-violence-23-1",
            ],
        ),
        (["NGO"], "", ["hrw-2000-allied-force"]),
        (["official", "NGO", "academic"], "koops", ["ipi-2022"]),
        (["official", "NGO", "academic"], "refworld", ["hrw-2000-allied-force"]),
        (["official", "NGO", "academic"], "civilian deaths", ["hrw-2000-allied-force"]),
        (["academic"], "refworld", []),
        ([], "", []),
    ],
)
def test_filter_sources(sources, tiers, query, expected):
    assert filter_sources(sources, tiers=tiers, query=query)["id"].tolist() == expected


def test_filter_sources_does_not_mutate(sources):
    before = sources.copy()
    filter_sources(sources, tiers=["NGO"], query="x")
    assert sources.equals(before)


def test_bibliography_table_joins_authors_and_keeps_partial_dates(sources):
    table = bibliography_table(sources).set_index("id")
    assert table.loc["ipi-2022", "authors"] == "Joachim A. Koops; Christian Patz"
    assert table.loc["ipi-2022", "date"] == "2022-03"


def test_fields_table_lists_every_field_with_vocabulary():
    table = fields_table(poc_data.metadata("milestones", VALID))
    assert table["field"].tolist() == list(poc_data.DATASETS["milestones"].model.model_fields)
    themes = table.set_index("field").loc["themes"]
    assert themes["editorial"] and "operations" in themes["vocabulary"]


def test_problems_table():
    table = problems_table([Problem("data/a.csv", 3, "year", "bad", Code.TYPE)])
    assert table.to_dict("records") == [{"file": "data/a.csv", "line": 3, "field": "year", "message": "bad"}]


@pytest.mark.parametrize(("value", "text"), [(1234.0, "1,234"), (16.0, "16"), (12.5, "12.5")])
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("label", "unit", "year", "text"),
    [
        ("Years since POC joined the agenda", "years", 2019, "In 2019: Years since POC joined the agenda"),
        ("UN operations in 2019", "UN operations", 2019, "UN operations in 2019"),
        ("Threat scenarios in NATO's handbook", "threat scenarios", None, "Threat scenarios in NATO's handbook"),
        ("People in charge of POC", "person", None, "People in charge of POC (person)"),
    ],
)
def test_card_label_says_the_unit_and_the_year(label, unit, year, text):
    assert card_label(label, unit, year) == text


def test_key_figure_cards_cite_the_source_title(sources):
    cards = key_figure_cards(poc_data.load("key_figures", VALID), sources)
    card = cards.iloc[0]
    # The number alone is the card's value; the label says the unit and the year the figure is a statement of.
    assert card["value"] == "500"
    assert card["label"] == "In 1999: Allied Force civilian casualties"
    assert card["value_text"] == "500 civilian casualties"
    assert card["citation"].startswith("UN, EU, and NATO Approaches") and card["citation"].endswith(", Annex 2")


def test_dataset_dates_marks_a_failed_dataset():
    table = dataset_dates({"missions": poc_data.metadata("missions", VALID), "key_figures": None})
    assert table["Updated"].iloc[0] == "2026-11-22"
    assert table["Updated"].isna().iloc[1]
    assert table["Title"].tolist()[1] == "could not be loaded"
