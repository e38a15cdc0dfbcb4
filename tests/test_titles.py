"""Chart titles and file names that say the active filters."""

from __future__ import annotations

import pytest

from poc_data import i18n
from poc_data.charts import titles
from poc_data.charts.timeline import chart_title
from poc_data.schema import COMPARISON_ORGANIZATIONS, MISSION_ORGANIZATIONS


@pytest.mark.parametrize(
    ("chosen", "offered", "phrase"),
    [
        (["UN", "EU", "NATO"], COMPARISON_ORGANIZATIONS, "the UN, EU and NATO"),
        (["NATO", "EU"], COMPARISON_ORGANIZATIONS, "the EU and NATO"),
        (["NATO"], COMPARISON_ORGANIZATIONS, "NATO"),
        ([], COMPARISON_ORGANIZATIONS, "no organization"),
        (["UN", "EU", "NATO", "AU"], MISSION_ORGANIZATIONS, "4 of 7 organizations"),
        (list(MISSION_ORGANIZATIONS), MISSION_ORGANIZATIONS, "all organizations"),
    ],
)
def test_organizations_phrase(chosen, offered, phrase):
    assert titles.organizations_phrase(chosen, offered) == phrase


@pytest.mark.parametrize(
    ("chosen", "phrase"),
    [(["UN", "EU", "NATO"], ""), (["EU"], "organizations: EU"), (["UN", "EU"], "organizations: UN, EU")],
)
def test_a_filter_that_leaves_nothing_out_is_not_named(chosen, phrase):
    assert titles.subset_phrase("organizations", chosen, COMPARISON_ORGANIZATIONS) == phrase


def test_a_filter_where_nothing_chosen_means_all():
    assert titles.chosen_phrase("places", []) == ""
    assert titles.chosen_phrase("places", ["Libya"]) == "places: Libya"
    assert titles.chosen_phrase("places", ["a", "b", "c", "d"]) == "places: 4 chosen"


def test_the_timeline_title_follows_its_filters():
    # Only NATO and a search: the title no longer claims the UN, the EU and NATO.
    assert (
        chart_title((1999, 2021), ["NATO"], query="Kosovo") == "POC milestones of NATO, 1999–2021 · matching “Kosovo”"
    )
    assert chart_title((1999, 2021)) == "POC milestones of the UN, EU and NATO, 1999–2021"
    assert (
        chart_title((2005, 2005), ["UN"], themes=["operations"])
        == "POC milestones of the UN in 2005 · themes: operations"
    )


def test_map_titles_say_the_operations_filters():
    offered = {"organization": ["UN", "EU"], "type": ["a", "b"], "poc_mandate": ["explicit", "none"]}
    scope = titles.operations_scope(offered, organizations=["EU"], types=["a", "b"], mandates=["explicit"])
    assert scope == "organizations: EU · POC mandate: explicit"


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (("poc-explorer-milestones",), "poc-explorer-milestones.csv"),
        (("poc-explorer-milestones", "NATO", "1999–2021", "", "Kosovo"),
         "poc-explorer-milestones-nato-1999-2021-kosovo.csv"),
        (("poc-explorer-operations", "2005", "organizations: EU · POC mandate: explicit"),
         "poc-explorer-operations-2005-organizations-eu-poc-mandate-explicit.csv"),
    ],
)  # fmt: skip
def test_file_names_carry_the_filters(parts, name):
    assert titles.file_name(*parts) == name


def test_long_file_names_are_cut():
    assert len(titles.file_name("poc", "x" * 500)) <= titles.MAX_FILE_NAME + len(".csv")


def test_titles_wrap_at_spaces():
    assert titles.wrapped("one two three four", 9) == ["one two", "three", "four"]
    assert titles.wrapped("short", 20) == ["short"]


def test_a_title_shows_text_from_a_link_as_written():
    title = chart_title((1999, 2021), ["NATO"], query='<a href="https://example.org">x</a>')
    assert "<a" not in title and "&lt;a href" in title


@pytest.mark.parametrize(
    ("chosen", "offered", "phrase"),
    [
        (["UN", "EU", "NATO"], COMPARISON_ORGANIZATIONS, "ONU, UE et OTAN"),
        (["NATO"], COMPARISON_ORGANIZATIONS, "OTAN"),
        ([], COMPARISON_ORGANIZATIONS, "aucune organisation"),
        (["UN", "EU", "NATO", "AU"], MISSION_ORGANIZATIONS, "4 organisations sur 7"),
        (list(MISSION_ORGANIZATIONS), MISSION_ORGANIZATIONS, "toutes les organisations"),
    ],
)
def test_organizations_phrase_in_french(chosen, offered, phrase):
    with i18n.language("fr"):
        assert titles.organizations_phrase(chosen, offered) == phrase


def test_the_phrases_in_french():
    with i18n.language("fr"):
        assert titles.years_phrase((1999, 2021)) == "de 1999 à 2021"
        assert titles.years_phrase((2005, 2005)) == "2005"
        assert titles.chosen_phrase("lieux", ["a", "b", "c", "d"]) == "lieux : 4 choisis"
        assert titles.search_phrase("Kosovo") == "contenant « Kosovo »"
        offered = {"organization": ["UN", "EU"], "type": ["peacekeeping", "air campaign"], "poc_mandate": ["explicit"]}
        scope = titles.operations_scope(offered, organizations=["EU"], types=["air campaign"])
    assert scope == "organisations : UE · types : campagne aérienne"


def test_the_timeline_title_in_french():
    with i18n.language("fr"):
        assert chart_title((1999, 2021)) == "Jalons de la PdC – ONU, UE et OTAN, de 1999 à 2021"
        assert (
            chart_title((2005, 2005), ["UN"], themes=["operations"], query="Kosovo")
            == "Jalons de la PdC – ONU, en 2005 · thèmes : opérations · contenant « Kosovo »"
        )


def test_file_names_stay_ascii_in_french():
    with i18n.language("fr"):
        name = titles.file_name("poc-explorer-operations", titles.years_phrase((1999, 2021)), "types : opérations")
    assert name == "poc-explorer-operations-de-1999-a-2021-types-operations.csv"
