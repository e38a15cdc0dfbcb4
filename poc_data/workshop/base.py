"""What every part of the workshop store shares: its limits and vocabularies, the errors it raises, the tables,
the database (opened and migrated) and a few helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from poc_data.i18n import N_

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
# Shown through `_` (the store keeps the levels' numbers; the words are the interface's).
AGREE_LEVELS = {
    2: N_("Strongly agree"),
    1: N_("Agree"),
    0: N_("Neither"),
    -1: N_("Disagree"),
    -2: N_("Strongly disagree"),
}


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


MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
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


def _iso(moment: Any) -> str | None:
    if moment is None or (not isinstance(moment, dt.datetime) and pd.isna(moment)):
        return None
    return pd.Timestamp(moment).isoformat()
