"""The Workshop page through AppTest: the facilitator's session and controls, the participant's join, vote and note."""

from __future__ import annotations

import pytest

from poc_data import workshop
from poc_data.text import md
from poc_data.ui import workshop as live
from tests.apptest import interface, open_page, texts

PAGE = "pages/9_Workshop.py"
QUESTION = "civic-2019-t1-q-1"
RECOMMENDATION = "civic-2019-t1-ms-1"
OTHER_RECOMMENDATION = "civic-2019-t1-un-1"


@pytest.fixture(autouse=True)
def db(monkeypatch, tmp_path):
    """Each test on its own SQLite file, shared by the page and the test (playing the other people in the room)."""
    url = f"sqlite+pysqlite:///{tmp_path / 'workshops.sqlite3'}"
    monkeypatch.setenv(workshop.DB_VARIABLE, url)
    store = workshop.WorkshopStore(url)
    yield store
    store.close()


def facilitator_with_session(items=(QUESTION, RECOMMENDATION)):
    at = open_page(PAGE)
    at.selectbox(key="ws_preset").set_value("Pick my own").run()
    at.multiselect(key="ws_agenda_Pick my own").set_value(list(items))
    at.button(key="FormSubmitter:ws_start-Start the session").click().run()
    assert not at.exception
    return at


def session_of(at):
    return at.session_state["ws_facilitating"]


def test_the_page_offers_to_join_or_facilitate():
    at = open_page(PAGE)
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["Join a session", "Facilitate"]
    assert at.selectbox(key="ws_preset").value == "POC20 priority questions"
    agenda = at.multiselect(key="ws_agenda_POC20 priority questions").value
    assert len(agenda) == 8 and all(item.startswith("civic-2019-t") and "-q-" in item for item in agenda)


def test_facilitator_starts_a_session_and_gets_the_code_link_and_qr(db):
    at = facilitator_with_session()
    code, key = session_of(at)["code"], session_of(at)["key"]
    state = db.state(code)
    assert [item["item_id"] for item in state["items"]] == [QUESTION, RECOMMENDATION]
    shown = texts(at)
    assert f"## {code[:3]} {code[3:]}" in shown
    link = live.join_link("http://localhost:8501", code)
    assert link == f"http://localhost:8501/join?code={code}"
    assert [block.value for block in at.code if block.value.startswith("http")] == [link]
    assert key not in link
    assert [image.captions for image in at.get("image")] == [["Scan to join"]]
    assert at.button(key="ws_open").label == "Open voting"
    assert at.button(key="ws_previous").disabled
    assert "Voting is closed" in shown


def test_controls_move_the_session_and_the_tally_appears_when_revealed(db):
    at = facilitator_with_session()
    code = session_of(at)["code"]
    at.button(key="ws_open").click().run()
    assert db.state(code)["voting_open"]
    people = [db.join(code, name) for name in ("Ann", None, "Bo")]
    for person, level in zip(people, (2, 2, -1), strict=True):
        db.vote(code, person, QUESTION, level)
    db.note(code, people[0], QUESTION, "<b>Bold?</b> [link](http://example.org)")
    at.run()
    shown = texts(at)
    assert md("3 of 3 participants voted") in shown
    assert "The results are hidden until the facilitator reveals them." in shown
    assert "<b>Bold?</b> [link](http://example.org)" in [text.value for text in at.text]
    assert "— Participant 1 · Ann" in [text.value for text in at.text]
    assert not at.get("plotly_chart")
    at.button(key="ws_reveal").click().run()
    assert db.state(code)["revealed"]
    assert len(at.get("plotly_chart")) == 1
    at.button(key="ws_lock").click().run()
    assert not db.state(code)["voting_open"]
    at.button(key="ws_next").click().run()
    state = db.state(code)
    assert state["current"] == 1 and not state["revealed"]
    assert "**Recommendation 1**" in texts(at)


def test_the_evidence_of_the_current_item_is_shown():
    at = facilitator_with_session()
    shown = texts(at)
    assert "**Milestone**: 2015, UN\\: DPKO/DFS release UN POC policy" in shown


def test_exports_are_offered_and_delete_removes_the_session(db):
    at = facilitator_with_session()
    code = session_of(at)["code"]
    assert [button.label for button in at.get("download_button")] == [
        "Votes and notes (CSV)",
        "Report (Markdown)",
        "Everything (JSON)",
    ]
    at.button(key="ws_delete").click().run()
    assert not at.exception
    with pytest.raises(workshop.UnknownSession):
        db.state(code)
    assert "ws_facilitating" not in at.session_state


def test_a_participant_joins_votes_and_posts_a_note(db):
    code, key = db.create("Round table", [QUESTION, RECOMMENDATION])
    at = open_page(PAGE, query={live.CODE_PARAM: code.lower()})
    assert not at.exception
    form_code = [box for box in at.text_input if box.label == "Code"][0]
    assert form_code.value == code
    [box for box in at.text_input if box.label == "Your name (optional)"][0].input("  Ann  ")
    at.button(key="FormSubmitter:ws_join-Join").click().run()
    assert not at.exception
    me = at.query_params[live.ME_PARAM]
    assert db.participant(code, me) == {"number": 1, "name": "Ann"}
    assert "Voting on this item is not open yet" in texts(at)
    db.open_voting(code, key)
    at.run()
    at.radio[0].set_value(-1)
    at.button(key="FormSubmitter:ws_vote_civic-2019-t1-q-1-Send my vote").click().run()
    assert db.my_vote(code, me, QUESTION) == -1
    assert "Your vote: Disagree" in texts(at)
    at.text_area(key="ws_note_text").input("![img](http://example.org/x.png) **loud**")
    at.button(key="FormSubmitter:ws_note-Post note").click().run()
    assert db.notes(code)["text"].tolist() == ["![img](http://example.org/x.png) **loud**"]
    assert "![img](http://example.org/x.png) **loud**" in [text.value for text in at.text]


def test_a_participant_ranks_the_recommendations(db):
    code, key = db.create("Round table", [RECOMMENDATION])
    db.open_voting(code, key)
    me = db.join(code)
    at = open_page(PAGE, query={live.CODE_PARAM: code, live.ME_PARAM: me})
    assert "Round table · you are Participant 1" in [text.value for text in at.text]
    at.multiselect[0].set_value([OTHER_RECOMMENDATION, RECOMMENDATION])
    at.button(key=f"FormSubmitter:ws_vote_{RECOMMENDATION}-Send my vote").click().run()
    assert db.my_vote(code, me, RECOMMENDATION) == [OTHER_RECOMMENDATION, RECOMMENDATION]
    assert "Your vote: Recommendation 2 > Recommendation 1" in texts(at)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({live.CODE_PARAM: "ZZZZZZ", live.ME_PARAM: "nobody"}, "No live session has this code"),
        ({live.CODE_PARAM: "<script>", live.ME_PARAM: "x"}, "No live session has this code"),
    ],
)
def test_bad_links_give_a_plain_message(query, message):
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert any(message in error.value for error in at.error)


def test_a_participant_of_an_ended_session_is_told(db):
    code, key = db.create("Round table", [QUESTION])
    me = db.join(code)
    db.end(code, key)
    at = open_page(PAGE, query={live.CODE_PARAM: code, live.ME_PARAM: me})
    assert not at.exception
    assert "The session has ended" in texts(at)
    assert not at.get("form") or not any("ws_vote" in str(form) for form in at.get("form"))


def test_an_unknown_code_typed_in_the_join_form_is_refused():
    at = open_page(PAGE)
    [box for box in at.text_input if box.label == "Code"][0].input("ABCDEF")
    at.button(key="FormSubmitter:ws_join-Join").click().run()
    assert not at.exception
    assert any("No live session has this code" in error.value for error in at.error)
    assert live.ME_PARAM not in at.query_params


# The page's interface text in English that a French session must not show.
ENGLISH_WORDS = (
    "Join a session",
    "Facilitate",
    "Start the session",
    "Open voting",
    "Reveal results",
    "Previous item",
    "Next item",
    "Scan to join",
    "Join with the code",
    "Voting is closed",
    "participants voted",
    "agree or disagree",
    "Your controls are in the sidebar",
    "Take the results home",
    "Votes and notes (CSV)",
    "What informs this item",
    "Your answer",
    "Send my vote",
    "Post note",
    "Strongly agree",
)


def untranslated(at) -> list[str]:
    words = interface(at) + [tab.label for tab in at.tabs] + [text.value for text in at.text]
    words += [caption for image in at.get("image") for caption in image.captions]
    words += [option for radio in at.radio for option in radio.options]
    return [word for word in ENGLISH_WORDS for text in words if word in text]


def test_the_facilitators_page_in_french_and_its_join_link_carries_the_language(db):
    en = facilitator_with_session()
    fr = open_page(PAGE, query={"lang": "fr"})
    fr.selectbox(key="ws_preset").set_value("Pick my own").run()
    assert fr.selectbox(key="ws_preset").options[3] == "Mon propre choix"
    fr.multiselect(key="ws_agenda_Pick my own").set_value([QUESTION, RECOMMENDATION])
    fr.button(key="FormSubmitter:ws_start-Lancer la séance").click().run()
    assert not fr.exception
    assert untranslated(en) and not untranslated(fr)
    code = session_of(fr)["code"]
    assert [block.value for block in fr.code if block.value.startswith("http")] == [
        live.join_link("http://localhost:8501", code, "fr")
    ]
    assert live.join_link("http://localhost:8501", code, "fr").endswith(f"/join?code={code}&lang=fr")
    assert "Le vote est fermé" in texts(fr) and fr.button(key="ws_open").label == "Ouvrir le vote"


def test_a_participant_in_french_votes_with_french_answers(db):
    code, _key = db.create("Table ronde", [QUESTION])
    db.open_voting(code, _key)
    me = db.join(code, None)
    at = open_page(PAGE, query={live.CODE_PARAM: code, live.ME_PARAM: me, "lang": "fr"})
    assert not at.exception
    assert at.radio[0].label == "Votre réponse"
    assert at.radio[0].options[0] == "Tout à fait d'accord"
    assert not untranslated(at)
    at.radio[0].set_value(2)
    at.button(key="FormSubmitter:ws_vote_" + QUESTION + "-Envoyer mon vote").click().run()
    assert db.my_vote(code, me, QUESTION) == 2
    assert "Votre vote : Tout à fait d'accord" in texts(at)
