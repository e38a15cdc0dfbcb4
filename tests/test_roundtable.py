"""The Round table page's transforms: themes in reading order, recommendations and questions, what informs them."""

from __future__ import annotations

import pandas as pd
import pytest

from poc_data.load import load
from poc_data.transform import roundtable as rt
from tests.conftest import VALID

COLUMNS = ["id", "source_id", "theme", "kind", "addressee", "text", "order", "related_themes", "source_detail"]


def recommendation_frame(rows):
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["kind"] = pd.Categorical(frame["kind"], categories=["recommendation", "question"])
    frame["order"] = frame["order"].astype("Int64")
    frame["addressee"] = frame["addressee"].astype("str")
    return frame


@pytest.fixture
def recommendations():
    # In file order: IPI first, a third source, then POC20 with its question before its recommendations.
    return recommendation_frame(
        [
            ("ipi-a-1", rt.IPI, "Adapt", "recommendation", "all", "Adapt one", 1, ["operations"], "Conclusion"),
            ("other-1", "other-report", "Other theme", "recommendation", None, "Other one", 1, [], None),
            ("civic-t1-q-2", rt.POC20, "National", "question", "policymakers", "Q two?", 2, ["policy"], "Box"),
            ("civic-t1-q-1", rt.POC20, "National", "question", "policymakers", "Q one?", 1, ["gender"], "Box"),
            ("civic-t1-un-1", rt.POC20, "National", "recommendation", "the UN", "To UN", 2, ["policy"], "Sec III"),
            ("civic-t1-ms-1", rt.POC20, "National", "recommendation", "Member States", "To MS", 1, ["policy"], "III"),
            ("civic-t2-q-1", rt.POC20, "Harm", "question", "policymakers", "Harm?", 1, ["harm mitigation"], "Box"),
            ("ipi-a-2", rt.IPI, "Adapt", "recommendation", "all", "Adapt two", 2, ["policy", "operations"], None),
        ]
    )


@pytest.fixture
def milestones():
    frame = pd.DataFrame(
        {
            "id": ["2001-un-1", "2005-eu-1", "2010-nato-1", "2010-un-1", "2012-un-1"],
            "year": [2001, 2005, 2010, 2010, 2012],
            "organization": ["UN", "EU", "NATO", "UN", "UN"],
            "text": ["a", "b", "c", "d", "e"],
            "themes": [["policy"], ["operations"], ["policy", "operations"], ["gender"], ["training"]],
            "source_id": ["ipi-2022"] * 5,
            "source_detail": ["Annex 2"] * 5,
        }
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame


def test_sections_put_poc20_first_then_ipi_then_others(recommendations):
    assert rt.section_ids(recommendations) == [rt.POC20, rt.IPI, "other-report"]


@pytest.mark.parametrize(
    ("source_id", "expected"),
    [
        (rt.POC20, rt.SECTION_TITLES[rt.POC20]),
        (rt.IPI, rt.SECTION_TITLES[rt.IPI]),
        ("other-report", "The other report: recommendations"),
        ("unlisted", "unlisted: recommendations"),
    ],
)
def test_section_title(source_id, expected):
    sources = pd.DataFrame({"id": ["other-report"], "title": ["The other report"]})
    assert rt.section_title(source_id, sources) == expected


def test_theme_options_start_with_all_then_reading_order(recommendations):
    assert rt.theme_options(recommendations) == [rt.ALL_THEMES, "National", "Harm", "Adapt", "Other theme"]


@pytest.mark.parametrize(
    ("choice", "themes"),
    [(rt.ALL_THEMES, ["National", "Harm", "Adapt", "Other theme"]), ("Harm", ["Harm"]), ("No such", [])],
)
def test_chosen_themes(recommendations, choice, themes):
    assert list(rt.chosen_themes(recommendations, choice)["theme"]) == themes


@pytest.mark.parametrize(("choice", "count"), [(rt.ALL_THEMES, 8), ("Harm", 1), ("No such", 0)])
def test_chosen_items(recommendations, choice, count):
    assert len(rt.chosen_items(recommendations, choice)) == count


def test_items_put_recommendations_before_questions_each_in_order(recommendations):
    items = rt.items_of(recommendations, ["National", "Adapt"])
    assert list(items["id"]) == [
        "civic-t1-ms-1",
        "civic-t1-un-1",
        "civic-t1-q-1",
        "civic-t1-q-2",
        "ipi-a-1",
        "ipi-a-2",
    ]
    assert list(rt.csv_of_items(items).columns) == COLUMNS


def test_theme_items_keep_to_one_source(recommendations):
    shared = pd.concat([recommendations, recommendations.assign(id=recommendations["id"] + "-copy", source_id="copy")])
    assert len(rt.items_of(shared, ["Adapt"])) == 4
    assert list(rt.theme_items(shared, rt.IPI, "Adapt")["id"]) == ["ipi-a-1", "ipi-a-2"]


def test_recommendations_are_grouped_by_addressee_and_questions_kept_apart(recommendations):
    items = rt.items_of(recommendations, ["National"])
    groups = rt.recommendations_by_addressee(items)
    assert [(name, list(group["id"])) for name, group in groups] == [
        ("Member States", ["civic-t1-ms-1"]),
        ("the UN", ["civic-t1-un-1"]),
    ]
    assert list(rt.questions_of(items)["text"]) == ["Q one?", "Q two?"]


def test_a_recommendation_without_addressee_gets_an_empty_heading(recommendations):
    groups = rt.recommendations_by_addressee(rt.items_of(recommendations, ["Other theme"]))
    assert [name for name, _ in groups] == [""]


@pytest.mark.parametrize(
    ("themes", "expected"), [(["National"], None), (["Harm"], "policymakers"), (["Other theme"], None)]
)
def test_shared_addressee(recommendations, themes, expected):
    assert rt.shared_addressee(rt.items_of(recommendations, themes)) == expected


def test_discussion_prompts_are_questions_or_recommendations_where_a_theme_has_none(recommendations):
    items = rt.items_of(recommendations, ["National", "Harm", "Adapt"])
    prompts = rt.discussion_prompts(items)
    assert list(prompts["id"]) == ["civic-t1-q-1", "civic-t1-q-2", "civic-t2-q-1", "ipi-a-1", "ipi-a-2"]
    assert list(prompts["prompt"]) == ["question"] * 3 + ["recommendation"] * 2


@pytest.mark.parametrize(("number", "expected"), [(1, "Q one?"), (2, "Q two?"), (0, "Q one?"), (9, "Harm?")])
def test_prompt_at_stays_in_range(recommendations, number, expected):
    prompts = rt.discussion_prompts(rt.items_of(recommendations, ["National", "Harm"]))
    assert rt.prompt_at(prompts, number)["text"] == expected
    assert list(rt.prompt_items(prompts, number)["text"]) == [expected]


def test_prompt_at_gives_none_for_missing_values(recommendations):
    prompts = rt.discussion_prompts(rt.items_of(recommendations, ["Other theme"]))
    prompt = rt.prompt_at(prompts, 1)
    assert prompt["addressee"] is None
    assert prompt["source_detail"] is None
    assert prompt["related_themes"] == []


def test_related_themes_most_named_first(recommendations):
    items = rt.items_of(recommendations, ["National", "Adapt"])
    assert rt.related_themes(items) == ["policy", "operations", "gender"]
    assert rt.related_themes(rt.items_of(recommendations, ["Other theme"])) == []


def test_theme_links_count_each_milestone_once_and_list_the_newest(milestones):
    links = rt.theme_links(milestones, ["policy", "operations"], recent=2)
    assert links.count == 3
    assert list(links.per_theme["milestones"]) == [2, 2]
    assert list(links.recent["id"]) == ["2010-nato-1", "2005-eu-1"]
    assert links.related_themes == ["policy", "operations"]


def test_theme_links_of_no_theme_are_empty(milestones):
    links = rt.theme_links(milestones, [])
    assert (links.count, len(links.recent), len(links.per_theme)) == (0, 0, 0)


@pytest.mark.parametrize(
    ("themes", "pages"),
    [
        (["policy and doctrine"], []),
        (["operations", "mandates and Security Council"], ["pages/4_Missions_and_mandates.py", "pages/2_Map.py"]),
        (["harm mitigation", "failures to protect and civilian harm"], ["pages/5_Civilian_harm.py"]),
    ],
)
def test_related_pages_each_once(themes, pages):
    assert rt.related_pages(themes) == pages


def test_related_pages_exist():
    from poc_data.ui import PAGES

    known = {info.path for info in PAGES}
    assert rt.TIMELINE_PAGE in known
    assert {path for paths in rt.PAGES_OF_THEME.values() for path in paths} <= known


def test_transforms_do_not_mutate_their_input(recommendations, milestones):
    before = recommendations.copy(deep=True), milestones.copy(deep=True)
    rt.discussion_prompts(rt.items_of(recommendations, ["National"]))
    rt.theme_links(milestones, ["policy"])
    pd.testing.assert_frame_equal(before[0], recommendations)
    pd.testing.assert_frame_equal(before[1], milestones)


def test_fixture_data_goes_through_every_transform():
    recommendations = load("recommendations", VALID)
    milestones = load("milestones", VALID)
    theme = "Adapt POC to new operational realities."
    assert rt.theme_options(recommendations) == [rt.ALL_THEMES, theme]
    items = rt.items_of(recommendations, [theme])
    assert list(items["kind"]) == ["recommendation", "question"]
    assert list(rt.discussion_prompts(items)["text"]) == ["A question?"]
    links = rt.theme_links(milestones, rt.related_themes(items))
    assert links.count == 3


@pytest.mark.parametrize(
    ("source_id", "addressee", "count", "heading"),
    [
        (rt.POC20, "Member States", 1, "Priority recommendation to Member States"),
        (
            rt.IPI,
            "the UN, EU, NATO, and their member states",
            3,
            "Recommendations to the UN, EU, NATO, and their member states",
        ),
        ("other", "", 1, "Recommendation"),
    ],
)
def test_recommendations_heading(source_id, addressee, count, heading):
    assert rt.recommendations_heading(source_id, addressee, count) == heading


@pytest.mark.parametrize(
    ("source_id", "addressee", "heading"),
    [(rt.POC20, "policymakers", "Priority questions for policymakers"), ("other", None, "Questions")],
)
def test_questions_heading(source_id, addressee, heading):
    assert rt.questions_heading(source_id, addressee) == heading
