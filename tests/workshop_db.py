"""The databases the workshop store is tested on: a SQLite file, and PostgreSQL when POC_TEST_POSTGRES_URL is set.

`.ci/run` starts a PostgreSQL server and sets the URL; locally, without it, the PostgreSQL cases skip and say why,
and under CI (CI=true) a missing PostgreSQL fails them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from poc_data import workshop

POSTGRES_VARIABLE = "POC_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def database_url(backend: str, tmp_path: Path) -> str:
    """A fresh database of `backend` for one test."""
    if backend == "sqlite":
        return f"sqlite+pysqlite:///{tmp_path / 'workshops.sqlite3'}"
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        reason = f"no PostgreSQL: set {POSTGRES_VARIABLE} (.ci/run starts one) - PostgreSQL store tests skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (required under CI)")
        pytest.skip(reason)
    return url


def drop_tables(url: str) -> None:
    """Leave a shared PostgreSQL database as it was found: no workshop table, no record of a migration."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        workshop.METADATA.drop_all(connection)
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    url = database_url(request.param, tmp_path)
    if request.param == "postgresql":
        drop_tables(url)
    yield url
    if request.param == "postgresql":
        drop_tables(url)
