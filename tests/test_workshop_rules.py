"""The workshop store's rules for a hall, on SQLite and PostgreSQL, under concurrency: one participant per browser,
caps and a rate limit, a join limiter that holds, atomic facilitator actions, a projector that reads what it shows,
and the text rules."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from poc_data import workshop
from poc_data.workshop import (
    InvalidInput,
    NotInSession,
    TooFast,
    TooManyAttempts,
    UnknownSession,
    WorkshopStore,
)
from tests.workshop_db import db_url  # noqa: F401 - a fixture

QUESTIONS = ["civic-2019-t1-q-1", "civic-2019-t1-q-2", "civic-2019-t1-q-3", "civic-2019-t2-q-1", "civic-2019-t2-q-2"]
THREADS = 16


@pytest.fixture
def store(db_url):  # noqa: F811 - the fixture
    opened = WorkshopStore(db_url)
    yield opened
    opened.close()


@pytest.fixture
def session(store):
    code, key = store.create("Hall", QUESTIONS)
    store.open_voting(code, key)
    return code, key


def at_once(count: int, action) -> list:
    """Run `action(number)` in `count` threads released together; each result, or the exception it raised."""
    start = threading.Barrier(count, timeout=60)

    def run(number: int):
        start.wait()
        try:
            return action(number)
        except Exception as error:  # noqa: BLE001 - the test counts the refusals
            return error

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def kinds(results: list) -> Counter:
    return Counter(type(result).__name__ if isinstance(result, Exception) else "ok" for result in results)


def failed_rows(store: WorkshopStore) -> int:
    with store.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(workshop.failed_joins_table)).scalar_one()


# One participant per browser, caps and rate


def test_a_second_join_from_the_same_browser_is_the_same_participant(store, session):
    code, _key = session
    first = store.join(code, "Ann", browser="browser-a")
    assert store.join(code.lower(), "Someone else", browser="browser-a") == first
    assert store.participant(code, first)["name"] == "Ann"
    assert store.join(code, browser="browser-b") != first
    assert store.state(code)["participants"] == 2


def test_simultaneous_joins_from_one_browser_make_one_participant_and_one_ballot(store, session):
    code, _key = session
    results = at_once(THREADS, lambda _n: store.join(code, "Ann", browser="one-browser", client="10.0.0.1"))
    assert kinds(results) == {"ok": THREADS}
    assert len(set(results)) == 1
    for participant in results:
        store.vote(code, participant, QUESTIONS[0], 2)
    assert store.tally(code, QUESTIONS[0])["ballots"].iloc[0] == 1
    assert store.state(code)["participants"] == 1


def test_joins_from_one_client_are_capped_under_concurrency(store, session, monkeypatch):
    monkeypatch.setattr(workshop, "MAX_PARTICIPANTS_PER_CLIENT", 3)
    code, _key = session
    results = at_once(THREADS, lambda n: store.join(code, browser=f"b{n}", client="address:10.0.0.9"))
    assert kinds(results) == {"ok": 3, "InvalidInput": THREADS - 3}
    assert "from your address" in str(next(r for r in results if isinstance(r, InvalidInput)))
    assert store.join(code, browser="elsewhere", client="address:10.0.0.10")


def test_a_session_is_capped_in_all(store, session, monkeypatch):
    monkeypatch.setattr(workshop, "MAX_PARTICIPANTS", 4)
    code, _key = session
    results = at_once(8, lambda n: store.join(code, client=f"address:10.1.0.{n}"))
    assert kinds(results) == {"ok": 4, "InvalidInput": 4}
    assert store.state(code)["participants"] == 4


def test_one_note_per_interval_under_concurrency(store, session):
    code, _key = session
    ann = store.join(code, browser="a")
    results = at_once(THREADS, lambda n: store.note(code, ann, QUESTIONS[0], f"note {n}"))
    assert kinds(results) == {"ok": 1, "TooFast": THREADS - 1}
    assert "every 5 seconds" in str(next(r for r in results if isinstance(r, TooFast)))
    assert len(store.notes(code)) == 1


def test_the_notes_cap_holds_under_concurrency(store, session, monkeypatch):
    monkeypatch.setattr(workshop, "NOTE_INTERVAL_SECONDS", 0)
    monkeypatch.setattr(workshop, "MAX_NOTES_PER_PARTICIPANT", 5)
    code, _key = session
    ann = store.join(code, browser="a")
    results = at_once(THREADS, lambda n: store.note(code, ann, QUESTIONS[0], f"note {n}"))
    assert kinds(results) == {"ok": 5, "InvalidInput": THREADS - 5}
    # Joining again from the browser does not reset it.
    assert store.join(code, browser="a") == ann
    with pytest.raises(InvalidInput, match="the most one participant"):
        store.note(code, ann, QUESTIONS[1], "again")


# The join limiter


def test_simultaneous_wrong_codes_from_one_client_pass_the_cap_no_more(store, session):
    results = at_once(40, lambda _n: store.join("ZZZZZZ", client="address:10.2.0.1"))
    assert kinds(results) == {
        "UnknownSession": workshop.MAX_FAILED_JOINS,
        "TooManyAttempts": 40 - workshop.MAX_FAILED_JOINS,
    }
    assert failed_rows(store) == workshop.MAX_FAILED_JOINS
    code, _key = session
    with pytest.raises(TooManyAttempts):
        store.join(code, client="address:10.2.0.1")


def test_the_global_cap_holds_for_guesses_from_many_clients(store, session, monkeypatch):
    monkeypatch.setattr(workshop, "GLOBAL_MAX_FAILED_JOINS", 7)
    results = at_once(20, lambda n: store.join("ZZZZZZ", client=f"browser:{n}"))
    assert kinds(results) == {"UnknownSession": 7, "TooManyAttempts": 13}
    code, _key = session
    with pytest.raises(TooManyAttempts, match="paused"):
        store.join(code, client="browser:fresh")
    # Those already in carry on.
    assert store.status(code)[1]


@pytest.mark.parametrize("lookup", ["unknown", "ended", "participant link", "resume"])
def test_every_kind_of_wrong_code_says_the_same_and_counts(store, session, lookup):
    code, key = session
    ended, ended_key = store.create("Over", QUESTIONS)
    store.end(ended, ended_key)
    attempts = {
        "unknown": lambda: store.join("ZZZZZZ", client="c"),
        "ended": lambda: store.join(ended, client="c"),
        "participant link": lambda: store.participant(code, "not-a-participant", client="c"),
        "resume": lambda: store.resume(code, key + "x", client="c"),
    }
    for _attempt in range(workshop.MAX_FAILED_JOINS):
        with pytest.raises(UnknownSession) as refused:
            attempts[lookup]()
        assert str(refused.value) == workshop.WRONG_CODE
    with pytest.raises(TooManyAttempts):
        store.join(code, client="c")
    with pytest.raises(TooManyAttempts):
        store.resume(code, key, client="c")


def test_a_participant_link_and_resume_that_are_right_answer(store, session):
    code, key = session
    ann = store.join(code, "Ann")
    assert store.participant(code, ann, client="c") == {"number": 1, "name": "Ann"}
    assert store.resume(code.lower(), key, client="c") == code
    assert failed_rows(store) == 0


# Facilitator actions


@pytest.mark.parametrize("clicks", [2, 4])
def test_simultaneous_next_clicks_move_as_many_items(store, session, clicks):
    code, key = session
    results = at_once(clicks, lambda _n: store.advance(code, key))
    assert kinds(results) == {"ok": clicks}
    assert store.state(code)["current"] == clicks
    at_once(clicks, lambda _n: store.previous(code, key))
    assert store.state(code)["current"] == 0


def test_open_and_lock_clicks_leave_the_last_state_and_lock_says_locked(store, session):
    code, key = session
    at_once(4, lambda _n: store.lock_voting(code, key))
    state = store.state(code)
    assert not state["voting_open"] and state["locked"]
    at_once(4, lambda _n: store.open_voting(code, key))
    state = store.state(code)
    assert state["voting_open"] and not state["locked"]
    store.advance(code, key)
    assert not store.state(code)["locked"]


# The projector reads what it shows


def test_the_wall_reads_the_newest_notes_and_a_count(store, session, monkeypatch):
    monkeypatch.setattr(workshop, "NOTE_INTERVAL_SECONDS", 0)
    code, _key = session
    people = [store.join(code, f"P{n}", browser=str(n)) for n in range(3)]
    for number in range(12):
        store.note(code, people[number % 3], QUESTIONS[0], f"note {number}")
    store.note(code, people[0], QUESTIONS[1], "elsewhere")
    count, newest = store.wall(code, QUESTIONS[0], 5)
    assert count == 12
    assert newest["text"].tolist() == [f"note {n}" for n in range(11, 6, -1)]
    assert newest["participant"].tolist() == [3, 2, 1, 3, 2]


def test_the_grouped_tally_counts_every_ballot(store, session):
    code, _key = session
    people = at_once(THREADS, lambda n: store.join(code, browser=f"b{n}", client=f"address:10.3.0.{n}"))
    at_once(THREADS, lambda n: store.vote(code, people[n], QUESTIONS[0], (n % 5) - 2))
    tally = store.tally(code, QUESTIONS[0]).set_index("option")
    assert tally["ballots"].iloc[0] == THREADS
    assert tally["votes"].to_dict() == {
        str(level): sum(1 for n in range(THREADS) if n % 5 - 2 == level) for level in (2, 1, 0, -1, -2)
    }
    assert set(store.tally(code)["item_id"]) == set(QUESTIONS)


def test_the_queries_of_the_projector_have_their_indexes(store):
    names = {index.name for table in workshop.METADATA.tables.values() for index in table.indexes}
    assert {"workshop_notes_newest", "workshop_votes_by_item", "workshop_failed_joins_by_time"} <= names
    with store.engine.connect() as connection:
        made = {index["name"] for index in sa.inspect(connection).get_indexes("workshop_notes")}
    assert "workshop_notes_newest" in made


# Text


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("\u200b\u200b\u2060\ufeff", ""),
        ("\u3164\u115f\u1160\uffa0", ""),
        ("\U000e0041\U000e0042tag", "tag"),
        ("Z" + "\u0301" * 468, "\u0179" + "\u0301" * (workshop.MAX_COMBINING_MARKS - 1)),
        ("\u0301\u0301 lone marks", "lone marks"),
        ("Vi\u1ec7t Nam", "Vi\u1ec7t Nam"),
        ("family \U0001f468\u200d\U0001f469\u200d\U0001f467", "family \U0001f468\u200d\U0001f469\u200d\U0001f467"),
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
        ("zero\u200bwidth", "zerowidth"),
        ("\u200d joiner alone", "joiner alone"),
        ("a\u00a0\u3000b", "a b"),
    ],
)
def test_text_rules(text, stored):
    assert workshop.clean_text(text, limit=workshop.MAX_NOTE_CHARS, what="note") == stored


def test_invisible_notes_and_names_are_empty(store, session):
    code, _key = session
    ann = store.join(code, "\u200b\u2060\u3164")
    assert store.participant(code, ann)["name"] is None
    with pytest.raises(InvalidInput, match="empty"):
        store.note(code, ann, QUESTIONS[0], "\u200b\u200c\u200d\u2060")


@pytest.mark.parametrize("name", ["Facilitator", "the HOST", "Animatrice", "moderator 2", "Facilitator!"])
def test_reserved_names_are_refused(store, session, name):
    code, _key = session
    with pytest.raises(InvalidInput, match="kept for the person running"):
        store.join(code, name)


def test_names_that_only_contain_a_reserved_word_inside_another_are_kept(store, session):
    code, _key = session
    assert store.participant(code, store.join(code, "Hostinger Ann"))["name"] == "Hostinger Ann"


def test_a_note_is_at_most_500_characters_not_bytes(store, session):
    code, _key = session
    ann = store.join(code)
    with pytest.raises(InvalidInput, match="501 characters, at most 500"):
        store.note(code, ann, QUESTIONS[0], "é" * 501)
    assert store.notes(code).empty
    store.note(code, ann, QUESTIONS[0], "é" * 500)
    assert store.notes(code)["text"].tolist() == ["é" * 500]


def test_a_long_note_is_refused_with_the_count_not_cut(store, session):
    code, _key = session
    ann = store.join(code)
    with pytest.raises(InvalidInput, match=f"600 characters, at most {workshop.MAX_NOTE_CHARS}"):
        store.note(code, ann, QUESTIONS[0], "x" * 600)
    assert store.notes(code).empty


def test_the_wall_name(store):
    assert workshop.wall_name(3, "Ann") == "Participant 3 · Ann"
    assert workshop.wall_name(4, None) == "Participant 4"


def test_a_vote_from_someone_else_s_session_is_refused(store, session):
    code, _key = session
    other, other_key = store.create("Other", QUESTIONS)
    stranger = store.join(other)
    with pytest.raises(NotInSession):
        store.vote(code, stranger, QUESTIONS[0], 1)


# Who is asking


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "key"),
    [
        ("192.168.1.20", None, frozenset(), "address:192.168.1.20"),
        ("127.0.0.1", None, frozenset(), "browser"),
        (None, None, frozenset(), "browser"),
        ("::1", None, frozenset(), "browser"),
        # uvicorn believes X-Forwarded-For from this machine: with no proxy named, the browser decides.
        ("6.6.6.6", "6.6.6.6", frozenset(), "browser"),
        ("10.0.0.5", "192.168.1.20", frozenset({"10.0.0.5"}), "address:192.168.1.20"),
        ("192.168.1.20", "1.1.1.1, 192.168.1.20", frozenset({"127.0.0.1"}), "address:192.168.1.20"),
        ("10.0.0.5", "9.9.9.9, 192.168.1.20, 10.0.0.6", frozenset({"10.0.0.5", "10.0.0.6"}), "address:192.168.1.20"),
        ("192.168.1.99", "1.2.3.4", frozenset({"10.0.0.5"}), "browser"),
    ],
)
def test_clients_are_told_apart_by_address_only_where_it_can_be_trusted(peer, forwarded, trusted, key):
    found = workshop.client_key(peer, forwarded, "token-1", trusted)
    assert found.startswith(key)
    if key == "browser":
        assert found != workshop.client_key(peer, forwarded, "token-2", trusted)


def test_trusted_proxies_are_read_from_the_setting(monkeypatch):
    monkeypatch.setenv(workshop.TRUSTED_PROXIES_VARIABLE, " 127.0.0.1, 10.0.0.5 ,")
    assert workshop.trusted_proxies() == {"127.0.0.1", "10.0.0.5"}
    monkeypatch.delenv(workshop.TRUSTED_PROXIES_VARIABLE)
    assert workshop.trusted_proxies() == frozenset()
