"""Chart titles and download file names that say which filters are active, so a saved PNG or CSV is labelled."""

from __future__ import annotations

import re
from collections.abc import Sequence

from poc_data.safe_text import plotly_text

MAX_LISTED = 3
MAX_FILE_NAME = 120
# Organizations said with an article: "the UN", but "NATO".
ARTICLED = {"UN", "EU", "AU"}


def listing(items: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def organizations_phrase(chosen: Sequence[str], offered: Sequence[str]) -> str:
    """The organizations shown, as a title says them: `the UN, EU and NATO`, `NATO`, `4 of 7 organizations`."""
    chosen = [organization for organization in offered if organization in set(chosen)] or list(chosen)
    if not chosen:
        return "no organization"
    if len(chosen) > MAX_LISTED and len(chosen) < len(offered):
        return f"{len(chosen)} of {len(offered)} organizations"
    if len(chosen) > MAX_LISTED:
        return "all organizations"
    text = listing(chosen)
    return f"the {text}" if chosen[0] in ARTICLED else text


def years_phrase(years: tuple[int, int] | None) -> str:
    """`1999–2021`, or one year alone."""
    if years is None:
        return ""
    first, last = years
    return str(first) if first == last else f"{first}–{last}"


def subset_phrase(label: str, chosen: Sequence[str], offered: Sequence[str]) -> str:
    """A filter that leaves out some of the offered values, as `label: a, b`; empty when it leaves none out."""
    chosen = [str(value) for value in chosen]
    if not chosen or set(chosen) >= {str(value) for value in offered}:
        return ""
    if len(chosen) > MAX_LISTED:
        return f"{label}: {len(chosen)} of {len(offered)}"
    return f"{label}: {', '.join(chosen)}"


def chosen_phrase(label: str, chosen: Sequence[str]) -> str:
    """A filter where choosing nothing means everything, as `label: a, b`; empty when nothing is chosen."""
    if not chosen:
        return ""
    if len(chosen) > MAX_LISTED:
        return f"{label}: {len(chosen)} chosen"
    return f"{label}: {', '.join(map(str, chosen))}"


def search_phrase(query: str) -> str:
    """A text search, quoted."""
    query = " ".join(str(query or "").split())
    return f"matching “{query}”" if query else ""


def titled(subject: str, *qualifiers: str) -> str:
    """A chart title: the subject, then each active filter after a middle dot; escaped for plotly, since filters
    come from a link or the data and plotly reads tags in titles."""
    return " · ".join(plotly_text(part) for part in (subject, *qualifiers) if part)


def file_name(stem: str, *parts: str, extension: str = "csv") -> str:
    """A download's name made of its stem and the active filters: `poc-explorer-milestones-nato-1999-2021.csv`."""
    words = [re.sub(r"[^a-z0-9]+", "-", str(part).casefold()).strip("-") for part in (stem, *parts) if part]
    name = "-".join(word for word in words if word)[:MAX_FILE_NAME].rstrip("-")
    return f"{name}.{extension}"


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
        subset_phrase("organizations", organizations, offered.get("organization", organizations)),
        subset_phrase("types", types, offered.get("type", types)),
        subset_phrase("POC mandate", mandates, offered.get("poc_mandate", mandates)),
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
