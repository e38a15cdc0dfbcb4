"""'Download this story' in a real browser: the HTML file it gives opens offline in Chromium with no request beyond
the file, and draws every step's figure (the map with its countries), caption and sources."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote_plus

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_presentation import shipped_stories

pytestmark = pytest.mark.browser

DRAWN = """n => document.querySelectorAll('.figure .main-svg').length >= n
  && [...document.querySelectorAll('.geolayer')].filter(geo => geo.children.length)
  .every(geo => geo.querySelector('.countries path'))"""


def test_the_downloaded_story_opens_offline_with_every_step(app, browser):
    story = next(story for story in shipped_stories() if story.id == "twenty-five-years-of-poc-policy")
    page = app.page
    app.open(f"Stories?story={quote_plus(story.title)}")
    with page.expect_download() as started:
        page.get_by_test_id("stSidebar").get_by_role("button", name="Download this story").click()
    saved = started.value
    assert saved.suggested_filename == f"poc-explorer-story-{story.id}.html"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / saved.suggested_filename
    saved.save_as(path)

    context = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    offline = context.new_page()
    requests: list[str] = []
    offline.on("request", lambda request: requests.append(request.url))
    offline.goto(Path(path).resolve().as_uri())
    figures = sum(step.page not in ("Round_table",) for step in story.steps)
    offline.wait_for_function(DRAWN, arg=figures, timeout=60_000)
    text = offline.locator("body").inner_text()
    for number, step in enumerate(story.steps, start=1):
        assert f"Step {number} of {len(story.steps)}" in text
        assert step.title in text
        assert " ".join(step.caption.split()) in " ".join(text.split())
    assert "Koops" in text
    assert offline.locator(".figure").count() == figures
    assert requests == [Path(path).resolve().as_uri()], requests
    offline.screenshot(path=str(ARTIFACTS / "story-export-offline.png"), full_page=True)
    context.close()
