"""The workshop store on SQLite and PostgreSQL: sessions, facilitator actions, votes, notes, bad input, load."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from poc_data import workshop
from poc_data.workshop import (
    InvalidInput,
    NotInSession,
    SessionEnded,
    TooManyAttempts,
    UnknownSession,
    VotingLocked,
    WorkshopStore,
    WrongKey,
)
from tests.workshop_db import db_url  # noqa: F401 - a fixture

QUESTION = "civic-2019-t1-q-1"
RECOMMENDATION = "civic-2019-t1-ms-1"
OTHER_RECOMMENDATION = "civic-2019-t1-un-1"
NOT_ON_AGENDA = "civic-2019-t2-q-1"
AGENDA = [QUESTION, RECOMMENDATION]


@pytest.fixture
def store(db_url):  # noqa: F811 - the fixture
    opened = WorkshopStore(db_url)
    yield opened
    opened.close()


@pytest.fixture
def live(store):
    """A session on AGENDA with voting open on its first item, and one participant."""
    code, key = store.create("Round table", AGENDA)
    store.open_voting(code, key)
    return code, key, store.join(code, "Ann")


def test_create_gives_a_short_code_and_a_separate_secret_key(store):
    code, key = store.create("Round table", AGENDA)
    assert len(code) == workshop.CODE_LENGTH and set(code) <= set(workshop.CODE_ALPHABET)
    assert len(key) >= 32 and code not in key
    state = store.state(code)
    assert [item["item_id"] for item in state["items"]] == AGENDA
    assert state["current"] == 0 and not state["voting_open"] and not state["revealed"] and not state["ended"]
    assert [item["vote_kind"] for item in state["items"]] == [workshop.AGREE, workshop.RANK]
    assert state["items"][1]["options"] == [RECOMMENDATION, OTHER_RECOMMENDATION]


def test_the_key_is_stored_only_as_a_hash(store):
    code, key = store.create("Round table", AGENDA)
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(workshop.sessions_table)).mappings().all()
    assert all(key not in str(value) for row in rows for value in row.values())


@pytest.mark.parametrize(
    ("items", "words"),
    [([], "at least one"), (["no-such-id"], "Not in the recommendations"), ([QUESTION, QUESTION], "once")],
)
def test_create_refuses_a_bad_agenda(store, items, words):
    with pytest.raises(InvalidInput, match=words):
        store.create("Round table", items)


def test_join_takes_codes_as_typed_and_names_are_optional(store):
    code, _key = store.create("Round table", AGENDA)
    anonymous = store.join(f" {code[:3].lower()}-{code[3:].lower()} ")
    named = store.join(code, "  Ann  ")
    assert anonymous != named
    assert store.participant(code, anonymous) == {"number": 1, "name": None}
    assert store.participant(code, named) == {"number": 2, "name": "Ann"}


@pytest.mark.parametrize("name", ["", "   ", "\x00\x07", "\u202e"])
def test_an_empty_name_joins_anonymously(store, name):
    code, _key = store.create("Round table", AGENDA)
    assert store.participant(code, store.join(code, name))["name"] is None


def test_a_long_name_is_refused(store):
    code, _key = store.create("Round table", AGENDA)
    with pytest.raises(InvalidInput, match="too long"):
        store.join(code, "x" * (workshop.MAX_NAME_CHARS + 1))


def test_unknown_code_is_refused_and_repeated_guesses_are_limited(store):
    store.create("Round table", AGENDA)
    for _attempt in range(workshop.MAX_FAILED_JOINS):
        with pytest.raises(UnknownSession, match="No live session has this code"):
            store.join("ZZZZZZ", client="guesser")
    with pytest.raises(TooManyAttempts, match="wait"):
        store.join("ZZZZZZ", client="guesser")
    code, _key = store.create("Another", AGENDA)
    with pytest.raises(TooManyAttempts):
        store.join(code, client="guesser")
    assert store.join(code, client="someone else")


def test_second_vote_replaces_the_first(store, live):
    code, _key, ann = live
    store.vote(code, ann, QUESTION, 2)
    store.vote(code, ann, QUESTION, -1)
    assert store.my_vote(code, ann, QUESTION) == -1
    tally = store.tally(code).set_index(["item_id", "option"])
    assert tally.loc[(QUESTION, "-1"), "votes"] == 1
    assert tally.loc[(QUESTION, "2"), "votes"] == 0
    assert tally.loc[(QUESTION, "2"), "ballots"] == 1
    assert len(store.votes(code)) == 1


def test_ranking_tally_counts_first_places_and_borda_points(store):
    code, key = store.create("Round table", [RECOMMENDATION, QUESTION])
    store.open_voting(code, key)
    people = [store.join(code) for _ in range(3)]
    store.vote(code, people[0], RECOMMENDATION, [RECOMMENDATION, OTHER_RECOMMENDATION])
    store.vote(code, people[1], RECOMMENDATION, [OTHER_RECOMMENDATION, RECOMMENDATION])
    store.vote(code, people[2], RECOMMENDATION, [OTHER_RECOMMENDATION, RECOMMENDATION])
    tally = store.tally(code).set_index(["item_id", "option"])
    assert tally.loc[(RECOMMENDATION, OTHER_RECOMMENDATION), ["votes", "points", "ballots"]].tolist() == [2, 2, 3]
    assert tally.loc[(RECOMMENDATION, RECOMMENDATION), ["votes", "points"]].tolist() == [1, 1]


@pytest.mark.parametrize(
    ("item", "value", "error", "words"),
    [
        (NOT_ON_AGENDA, 1, NotInSession, "not on this session"),
        (QUESTION, 3, InvalidInput, "one of"),
        (QUESTION, "2", InvalidInput, "one of"),
        (QUESTION, True, InvalidInput, "one of"),
        (QUESTION, None, InvalidInput, "one of"),
        (RECOMMENDATION, [OTHER_RECOMMENDATION, RECOMMENDATION], VotingLocked, "moved to another item"),
    ],
)
def test_bad_votes_are_refused_and_nothing_is_stored(store, live, item, value, error, words):
    code, _key, ann = live
    with pytest.raises(error, match=words):
        store.vote(code, ann, item, value)
    assert store.votes(code).empty


@pytest.mark.parametrize(
    "ranking",
    [[RECOMMENDATION], [RECOMMENDATION, RECOMMENDATION], [RECOMMENDATION, QUESTION], "civic", None],
)
def test_a_ranking_must_rank_every_option_once(store, ranking):
    code, key = store.create("Round table", [RECOMMENDATION])
    store.open_voting(code, key)
    ann = store.join(code)
    with pytest.raises(InvalidInput, match="Rank all 2"):
        store.vote(code, ann, RECOMMENDATION, ranking)


def test_locked_voting_takes_no_vote_and_changes_none(store, live):
    code, key, ann = live
    store.vote(code, ann, QUESTION, 1)
    store.lock_voting(code, key)
    with pytest.raises(VotingLocked, match="locked"):
        store.vote(code, ann, QUESTION, -2)
    assert store.my_vote(code, ann, QUESTION) == 1


def test_a_stranger_cannot_vote_or_note(store, live):
    code, _key, _ann = live
    other_code, _other_key = store.create("Elsewhere", AGENDA)
    outsider = store.join(other_code)
    for action in (lambda: store.vote(code, outsider, QUESTION, 1), lambda: store.note(code, outsider, QUESTION, "hi")):
        with pytest.raises(NotInSession, match="not a participant"):
            action()


def test_unknown_and_ended_sessions_refuse_everything(store, live):
    code, key, ann = live
    with pytest.raises(UnknownSession):
        store.vote("ZZZZZZ", ann, QUESTION, 1)
    store.end(code, key)
    assert store.state(code)["ended"]
    with pytest.raises(UnknownSession, match="No live session has this code"):
        store.join(code)
    for action in (
        lambda: store.vote(code, ann, QUESTION, 1),
        lambda: store.note(code, ann, QUESTION, "late"),
        lambda: store.advance(code, key),
    ):
        with pytest.raises(SessionEnded, match="ended"):
            action()
    assert store.export(code)["session"]["ended_at"] is not None


def test_a_session_ends_by_itself_after_its_hours(store, live):
    code, _key, ann = live
    with store.engine.begin() as connection:
        connection.execute(
            workshop.sessions_table.update()
            .where(workshop.sessions_table.c.code == code)
            .values(created_at=workshop._now() - workshop.dt.timedelta(hours=workshop.SESSION_HOURS, minutes=1))
        )
    with pytest.raises(SessionEnded):
        store.vote(code, ann, QUESTION, 1)


@pytest.mark.parametrize(
    "action",
    ["advance", "previous", "open_voting", "lock_voting", "reveal", "stop_timer", "end", "delete", "verify"],
)
def test_facilitator_actions_need_the_key(store, live, action):
    code, key, _ann = live
    with pytest.raises(WrongKey, match="facilitator key"):
        getattr(store, action)(code, key[:-1] + ("A" if key[-1] != "A" else "B"))
    with pytest.raises(WrongKey):
        getattr(store, action)(code, None)
    assert store.state(code)["voting_open"]


def test_facilitator_moves_through_the_agenda_within_its_bounds(store, live):
    code, key, _ann = live
    store.reveal(code, key)
    store.start_timer(code, key, 120)
    store.advance(code, key)
    state = store.state(code)
    assert state["current"] == 1
    assert not state["voting_open"] and not state["revealed"] and state["timer_ends_at"] is None
    store.advance(code, key)
    assert store.state(code)["current"] == 1
    store.previous(code, key)
    store.previous(code, key)
    assert store.state(code)["current"] == 0


@pytest.mark.parametrize("seconds", [0, -5, 10**9, 1.5])
def test_timer_bounds(store, live, seconds):
    code, key, _ann = live
    with pytest.raises(InvalidInput):
        store.start_timer(code, key, seconds)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("<script>alert(1)</script><b>bold</b>", "<script>alert(1)</script><b>bold</b>"),
        ("[a link](https://example.org) ![image](https://example.org/x.png)", None),
        ("line one\r\nline two\n\n\n\nline three", "line one\nline two\n\nline three"),
        ("bell\x07 null\x00 escape\x1b[31m red", "bell null escape[31m red"),
        ("\u202eevil\u202c text", "evil text"),
        ("  spaced\t\tout  ", "spaced out"),
        ("x" * workshop.MAX_NOTE_CHARS, None),
    ],
)
def test_notes_are_stored_as_plain_text(store, live, text, stored):
    code, _key, ann = live
    store.note(code, ann, QUESTION, text)
    shown = store.notes(code)
    assert shown["text"].tolist() == [stored if stored is not None else text]
    assert shown["name"].tolist() == ["Ann"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("x" * (workshop.MAX_NOTE_CHARS + 1), "too long"),
        ("x" * 100_000, "too long"),
        ("", "empty"),
        (" \n\t\x00 ", "empty"),
        (None, "must be text"),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_stored(store, live, text, words):
    code, _key, ann = live
    with pytest.raises(InvalidInput, match=words):
        store.note(code, ann, QUESTION, text)
    assert store.notes(code).empty


def test_a_note_on_an_item_not_in_the_session_is_refused(store, live):
    code, _key, ann = live
    with pytest.raises(NotInSession):
        store.note(code, ann, NOT_ON_AGENDA, "hello")


def test_participants_withdraw_only_their_own_notes(store, live):
    code, _key, ann = live
    bob = store.join(code)
    note = store.note(code, ann, QUESTION, "mine")
    with pytest.raises(NotInSession, match="not one of yours"):
        store.delete_note(code, bob, note)
    store.delete_note(code, ann, note)
    assert store.notes(code).empty


def test_delete_removes_the_session_and_everything_in_it(store, live):
    code, key, ann = live
    store.vote(code, ann, QUESTION, 1)
    store.note(code, ann, QUESTION, "note")
    store.delete(code, key)
    with pytest.raises(UnknownSession):
        store.state(code)
    with store.engine.connect() as connection:
        for table in (*workshop.CHILD_TABLES, workshop.sessions_table):
            assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def test_old_sessions_are_purged(store, live):
    code, _key, ann = live
    store.note(code, ann, QUESTION, "old")
    with store.engine.begin() as connection:
        connection.execute(
            workshop.sessions_table.update().values(
                created_at=workshop._now() - workshop.dt.timedelta(days=workshop.RETENTION_DAYS + 1)
            )
        )
    assert store.purge_expired() == 1
    with pytest.raises(UnknownSession):
        store.state(code)


def test_a_restart_keeps_the_session(db_url, live):  # noqa: F811 - the fixture
    code, key, ann = live
    restarted = WorkshopStore(db_url)
    restarted.vote(code, ann, QUESTION, 2)
    restarted.note(code, ann, QUESTION, "after the restart")
    restarted.advance(code, key)
    again = WorkshopStore(db_url)
    assert again.state(code)["current"] == 1
    assert again.my_vote(code, ann, QUESTION) == 2
    assert again.notes(code)["text"].tolist() == ["after the restart"]
    restarted.close()
    again.close()


def test_fifty_concurrent_participants_lose_no_vote(store):
    code, key = store.create("Round table", AGENDA)
    store.open_voting(code, key)
    count = 50
    start = threading.Barrier(count, timeout=60)

    def take_part(number: int) -> str:
        participant = store.join(code, f"P{number}")
        start.wait()
        store.vote(code, participant, QUESTION, 2 if number % 2 else -2)
        store.note(code, participant, QUESTION, f"note {number}")
        store.vote(code, participant, QUESTION, 1 if number % 2 else -1)
        return participant

    with ThreadPoolExecutor(max_workers=count) as pool:
        joined = list(pool.map(take_part, range(count)))
    assert len(set(joined)) == count
    tally = store.tally(code).set_index(["item_id", "option"])
    assert tally.loc[(QUESTION, "1"), "votes"] == count // 2
    assert tally.loc[(QUESTION, "-1"), "votes"] == count // 2
    assert tally.loc[(QUESTION, "1"), "ballots"] == count
    assert len(store.notes(code)) == count
    assert store.state(code)["participants"] == count


def test_export_names_participants_by_number_and_leaves_their_ids_out(store, live):
    code, _key, ann = live
    store.join(code)
    store.vote(code, ann, QUESTION, 1)
    store.note(code, ann, QUESTION, '=HYPERLINK("http://x")')
    exported = store.export(code)
    assert exported["session"]["participants"] == 2
    assert [item["id"] for item in exported["items"]] == AGENDA
    assert exported["votes"][0]["participant"] == 1 and exported["votes"][0]["name"] == "Ann"
    assert ann not in repr(exported)


def test_default_database_is_outside_the_project(monkeypatch, tmp_path):
    monkeypatch.delenv(workshop.DB_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = workshop.default_url()
    assert url.startswith("sqlite+pysqlite:///") and str(tmp_path) in url
    monkeypatch.setenv(workshop.DB_VARIABLE, "postgresql+psycopg://u:p@db/x")
    assert workshop.default_url() == "postgresql+psycopg://u:p@db/x"


def test_sqlite_runs_in_wal_mode(tmp_path):
    opened = WorkshopStore(f"sqlite+pysqlite:///{tmp_path / 'w.sqlite3'}")
    with opened.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    opened.close()


def test_status_follows_the_facilitator(store, live):
    code, key, _ann = live
    assert store.status(code)[:4] == (0, True, False, False)
    store.reveal(code, key)
    store.start_timer(code, key, 60)
    current, voting, revealed, ended, timer = store.status(code)
    assert (current, voting, revealed, ended) == (0, True, True, False) and timer is not None
    store.advance(code, key)
    assert store.status(code) == (1, False, False, False, None)
