"""Values from a shared link, parsed with limits: one function per kind of query parameter, never an exception.

Each parser takes the raw values of one parameter (`st.query_params.get_all(key)`) and returns a `LinkValue`: the
value to use (None: the default) and the raw values it did not use, with the reason, for the page's notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from poc_data.i18n import _

# Limits on what a link may carry: a list, a number or a text longer than these is not looked at further.
MAX_VALUES = 100
MAX_NUMBER_DIGITS = 9
MAX_TEXT_CHARS = 200
TOGGLE_VALUES = {"true": True, "false": False}
# A random token the app made (secrets.token_urlsafe): URL-safe characters only, of a bounded length.
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class LinkValue:
    """What a link's parameter gives: the value to use (None: the default), and what was ignored and why."""

    value: Any = None
    ignored: tuple[str, ...] = ()
    reason: str = ""

    @property
    def use_default(self) -> bool:
        return self.value is None


def _given(raws: Iterable[str]) -> list[str]:
    return [raw for raw in raws if raw != ""]


def _one(raws: Sequence[str]) -> tuple[str | None, LinkValue | None]:
    """The single value of a parameter that takes one, or the LinkValue saying why not."""
    values = _given(raws)
    if not values:
        return None, LinkValue()
    if len(values) > 1:
        return None, LinkValue(None, tuple(values), _("it takes one value"))
    return values[0], None


def _integer(raw: str) -> int | None:
    """A whole number of a few digits (never a 4,300-digit one, which Python refuses to convert)."""
    text = raw.strip()
    digits = text.removeprefix("-")
    if not (0 < len(digits) <= MAX_NUMBER_DIGITS and digits.isascii() and digits.isdigit()):
        return None
    return int(text)


def parse_choice(raws: Sequence[str], labels: Iterable[str]) -> LinkValue:
    """One of `labels` (as the widget writes them into the link)."""
    raw, verdict = _one(raws)
    if verdict:
        return verdict
    if raw in set(labels):
        return LinkValue(raw)
    return LinkValue(None, (raw,), _("not one of the choices here"))


def parse_choices(raws: Sequence[str], labels: Iterable[str]) -> LinkValue:
    """Any of `labels`, each once; the ones that are not choices here are ignored, the rest kept."""
    values = _given(raws)
    if not values:
        return LinkValue()
    if len(values) > MAX_VALUES:
        return LinkValue(None, tuple(values), _("more than {count} values").format(count=MAX_VALUES))
    valid = set(labels)
    kept = list(dict.fromkeys(value for value in values if value in valid))
    ignored = tuple(value for value in values if value not in valid)
    return LinkValue(kept or None, ignored, _("not among the choices here") if ignored else "")


def parse_number(raws: Sequence[str], low: int, high: int) -> LinkValue:
    """One whole number from `low` to `high`."""
    raw, verdict = _one(raws)
    if verdict:
        return verdict
    number = _integer(raw)
    if number is None:
        return LinkValue(None, (raw,), _("not a whole number"))
    if not low <= number <= high:
        return LinkValue(None, (raw,), _("outside {low}-{high}").format(low=low, high=high))
    return LinkValue(number)


def parse_range(raws: Sequence[str], low: int, high: int) -> LinkValue:
    """Two whole numbers from `low` to `high`, the first not after the second."""
    values = _given(raws)
    if not values:
        return LinkValue()
    if len(values) != 2:
        return LinkValue(None, tuple(values), _("a range takes two values, its first and last"))
    numbers = [_integer(value) for value in values]
    if None in numbers:
        return LinkValue(None, tuple(values), _("not whole numbers"))
    first, last = numbers
    if not (low <= first <= high and low <= last <= high):
        return LinkValue(None, tuple(values), _("outside {low}-{high}").format(low=low, high=high))
    if first > last:
        return LinkValue(None, tuple(values), _("the range is reversed"))
    return LinkValue((first, last))


def parse_toggle(raws: Sequence[str]) -> LinkValue:
    """`true` or `false`, as the app writes them."""
    raw, verdict = _one(raws)
    if verdict:
        return verdict
    if raw in TOGGLE_VALUES:
        return LinkValue(TOGGLE_VALUES[raw])
    return LinkValue(None, (raw,), _("a switch is true or false"))


def parse_page(raws: Sequence[str], pages: int) -> LinkValue:
    """A page number from 1 to `pages`."""
    raw, verdict = _one(raws)
    if verdict:
        return verdict
    number = _integer(raw)
    if number is None or not 1 <= number <= pages:
        return LinkValue(None, (raw,), _("there are pages 1-{pages}").format(pages=pages))
    return LinkValue(number)


def parse_text(raws: Sequence[str], limit: int = MAX_TEXT_CHARS) -> LinkValue:
    """One text of at most `limit` characters; a longer one is cut (and said to be)."""
    raw, verdict = _one(raws)
    if verdict:
        return verdict
    if len(raw) > limit:
        return LinkValue(raw[:limit], (raw,), _("longer than {limit} characters").format(limit=limit))
    return LinkValue(raw)


def parse_token(raws: Sequence[str]) -> LinkValue:
    """One token as the app makes them (letters, digits, `-` and `_`; 16 to 64 of them)."""
    raw, verdict = _one(raws)
    if verdict:
        return verdict
    if TOKEN.fullmatch(raw):
        return LinkValue(raw)
    return LinkValue(None, (raw,), _("not a link this app made"))
