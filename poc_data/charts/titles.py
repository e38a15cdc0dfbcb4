"""Chart titles and download file names that say which filters are active, so a saved PNG or CSV is labelled."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from poc_data.i18n import _
from poc_data.safe_text import plotly_text

MAX_LISTED = 3
MAX_FILE_NAME = 120
# Organizations said with an article in English: "the UN", but "NATO" (French titles name them without one).
ARTICLED = {"UN", "EU", "AU"}


def listing(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c` (`a, b et c` in French)."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def organizations_phrase(chosen: Sequence[str], offered: Sequence[str]) -> str:
    """The organizations shown, as a title says them: `the UN, EU and NATO`, `NATO`, `4 of 7 organizations`; in the
    current language (`ONU, UE et OTAN`)."""
    chosen = [organization for organization in offered if organization in set(chosen)] or list(chosen)
    if not chosen:
        return _("no organization")
    if len(chosen) > MAX_LISTED and len(chosen) < len(offered):
        return _("{count} of {total} organizations").format(count=len(chosen), total=len(offered))
    if len(chosen) > MAX_LISTED:
        return _("all organizations")
    text = listing([_(organization) for organization in chosen])
    return _("the {organizations}").format(organizations=text) if chosen[0] in ARTICLED else text


def years_phrase(years: tuple[int, int] | None) -> str:
    """`1999–2021` (`de 1999 à 2021`), or one year alone. The English title keeps its en dash, where
    i18n.year_span writes a hyphen."""
    if years is None:
        return ""
    first, last = years
    return str(first) if first == last else _("{first}–{last}").format(first=first, last=last)


def subset_phrase(label: str, chosen: Sequence[str], offered: Sequence[str], shown: Callable[[str], str] = str) -> str:
    """A filter that leaves out some of the offered values, as `label: a, b`; empty when it leaves none out.
    `shown` writes a value as people read it (`_` for a vocabulary)."""
    chosen = [str(value) for value in chosen]
    if not chosen or set(chosen) >= {str(value) for value in offered}:
        return ""
    if len(chosen) > MAX_LISTED:
        return _("{label}: {count} of {total}").format(label=label, count=len(chosen), total=len(offered))
    return _("{label}: {values}").format(label=label, values=", ".join(map(shown, chosen)))


def chosen_phrase(label: str, chosen: Sequence[str], shown: Callable[[str], str] = str) -> str:
    """A filter where choosing nothing means everything, as `label: a, b`; empty when nothing is chosen."""
    if not chosen:
        return ""
    if len(chosen) > MAX_LISTED:
        return _("{label}: {count} chosen").format(label=label, count=len(chosen))
    return _("{label}: {values}").format(label=label, values=", ".join(shown(str(value)) for value in chosen))


def search_phrase(query: str) -> str:
    """A text search, quoted."""
    query = " ".join(str(query or "").split())
    return _("matching “{query}”").format(query=query) if query else ""


def titled(subject: str, *qualifiers: str) -> str:
    """A chart title: the subject, then each active filter after a middle dot; escaped for plotly, since filters
    come from a link or the data and plotly reads tags in titles."""
    return " · ".join(plotly_text(part) for part in (subject, *qualifiers) if part)


def file_name(stem: str, *parts: str, extension: str = "csv") -> str:
    """A download's name made of its stem and the active filters: `poc-explorer-milestones-nato-1999-2021.csv`;
    ASCII whatever the language (`opérations` is written `operations`)."""
    words = [re.sub(r"[^a-z0-9]+", "-", _unaccented(str(part).casefold())).strip("-") for part in (stem, *parts)]
    name = "-".join(word for word in words if word)[:MAX_FILE_NAME].rstrip("-")
    return f"{name}.{extension}"


def _unaccented(text: str) -> str:
    """Text without its accents (a file name travels through mail and file systems that mangle them)."""
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def scope(*phrases: str) -> str:
    """The active filters of a view, joined for a title (empty when nothing is filtered out)."""
    return " · ".join(phrase for phrase in phrases if phrase)


def operations_scope(
    offered: dict[str, Sequence[str]],
    *,
    organizations: Sequence[str] = (),
    types: Sequence[str] = (),
    mandates: Sequence[str] = (),
) -> str:
    """The filters on operations that leave some out: organizations, types, POC mandates (`offered` by field)."""
    return scope(
        subset_phrase(_("organizations"), organizations, offered.get("organization", organizations), _),
        subset_phrase(_("types"), types, offered.get("type", types), _),
        subset_phrase(_("POC mandate"), mandates, offered.get("poc_mandate", mandates), _),
    )


def wrapped(title: str, width: int) -> list[str]:
    """A title broken into lines of at most about `width` characters, at spaces (plotly does not wrap titles)."""
    lines: list[str] = []
    for word in title.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]
