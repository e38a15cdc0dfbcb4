"""Live workshop sessions and story presentations: state shared between people and windows, in a database.

A workshop session is a facilitator's agenda with participants' votes and notes; a story presentation is the step a
trainer's two windows (the projected audience view and the presenter view) are both on. State shared by everyone in
the room lives here, never in a page's session: the page polls the store (no Streamlit here). The default
database is one SQLite file in the user's data directory (WAL mode, so readers never wait for a writer); set
`POC_WORKSHOP_DB` to a database URL (PostgreSQL through psycopg 3) to share sessions between app instances.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from poc_data.links import TOKEN
from poc_data.load import load
from poc_data.stories import MAX_STEPS

DB_VARIABLE = "POC_WORKSHOP_DB"
DB_FILE_NAME = "workshops.sqlite3"

# Join codes: 6 characters from 31 that cannot be misread (no 0/O, 1/I/L), about 29.7 bits: 887 million codes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# Wrong codes from one client: after this many within the window, every code lookup of that client is refused until
# the window has passed. A client is an address, or a browser where the address cannot be trusted (see `clients`).
MAX_FAILED_JOINS = 10
FAILED_JOIN_WINDOW = dt.timedelta(minutes=10)
# Wrong codes from everyone together: past this many within the window, no code is looked up for anyone until the
# window has passed (participants already in carry on). With 887 million codes and even 100 live sessions, finding
# one takes 8.9 million guesses on average, at most 3,600 an hour: about 100 days.
GLOBAL_MAX_FAILED_JOINS = 600
# New participants in one session from one client (a hall behind one address), and from everyone.
MAX_PARTICIPANTS_PER_CLIENT = 300
MAX_PARTICIPANTS = 2000
# One note per participant every this many seconds.
NOTE_INTERVAL_SECONDS = 5
# A session can be joined and voted in for this long after it was created, unless ended sooner.
SESSION_HOURS = 24
# Everything about a session is deleted this many days after it was created (or at once with `delete`).
RETENTION_DAYS = 30

MAX_NOTE_CHARS = 500
MAX_NAME_CHARS = 40
MAX_TITLE_CHARS = 120
MAX_ITEMS = 100
MAX_NOTES_PER_PARTICIPANT = 200
# What a participant may not call themselves: the room would read it as the person running the session.
RESERVED_NAMES = frozenset({"facilitator", "host", "moderator", "organiser", "organizer", "animateur", "animatrice"})
# Combining marks kept on one character (Vietnamese needs two, a few scripts three); more only smear the text.
MAX_COMBINING_MARKS = 3
TIMER_LIMIT_SECONDS = 3 * 3600
# A story presentation lasts this long after its last step, then is refused and deleted.
PRESENTATION_HOURS = 24
# Presentation tokens: 16 random bytes, 22 URL-safe characters (what a link may carry: `links.TOKEN`).
PRESENTATION_TOKEN_BYTES = 16
MAX_STORY_ID_CHARS = 200

AGREE = "agree"
RANK = "rank"
AGREE_LEVELS = {
    2: "Strongly agree",
    1: "Agree",
    0: "Neither",
    -1: "Disagree",
    -2: "Strongly disagree",
}

# Control and format characters are dropped (line breaks in notes kept): the marks that reorder text, zero-width
# spaces, tag characters. Joiners stay where a script or an emoji needs them: between two letters or two symbols.
_JOINERS = "\u200c\u200d"
# Hangul fillers are letters that show as nothing.
_FILLERS = "\u115f\u1160\u3164\uffa0"
_SPACES = re.compile(r"[^\S\n]+")


class WorkshopError(Exception):
    """Something a person did that the store refuses; the message is plain text meant for them."""


class UnknownSession(WorkshopError):
    """No session has this code (or it was deleted)."""


class SessionEnded(WorkshopError):
    """The session has ended: no more joining, voting or notes."""


class NotInSession(WorkshopError):
    """The item, participant or note is not part of this session."""


class VotingLocked(WorkshopError):
    """Voting on the item is not open."""


class WrongKey(WorkshopError):
    """The facilitator key does not match the session's."""


class InvalidInput(WorkshopError):
    """A vote, note, name or agenda that cannot be stored as given."""


class TooManyAttempts(WorkshopError):
    """Too many wrong join codes from one client (or from everyone): wait before trying again."""


class TooFast(WorkshopError):
    """A participant posting faster than the rate limit allows."""


class UnknownPresentation(WorkshopError):
    """No live story presentation has this token (never made, or ended after PRESENTATION_HOURS without a step)."""


class StoreUnavailable(Exception):
    """The workshop database cannot be created or opened (a locked-down folder, a database that does not answer);
    the message says so in plain words and how to choose another with POC_WORKSHOP_DB."""


def _unavailable(error: Exception, *, chosen: bool) -> StoreUnavailable:
    """What to tell a person whose workshop database cannot be created or opened: `chosen` when its URL was given
    (POC_WORKSHOP_DB, --db), else it is the default file in the user data folder."""
    reason = error.__class__.__name__
    if isinstance(error, OSError) and error.strerror:
        reason = f"{reason}: {error.strerror}"
    if chosen:
        said = (
            f"The workshop database cannot be opened ({reason}). Check its address ({DB_VARIABLE}), or unset "
            f"{DB_VARIABLE} to use a file in your user data folder."
        )
    else:
        said = (
            f"The workshop database cannot be created or opened ({reason}): this computer does not let PoC Explorer "
            f"write in your user data folder. Set the environment variable {DB_VARIABLE} to a database in a folder "
            f"you may write to, for example {DB_VARIABLE}=sqlite:///C:/Users/you/Documents/workshops.sqlite3 on "
            f"Windows or {DB_VARIABLE}=sqlite:////home/you/workshops.sqlite3 elsewhere, and start the app again."
        )
    return StoreUnavailable(f"{said} Workshops and shared story steps need it; every other page works.")


METADATA = sa.MetaData()

sessions_table = sa.Table(
    "workshop_sessions",
    METADATA,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("title", sa.String(MAX_TITLE_CHARS * 4), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
    sa.Column("current", sa.Integer, nullable=False, default=0),
    sa.Column("voting_open", sa.Boolean, nullable=False, default=False),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
    sa.Column("timer_ends_at", sa.DateTime(timezone=True)),
    # Voting on the current item was opened and then locked (not merely not opened yet).
    sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false()),
)

items_table = sa.Table(
    "workshop_items",
    METADATA,
    sa.Column("code", sa.String(16), sa.ForeignKey("workshop_sessions.code", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.String(200), nullable=False),
    sa.Column("vote_kind", sa.String(8), nullable=False),
    sa.Column("options", sa.Text, nullable=False),
    sa.Column("record", sa.Text, nullable=False),
    sa.UniqueConstraint("code", "item_id"),
)

participants_table = sa.Table(
    "workshop_participants",
    METADATA,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("code", sa.String(16), sa.ForeignKey("workshop_sessions.code", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("name", sa.String(MAX_NAME_CHARS * 4)),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    # Hashes of the browser's token (one participant per browser and session) and of the client that joined.
    sa.Column("browser_hash", sa.String(64)),
    sa.Column("client_hash", sa.String(64)),
    sa.UniqueConstraint("code", "number"),
    sa.Index("workshop_participants_by_browser", "code", "browser_hash", unique=True),
    sa.Index("workshop_participants_by_client", "code", "client_hash"),
)

votes_table = sa.Table(
    "workshop_votes",
    METADATA,
    sa.Column("code", sa.String(16), sa.ForeignKey("workshop_sessions.code", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant_id", sa.String(64), primary_key=True),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("workshop_votes_by_item", "code", "item_id", "value"),
)

notes_table = sa.Table(
    "workshop_notes",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), sa.ForeignKey("workshop_sessions.code", ondelete="CASCADE"), nullable=False),
    sa.Column("participant_id", sa.String(64), nullable=False),
    sa.Column("item_id", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("workshop_notes_by_session", "code", "item_id"),
    sa.Index("workshop_notes_newest", "code", "item_id", "id"),
    sa.Index("workshop_notes_by_participant", "code", "participant_id", "posted_at"),
)

failed_joins_table = sa.Table(
    "workshop_failed_joins",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("workshop_failed_joins_by_client", "client", "at"),
    sa.Index("workshop_failed_joins_by_time", "at"),
)

# A story presentation is found by its token's hash (a database holds no token that could be used as it stands); the
# poll of each window is one read of one row by its primary key.
presentations_table = sa.Table(
    "story_presentations",
    METADATA,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("story_id", sa.String(MAX_STORY_ID_CHARS), nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("story_presentations_by_update", "updated_at"),
)

CHILD_TABLES = (votes_table, notes_table, participants_table, items_table)


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The key of PostgreSQL's advisory lock that lets one app instance at a time migrate a shared database.
MIGRATION_LOCK = 0x706F635F776B  # "poc_wk"
# The key of the advisory lock every code lookup takes on PostgreSQL, so that counting the wrong codes and adding one
# are one step (under READ COMMITTED two lookups would both count below the cap); SQLite's BEGIN IMMEDIATE does the
# same for its writers.
LIMITER_LOCK = 0x706F635F6A6C  # "poc_jl"
WRONG_CODE = "No live session has this code. Check the code with the facilitator."


def migrate(engine: Engine) -> None:
    """Bring the database's tables to the newest revision of poc_data/migrations (Alembic): a new database gets
    them all, an older one the changes since its revision, and one made by `create_all` before there were
    migrations is adopted by the first revision (its tables kept, any it lacks made) and recorded at it.

    One transaction, taken for writing and, on PostgreSQL, under an advisory lock: app instances that open the same
    database at once migrate it one after the other, and the later ones find it done. A database at a revision
    these migrations do not know raises StoreUnavailable.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except CommandError:  # a revision these migrations do not know: a newer PoC Explorer migrated it
            raise StoreUnavailable(
                "The workshop database was brought up to date by a newer version of PoC Explorer than this one, "
                f"which cannot use it. Install the newer version, or choose another database with {DB_VARIABLE}."
            ) from None


def default_url() -> str:
    """$POC_WORKSHOP_DB, else a SQLite file in the user's data directory (never in the project's data/)."""
    from_env = os.environ.get(DB_VARIABLE, "").strip()
    return from_env or default_file_url()


def default_file_url() -> str:
    """The SQLite file in the user's data directory that holds the sessions unless POC_WORKSHOP_DB names another."""
    from platformdirs import user_data_path

    # Not made here: the store makes it, and says so in plain words when it cannot.
    directory = user_data_path("poc-explorer", appauthor=False)
    return str(URL.create("sqlite+pysqlite", database=str(directory / DB_FILE_NAME)))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def normalize_code(code: Any) -> str:
    """A join code as typed: case, spaces and dashes do not matter."""
    return re.sub(r"[\s-]+", "", str(code or "")).upper()


def _visible(character: str) -> bool:
    return unicodedata.category(character)[0] in "LNSP"


def clean_text(text: Any, *, limit: int, what: str, multiline: bool = True) -> str:
    """Participant text as stored: control and format characters, Hangul fillers and piled-up combining marks
    removed, spaces tidied, within `limit`. Text with nothing visible left is empty.

    Raises InvalidInput for text that is too long (saying by how much: it is never cut) or not text; the text is never
    interpreted (Markdown or HTML in it stays as typed and is shown as plain text).
    """
    if not isinstance(text, str):
        raise InvalidInput(f"The {what} must be text.")
    if len(text) > limit * 4:
        raise InvalidInput(f"The {what} is too long: {len(text)} characters, at most {limit}.")
    # Decomposed, so that every mark is counted (precomposed letters carry theirs); composed again at the end.
    text = unicodedata.normalize("NFD", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept: list[str] = []
    marks = 0
    for index, character in enumerate(text):
        category = unicodedata.category(character)
        if character == "\n":
            kept.append("\n" if multiline else " ")
        elif character == "\t":
            kept.append(" ")
        elif category in ("Mn", "Me"):
            marks += 1
            if marks <= MAX_COMBINING_MARKS and kept and kept[-1] not in " \n":
                kept.append(character)
            continue
        elif character in _JOINERS:
            following = text[index + 1 : index + 2]
            if kept and following and unicodedata.category(kept[-1])[0] in "LNSPM" and _visible(following):
                kept.append(character)
        elif category in ("Cc", "Cf", "Co", "Cs", "Cn") or character in _FILLERS:
            continue
        else:
            kept.append(character)
        marks = 0
    lines = [_SPACES.sub(" ", line).strip() for line in unicodedata.normalize("NFC", "".join(kept)).split("\n")]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not any(_visible(character) for character in cleaned):
        return ""
    if len(cleaned) > limit:
        raise InvalidInput(
            f"The {what} is too long: {len(cleaned)} characters, at most {limit}. Shorten it by {len(cleaned) - limit}."
        )
    return cleaned


def clean_name(name: Any) -> str | None:
    """A display name as stored (None: anonymous); a name the room would take for the facilitator's is refused."""
    if name is None:
        return None
    display = clean_text(name, limit=MAX_NAME_CHARS, what="name", multiline=False) or None
    if display is not None:
        words = re.findall(r"\w+", unicodedata.normalize("NFKD", display).casefold())
        letters = "".join(character for character in "".join(words) if not unicodedata.combining(character))
        if letters in RESERVED_NAMES or any(word in RESERVED_NAMES for word in words):
            raise InvalidInput(f"“{display}” is kept for the person running the session: choose another name.")
    return display


def wall_name(number: int, name: str | None) -> str:
    """How a participant shows on the wall and in reports: their number, and the name they gave if any."""
    return f"Participant {number} · {name}" if name else f"Participant {number}"


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


class WorkshopStore:
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

    # Story presentations

    def start_presentation(self, story_id: str, step: int) -> str:
        """A new presentation of story `story_id` at `step` (1-based): its token, for the links of both windows."""
        if not isinstance(story_id, str) or not 0 < len(story_id) <= MAX_STORY_ID_CHARS:
            raise InvalidInput(f"A story id is 1 to {MAX_STORY_ID_CHARS} characters.")
        step = _story_step(step)
        token = secrets.token_urlsafe(PRESENTATION_TOKEN_BYTES)
        now = _now()
        self.purge_expired()
        with self._write() as connection:
            connection.execute(
                presentations_table.insert().values(
                    token_hash=_hash_key(token), story_id=story_id, step=step, created_at=now, updated_at=now
                )
            )
        return token

    def presentation(self, token: str) -> tuple[str, int]:
        """The story id and the current step of a live presentation (one read by primary key: cheap to poll)."""
        with self._read() as connection:
            row = connection.execute(
                sa.select(presentations_table.c.story_id, presentations_table.c.step).where(
                    presentations_table.c.token_hash == _token_hash(token),
                    presentations_table.c.updated_at >= _now() - dt.timedelta(hours=PRESENTATION_HOURS),
                )
            ).first()
        if row is None:
            raise UnknownPresentation(_NO_PRESENTATION)
        return row.story_id, int(row.step)

    def step_presentation(self, token: str, step: int) -> None:
        """Make `step` (1-based) the presentation's current step: every window of it follows."""
        step = _story_step(step)
        now = _now()
        with self._write() as connection:
            updated = connection.execute(
                presentations_table.update()
                .where(
                    presentations_table.c.token_hash == _token_hash(token),
                    presentations_table.c.updated_at >= now - dt.timedelta(hours=PRESENTATION_HOURS),
                )
                .values(step=step, updated_at=now)
            )
            if updated.rowcount != 1:
                raise UnknownPresentation(_NO_PRESENTATION)

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


_NO_PRESENTATION = (
    f"No presentation has this link here: it was made on another server, or it ended {PRESENTATION_HOURS} hours "
    "after its last step."
)


def _token_hash(token: Any) -> str:
    """The stored form of a presentation token; a value that cannot be one is refused before the database is asked."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise UnknownPresentation(_NO_PRESENTATION)
    return _hash_key(token)


def _story_step(step: Any) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= MAX_STEPS:
        raise InvalidInput(f"A story step is a whole number from 1 to {MAX_STEPS}.")
    return step


def _iso(moment: Any) -> str | None:
    if moment is None or (not isinstance(moment, dt.datetime) and pd.isna(moment)):
        return None
    return pd.Timestamp(moment).isoformat()


TRUSTED_PROXIES_VARIABLE = "POC_TRUSTED_PROXIES"
_LOOPBACK = ("127.", "::1", "localhost")


def trusted_proxies() -> frozenset[str]:
    """The addresses of the reverse proxies whose X-Forwarded-For is believed: $POC_TRUSTED_PROXIES, comma-separated
    (none by default)."""
    return frozenset(part.strip() for part in os.environ.get(TRUSTED_PROXIES_VARIABLE, "").split(",") if part.strip())


def client_key(peer: str | None, forwarded_for: str | None, browser: str, trusted: frozenset[str]) -> str:
    """Who is asking, for the join limiter and the cap per address.

    The address the connection came from, unless it cannot tell people apart or may be forged: behind a proxy named
    in `trusted`, the nearest address in X-Forwarded-For that is not one of them; with no proxy named, a request
    that carries X-Forwarded-For (the ASGI server believes it from the same machine, where anyone can set it) or
    comes from this machine (a local proxy, an SSH tunnel) is told apart by its browser's token, never by one shared
    name.
    """
    if trusted and forwarded_for:
        hops = [part.strip() for part in forwarded_for.split(",") if part.strip()]
        # uvicorn may already have put the nearest hop in place of a proxy on this machine.
        if peer in trusted or peer in hops:
            for hop in reversed(hops):
                if hop not in trusted:
                    return f"address:{hop[:100]}"
    if peer and not forwarded_for and not peer.startswith(_LOOPBACK):
        return f"address:{peer[:100]}"
    return f"browser:{_hash_key(browser)[:32]}"


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


# Exports: what the facilitator takes home, and what `python -m poc_data workshop export` writes.

CSV_COLUMNS = ["record", "item", "item_id", "item_text", "participant", "name", "vote", "note", "time"]
# A spreadsheet runs a cell that starts with one of these as a formula; such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def vote_text(item: dict[str, Any], value: Any) -> str:
    """A vote in words as participants saw it: an agree level's label, or a ranking by the recommendations' labels
    (`Recommendation 2 > Recommendation 1`, numbered in the item's order of options)."""
    if item["vote_kind"] == AGREE:
        return AGREE_LEVELS.get(value, str(value))
    return " > ".join(option_label(item, option) for option in value)


def option_label(item: dict[str, Any], option: str) -> str:
    """How an option of an item is named to participants: an agree level, or "Recommendation N"."""
    if item["vote_kind"] == AGREE:
        return AGREE_LEVELS[int(option)]
    return f"Recommendation {item['options'].index(option) + 1}" if option in item["options"] else str(option)


def export_csv(exported: dict[str, Any]) -> bytes:
    """Votes and notes as one CSV (UTF-8 with a BOM, for spreadsheets); cells that could run as formulas are
    neutralised."""
    items = {item["id"]: item for item in exported["items"]}
    rows = []
    for vote in exported["votes"]:
        item = items[vote["item_id"]]
        rows.append(
            {
                "record": "vote",
                "item": item["position"],
                "item_id": vote["item_id"],
                "item_text": item["text"],
                "participant": vote["participant"],
                "name": vote["name"],
                "vote": vote_text(item, vote["value"]),
                "note": None,
                "time": vote["voted_at"],
            }
        )
    for note in exported["notes"]:
        item = items[note["item_id"]]
        rows.append(
            {
                "record": "note",
                "item": item["position"],
                "item_id": note["item_id"],
                "item_text": item["text"],
                "participant": note["participant"],
                "name": note["name"],
                "vote": None,
                "note": note["text"],
                "time": note["posted_at"],
            }
        )
    # In agenda order, each item's votes then its notes.
    frame = pd.DataFrame(rows, columns=CSV_COLUMNS).sort_values("item", kind="stable").map(_safe_cell)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def export_json(exported: dict[str, Any]) -> bytes:
    """The whole export as JSON (UTF-8)."""
    return json.dumps(exported, ensure_ascii=False, indent=2, default=str).encode("utf-8")


# What Markdown (CommonMark with GitHub's extensions) would read as formatting, links or HTML in participants' or
# data text: escaped with a backslash, and nothing else, so that the report reads as written both as text and rendered.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~@])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BARE_LINK = re.compile(r"(?i)(://|www\.)")
_LINE_START = re.compile(r"^(\s*)(?:([#+=-])|(\d+)([.)]))")


def _quote(text: Any) -> str:
    """Participant or data text for a Markdown report, on one line: the characters Markdown would act on are escaped
    (`@`, so that an address does not become a mailto link; `://` and `www.`, so that a typed address is no link)."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", str(text).replace("\r", " ").replace("\n", " "))
    text = _ENTITY.sub(r"\\&", text)
    text = _BARE_LINK.sub(lambda found: found.group(1).replace("/", "\\/").replace(".", "\\."), text)
    return _LINE_START.sub(
        lambda found: (
            found.group(1) + (f"\\{found.group(2)}" if found.group(2) else f"{found.group(3)}\\{found.group(4)}")
        ),
        text,
    )


def export_markdown(exported: dict[str, Any], evidence: pd.DataFrame | None = None) -> str:
    """A report: each item, its tally, the notes, and its evidence with citations.

    `evidence` holds the items' links (`recommendation_id`, `kind`, `label`, `reason`, `citation`), or is None.
    """
    session = exported["session"]
    lines = [
        f"# {_quote(session['title'])}",
        "",
        f"Workshop session {session['code']}, started {session['created_at']}"
        + (f", ended {session['ended_at']}" if session["ended_at"] else "")
        + f". {session['participants']} participant(s). Notes are the participants' own words, as typed.",
    ]
    for item in exported["items"]:
        lines += ["", f"## {item['position']}. {_quote(item['theme'])}", "", f"> {_quote(item['text'])}", ""]
        lines.append(f"*{_quote(item['kind'])}*" + (f" to {_quote(item['addressee'])}" if item["addressee"] else ""))
        rows = [row for row in exported["tally"] if row["item_id"] == item["id"]]
        ballots = rows[0]["ballots"] if rows else 0
        lines += ["", f"### Votes ({ballots})", ""]
        if item["vote_kind"] == AGREE:
            lines += ["| answer | votes |", "|---|---|"]
            lines += [f"| {row['label']} | {row['votes']} |" for row in rows]
        else:
            lines += ["| recommendation | points | first places |", "|---|---|---|"]
            options = item.get("options_text", {})
            ranked = sorted(rows, key=lambda row: -row["points"])
            lines += [
                f"| {_quote(options.get(row['option'], row['option']))[:200]} | {row['points']} | {row['votes']} |"
                for row in ranked
            ]
        posted = [note for note in exported["notes"] if note["item_id"] == item["id"]]
        lines += ["", f"### Notes ({len(posted)})", ""]
        lines += [
            f"- {_quote(note['text'])} ({_quote(note['name']) if note['name'] else 'Anonymous'})" for note in posted
        ] or ["No notes."]
        if evidence is not None:
            links = evidence[evidence["recommendation_id"] == item["id"]]
            lines += ["", "### Evidence", ""]
            lines += [
                f"- {_quote(link.label)}: {_quote(link.reason)} (source: {_quote(link.citation)})"
                for link in links.itertuples(index=False)
            ] or ["No curated evidence link."]
    lines += ["", f"Source of each item: {', '.join(sorted({_quote(i['source_id']) for i in exported['items']}))}."]
    return "\n".join(lines) + "\n"


def report_evidence(item_ids: Sequence[str], data_dir: str | os.PathLike | None = None) -> pd.DataFrame | None:
    """The items' evidence links with a citation each, read from the data directory; None if it cannot be read."""
    from poc_data.problems import DataError
    from poc_data.transform import roundtable as rt

    try:
        evidence = load("evidence", data_dir)
        sources = load("sources", data_dir)
    except DataError:
        return None
    records = {}
    for dataset_id, _key in rt.EVIDENCE_DATASETS.values():
        try:
            records[dataset_id] = load(dataset_id, data_dir)
        except DataError:
            records[dataset_id] = None
    links = rt.evidence_of(evidence, list(item_ids), records)
    return links.assign(citation=rt.link_citations(links, sources))
