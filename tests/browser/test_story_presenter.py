"""A trainer's two windows of one story in real browsers: the projected audience view (1280x720) and the presenter
view on the laptop (1024x768) step together, from either window's arrow keys; a second trainer's presentation of
the same story, on the same server, is not moved."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest

from poc_data import workshop
from tests.browser import test_workshop
from tests.browser.server import wait_rendered
from tests.browser.test_pages import serious_violations
from tests.browser.test_presentation import HEADER_TEXT, MEASURE, check_fits, shipped_stories
from tests.browser.test_workshop import open_context, shot

pytestmark = pytest.mark.browser

# Each window polls the shared step every second, then redraws: the other window shows the step within a few
# seconds even on a busy machine.
FOLLOW_SECONDS = 10
# The app with its own database, which the test reads to check the shared step.
workshop_server = test_workshop.workshop_server


def press(page, key: str) -> None:
    """A key pressed with nothing focused, as a trainer does between steps."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def shows_notes(text: str) -> str:
    return f"() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes({text[:60]!r})"


def shows_header(title: str) -> str:
    return f"() => ({HEADER_TEXT})() === {title!r}"


def step_in_link(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("step", ["1"])[0]


def test_the_audience_and_presenter_windows_step_together(browser, workshop_server):
    base, url = workshop_server
    # A story whose steps are charts, so that the projected chart is checked to fit beside the following.
    story = next(story for story in shipped_stories() if story.id == "twenty-five-years-of-poc-policy")
    steps = story.steps
    store = workshop.WorkshopStore(url)
    contexts = []
    try:
        context, audience = open_context(browser, base, 1280, 720)
        contexts.append((context, audience))
        audience.open(f"Stories?story={quote_plus(story.title)}&present=true")
        # In presentation mode the sidebar starts folded: the trainer opens it once to make the presenter link.
        audience.page.get_by_test_id("stExpandSidebarButton").click()
        audience.page.get_by_role("button", name="Open a presenter view that steps with this one").click()
        link = audience.page.get_by_role("link", name="Open the presenter view")
        link.wait_for(timeout=30_000)
        href = link.get_attribute("href")
        token = parse_qs(urlsplit(href).query)["show"][0]
        assert parse_qs(urlsplit(audience.page.url).query)["show"] == [token]
        assert store.presentation(token) == (story.id, 1)

        context, presenter = open_context(browser, base, 1024, 768)
        contexts.append((context, presenter))
        presenter.open(href.removeprefix(f"{base}/"))
        presenter.page.wait_for_function(shows_notes(steps[0].notes))
        assert presenter.page.get_by_text(f"Next: {steps[1].title}", exact=True).count() == 1

        # A second trainer presents the same story on the same server, from step 1.
        other_token = store.start_presentation(story.id, 1)
        context, other = open_context(browser, base, 1024, 768)
        contexts.append((context, other))
        other.open(f"Stories?story={quote_plus(story.title)}&show={other_token}")
        assert other.page.evaluate(HEADER_TEXT) == steps[0].title

        # The projector's right arrow: the laptop shows the next step's notes.
        audience.page.mouse.move(1000, 400)
        audience.page.get_by_test_id("stSidebarHeader").hover()
        audience.page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
        press(audience.page, "ArrowRight")
        pressed = time.monotonic()
        presenter.page.wait_for_function(shows_notes(steps[1].notes), timeout=FOLLOW_SECONDS * 1000)
        assert time.monotonic() - pressed < FOLLOW_SECONDS
        assert audience.page.evaluate(HEADER_TEXT) == steps[1].title
        wait_rendered(presenter.page)
        assert step_in_link(presenter.page) == "2"
        assert store.presentation(token) == (story.id, 2)

        # The laptop's right arrow: the projector shows the step after.
        press(presenter.page, "ArrowRight")
        audience.page.wait_for_function(shows_header(steps[2].title), timeout=FOLLOW_SECONDS * 1000)
        wait_rendered(audience.page)
        assert step_in_link(audience.page) == "3"
        measured = audience.page.evaluate(MEASURE)
        assert len(measured["charts"]) == 1
        check_fits(measured, 1280)
        shot(audience.page, "story-audience-following-1280x720")
        wait_rendered(presenter.page)
        shot(presenter.page, "story-presenter-1024x768")
        # The presenter view's sidebar is open, with the link back, its address and the buttons: all accessible.
        assert serious_violations(presenter.page) == []

        # And back, from the laptop.
        press(presenter.page, "ArrowLeft")
        audience.page.wait_for_function(shows_header(steps[1].title), timeout=FOLLOW_SECONDS * 1000)

        # The other trainer's windows did not move.
        assert store.presentation(other_token) == (story.id, 1)
        assert other.page.evaluate(HEADER_TEXT) == steps[0].title
        for _context, page in contexts:
            assert page.page.locator('[data-testid="stException"]').count() == 0
            assert page.blocked == [], f"requests beyond localhost: {page.blocked}"
    finally:
        store.close()
        for context, _page in contexts:
            context.close()
