"""One participant per browser, a locked item said as locked, and the indexes the projector and the limits read by.

Participants get the hashes of their browser's token (unique per session: a second join returns the same
participant) and of the client that joined them (the cap per address); sessions whether voting on the current item
was locked; notes an index for the newest of an item and one for a participant's rate; votes one for the grouped
tally; wrong codes one by time, for the global cap.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, on SQLite too: a batch copy would drop the sessions table, and with foreign keys
    # on, dropping it deletes every session's items, participants, votes and notes.
    op.add_column("workshop_sessions", sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("workshop_participants", sa.Column("browser_hash", sa.String(64)))
    op.add_column("workshop_participants", sa.Column("client_hash", sa.String(64)))
    op.create_index("workshop_participants_by_browser", "workshop_participants", ["code", "browser_hash"], unique=True)
    op.create_index("workshop_participants_by_client", "workshop_participants", ["code", "client_hash"])
    op.create_index("workshop_votes_by_item", "workshop_votes", ["code", "item_id", "value"])
    op.create_index("workshop_notes_newest", "workshop_notes", ["code", "item_id", "id"])
    op.create_index("workshop_notes_by_participant", "workshop_notes", ["code", "participant_id", "posted_at"])
    op.create_index("workshop_failed_joins_by_time", "workshop_failed_joins", ["at"])


def downgrade() -> None:
    op.drop_index("workshop_failed_joins_by_time", "workshop_failed_joins")
    op.drop_index("workshop_notes_by_participant", "workshop_notes")
    op.drop_index("workshop_notes_newest", "workshop_notes")
    op.drop_index("workshop_votes_by_item", "workshop_votes")
    op.drop_index("workshop_participants_by_client", "workshop_participants")
    op.drop_index("workshop_participants_by_browser", "workshop_participants")
    op.drop_column("workshop_participants", "client_hash")
    op.drop_column("workshop_participants", "browser_hash")
    op.drop_column("workshop_sessions", "locked")
