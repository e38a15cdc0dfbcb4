"""Live workshop sessions and story presentations: state shared between people and windows, in a database.

The package by job: this module is the store of live sessions (`WorkshopStore`: agenda, participants, votes, notes,
the join limiter and the facilitator's actions); `presentations` the store of story presentations (mixed into it);
`exports` the exports; `text` the text rules; `clients` who is asking; `base` what they share. Everything is
importable from `poc_data.workshop`.

A workshop session is a facilitator's agenda with participants' votes and notes; a story presentation is the step a
trainer's two windows (the projected audience view and the presenter view) are both on. State shared by everyone in
the room lives here, never in a page's session: the page polls the store (no Streamlit here). The default
database is one SQLite file in the user's data directory (WAL mode, so readers never wait for a writer); set
`POC_WORKSHOP_DB` to a database URL (PostgreSQL through psycopg 3) to share sessions between app instances.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from poc_data.load import load
from poc_data.workshop.base import (
    AGREE as AGREE,
)
from poc_data.workshop.base import (
    AGREE_LEVELS as AGREE_LEVELS,
)
from poc_data.workshop.base import (
    CHILD_TABLES as CHILD_TABLES,
)
from poc_data.workshop.base import (
    CODE_ALPHABET as CODE_ALPHABET,
)
from poc_data.workshop.base import (
    CODE_LENGTH as CODE_LENGTH,
)
from poc_data.workshop.base import (
    DB_FILE_NAME as DB_FILE_NAME,
)
from poc_data.workshop.base import (
    DB_VARIABLE as DB_VARIABLE,
)
from poc_data.workshop.base import (
    FAILED_JOIN_WINDOW as FAILED_JOIN_WINDOW,
)
from poc_data.workshop.base import (
    GLOBAL_MAX_FAILED_JOINS as GLOBAL_MAX_FAILED_JOINS,
)
from poc_data.workshop.base import (
    LIMITER_LOCK as LIMITER_LOCK,
)
from poc_data.workshop.base import (
    MAX_COMBINING_MARKS as MAX_COMBINING_MARKS,
)
from poc_data.workshop.base import (
    MAX_FAILED_JOINS as MAX_FAILED_JOINS,
)
from poc_data.workshop.base import (
    MAX_ITEMS as MAX_ITEMS,
)
from poc_data.workshop.base import (
    MAX_NAME_CHARS as MAX_NAME_CHARS,
)
from poc_data.workshop.base import (
    MAX_NOTE_CHARS as MAX_NOTE_CHARS,
)
from poc_data.workshop.base import (
    MAX_NOTES_PER_PARTICIPANT as MAX_NOTES_PER_PARTICIPANT,
)
from poc_data.workshop.base import (
    MAX_PARTICIPANTS as MAX_PARTICIPANTS,
)
from poc_data.workshop.base import (
    MAX_PARTICIPANTS_PER_CLIENT as MAX_PARTICIPANTS_PER_CLIENT,
)
from poc_data.workshop.base import (
    MAX_STORY_ID_CHARS as MAX_STORY_ID_CHARS,
)
from poc_data.workshop.base import (
    MAX_TITLE_CHARS as MAX_TITLE_CHARS,
)
from poc_data.workshop.base import (
    METADATA as METADATA,
)
from poc_data.workshop.base import (
    MIGRATION_LOCK as MIGRATION_LOCK,
)
from poc_data.workshop.base import (
    MIGRATIONS_DIR as MIGRATIONS_DIR,
)
from poc_data.workshop.base import (
    NOTE_INTERVAL_SECONDS as NOTE_INTERVAL_SECONDS,
)
from poc_data.workshop.base import (
    PRESENTATION_HOURS as PRESENTATION_HOURS,
)
from poc_data.workshop.base import (
    PRESENTATION_TOKEN_BYTES as PRESENTATION_TOKEN_BYTES,
)
from poc_data.workshop.base import (
    RANK as RANK,
)
from poc_data.workshop.base import (
    RESERVED_NAMES as RESERVED_NAMES,
)
from poc_data.workshop.base import (
    RETENTION_DAYS as RETENTION_DAYS,
)
from poc_data.workshop.base import (
    SESSION_HOURS as SESSION_HOURS,
)
from poc_data.workshop.base import (
    TIMER_LIMIT_SECONDS as TIMER_LIMIT_SECONDS,
)
from poc_data.workshop.base import (
    WRONG_CODE as WRONG_CODE,
)
from poc_data.workshop.base import (
    InvalidInput as InvalidInput,
)
from poc_data.workshop.base import (
    NotInSession as NotInSession,
)
from poc_data.workshop.base import (
    SessionEnded as SessionEnded,
)
from poc_data.workshop.base import (
    StoreUnavailable as StoreUnavailable,
)
from poc_data.workshop.base import (
    TooFast as TooFast,
)
from poc_data.workshop.base import (
    TooManyAttempts as TooManyAttempts,
)
from poc_data.workshop.base import (
    UnknownPresentation as UnknownPresentation,
)
from poc_data.workshop.base import (
    UnknownSession as UnknownSession,
)
from poc_data.workshop.base import (
    VotingLocked as VotingLocked,
)
from poc_data.workshop.base import (
    WorkshopError as WorkshopError,
)
from poc_data.workshop.base import (
    WrongKey as WrongKey,
)
from poc_data.workshop.base import (
    _aware as _aware,
)
from poc_data.workshop.base import (
    _hash_key as _hash_key,
)
from poc_data.workshop.base import (
    _iso as _iso,
)
from poc_data.workshop.base import (
    _now as _now,
)
from poc_data.workshop.base import (
    _unavailable as _unavailable,
)
from poc_data.workshop.base import (
    default_file_url as default_file_url,
)
from poc_data.workshop.base import (
    default_url as default_url,
)
from poc_data.workshop.base import (
    failed_joins_table as failed_joins_table,
)
from poc_data.workshop.base import (
    items_table as items_table,
)
from poc_data.workshop.base import (
    migrate as migrate,
)
from poc_data.workshop.base import (
    normalize_code as normalize_code,
)
from poc_data.workshop.base import (
    notes_table as notes_table,
)
from poc_data.workshop.base import (
    participants_table as participants_table,
)
from poc_data.workshop.base import (
    presentations_table as presentations_table,
)
from poc_data.workshop.base import (
    sessions_table as sessions_table,
)
from poc_data.workshop.base import (
    votes_table as votes_table,
)
from poc_data.workshop.clients import (
    TRUSTED_PROXIES_VARIABLE as TRUSTED_PROXIES_VARIABLE,
)
from poc_data.workshop.clients import (
    client_key as client_key,
)
from poc_data.workshop.clients import (
    trusted_proxies as trusted_proxies,
)
from poc_data.workshop.exports import (
    CSV_COLUMNS as CSV_COLUMNS,
)
from poc_data.workshop.exports import (
    export_csv as export_csv,
)
from poc_data.workshop.exports import (
    export_json as export_json,
)
from poc_data.workshop.exports import (
    export_markdown as export_markdown,
)
from poc_data.workshop.exports import (
    option_label as option_label,
)
from poc_data.workshop.exports import (
    report_evidence as report_evidence,
)
from poc_data.workshop.exports import (
    vote_text as vote_text,
)
from poc_data.workshop.presentations import Presentations
from poc_data.workshop.text import (
    clean_name as clean_name,
)
from poc_data.workshop.text import (
    clean_text as clean_text,
)
from poc_data.workshop.text import (
    wall_name as wall_name,
)


def agenda_items(recommendations: pd.DataFrame, item_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The agenda's items as stored: each recommendations record, how it is voted on and the options.

    A question is voted on from agree to disagree; a recommendation by ranking the recommendations of its theme
    (same source and theme), itself included.
    """
    if not item_ids:
        raise InvalidInput("Pick at least one recommendation or question for the agenda.")
    if len(item_ids) > MAX_ITEMS:
        raise InvalidInput(f"An agenda holds at most {MAX_ITEMS} items.")
    if len(set(item_ids)) != len(item_ids):
        raise InvalidInput("Each recommendation or question can be on the agenda once.")
    by_id = {record["id"]: record for record in recommendations.to_dict("records")}
    unknown = [item_id for item_id in item_ids if item_id not in by_id]
    if unknown:
        raise InvalidInput(f"Not in the recommendations dataset: {', '.join(map(str, unknown[:5]))}.")
    agenda = []
    for item_id in item_ids:
        record = by_id[item_id]
        if record["kind"] == "question":
            kind, options = AGREE, [str(level) for level in AGREE_LEVELS]
        else:
            same_theme = recommendations[
                (recommendations["source_id"] == record["source_id"])
                & (recommendations["theme"] == record["theme"])
                & (recommendations["kind"] == "recommendation")
            ]
            kind, options = RANK, same_theme.sort_values(["order", "id"])["id"].astype(str).tolist()
        stored = {
            name: (None if value is None or (not isinstance(value, list) and pd.isna(value)) else value)
            for name, value in record.items()
            if name in ("id", "source_id", "theme", "kind", "addressee", "text", "source_detail")
        }
        stored["options_text"] = {
            option: str(by_id[option]["text"]) for option in options if kind == RANK and option in by_id
        }
        agenda.append({"item_id": item_id, "vote_kind": kind, "options": options, "record": stored})
    return agenda


class WorkshopStore(Presentations):
    """Sessions, participants, votes and notes in one database (SQLAlchemy Core); safe to share between threads."""

    def __init__(self, url: str | None = None, *, data_dir: str | os.PathLike | None = None) -> None:
        """Open (and create if need be) the database at `url`, else the default; raises StoreUnavailable when it
        cannot be created or opened."""
        self.data_dir = data_dir
        self.url = url or default_url()
        self.engine = None
        try:
            self.engine = self._engine(self.url)
            migrate(self.engine)
        except (OSError, SQLAlchemyError, StoreUnavailable) as error:
            if self.engine is not None:
                self.engine.dispose()
            if isinstance(error, StoreUnavailable):
                raise
            raise _unavailable(error, chosen=self.url != default_file_url()) from error

    @staticmethod
    def _engine(url: str) -> Engine:
        parsed = sa.make_url(url)
        if parsed.get_backend_name() != "sqlite":
            return sa.create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_settings(dbapi_connection, _record) -> None:
            # The driver's own transaction handling is turned off so that writes can take the lock at BEGIN
            # (see below) instead of failing when a read turns into a write under another writer.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            immediate = connection.get_execution_options().get("write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(write=True) as connection, connection.begin():
            yield connection

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    # Sessions

    def create(self, title: str, items: Sequence[str]) -> tuple[str, str]:
        """A new session on `items` (recommendations ids, in agenda order): its join code and facilitator key."""
        title = clean_text(title, limit=MAX_TITLE_CHARS, what="title", multiline=False) or "Round table"
        agenda = agenda_items(load("recommendations", self.data_dir), list(items))
        key = secrets.token_urlsafe(24)
        now = _now()
        self.purge_expired()
        with self._write() as connection:
            for _attempt in range(20):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                taken = connection.execute(
                    sa.select(sessions_table.c.code).where(sessions_table.c.code == code)
                ).first()
                if taken is None:
                    break
            else:
                raise WorkshopError("No free join code was found; try again.")
            connection.execute(
                sessions_table.insert().values(
                    code=code,
                    title=title,
                    key_hash=_hash_key(key),
                    created_at=now,
                    current=0,
                    voting_open=False,
                    revealed=False,
                )
            )
            connection.execute(
                items_table.insert(),
                [
                    {
                        "code": code,
                        "position": position,
                        "item_id": item["item_id"],
                        "vote_kind": item["vote_kind"],
                        "options": json.dumps(item["options"]),
                        "record": json.dumps(item["record"], ensure_ascii=False),
                    }
                    for position, item in enumerate(agenda)
                ],
            )
        return code, key

    def _session_row(self, connection: Connection, code: str, *, lock: str | None = None):
        """The session's row; `lock` ("share" or "update") holds it until the transaction ends (PostgreSQL; SQLite
        transactions that write are serialized anyway)."""
        query = sa.select(sessions_table).where(sessions_table.c.code == normalize_code(code))
        if lock:
            query = query.with_for_update(read=lock == "share")
        row = connection.execute(query).first()
        if row is None:
            raise UnknownSession("There is no session with this code. Check the code with the facilitator.")
        return row

    @staticmethod
    def _is_ended(row) -> bool:
        created = _aware(row.created_at)
        return row.ended_at is not None or _now() - created > dt.timedelta(hours=SESSION_HOURS)

    def _live_row(self, connection: Connection, code: str, *, lock: str | None = None):
        row = self._session_row(connection, code, lock=lock)
        if self._is_ended(row):
            raise SessionEnded("This session has ended: it no longer takes participants, votes or notes.")
        return row

    def _check_key(self, row, facilitator_key: str) -> None:
        if not isinstance(facilitator_key, str) or not hmac.compare_digest(row.key_hash, _hash_key(facilitator_key)):
            raise WrongKey("The facilitator key does not match this session.")

    def _items(self, connection: Connection, code: str) -> list[dict[str, Any]]:
        rows = connection.execute(
            sa.select(items_table).where(items_table.c.code == code).order_by(items_table.c.position)
        ).mappings()
        return [
            {
                "position": row["position"],
                "item_id": row["item_id"],
                "vote_kind": row["vote_kind"],
                "options": json.loads(row["options"]),
                "record": json.loads(row["record"]),
            }
            for row in rows
        ]

    def state(self, code: str) -> dict[str, Any]:
        """What everyone sees: title, the items, the current one, whether voting is open, results revealed, timer."""
        with self._read() as connection:
            row = self._session_row(connection, code)
            agenda = self._items(connection, row.code)
            joined = connection.execute(
                sa.select(sa.func.count()).select_from(participants_table).where(participants_table.c.code == row.code)
            ).scalar_one()
        current = min(row.current, len(agenda) - 1)
        return {
            "code": row.code,
            "title": row.title,
            "items": agenda,
            "current": current,
            "item": agenda[current],
            "voting_open": bool(row.voting_open),
            "locked": bool(row.locked),
            "revealed": bool(row.revealed),
            "ended": self._is_ended(row),
            "timer_ends_at": _aware(row.timer_ends_at),
            "participants": int(joined),
            "created_at": _aware(row.created_at),
            "ended_at": _aware(row.ended_at),
        }

    def status(self, code: str) -> tuple:
        """What changes during a session, in one read, for views that poll: (current position, voting open,
        results revealed, ended, timer end)."""
        with self._read() as connection:
            row = self._session_row(connection, code)
        return row.current, bool(row.voting_open), bool(row.revealed), self._is_ended(row), _aware(row.timer_ends_at)

    def verify(self, code: str, facilitator_key: str) -> None:
        """Raise WrongKey (or UnknownSession) unless `facilitator_key` is this session's (the check of a session
        already resumed; `resume` is the lookup that counts wrong codes)."""
        with self._read() as connection:
            self._check_key(self._session_row(connection, code), facilitator_key)

    def _facilitate(
        self, code: str, facilitator_key: str, *, position: Callable[[int], int] | None = None, **changes: Any
    ) -> None:
        """One facilitator action in one transaction: the session's row is read under a lock (PostgreSQL: FOR
        UPDATE; SQLite: BEGIN IMMEDIATE) and written from what was read, so that two clicks make two moves.
        `position` gives the new current item from the current one."""
        with self._write() as connection:
            row = self._session_row(connection, code, lock="update")
            self._check_key(row, facilitator_key)
            if self._is_ended(row) and "ended_at" not in changes:
                raise SessionEnded("This session has ended; its results can still be exported.")
            if position is not None:
                count = connection.execute(
                    sa.select(sa.func.count()).select_from(items_table).where(items_table.c.code == row.code)
                ).scalar_one()
                changes["current"] = min(max(0, position(row.current)), count - 1)
                if changes["current"] == row.current:
                    return
                changes.update(voting_open=False, revealed=False, timer_ends_at=None, locked=False)
            connection.execute(
                sessions_table.update()
                .where(sessions_table.c.code == row.code, sessions_table.c.current == row.current)
                .values(**changes)
            )

    def go_to(self, code: str, facilitator_key: str, position: int) -> None:
        """Make item `position` (0-based, kept in range) the current one; voting closes and results are hidden."""
        self._facilitate(code, facilitator_key, position=lambda _current: position)

    def advance(self, code: str, facilitator_key: str) -> None:
        """Move to the next item (from the item current when the click arrives: two clicks, two items)."""
        self._facilitate(code, facilitator_key, position=lambda current: current + 1)

    def previous(self, code: str, facilitator_key: str) -> None:
        """Move back to the previous item."""
        self._facilitate(code, facilitator_key, position=lambda current: current - 1)

    def open_voting(self, code: str, facilitator_key: str) -> None:
        """Let participants vote on the current item."""
        self._facilitate(code, facilitator_key, voting_open=True, locked=False)

    def lock_voting(self, code: str, facilitator_key: str) -> None:
        """Stop all voting: no vote is taken or changed until voting is opened again."""
        self._facilitate(code, facilitator_key, voting_open=False, locked=True)

    def reveal(self, code: str, facilitator_key: str, shown: bool = True) -> None:
        """Show (or hide again) the current item's results to participants and on the projector."""
        self._facilitate(code, facilitator_key, revealed=shown)

    def start_timer(self, code: str, facilitator_key: str, seconds: int) -> None:
        """Count down `seconds` from now for the current item."""
        if not isinstance(seconds, int) or not 0 < seconds <= TIMER_LIMIT_SECONDS:
            raise InvalidInput(f"The timer runs from 1 second to {TIMER_LIMIT_SECONDS // 3600} hours.")
        self._facilitate(code, facilitator_key, timer_ends_at=_now() + dt.timedelta(seconds=seconds))

    def stop_timer(self, code: str, facilitator_key: str) -> None:
        """Clear the timer."""
        self._facilitate(code, facilitator_key, timer_ends_at=None)

    def end(self, code: str, facilitator_key: str) -> None:
        """End the session: no more participants, votes or notes; everything stays for export until deleted."""
        self._facilitate(code, facilitator_key, ended_at=_now(), voting_open=False)

    def delete(self, code: str, facilitator_key: str) -> None:
        """Delete the session and everything in it: items, participants, votes and notes."""
        with self._write() as connection:
            row = self._session_row(connection, code)
            self._check_key(row, facilitator_key)
            self._delete(connection, [row.code])

    @staticmethod
    def _delete(connection: Connection, codes: list[str]) -> None:
        if not codes:
            return
        for table in CHILD_TABLES:
            connection.execute(table.delete().where(table.c.code.in_(codes)))
        connection.execute(sessions_table.delete().where(sessions_table.c.code.in_(codes)))

    def purge_expired(self) -> int:
        """Delete the sessions created more than RETENTION_DAYS ago, old failed join attempts and the presentations
        not stepped for PRESENTATION_HOURS; how many sessions went."""
        now = _now()
        with self._write() as connection:
            connection.execute(
                presentations_table.delete().where(
                    presentations_table.c.updated_at < now - dt.timedelta(hours=PRESENTATION_HOURS)
                )
            )
            codes = list(
                connection.execute(
                    sa.select(sessions_table.c.code).where(
                        sessions_table.c.created_at < now - dt.timedelta(days=RETENTION_DAYS)
                    )
                ).scalars()
            )
            self._delete(connection, codes)
            connection.execute(failed_joins_table.delete().where(failed_joins_table.c.at < now - FAILED_JOIN_WINDOW))
        return len(codes)

    # Participants

    def _look_up(self, code: str, client: str, found: Callable[[Connection], Any]) -> Any:
        """Look a code up for `client` under the join limiter: `found(connection)` returns what the lookup found, or
        None for a wrong code (unknown, ended, or a participant or key that is not the code's).

        The count of wrong codes and the record of a new one are one transaction, serialised with every other lookup
        (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), so that simultaneous guesses cannot all pass the cap.
        A client past MAX_FAILED_JOINS, or everyone past GLOBAL_MAX_FAILED_JOINS, gets no answer until the window has
        passed. Every wrong code raises UnknownSession with the one message WRONG_CODE.
        """
        client = _client_key(client)
        now = _now()
        with self._write() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LIMITER_LOCK})
            recent = failed_joins_table.c.at > now - FAILED_JOIN_WINDOW
            counts = connection.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.coalesce(sa.func.sum(sa.case((failed_joins_table.c.client == client, 1), else_=0)), 0),
                ).where(recent)
            ).one()
            minutes = int(FAILED_JOIN_WINDOW.total_seconds() // 60)
            if counts[1] >= MAX_FAILED_JOINS:
                raise TooManyAttempts(f"Too many wrong codes: wait {minutes} minutes, then try again.")
            if counts[0] >= GLOBAL_MAX_FAILED_JOINS:
                raise TooManyAttempts(
                    f"Too many wrong codes have been tried on this server: joining is paused for up to {minutes} "
                    "minutes. Participants already in carry on."
                )
            result = found(connection)
            if result is None:
                # Addresses are kept no longer than they are needed for the limit.
                connection.execute(
                    failed_joins_table.delete().where(failed_joins_table.c.at <= now - FAILED_JOIN_WINDOW)
                )
                connection.execute(failed_joins_table.insert().values(client=client, at=now))
        # The failed attempt is committed before the error is raised, so that it counts.
        if result is None:
            raise UnknownSession(WRONG_CODE)
        return result

    def _live_code(self, connection: Connection, code: str) -> str | None:
        row = connection.execute(
            sa.select(sessions_table.c.code, sessions_table.c.created_at, sessions_table.c.ended_at).where(
                sessions_table.c.code == normalize_code(code)
            )
        ).first()
        return None if row is None or self._is_ended(row) else row.code

    def join(self, code: str, name: str | None = None, *, client: str = "", browser: str | None = None) -> str:
        """Join a live session, optionally under a display name; the participant id (keep it: it is who you are).

        `client` names who is asking (the address, or the browser where the address cannot be trusted: see
        `clients.client_key`), for the join limiter. `browser` is the browser's own token: a browser that joined
        the session before gets the same participant back (its name unchanged), never a second ballot.
        """
        display = clean_name(name)
        live = self._look_up(code, client, lambda connection: self._live_code(connection, code))
        browser_hash = _hash_key(browser) if isinstance(browser, str) and browser else None
        client_hash = _hash_key(_client_key(client))
        with self._write() as connection:
            # Exclusive: participants joining at the same moment get the next numbers one after the other.
            row = self._live_row(connection, live, lock="update")
            if browser_hash is not None:
                known = connection.execute(
                    sa.select(participants_table.c.id).where(
                        participants_table.c.code == row.code, participants_table.c.browser_hash == browser_hash
                    )
                ).scalar()
                if known is not None:
                    return known
            number, from_client = connection.execute(
                sa.select(
                    sa.func.coalesce(sa.func.max(participants_table.c.number), 0),
                    sa.func.coalesce(
                        sa.func.sum(sa.case((participants_table.c.client_hash == client_hash, 1), else_=0)), 0
                    ),
                ).where(participants_table.c.code == row.code)
            ).one()
            if number >= MAX_PARTICIPANTS:
                raise InvalidInput(f"This session is full: {MAX_PARTICIPANTS} participants have joined.")
            if from_client >= MAX_PARTICIPANTS_PER_CLIENT:
                raise InvalidInput(
                    f"{MAX_PARTICIPANTS_PER_CLIENT} participants have joined from your address: no more can join "
                    "from it."
                )
            participant_id = secrets.token_urlsafe(18)
            connection.execute(
                participants_table.insert().values(
                    id=participant_id,
                    code=row.code,
                    number=number + 1,
                    name=display,
                    joined_at=_now(),
                    browser_hash=browser_hash,
                    client_hash=client_hash,
                )
            )
        return participant_id

    def participant(self, code: str, participant_id: str, *, client: str = "") -> dict[str, Any]:
        """A participant's number and name in the session, the lookup of a participant's link: a code or id that is
        not one of the session's counts as a wrong code for `client` (UnknownSession, the one message)."""

        def found(connection: Connection):
            row = (
                connection.execute(
                    sa.select(participants_table.c.number, participants_table.c.name).where(
                        participants_table.c.code == normalize_code(code),
                        participants_table.c.id == str(participant_id),
                    )
                )
                .mappings()
                .first()
            )
            return None if row is None else dict(row)

        with self._read() as connection:
            known = found(connection)
        # A participant's own link is not counted; anything else goes through the limiter.
        return known if known is not None else self._look_up(code, client, found)

    def resume(self, code: str, facilitator_key: str, *, client: str = "") -> str:
        """The facilitator's lookup from another browser: the code as stored, if the key is the session's; a wrong
        code or a wrong key is one wrong code for `client` (UnknownSession, the one message)."""

        def found(connection: Connection):
            row = connection.execute(
                sa.select(sessions_table).where(sessions_table.c.code == normalize_code(code))
            ).first()
            if row is None or not isinstance(facilitator_key, str):
                return None
            return row.code if hmac.compare_digest(row.key_hash, _hash_key(facilitator_key)) else None

        return self._look_up(code, client, found)

    @staticmethod
    def _participant(connection: Connection, code: str, participant_id: str, *, lock: bool = False):
        query = sa.select(participants_table.c.number, participants_table.c.name).where(
            participants_table.c.code == code, participants_table.c.id == str(participant_id)
        )
        if lock:
            query = query.with_for_update()
        found = connection.execute(query).mappings().first()
        if found is None:
            raise NotInSession("You are not a participant of this session: join it with its code.")
        return found

    @staticmethod
    def _item(agenda: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
        for item in agenda:
            if item["item_id"] == item_id:
                return item
        raise NotInSession(f"The item {str(item_id)[:60]!r} is not on this session's agenda.")

    @staticmethod
    def _ballot(item: dict[str, Any], value: Any) -> Any:
        """A vote checked against its item: an agree level, or a full ranking of the item's options."""
        if item["vote_kind"] == AGREE:
            if isinstance(value, bool) or not isinstance(value, int) or value not in AGREE_LEVELS:
                levels = ", ".join(f"{level} ({label})" for level, label in AGREE_LEVELS.items())
                raise InvalidInput(f"A vote on a question is one of {levels}.")
            return value
        options = item["options"]
        if (
            not isinstance(value, (list, tuple))
            or len(value) != len(options)
            or sorted(map(str, value)) != sorted(options)
        ):
            raise InvalidInput(f"Rank all {len(options)} recommendations of the item, each once.")
        return [str(option) for option in value]

    def vote(self, code: str, participant_id: str, item_id: str, value: Any) -> None:
        """Record a participant's vote on the current item while voting is open; a second vote replaces the first."""
        with self._write() as connection:
            # Shared: votes go in side by side, but a facilitator's change (lock, next item) waits for them.
            row = self._live_row(connection, code, lock="share")
            self._participant(connection, row.code, participant_id)
            agenda = self._items(connection, row.code)
            item = self._item(agenda, item_id)
            ballot = self._ballot(item, value)
            current = agenda[min(row.current, len(agenda) - 1)]
            if current["item_id"] != item_id:
                raise VotingLocked("Voting on this item is closed: the facilitator has moved to another item.")
            if row.locked and not row.voting_open:
                raise VotingLocked("Voting on this item is locked: no vote is taken or changed.")
            if not row.voting_open:
                raise VotingLocked("Voting on this item is not open yet: wait for the facilitator to open it.")
            values = {
                "code": row.code,
                "participant_id": str(participant_id),
                "item_id": item_id,
                "value": json.dumps(ballot),
                "voted_at": _now(),
            }
            insert = _dialect_insert(connection)(votes_table).values(**values)
            connection.execute(
                insert.on_conflict_do_update(
                    index_elements=[votes_table.c.code, votes_table.c.participant_id, votes_table.c.item_id],
                    set_={"value": insert.excluded.value, "voted_at": insert.excluded.voted_at},
                )
            )

    def my_vote(self, code: str, participant_id: str, item_id: str) -> Any:
        """The participant's own vote on an item, or None."""
        with self._read() as connection:
            found = connection.execute(
                sa.select(votes_table.c.value).where(
                    votes_table.c.code == normalize_code(code),
                    votes_table.c.participant_id == str(participant_id),
                    votes_table.c.item_id == item_id,
                )
            ).scalar()
        return None if found is None else json.loads(found)

    def note(self, code: str, participant_id: str, item_id: str, text: str) -> int:
        """Post a note (plain text, at most MAX_NOTE_CHARS characters) on an item of the session; its id."""
        cleaned = clean_text(text, limit=MAX_NOTE_CHARS, what="note")
        if not cleaned:
            raise InvalidInput("The note is empty.")
        with self._write() as connection:
            row = self._live_row(connection, code)
            # The participant's row is held until the note is in: their notes count and rate hold under concurrency.
            self._participant(connection, row.code, participant_id, lock=True)
            now = _now()
            self._item(self._items(connection, row.code), item_id)
            posted, last = connection.execute(
                sa.select(sa.func.count(), sa.func.max(notes_table.c.posted_at)).where(
                    notes_table.c.code == row.code, notes_table.c.participant_id == str(participant_id)
                )
            ).one()
            if posted >= MAX_NOTES_PER_PARTICIPANT:
                raise InvalidInput(f"You have posted {posted} notes, the most one participant can post.")
            last = _aware(last)
            if last is not None and now - last < dt.timedelta(seconds=NOTE_INTERVAL_SECONDS):
                wait = max(1, int(NOTE_INTERVAL_SECONDS - (now - last).total_seconds() + 0.999))
                raise TooFast(f"One note every {NOTE_INTERVAL_SECONDS} seconds: post this one in {wait} s.")
            result = connection.execute(
                notes_table.insert().values(
                    code=row.code, participant_id=str(participant_id), item_id=item_id, text=cleaned, posted_at=now
                )
            )
            return int(result.inserted_primary_key[0])

    def delete_note(self, code: str, participant_id: str, note_id: int) -> None:
        """Withdraw one of your own notes while the session is live."""
        with self._write() as connection:
            row = self._live_row(connection, code)
            deleted = connection.execute(
                notes_table.delete().where(
                    notes_table.c.code == row.code,
                    notes_table.c.participant_id == str(participant_id),
                    notes_table.c.id == note_id,
                )
            )
            if deleted.rowcount != 1:
                raise NotInSession("This note is not one of yours.")

    # Results

    def _frame(self, code: str, query: sa.Select) -> pd.DataFrame:
        """A query's rows as a frame with its columns (even when empty), after checking the session exists."""
        with self._read() as connection:
            self._session_row(connection, code)
            rows = connection.execute(query).mappings().all()
        return pd.DataFrame(rows, columns=list(query.selected_columns.keys()))

    def notes(self, code: str, item_id: str | None = None) -> pd.DataFrame:
        """The notes, oldest first: id, item_id, participant (number), name (None: anonymous), text, posted_at."""
        query = _NOTES_QUERY.where(notes_table.c.code == normalize_code(code)).order_by(notes_table.c.id)
        if item_id is not None:
            query = query.where(notes_table.c.item_id == item_id)
        frame = self._frame(code, query)
        frame["posted_at"] = pd.to_datetime(frame["posted_at"], utc=True)
        return frame

    def votes(self, code: str) -> pd.DataFrame:
        """Every vote: item_id, participant (number), name, value (an agree level or a ranking), voted_at."""
        query = (
            sa.select(
                votes_table.c.item_id,
                participants_table.c.number.label("participant"),
                participants_table.c.name,
                votes_table.c.value,
                votes_table.c.voted_at,
            )
            .join(participants_table, participants_table.c.id == votes_table.c.participant_id)
            .where(votes_table.c.code == normalize_code(code))
            .order_by(votes_table.c.item_id, participants_table.c.number)
        )
        frame = self._frame(code, query)
        frame["value"] = frame["value"].map(json.loads)
        frame["voted_at"] = pd.to_datetime(frame["voted_at"], utc=True)
        return frame

    def wall(self, code: str, item_id: str, limit: int) -> tuple[int, pd.DataFrame]:
        """What the notes wall shows: how many notes the item has, and the newest `limit` of them, newest first
        (columns as `notes`). Two indexed reads, whatever the number of notes."""
        code = normalize_code(code)
        query = (
            _NOTES_QUERY.where(notes_table.c.code == code, notes_table.c.item_id == item_id)
            .order_by(notes_table.c.id.desc())
            .limit(limit)
        )
        with self._read() as connection:
            self._session_row(connection, code)
            count = connection.execute(
                sa.select(sa.func.count())
                .select_from(notes_table)
                .where(notes_table.c.code == code, notes_table.c.item_id == item_id)
            ).scalar_one()
            rows = connection.execute(query).mappings().all()
        frame = pd.DataFrame(rows, columns=list(query.selected_columns.keys()))
        frame["posted_at"] = pd.to_datetime(frame["posted_at"], utc=True)
        return int(count), frame

    def tally(self, code: str, item_id: str | None = None) -> pd.DataFrame:
        """The results of every item (or of `item_id`), one row per item and option, in agenda order.

        Columns: position, item_id, vote_kind, option, label, ballots (votes on the item), votes (agree: votes for
        this level; rank: ballots that put this option first), points (rank: Borda points, n-1 for a first place down
        to 0 for the last; agree: the level times its votes). The database groups the ballots (one row per distinct
        ballot and its count), so that the projector's read does not grow with the room.
        """
        code = normalize_code(code)
        query = (
            sa.select(votes_table.c.item_id, votes_table.c.value, sa.func.count().label("count"))
            .where(votes_table.c.code == code)
            .group_by(votes_table.c.item_id, votes_table.c.value)
        )
        if item_id is not None:
            query = query.where(votes_table.c.item_id == item_id)
        with self._read() as connection:
            self._session_row(connection, code)
            agenda = self._items(connection, code)
            grouped: dict[str, list[tuple[Any, int]]] = {}
            for row in connection.execute(query):
                grouped.setdefault(row.item_id, []).append((json.loads(row.value), int(row.count)))
        rows = []
        for item in agenda:
            if item_id is not None and item["item_id"] != item_id:
                continue
            ballots = grouped.get(item["item_id"], [])
            total = sum(count for _ballot, count in ballots)
            for option in item["options"]:
                if item["vote_kind"] == AGREE:
                    level = int(option)
                    votes = sum(count for ballot, count in ballots if ballot == level)
                    label, points = AGREE_LEVELS[level], level * votes
                else:
                    votes = sum(count for ballot, count in ballots if ballot and ballot[0] == option)
                    last = len(item["options"]) - 1
                    points = sum((last - ballot.index(option)) * count for ballot, count in ballots if option in ballot)
                    label = option
                rows.append(
                    {
                        "position": item["position"],
                        "item_id": item["item_id"],
                        "vote_kind": item["vote_kind"],
                        "option": option,
                        "label": label,
                        "ballots": total,
                        "votes": votes,
                        "points": points,
                    }
                )
        columns = ["position", "item_id", "vote_kind", "option", "label", "ballots", "votes", "points"]
        return pd.DataFrame(rows, columns=columns)

    def export(self, code: str) -> dict[str, Any]:
        """The whole session as plain data (JSON-ready): session, items, tally, votes and notes.

        Participants appear by number and the name they gave; their ids (which let one vote as them) are left out.
        """
        state = self.state(code)
        tally = self.tally(code)
        cast = self.votes(code)
        posted = self.notes(code)
        session = {
            "code": state["code"],
            "title": state["title"],
            "created_at": _iso(state["created_at"]),
            "ended_at": _iso(state["ended_at"]),
            "participants": state["participants"],
        }
        return {
            "session": session,
            "items": [
                {
                    "position": item["position"] + 1,
                    **item["record"],
                    "vote_kind": item["vote_kind"],
                    "options": item["options"],
                }
                for item in state["items"]
            ],
            "tally": [{**row, "position": row["position"] + 1} for row in tally.to_dict("records")],
            "votes": [
                {**row, "voted_at": _iso(row["voted_at"]), "name": None if pd.isna(row["name"]) else row["name"]}
                for row in cast.to_dict("records")
            ],
            "notes": [
                {
                    key: (_iso(value) if key == "posted_at" else None if key == "name" and pd.isna(value) else value)
                    for key, value in row.items()
                    if key != "participant_id"
                }
                for row in posted.to_dict("records")
            ],
        }


def _client_key(client: Any) -> str:
    """The limiter's name for a client; the store's own callers (tests, the command line) are "local"."""
    return str(client or "local")[:200]


# The notes with the number and name of who posted each.
_NOTES_QUERY = sa.select(
    notes_table.c.id,
    notes_table.c.item_id,
    notes_table.c.participant_id,
    participants_table.c.number.label("participant"),
    participants_table.c.name,
    notes_table.c.text,
    notes_table.c.posted_at,
).join(participants_table, participants_table.c.id == notes_table.c.participant_id)


def _dialect_insert(connection: Connection):
    name = connection.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise WorkshopError(f"Workshop sessions need SQLite or PostgreSQL, not {name}.")
    return insert
