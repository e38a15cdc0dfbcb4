"""Schema migrations of the workshop database (Alembic): a new database is made at the newest revision, a database
made by `create_all` before there were migrations is adopted with its sessions, and the tables the code declares are
the tables the migrations make. On SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from poc_data import workshop
from tests.workshop_db import db_url  # noqa: F401 - the fixture

QUESTION = "civic-2019-t1-q-1"


def _baseline_module():
    path = next((workshop.MIGRATIONS_DIR / "versions").glob("0001_*.py"))
    spec = importlib.util.spec_from_file_location("baseline_revision", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(workshop.MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def revision_of(url: str) -> str | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def make_pre_migration_database(url: str, *, without: tuple[str, ...] = ()) -> None:
    """A database as the store made it before migrations: `create_all` of the tables of that time (those of the
    first revision, frozen there), with a session in it, and no record of a revision."""
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    tables = [table for table in _baseline_module().baseline_tables(metadata) if table.name not in without]
    metadata.create_all(engine, tables=tables)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(metadata.tables["workshop_sessions"]).values(
                code="OLD234",
                title="Before migrations",
                key_hash=workshop._hash_key("old-key"),
                created_at=workshop._now(),
                current=0,
                voting_open=True,
                revealed=False,
            )
        )
        connection.execute(
            sa.insert(metadata.tables["workshop_items"]).values(
                code="OLD234",
                position=0,
                item_id=QUESTION,
                vote_kind=workshop.AGREE,
                options=json.dumps([str(level) for level in workshop.AGREE_LEVELS]),
                record=json.dumps({"id": QUESTION, "text": "A question", "kind": "question"}),
            )
        )
    engine.dispose()


def test_a_new_database_is_made_at_the_newest_revision(db_url):  # noqa: F811
    store = workshop.WorkshopStore(db_url)
    store.close()
    assert revision_of(db_url) == head()


def test_the_tables_the_code_declares_are_those_the_migrations_make(db_url):  # noqa: F811
    """A change to workshop.METADATA without its revision (or a revision the code does not declare) fails here."""
    store = workshop.WorkshopStore(db_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, workshop.METADATA) == []
    store.close()


def test_the_check_finds_a_column_without_its_migration(db_url):  # noqa: F811
    store = workshop.WorkshopStore(db_url)
    changed = sa.MetaData()
    for table in workshop.METADATA.tables.values():
        table.to_metadata(changed)
    changed.tables["workshop_sessions"].append_column(sa.Column("language", sa.String(8)))
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, changed)
    store.close()
    assert [difference[0] for difference in differences] == ["add_column"]


@pytest.mark.parametrize("without", [(), ("story_presentations",)], ids=["all tables", "before presentations"])
def test_a_database_made_before_migrations_is_adopted_with_its_sessions(db_url, without):  # noqa: F811
    make_pre_migration_database(db_url, without=without)
    assert revision_of(db_url) is None
    store = workshop.WorkshopStore(db_url)
    assert revision_of(db_url) == head()
    state = store.state("OLD234")
    assert state["title"] == "Before migrations"
    assert [item["item_id"] for item in state["items"]] == [QUESTION]
    participant = store.join("OLD234", "Ana")
    store.vote("OLD234", participant, QUESTION, 1)
    assert store.votes("OLD234")["value"].tolist() == [1]
    token = store.start_presentation("what-poc20-asks", 1)  # the table a database of its time may lack
    assert store.presentation(token) == ("what-poc20-asks", 1)
    store.close()


def test_opening_a_migrated_database_again_changes_nothing(db_url):  # noqa: F811
    workshop.WorkshopStore(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        before = sorted(sa.inspect(connection).get_table_names())
    engine.dispose()
    store = workshop.WorkshopStore(db_url)
    with store.engine.connect() as connection:
        assert sorted(sa.inspect(connection).get_table_names()) == before
    assert revision_of(db_url) == head()
    store.close()


def test_the_migrations_are_shipped_in_the_package():
    assert (workshop.MIGRATIONS_DIR / "env.py").is_file()
    assert (workshop.MIGRATIONS_DIR / "script.py.mako").is_file()
    assert head() == "0002"


def test_a_database_of_a_newer_version_is_refused_in_plain_words(db_url):  # noqa: F811
    workshop.WorkshopStore(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(workshop.StoreUnavailable, match="by a newer version of PoC Explorer"):
        workshop.WorkshopStore(db_url)
    assert revision_of(db_url) == "9999"  # left as it was
