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


@pytest.fixture
def evidence():
    return pd.DataFrame(
        {
            "id": ["e1", "e2", "e3", "e4", "e5"],
            "recommendation_id": ["civic-t1-q-1", "civic-t1-un-1", "civic-t1-q-1", "civic-t1-q-1", "ipi-a-1"],
            "kind": ["milestone", "mission", "mandate", "harm_figure", "milestone"],
            "target": ["2010-nato-1", "UNAMA", "S/RES/1325 (2000)", "h1", "1999-x"],
            "reason": ["r1", "r2", "r3", "r4", "r5"],
            "source_id": ["civic-2019", "civic-2019", "ipi-2022", "ipi-2022", "ipi-2022"],
            "source_detail": ["p. 3", None, "Annex 2", None, None],
        }
    )


@pytest.fixture
def linked(milestones):
    missions = pd.DataFrame({"acronym": ["UNAMA"], "name": ["UN Assistance Mission in Afghanistan"]})
    mandates = pd.DataFrame({"resolution": ["S/RES/1325 (2000)"], "subject": ["Women, peace and security."]})
    harm = pd.DataFrame(
        {
            "id": ["h1"],
            "event": ["Armed conflict in Afghanistan"],
            "period_start_text": ["2018-01-01"],
            "period_end_text": ["2018-12-31"],
            "qualifier": ["exact"],
            "value_low": [10993],
            "value_high": [None],
            "measure": ["casualties"],
            "victims": ["civilians"],
            "counted_by": ["UNAMA"],
        }
    )
    return {"milestones": milestones, "missions": missions, "mandates": mandates, "civilian_harm": harm}


def test_evidence_of_keeps_the_items_order_and_labels_each_record(evidence, linked):
    links = rt.evidence_of(evidence, ["civic-t1-un-1", "civic-t1-q-1"], linked)
    assert links.columns.tolist() == rt.EVIDENCE_COLUMNS
    assert links["target"].tolist() == ["UNAMA", "2010-nato-1", "S/RES/1325 (2000)", "h1"]
    assert links["label"].tolist() == [
        "UNAMA: UN Assistance Mission in Afghanistan",
        "2010, NATO: c",
        "S/RES/1325 (2000): Women, peace and security.",
        "Armed conflict in Afghanistan, 2018-01-01 to 2018-12-31: 10,993 casualties (civilians), counted by UNAMA",
    ]
    assert links["page"].tolist() == [
        "pages/4_Missions_and_mandates.py",
        "pages/1_Timeline.py",
        "pages/4_Missions_and_mandates.py",
        "pages/5_Civilian_harm.py",
    ]
    assert links["source_detail"].fillna("").tolist() == ["", "p. 3", "Annex 2", ""]


def test_evidence_of_marks_records_that_are_missing_or_not_loaded(evidence, linked):
    links = rt.evidence_of(evidence, ["ipi-a-1", "civic-t1-q-1"], {**linked, "civilian_harm": None})
    assert links.set_index("target")["label"].to_dict() == {
        "1999-x": "(the linked record is not in the data)",
        "2010-nato-1": "2010, NATO: c",
        "S/RES/1325 (2000)": "S/RES/1325 (2000): Women, peace and security.",
        "h1": "(the linked record is not in the data)",
    }


def test_evidence_of_items_without_links_is_empty(evidence, linked):
    links = rt.evidence_of(evidence, ["other-1"], linked)
    assert links.empty and links.columns.tolist() == rt.EVIDENCE_COLUMNS


def test_evidence_pages_exist():
    from poc_data.ui import PAGES

    assert set(rt.EVIDENCE_PAGES.values()) <= {info.path for info in PAGES}
    assert set(rt.EVIDENCE_PAGES) == set(rt.EVIDENCE_DATASETS) == set(rt.EVIDENCE_KIND_LABELS)


@pytest.mark.parametrize(
    ("kind", "order", "label"), [("question", 2, "Question 2"), ("recommendation", 1, "Recommendation 1")]
)
def test_item_label(kind, order, label):
    assert rt.item_label({"kind": kind, "order": order}) == label


def test_transforms_do_not_mutate_their_input(recommendations, milestones, evidence, linked):
    before = recommendations.copy(deep=True), milestones.copy(deep=True), evidence.copy(deep=True)
    rt.discussion_prompts(rt.items_of(recommendations, ["National"]))
    rt.evidence_of(evidence, ["civic-t1-q-1"], linked)
    pd.testing.assert_frame_equal(before[0], recommendations)
    pd.testing.assert_frame_equal(before[1], milestones)
    pd.testing.assert_frame_equal(before[2], evidence)


def test_fixture_data_goes_through_every_transform():
    recommendations = load("recommendations", VALID)
    theme = "Adapt POC to new operational realities."
    assert rt.theme_options(recommendations) == [rt.ALL_THEMES, theme]
    items = rt.items_of(recommendations, [theme])
    assert list(items["kind"]) == ["recommendation", "question"]
    assert list(rt.discussion_prompts(items)["text"]) == ["A question?"]
    records = {dataset_id: load(dataset_id, VALID) for dataset_id, _key in rt.EVIDENCE_DATASETS.values()}
    links = rt.evidence_of(load("evidence", VALID), items["id"], records)
    assert links["kind"].tolist() == ["milestone", "mission", "mandate", "harm_figure"]
    assert not links["label"].str.contains("not in the data").any()


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
