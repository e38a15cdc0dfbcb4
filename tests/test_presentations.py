"""Story presentations in the workshop store, on SQLite and PostgreSQL: the step a trainer's two windows share."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from poc_data import workshop
from poc_data.links import TOKEN
from poc_data.stories import MAX_STEPS
from poc_data.workshop import InvalidInput, UnknownPresentation, WorkshopStore
from tests.workshop_db import db_url  # noqa: F401 - a fixture

STORY = "twenty-five-years-of-poc-policy"


@pytest.fixture
def store(db_url):  # noqa: F811 - the fixture
    opened = WorkshopStore(db_url)
    yield opened
    opened.close()


def age(store: WorkshopStore, hours: float) -> None:
    """Make every presentation's last step `hours` old."""
    with store.engine.begin() as connection:
        connection.execute(
            workshop.presentations_table.update().values(
                updated_at=workshop._now() - workshop.dt.timedelta(hours=hours)
            )
        )


def test_a_presentation_starts_at_its_step_with_an_unguessable_token(store):
    token = store.start_presentation(STORY, 3)
    assert TOKEN.fullmatch(token) and len(token) >= 22
    assert store.presentation(token) == (STORY, 3)
    assert len({store.start_presentation(STORY, 1) for _ in range(20)}) == 20


def test_the_token_is_stored_only_as_a_hash(store):
    token = store.start_presentation(STORY, 1)
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(workshop.presentations_table)).mappings().all()
    assert len(rows) == 1
    assert all(token not in str(value) for value in rows[0].values())


def test_a_step_is_shared_and_other_presentations_of_the_same_story_stay(store):
    mine, theirs = store.start_presentation(STORY, 1), store.start_presentation(STORY, 1)
    store.step_presentation(mine, 2)
    assert store.presentation(mine) == (STORY, 2)
    assert store.presentation(theirs) == (STORY, 1)
    store.step_presentation(theirs, 5)
    assert store.presentation(mine) == (STORY, 2)
    assert WorkshopStore(store.url).presentation(theirs) == (STORY, 5)


@pytest.mark.parametrize(
    "token",
    [None, 42, "", "short", "A" * 65, "x" * 21 + "\n", "x" * 21 + "!", "<b>" + "x" * 20 + "</b>", "x" * 100_000],
)
def test_a_token_that_is_not_one_is_refused(store, token):
    store.start_presentation(STORY, 1)
    with pytest.raises(UnknownPresentation):
        store.presentation(token)
    with pytest.raises(UnknownPresentation):
        store.step_presentation(token, 2)


def test_an_unknown_token_is_refused(store):
    store.start_presentation(STORY, 1)
    unknown = "x" * 22
    with pytest.raises(UnknownPresentation, match="No presentation has this link here"):
        store.presentation(unknown)
    with pytest.raises(UnknownPresentation):
        store.step_presentation(unknown, 2)


@pytest.mark.parametrize("step", [0, -1, MAX_STEPS + 1, True, "2", 2.0, None])
def test_a_step_out_of_range_is_refused(store, step):
    token = store.start_presentation(STORY, 1)
    with pytest.raises(InvalidInput):
        store.step_presentation(token, step)
    with pytest.raises(InvalidInput):
        store.start_presentation(STORY, step)
    assert store.presentation(token) == (STORY, 1)


@pytest.mark.parametrize("story_id", ["", "x" * (workshop.MAX_STORY_ID_CHARS + 1), None, 7])
def test_a_story_id_that_cannot_be_stored_is_refused(store, story_id):
    with pytest.raises(InvalidInput):
        store.start_presentation(story_id, 1)


def test_a_presentation_ends_a_day_after_its_last_step(store):
    token = store.start_presentation(STORY, 1)
    age(store, workshop.PRESENTATION_HOURS - 1)
    store.step_presentation(token, 2)  # a step keeps it going
    assert store.presentation(token) == (STORY, 2)
    age(store, workshop.PRESENTATION_HOURS + 1)
    with pytest.raises(UnknownPresentation):
        store.presentation(token)
    with pytest.raises(UnknownPresentation):
        store.step_presentation(token, 3)


def test_ended_presentations_are_purged(store):
    old = store.start_presentation(STORY, 1)
    age(store, workshop.PRESENTATION_HOURS + 1)
    fresh = store.start_presentation(STORY, 4)  # starting one purges the ended ones
    with store.engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(workshop.presentations_table)).scalar_one()
    assert count == 1
    assert store.presentation(fresh) == (STORY, 4)
    with pytest.raises(UnknownPresentation):
        store.presentation(old)


def test_windows_stepping_at_once_leave_one_of_their_steps(store):
    token = store.start_presentation(STORY, 1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda step: store.step_presentation(token, step), range(1, 17)))
    assert store.presentation(token)[1] in range(1, 17)


def test_the_poll_is_one_read_of_one_row_by_its_key(store):
    """Every window polls the step every second: that must be one statement, a key lookup and not a table scan."""
    token = store.start_presentation(STORY, 1)
    statements = []

    def record(_connection, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    store.presentation(token)
    sa.event.remove(store.engine, "before_cursor_execute", record)
    queries = [(statement, parameters) for statement, parameters in statements if "story_presentations" in statement]
    assert len(queries) == 1
    statement, parameters = queries[0]
    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
        else:
            # A small table is scanned whether or not it has an index: ask whether an index can be used at all.
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).fetchall()
    text = " ".join(str(row) for row in plan).lower()
    # The primary key's index: sqlite_autoindex_story_presentations_1 (SQLite), story_presentations_pkey (PostgreSQL).
    assert (
        "index sqlite_autoindex_story_presentations_1" in text or "index scan using story_presentations_pkey" in text
    ), text
