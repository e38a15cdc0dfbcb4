"""Alembic's environment for the workshop database.

`poc_data.workshop.migrate` runs it whenever a store opens, on the store's own connection (in the transaction that
holds the migration lock). A developer runs it with the `alembic` command from the repository (`alembic.ini`), on
the database of POC_WORKSHOP_DB or the default file, or of `-x url=...`: `alembic revision --autogenerate -m "..."`
writes a new revision from what `workshop.METADATA` declares and the database lacks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from poc_data.workshop import METADATA, default_url


def _run_on(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=METADATA,
        # SQLite alters a table by copying it; Alembic's batch mode does that for every revision.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    if context.is_offline_mode():
        raise SystemExit("the workshop migrations run on a database, not as SQL (no --sql)")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or default_url()
    engine = sa.create_engine(url)
    try:
        with engine.begin() as own:
            _run_on(own)
    finally:
        engine.dispose()


run()
