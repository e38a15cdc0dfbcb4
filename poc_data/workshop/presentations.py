"""Story presentations: the step a trainer's two windows (the projected audience view and the presenter view) are
both on, in the workshop database; a part of `WorkshopStore`."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa

from poc_data.i18n import N_, _
from poc_data.links import TOKEN
from poc_data.stories import MAX_STEPS
from poc_data.workshop.base import (
    MAX_STORY_ID_CHARS,
    PRESENTATION_HOURS,
    PRESENTATION_TOKEN_BYTES,
    InvalidInput,
    UnknownPresentation,
    _hash_key,
    _now,
    presentations_table,
)

_NO_PRESENTATION = N_(
    "No presentation has this link here: it was made on another server, or it ended {hours} hours after its last step."
)


def _no_presentation() -> UnknownPresentation:
    return UnknownPresentation(_(_NO_PRESENTATION).format(hours=PRESENTATION_HOURS))


def _token_hash(token: Any) -> str:
    """The stored form of a presentation token; a value that cannot be one is refused before the database is asked."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        raise _no_presentation()
    return _hash_key(token)


def _story_step(step: Any) -> int:
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= MAX_STEPS:
        raise InvalidInput(f"A story step is a whole number from 1 to {MAX_STEPS}.")
    return step


class Presentations:
    """The store's story presentations (mixed into `WorkshopStore`, whose database they use)."""

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
            raise _no_presentation()
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
                raise _no_presentation()
