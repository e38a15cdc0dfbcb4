"""The Stories page through AppTest: the list, one step at a time from a link, stepping, presenter view, bad stories."""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlsplit

import pytest

from poc_data import workshop
from poc_data.load import load
from poc_data.stories import read_stories
from poc_data.text import md
from tests import test_app_workshop
from tests.apptest import interface, open_page, texts
from tests.conftest import FIXTURES, REPO, data_copy

PAGE = "pages/8_Stories.py"
DATA = REPO / "data"
START = "show_start"
# Each test on its own database of presentations, shared by the page's sessions and the test (autouse).
db = test_app_workshop.db


def shipped():
    data = {name: load(name, DATA) for name in ("milestones", "missions", "recommendations", "sources")}
    stories = [f.story for f in read_stories(DATA, data=data, source_ids=set(data["sources"]["id"]))]
    return {story.id: story for story in stories}


def test_without_a_story_the_page_lists_them():
    at = open_page(PAGE)
    assert not at.exception
    shown = texts(at)
    for story in shipped().values():
        assert md(story.title) in [subheader.value for subheader in at.subheader]
        assert f"{len(story.steps)} steps" in shown


def test_a_link_opens_a_story_at_its_step_with_the_chart_caption_and_sources():
    story = shipped()["twenty-five-years-of-poc-policy"]
    at = open_page(PAGE, query={"story": story.title, "step": "2"})
    assert not at.exception
    step = story.steps[1]
    assert [header.value for header in at.header] == [md(step.title)]
    assert len(at.get("plotly_chart")) == 1
    shown = texts(at)
    assert md(step.caption) in shown
    assert "Koops" in shown
    assert f"step 2 of {len(story.steps)}" in shown
    assert at.button(key="step_next").proto.shortcut
    assert at.button(key="step_previous").proto.shortcut


def test_next_and_previous_step_and_keep_the_step_in_the_link():
    story = shipped()["what-poc20-asks"]
    at = open_page(PAGE, query={"story": story.title})
    assert [header.value for header in at.header] == [md(story.steps[0].title)]
    assert at.button(key="step_previous").disabled
    at.button(key="step_next").click().run()
    assert [header.value for header in at.header] == [md(story.steps[1].title)]
    assert at.query_params["step"] in ("2", ["2"])
    at.button(key="step_previous").click().run()
    assert [header.value for header in at.header] == [md(story.steps[0].title)]


def test_the_presenter_view_shows_the_notes_and_the_next_step():
    story = shipped()["three-organizations-three-definitions"]
    at = open_page(PAGE, query={"story": story.title, "step": "1", "presenter": "true"})
    assert not at.exception
    shown = texts(at)
    assert story.steps[0].notes[:40] in shown.replace("\\", "")
    assert f"Next: {story.steps[1].title}" in shown.replace("\\", "")
    assert len(at.get("plotly_chart")) == 0


def test_a_bad_story_shows_its_problems_and_the_good_ones_stay(monkeypatch, tmp_path):
    directory = data_copy(tmp_path)
    (directory / "stories").mkdir()
    shutil.copy(FIXTURES / "stories" / "valid" / "two-steps.yaml", directory / "stories")
    shutil.copy(FIXTURES / "stories" / "bad" / "unknown-page.yaml", directory / "stories")
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page(PAGE, query={"story": "A story in two steps"})
    assert not at.exception
    assert any("unknown-page.yaml has problems" in error.value for error in at.error)
    assert any("unknown-page.yaml:3: steps[1].page: unknown page 'Dashboard'" in code.value for code in at.code)
    assert [header.value for header in at.header] == ["The milestones of 1999"]
    assert at.get("download_button")


def headers(at) -> list[str]:
    return [header.value for header in at.header]


def param(at, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def presenting(story, step: str = "1"):
    """The audience view of `story` at `step`, with a presenter view made for it: the session and the link."""
    at = open_page(PAGE, query={"story": story.title, "step": step, "present": "true"})
    at.button(key=START).click().run()
    assert not at.exception
    (link,) = [button.proto.url for button in at.get("link_button")]
    return at, link


def test_the_presenter_link_carries_a_new_presentation_of_the_story_at_its_step(db):
    story = shipped()["what-poc20-asks"]
    at, link = presenting(story, "2")
    query = parse_qs(urlsplit(link).query)
    token = query["show"][0]
    assert urlsplit(link).path == "/Stories"
    assert query["story"] == [story.title] and query["step"] == ["2"] and query["presenter"] == ["true"]
    assert param(at, "show") == token
    assert db.presentation(token) == (story.id, 2)
    assert any(link == block.value for block in at.code)
    assert headers(at) == [md(story.steps[1].title)]


def test_a_step_in_one_window_is_followed_by_the_other(db):
    story = shipped()["what-poc20-asks"]
    audience, link = presenting(story)
    token = parse_qs(urlsplit(link).query)["show"][0]
    presenter = open_page(PAGE, query={key: values for key, values in parse_qs(urlsplit(link).query).items()})
    assert not presenter.exception
    assert story.steps[0].notes[:40] in texts(presenter).replace("\\", "")
    # The presenter view links back to the audience view of the same presentation, for the projector.
    back = parse_qs(urlsplit(presenter.get("link_button")[0].proto.url).query)
    assert back["show"] == [token] and back["present"] == ["true"] and "presenter" not in back

    audience.button(key="step_next").click().run()
    assert db.presentation(token) == (story.id, 2)
    presenter.run()  # what the presenter's poll does once it sees the new step
    assert headers(presenter) == [md(story.steps[1].title)]
    assert f"Next: {story.steps[2].title}" in texts(presenter).replace("\\", "")
    assert param(presenter, "step") == "2"

    presenter.button(key="step_next").click().run()
    presenter.button(key="step_next").click().run()
    assert db.presentation(token) == (story.id, 4)
    audience.run()
    assert headers(audience) == [md(story.steps[3].title)]
    assert param(audience, "step") == "4"


def test_a_window_opened_late_joins_at_the_shared_step(db):
    story = shipped()["twenty-five-years-of-poc-policy"]
    token = db.start_presentation(story.id, 5)
    at = open_page(PAGE, query={"story": story.title, "step": "2", "show": token})
    assert not at.exception
    assert headers(at) == [md(story.steps[4].title)]
    assert param(at, "step") == "5"
    assert db.presentation(token) == (story.id, 5)


def test_two_presentations_of_the_same_story_do_not_move_each_other(db):
    story = shipped()["what-poc20-asks"]
    first, _link = presenting(story)
    second, _link = presenting(story)
    tokens = param(first, "show"), param(second, "show")
    assert tokens[0] != tokens[1]
    first.button(key="step_next").click().run()
    second.run()
    assert headers(second) == [md(story.steps[0].title)]
    assert db.presentation(tokens[1]) == (story.id, 1)


def test_a_window_can_step_on_its_own_again(db):
    story = shipped()["what-poc20-asks"]
    at, link = presenting(story)
    token = param(at, "show")
    at.button(key="show_stop").click().run()
    assert param(at, "show") is None and not at.get("link_button")
    at.button(key="step_next").click().run()
    assert db.presentation(token) == (story.id, 1)
    assert at.button(key=START).label.startswith("Open a presenter view")


@pytest.mark.parametrize(
    ("show", "notice"),
    [
        ("x" * 22, "No presentation has this link here"),
        ("<b>nope</b>", "not a link this app made"),
        ("y" * 5000, "not a link this app made"),
    ],
)
def test_a_bad_or_unknown_presentation_link_is_refused_with_a_notice(show, notice):
    story = shipped()["what-poc20-asks"]
    at = open_page(PAGE, query={"story": story.title, "step": "3", "show": show})
    assert not at.exception
    assert any(notice in warning.value and "steps on its own" in warning.value for warning in at.warning)
    assert param(at, "show") is None
    assert headers(at) == [md(story.steps[2].title)]
    assert at.button(key=START)


def test_a_presentation_of_another_story_is_not_followed(db):
    token = db.start_presentation("three-organizations-three-definitions", 4)
    story = shipped()["what-poc20-asks"]
    at = open_page(PAGE, query={"story": story.title, "step": "2", "show": token})
    assert not at.exception
    assert any("of another story" in warning.value for warning in at.warning)
    assert headers(at) == [md(story.steps[1].title)]
    at.button(key="step_next").click().run()
    assert db.presentation(token) == ("three-organizations-three-definitions", 4)


def test_an_ended_presentation_stops_the_following(db):
    story = shipped()["what-poc20-asks"]
    at, _link = presenting(story)
    with db.engine.begin() as connection:
        connection.execute(workshop.presentations_table.delete())
    at.run()
    assert not at.exception
    assert any("No presentation has this link here" in warning.value for warning in at.warning)
    assert param(at, "show") is None


def test_choosing_another_story_leaves_the_presentation_quietly(db):
    story = shipped()["what-poc20-asks"]
    other = shipped()["three-organizations-three-definitions"]
    at, _link = presenting(story)
    token = param(at, "show")
    at.selectbox(key="story").set_value(other.id).run()
    assert not at.exception
    assert headers(at) == [md(other.steps[0].title)]
    assert not at.warning
    assert param(at, "show") is None
    assert db.presentation(token) == (story.id, 1)


@pytest.mark.parametrize("present", [False, True])
def test_a_projected_step_chart_fits_under_its_title_and_a_rerun_draws_it_alike(present):
    import plotly.io

    from poc_data.ui.stories import PROJECTED_STEP_HEIGHT

    story = shipped()["twenty-five-years-of-poc-policy"]
    query = {"story": story.title, "step": "4"} | ({"present": "true"} if present else {})
    at = open_page(PAGE, query=query)
    first = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    at.run()
    again = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert not at.exception and len(first) == 1
    assert first[0].to_dict() == again[0].to_dict()
    height = first[0].layout.height
    assert (height is not None and height <= PROJECTED_STEP_HEIGHT) if present else height != PROJECTED_STEP_HEIGHT


FRENCH = "ce-que-demande-le-rapport-poc20"


# Interface text of the Stories page in English that a French session must not show.
ENGLISH_WORDS = (
    "steps:",
    "Present this story",
    "Choose a story",
    "Presenter view",
    "Previous",
    "Next",
    "step 2 of",
    "Download this story",
    "Explore this view",
    "Open a presenter view",
    "**Sources:**",
)


def test_a_french_session_is_offered_the_french_story_first_and_the_english_ones_marked():
    at = open_page(PAGE, query={"lang": "fr"})
    assert not at.exception
    stories = shipped()
    assert at.subheader[0].value == md(stories[FRENCH].title)
    english = [story for story in stories.values() if story.lang == "en"]
    assert [caption.value for caption in at.caption].count("Ce récit est rédigé en anglais.") == len(english)
    assert "4 étapes : " + " · ".join(md(step.title) for step in stories[FRENCH].steps) in texts(at)
    assert not [word for word in ENGLISH_WORDS for text in interface(at) if word in text]


def test_an_english_session_marks_the_french_story():
    at = open_page(PAGE)
    assert at.subheader[-1].value == md(shipped()[FRENCH].title)
    assert [caption.value for caption in at.caption].count("This story is written in French.") == 1


def test_the_french_story_presented_in_french_is_french_but_the_reports_words():
    """Every interface word the English run shows is another in French; the report's recommendations stay verbatim."""
    french, english = shipped()[FRENCH], shipped()["what-poc20-asks"]
    fr = open_page(PAGE, query={"lang": "fr", "story": french.title, "step": "2", "present": "true"})
    en = open_page(PAGE, query={"story": english.title, "step": "2", "present": "true"})
    assert not fr.exception and not en.exception
    assert headers(fr) == [md(french.steps[1].title)]
    assert md(french.steps[1].caption) in texts(fr)
    assert f"{md(french.title)} · étape 2 sur 4" in texts(fr)
    assert (fr.button(key="step_previous").label, fr.button(key="step_next").label) == ("Précédent", "Suivant")
    assert not [word for word in ENGLISH_WORDS for text in interface(fr) if word in text]
    # The same view: the report's own text (the block headings and lines) is the English run's; the sources' list is
    # not the report's text (its framing words, "tier: official", are the interface's).
    recommendations = [
        block.value for block in en.markdown if block.value.startswith("- ") and "tier: " not in block.value
    ]
    assert recommendations and all(block in [b.value for b in fr.markdown] for block in recommendations)
    assert not fr.caption or all(caption.value != "This story is written in French." for caption in fr.caption)
