"""The text rules of the workshop: what participants type (notes, names, titles) as it is stored and shown."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from poc_data.i18n import _
from poc_data.workshop.base import MAX_COMBINING_MARKS, MAX_NAME_CHARS, RESERVED_NAMES, InvalidInput

# Control and format characters are dropped (line breaks in notes kept): the marks that reorder text, zero-width
# spaces, tag characters. Joiners stay where a script or an emoji needs them: between two letters or two symbols.
_JOINERS = "\u200c\u200d"
# Hangul fillers are letters that show as nothing.
_FILLERS = "\u115f\u1160\u3164\uffa0"
_SPACES = re.compile(r"[^\S\n]+")


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
    if name:
        return _("Participant {number} · {name}").format(number=number, name=name)
    return _("Participant {number}").format(number=number)
