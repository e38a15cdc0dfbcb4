"""The interface's languages: the translation of the session's language (gettext catalogues kept with Babel) and
numbers and dates written the way that language writes them (Babel's formatting). No Streamlit here.

The language is per session, never process-wide: one server serves an English and a French browser at once. A page
run sets it with `use_language` (poc_data.ui does, from the link, the sidebar switch or the browser's language) or the
Streamlit glue registers a `resolver` that reads the session's choice; code outside a page (the CLI, exports, tests)
uses `language(...)` as a context manager. Text is translated when it is shown, never at import: a module constant
is marked with `N_` and passed through `_` where it is used.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
# The interface's languages, each named in itself (the switch shows these).
LANGUAGES = {"en": "English", "fr": "Français"}

_language: ContextVar[str | None] = ContextVar("poc_language", default=None)
_resolver: Callable[[], str | None] | None = None


def set_resolver(resolver: Callable[[], str | None]) -> None:
    """Register how to find the current session's language when no `use_language`/`language` is in effect (set once,
    at import, by the Streamlit glue: it reads the session's state, so the answer differs per session)."""
    global _resolver
    _resolver = resolver


def supported(code: str | None) -> str | None:
    """The interface language for a language tag ("fr", "fr-FR", "fr_CA", "FR"), or None when it is not one of ours."""
    if not code:
        return None
    base = str(code).replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in LANGUAGES else None


def current_language() -> str:
    """The language of the text being written now."""
    chosen = _language.get()
    if chosen is None and _resolver is not None:
        chosen = _resolver()
    return supported(chosen) or DEFAULT_LANGUAGE


def use_language(code: str | None) -> str:
    """Make `code` (or English) the language of this run's text; returns the language used."""
    chosen = supported(code) or DEFAULT_LANGUAGE
    _language.set(chosen)
    return chosen


@contextmanager
def language(code: str | None) -> Iterator[str]:
    """Write the text inside the block in `code`'s language (the CLI, exports, tests)."""
    token = _language.set(supported(code) or DEFAULT_LANGUAGE)
    try:
        yield _language.get()
    finally:
        _language.reset(token)


@functools.cache
def translations(code: str) -> NullTranslations:
    """The compiled catalogue of a language (English: the messages as written)."""
    if code == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [code], DOMAIN)


def _(message: str) -> str:
    """`message` in the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for `count`, in the current language."""
    return translations(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, where the same English word needs two translations (`context` tells)."""
    return translations(current_language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark a module-level text for the catalogue; it is translated where it is shown, by `_`."""
    return message


# The locale each language's numbers and dates are written in (British English: "5 October 1993", as the UN writes).
FORMAT_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def _locale() -> Locale:
    return Locale.parse(FORMAT_LOCALES[current_language()])


def number(value: float | int, digits: int | None = None) -> str:
    """A number as the current language writes it (1,234,567 / 1 234 567; 12.5 / 12,5)."""
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale())


def percent(fraction: float, digits: int = 0) -> str:
    """A fraction as a percentage (12.5% / 12,5 %)."""
    locale = _locale()
    pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0" + ("." + "0" * digits if digits else ""), 1)
    return format_percent(fraction, format=pattern, locale=locale)


def date(value: dt.date, form: str = "long") -> str:
    """A date as the current language writes it (5 October 1993 / 5 octobre 1993)."""
    return format_date(value, format=form, locale=_locale())


def year_span(first: int, last: int) -> str:
    """A span of years ("1994-2021" / "de 1994 à 2021"); one year alone when they are the same."""
    if first == last:
        return str(first)
    return _("{first}-{last}").format(first=first, last=last)
