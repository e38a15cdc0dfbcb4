"""The Round table page through AppTest: themes, discussion mode, printable layout, links, broken data."""

from __future__ import annotations

import pytest
import yaml

from poc_data.text import md
from poc_data.transform import roundtable as rt
from tests.apptest import interface, open_page, texts
from tests.conftest import data_copy

PAGE = "pages/6_Round_table.py"
NATIONAL = "Prioritizing POC at the National Level"
HARM = "Minimizing Harm"
ADAPT = "Adapt POC to new operational realities."


def record(id_, source_id, theme, kind, text, order, related, addressee=None):
    entry = {"id": id_, "source_id": source_id, "theme": theme, "kind": kind, "text": text, "order": order}
    if addressee:
        entry["addressee"] = addressee
    entry["related_themes"] = related
    return entry


RECORDS = [
    record("civic-2019-t1-ms-1", rt.POC20, NATIONAL, "recommendation", "Adopt a policy.", 1, ["policy and doctrine"],
           "Member States"),
    record("civic-2019-t1-un-1", rt.POC20, NATIONAL, "recommendation", "Support states.", 2, ["operations"],
           "the UN and other international/regional actors"),
    record("civic-2019-t1-q-1", rt.POC20, NATIONAL, "question", "What should a framework include?", 1,
           ["policy and doctrine"], "policymakers"),
    record("civic-2019-t1-q-2", rt.POC20, NATIONAL, "question", "How to advance WPS?", 2,
           ["interorganizational cooperation"], "policymakers"),
    record("civic-2019-t2-q-1", rt.POC20, HARM, "question", "What are the urban impacts?", 1,
           ["failures to protect and civilian harm"], "policymakers"),
    record("ipi-2022-adapt-1", rt.IPI, ADAPT, "recommendation", "Share lessons.", 1, ["operations"],
           "the UN, EU, NATO, and their member states"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch, tmp_path):
    """The valid fixture with a round table of two POC20 themes and one IPI theme."""
    directory = data_copy(tmp_path)
    path = directory / "recommendations.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["records"] = RECORDS
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    return directory


def timeline_links(at) -> list[str]:
    return [link.proto.query_string for link in at.main.get("page_link") if link.proto.page == "Timeline"]


def test_overview_shows_each_theme_with_its_recommendations_questions_and_links():
    at = open_page(PAGE)
    assert not at.exception
    assert at.selectbox(key="rt_theme").value == rt.ALL_THEMES
    assert at.selectbox(key="rt_view").value == "Overview"
    shown = texts(at)
    for heading in (NATIONAL, HARM, "Adapt POC to new operational realities\\."):
        assert f"#### {heading}" in shown
    assert "**Priority recommendation to Member States**" in shown
    assert "**Priority questions for policymakers**" in shown
    assert "**Recommendation to the UN, EU, NATO, and their member states**" in shown
    assert md(rt.SECTION_TITLES[rt.POC20]) in shown
    assert shown.index(md(rt.SECTION_TITLES[rt.POC20])) < shown.index(md(rt.SECTION_TITLES[rt.IPI]))
    assert (
        "- **Milestone**: 1999, Interorganizational\\: UNMIK and KFOR share responsibilities for contributing to safe "
        "and secure environment in Kosovo  \n  Why: UNMIK and KFOR share responsibilities\\.  \n  *" in shown
    )
    assert "- **Operation**: KFOR\\: Kosovo Force" in shown
    assert "No curated evidence link for this yet" in shown
    assert [link.proto.page for link in at.main.get("page_link")] == ["Timeline", "Missions_and_mandates"]
    assert not [caption for caption in at.caption if "Informed by" in caption.value]
    assert [button.label for button in at.download_button] == [
        "Download the 6 recommendations and questions shown (CSV)"
    ]


def test_choosing_a_theme_shows_only_it():
    at = open_page(PAGE)
    at.selectbox(key="rt_theme").set_value(HARM).run()
    assert not at.exception
    shown = texts(at)
    assert f"#### {HARM}" in shown
    assert NATIONAL not in shown
    assert [button.label for button in at.download_button] == ["Download the 1 recommendation or question shown (CSV)"]
    assert timeline_links(at) == []
    assert "No curated evidence link for this yet" in shown


def test_query_params_restore_theme_view_and_question():
    at = open_page(PAGE, query={"rt_theme": NATIONAL, "rt_view": "Discussion", "rt_question": "2"})
    assert not at.exception
    assert not at.warning
    assert at.selectbox(key="rt_theme").value == NATIONAL
    assert at.pagination(key="rt_question").value == 2
    assert [header.value for header in at.header] == ["How to advance WPS?"]


def test_discussion_mode_steps_through_the_questions():
    at = open_page(PAGE, query={"rt_theme": NATIONAL, "rt_view": "Discussion"})
    assert [header.value for header in at.header] == ["What should a framework include?"]
    assert at.button(key="rt_previous").disabled
    assert "Question 1 of 2" in texts(at)
    at.button(key="rt_next").click().run()
    assert not at.exception
    assert [header.value for header in at.header] == ["How to advance WPS?"]
    assert at.button(key="rt_next").disabled
    at.button(key="rt_previous").click().run()
    assert [header.value for header in at.header] == ["What should a framework include?"]


def test_discussion_of_a_theme_without_questions_uses_its_recommendations():
    at = open_page(PAGE, query={"rt_theme": ADAPT, "rt_view": "Discussion"})
    assert [header.value for header in at.header] == ["Share lessons\\."]
    assert "Recommendation to discuss 1 of 1" in texts(at)


def test_printable_layout_has_print_styles_and_no_links():
    at = open_page(PAGE, query={"rt_view": "Printable"})
    assert not at.exception
    assert any("@media print" in html.value for html in at.html)
    assert timeline_links(at) == []
    assert "#### Minimizing Harm" in texts(at)
    assert "Sources" in [subheader.value for subheader in at.subheader]
    assert any("Koops" in markdown.value and "tier: academic" in markdown.value for markdown in at.markdown)


@pytest.mark.parametrize(
    ("query", "notice", "key", "default"),
    [
        ({"rt_theme": "No such theme"}, "is not available here", "rt_theme", rt.ALL_THEMES),
        ({"rt_view": "Slides"}, "is not available here", "rt_view", "Overview"),
        ({"rt_view": "Discussion", "rt_theme": NATIONAL, "rt_question": "9"}, "does not exist here", None, None),
    ],
)
def test_invalid_query_params_give_a_notice_and_the_default(query, notice, key, default):
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert any(notice in warning.value for warning in at.warning)
    if key:
        assert at.selectbox(key=key).value == default
    else:
        assert at.pagination(key="rt_question").value == 1


def test_broken_recommendations_show_the_error_and_the_page_still_renders(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path / "bad", "records_not_list")))
    at = open_page(PAGE)
    assert not at.exception
    assert any("The recommendations dataset could not be loaded" in error.value for error in at.error)
    assert "Sources of what is shown (0)" in [expander.label for expander in at.expander]


def test_broken_milestones_leave_the_recommendations_shown(monkeypatch, fixture_data):
    (fixture_data / "milestones.yaml").write_text("records: [\n", encoding="utf-8")
    at = open_page(PAGE)
    assert not at.exception
    assert any("The milestones dataset could not be loaded" in error.value for error in at.error)
    assert "Adopt a policy\\." in texts(at)
    assert f"**Milestone**: {md('(the linked record is not in the data)')}" in texts(at)
    assert "- **Operation**: KFOR\\: Kosovo Force" in texts(at)


def test_broken_evidence_shows_the_error_and_the_recommendations(monkeypatch, fixture_data):
    (fixture_data / "evidence.yaml").write_text("records: [\n", encoding="utf-8")
    at = open_page(PAGE)
    assert not at.exception
    assert any("The evidence dataset could not be loaded" in error.value for error in at.error)
    assert "Adopt a policy\\." in texts(at)


def test_discussion_steps_by_the_arrow_keys():
    at = open_page(PAGE, query={"rt_theme": NATIONAL, "rt_view": "Discussion"})
    assert not at.exception
    shortcuts = {button.key: button.proto.shortcut for button in at.button if button.key in ("rt_previous", "rt_next")}
    assert {key: value.casefold() for key, value in shortcuts.items()} == {"rt_previous": "left", "rt_next": "right"}


# The page's interface text in English that a French session must not show (the reports' text is not in here).
ENGLISH_WORDS = (
    "Theme",
    "One theme at a time",
    "Discussion shows",
    "What informs it",
    "Priority recommendation",
    "Priority questions",
    "Recommendation to",
    "**Milestone**",
    "**Operation**",
    "Why:",
    "No curated evidence link",
    "Explore:",
    "Download the",
    "Question 1 of",
    "Previous",
    "Next",
    "Laid out for paper",
    "recommendations for an interorganizational",
)


def untranslated(at) -> list[str]:
    return [word for word in ENGLISH_WORDS for text in interface(at) if word in text]


@pytest.mark.parametrize(
    "query", [{}, {"rt_theme": NATIONAL, "rt_view": "Discussion"}, {"rt_view": "Printable"}], ids=str
)
def test_the_page_in_french_is_french_but_the_reports_text(query):
    """The interface words of the English run are all French in a French one; the reports' recommendations and
    questions are the same, verbatim, and said to be quoted in English."""
    en, fr = open_page(PAGE, query=query), open_page(PAGE, query={**query, "lang": "fr"})
    assert not en.exception and not fr.exception
    assert untranslated(en) and not untranslated(fr)
    verbatim = {md(entry["text"]) for entry in RECORDS}
    quoted = [block.value for block in en.markdown if block.value.removeprefix("- ") in verbatim]
    quoted += [header.value for header in en.header]
    assert quoted and all(text in [b.value for b in fr.markdown] + [h.value for h in fr.header] for text in quoted)
    assert any("quoted in the reports' own words" not in caption.value for caption in en.caption)
    assert any("citées dans les termes des rapports, en anglais" in caption.value for caption in fr.caption)


def test_the_french_overview_names_its_parts_in_french():
    at = open_page(PAGE, query={"lang": "fr"})
    shown = texts(at)
    assert at.selectbox(key="rt_theme").value == rt.ALL_THEMES  # the value stays; its label is French
    assert "Tous les thèmes" in at.selectbox(key="rt_theme").options
    assert at.selectbox(key="rt_view").options == ["Vue d'ensemble", "Discussion", "Imprimable"]
    assert "**Recommandation prioritaire — Member States**" in shown
    assert "**Questions prioritaires — policymakers**" in shown
    assert md("POC20 (CIVIC, 2019) : thèmes, recommandations prioritaires et questions prioritaires") in shown
    assert "- **Jalon** : 1999" in shown and "Pourquoi : " in shown
    assert [button.label for button in at.download_button] == [
        "Télécharger les 6 recommandations et questions affichées (CSV)"
    ]


def test_a_french_link_to_a_view_opens_it():
    at = open_page(PAGE, query={"lang": "fr", "rt_view": "Discussion", "rt_theme": NATIONAL})
    assert not at.exception and not at.warning
    assert at.selectbox(key="rt_view").value == "Discussion"
    assert "Question 1 sur 2" in texts(at)
