"""The Stories page through AppTest: the list, one step at a time from a link, stepping, presenter view, bad stories."""

from __future__ import annotations

import shutil

from poc_data.load import load
from poc_data.stories import read_stories
from poc_data.text import md
from tests.apptest import open_page, texts
from tests.conftest import FIXTURES, REPO, data_copy

PAGE = "pages/8_Stories.py"
DATA = REPO / "data"


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
