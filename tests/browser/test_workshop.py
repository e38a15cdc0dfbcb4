"""A live workshop in real browsers: one facilitator on the Streamlit page and five participants on the light page
(/join) at 360 px, each in a separate browser context."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from poc_data import workshop
from tests.browser.conftest import ARTIFACTS, OfflinePage
from tests.browser.server import start_server, stop_server, wait_rendered

pytestmark = pytest.mark.browser

PARTICIPANTS = ["Ann", "", "Chidi", "Dana", "<b>Eve</b>"]
# The promise: a vote shows in the tally within 3 seconds; the views poll every 2.
TALLY_SECONDS = 3
# Participants' pages poll every 3 s and then redraw: time enough on a busy machine.
FOLLOW_SECONDS = 20


@pytest.fixture(scope="module")
def workshop_server(tmp_path_factory):
    """The app with its own workshop database, which the test reads to check what was stored."""
    url = f"sqlite+pysqlite:///{tmp_path_factory.mktemp('workshop') / 'workshops.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(workshop.DB_VARIABLE, url)
        process, base = start_server()
    yield base, url
    stop_server(process)


def open_context(browser, base: str, width: int, height: int) -> tuple:
    context = browser.new_context(viewport={"width": width, "height": height})
    return context, OfflinePage(context.new_page(), base)


def click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def wait_text(page, text: str, timeout: float = 15) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)


def shot(page, name: str) -> None:
    """What the screen shows from the top of the page (clicking the controls scrolls the page and the sidebar)."""
    page.evaluate("() => document.querySelectorAll('*').forEach(element => { element.scrollTop = 0; })")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def start_session(facilitator, url: str) -> tuple[workshop.WorkshopStore, str]:
    """The facilitator starts a session on the presented page; the store and the session's code."""
    facilitator.open("Workshop?present=true")
    facilitator.page.get_by_role("tab", name="Facilitate").click()
    click(facilitator.page, "Start the session")
    wait_text(facilitator.page, "Scan to join")
    wait_rendered(facilitator.page)
    store = workshop.WorkshopStore(url)
    with store.engine.connect() as connection:
        (code,) = connection.execute(sa.select(workshop.sessions_table.c.code)).scalars().all()
    link_text = facilitator.page.get_by_text(re.compile(r"^http.*/join\?code=")).first.inner_text()
    assert link_text.endswith(f"/join?code={code}") and "\u2060" not in link_text and "key" not in link_text
    return store, code


def join_everyone(browser, base: str, code: str, contexts: list) -> list:
    """Each participant joins from a phone of their own (a context added to `contexts`); their pages."""
    people = []
    for name in PARTICIPANTS:
        context, person = open_context(browser, base, 360, 740)
        contexts.append((context, person))
        person.page.goto(f"{base}/join?code={code}")
        person.page.get_by_role("textbox", name="Your name (optional)").fill(name)
        click(person.page, "Join")
        wait_text(person.page, "Voting on this item is not open yet")
        people.append(person)
    # Joining again from a browser gives the same participant.
    people[0].page.goto(f"{base}/join?code={code}")
    wait_text(people[0].page, "You are Participant 1 · Ann")
    shot(people[0].page, "workshop-participant-360-waiting")
    return people


def everyone_votes(facilitator, people: list) -> None:
    """The facilitator opens voting, everyone votes, and the facilitator's tally counts them within the promise."""
    # In presentation mode the sidebar, which holds the controls, starts folded: the facilitator opens it.
    facilitator.page.get_by_test_id("stExpandSidebarButton").click()
    click(facilitator.page, "Open voting")
    answers = ["Agree", "Strongly agree", "Agree", "Disagree", "Agree"]
    for person, answer in zip(people, answers, strict=True):
        person.page.get_by_label(answer, exact=True).wait_for(timeout=FOLLOW_SECONDS * 1000)
        person.page.get_by_label(answer, exact=True).check()
        click(person.page, "Send my vote")
        wait_text(person.page, "Your vote is in")
    voted_at = time.monotonic()
    wait_text(facilitator.page, "5 of 5 participants voted", timeout=TALLY_SECONDS + 2)
    seen_after = time.monotonic() - voted_at
    assert seen_after <= TALLY_SECONDS + 1, seen_after
    shot(people[1].page, "workshop-participant-360-voted")


def everyone_posts_a_note(facilitator, people: list) -> None:
    """Each participant posts a note with markup; the facilitator sees every note and author as plain text."""
    for number, person in enumerate(people):
        person.page.get_by_role("textbox", name="Your note (plain text)").fill(
            f"Note {number} [link](http://example.org) <i>x</i>"
        )
        click(person.page, "Post note")
        wait_text(person.page, "Posted")
    wait_text(facilitator.page, "Notes (5)", timeout=TALLY_SECONDS + 2)
    facilitator.page.get_by_text("Note 4 [link](http://example.org) <i>x</i>", exact=True).wait_for(timeout=10_000)
    assert facilitator.page.locator('a[href="http://example.org"]').count() == 0
    facilitator.page.get_by_text("— Participant 5 · <b>Eve</b>", exact=True).first.wait_for(timeout=10_000)


def reveal_results(facilitator, people: list) -> None:
    """The facilitator reveals the results: a chart on the projector, the results on the phones."""
    click(facilitator.page, "Reveal results")
    facilitator.page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=30_000)
    wait_text(people[2].page, "Results (5 vote(s))", timeout=FOLLOW_SECONDS)
    shot(facilitator.page, "workshop-facilitator-1280x720-present")
    facilitator.page.set_viewport_size({"width": 1024, "height": 768})
    time.sleep(1)
    shot(facilitator.page, "workshop-facilitator-1024x768-present")
    shot(people[2].page, "workshop-participant-360-results")


def lock_and_step_on(facilitator, people: list) -> None:
    """The facilitator locks voting, then steps to the next item by the arrow key; the phones follow."""
    click(facilitator.page, "Lock voting")
    wait_text(people[0].page, "Voting on this item is locked", timeout=FOLLOW_SECONDS)
    facilitator.page.mouse.click(700, 10)
    facilitator.page.keyboard.press("ArrowRight")
    wait_text(people[0].page, "Item 2 of 8", timeout=FOLLOW_SECONDS)


def test_a_facilitator_and_five_participants_run_a_round_table(browser, workshop_server):
    base, url = workshop_server
    contexts = []
    try:
        context, facilitator = open_context(browser, base, 1280, 720)
        contexts.append((context, facilitator))
        store, code = start_session(facilitator, url)
        people = join_everyone(browser, base, code, contexts)
        assert store.state(code)["participants"] == len(PARTICIPANTS)
        everyone_votes(facilitator, people)
        everyone_posts_a_note(facilitator, people)
        reveal_results(facilitator, people)

        tally = store.tally(code).set_index(["position", "option"])
        assert tally.loc[(0, "1"), "votes"] == 3 and tally.loc[(0, "2"), "votes"] == 1
        assert tally.loc[(0, "-1"), "votes"] == 1
        assert len(store.notes(code)) == 5
        assert sorted(store.notes(code)["name"].fillna("")) == sorted(PARTICIPANTS)

        lock_and_step_on(facilitator, people)
        for _context, page in contexts:
            assert page.blocked == [], f"requests beyond localhost: {page.blocked}"
        for person in people:
            assert person.page.evaluate("document.documentElement.scrollWidth") <= 360
        store.close()
    finally:
        for context, _page in contexts:
            context.close()


def test_the_participant_view_fits_a_phone(browser, workshop_server):
    base, url = workshop_server
    store = workshop.WorkshopStore(url)
    code, key = store.create("Phone check", ["civic-2019-t1-ms-1"])
    store.open_voting(code, key)
    context, person = open_context(browser, base, 360, 740)
    try:
        person.page.goto(f"{base}/join?code={code}")
        person.page.get_by_role("textbox", name="Your name (optional)").fill("Ann")
        click(person.page, "Join")
        wait_text(person.page, "Put the recommendations in order of priority")
        person.page.get_by_role("button", name="Move down: Recommendation 1").click()
        wait_text(person.page, "Recommendation 1 is now number 2.")
        click(person.page, "Send my vote")
        wait_text(person.page, "Your vote: Recommendation 2 > Recommendation 1")
        width = person.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
        shot(person.page, "workshop-participant-360-ranking")
    finally:
        context.close()
        store.close()
