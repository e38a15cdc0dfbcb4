"""The workshop database as `create_all` made it before there were migrations: sessions, their agenda items,
participants, votes and notes, wrong join codes, and story presentations.

A database made before migrations has these tables (all of them, or those of its time) and no revision recorded:
this revision adopts it as it is, making only the tables it lacks, and Alembic then records it at this revision; a
new database gets every table. The definitions are frozen here as they were: later changes are later revisions.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def baseline_tables(metadata: sa.MetaData) -> list[sa.Table]:
    """The tables of this revision, in `metadata`."""
    sessions = "workshop_sessions.code"
    return [
        sa.Table(
            "workshop_sessions",
            metadata,
            sa.Column("code", sa.String(16), primary_key=True),
            sa.Column("title", sa.String(480), nullable=False),
            sa.Column("key_hash", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("ended_at", sa.DateTime(timezone=True)),
            sa.Column("current", sa.Integer, nullable=False),
            sa.Column("voting_open", sa.Boolean, nullable=False),
            sa.Column("revealed", sa.Boolean, nullable=False),
            sa.Column("timer_ends_at", sa.DateTime(timezone=True)),
        ),
        sa.Table(
            "workshop_items",
            metadata,
            sa.Column("code", sa.String(16), sa.ForeignKey(sessions, ondelete="CASCADE"), primary_key=True),
            sa.Column("position", sa.Integer, primary_key=True),
            sa.Column("item_id", sa.String(200), nullable=False),
            sa.Column("vote_kind", sa.String(8), nullable=False),
            sa.Column("options", sa.Text, nullable=False),
            sa.Column("record", sa.Text, nullable=False),
            sa.UniqueConstraint("code", "item_id"),
        ),
        sa.Table(
            "workshop_participants",
            metadata,
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("code", sa.String(16), sa.ForeignKey(sessions, ondelete="CASCADE"), nullable=False),
            sa.Column("number", sa.Integer, nullable=False),
            sa.Column("name", sa.String(160)),
            sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
            sa.UniqueConstraint("code", "number"),
        ),
        sa.Table(
            "workshop_votes",
            metadata,
            sa.Column("code", sa.String(16), sa.ForeignKey(sessions, ondelete="CASCADE"), primary_key=True),
            sa.Column("participant_id", sa.String(64), primary_key=True),
            sa.Column("item_id", sa.String(200), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
            sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
        ),
        sa.Table(
            "workshop_notes",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("code", sa.String(16), sa.ForeignKey(sessions, ondelete="CASCADE"), nullable=False),
            sa.Column("participant_id", sa.String(64), nullable=False),
            sa.Column("item_id", sa.String(200), nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
            sa.Index("workshop_notes_by_session", "code", "item_id"),
        ),
        sa.Table(
            "workshop_failed_joins",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("client", sa.String(200), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Index("workshop_failed_joins_by_client", "client", "at"),
        ),
        sa.Table(
            "story_presentations",
            metadata,
            sa.Column("token_hash", sa.String(64), primary_key=True),
            sa.Column("story_id", sa.String(200), nullable=False),
            sa.Column("step", sa.Integer, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Index("story_presentations_by_update", "updated_at"),
        ),
    ]


def upgrade() -> None:
    metadata = sa.MetaData()
    baseline_tables(metadata)
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    metadata = sa.MetaData()
    baseline_tables(metadata)
    metadata.drop_all(op.get_bind())
