"""Text for display: data strings made safe for Markdown, citations of sources and of the app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from poc_data import i18n
from poc_data.i18n import N_, _
from poc_data.safe_text import markdown_text as md
from poc_data.schema import is_link_safe

APP_CITATION = N_(
    "PoC Explorer contributors, “PoC Explorer: data on the Protection of Civilians in armed conflict”, "
    "datasets as of {updated}. Cite also the original source named with each figure."
)


def present(value: Any, unknown: str | None = None) -> str:
    """A value for display, with missing values said to be unknown (or `unknown`, translated)."""
    unknown = unknown or _("unknown")
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return unknown
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else unknown
    if isinstance(value, pd.Timestamp):
        return day_month_year(value)
    return str(value)


def day_month_year(value: Any) -> str:
    """A date as "5 Jan 2000" ("5 janv. 2000"), the same on every platform."""
    return i18n.date(value, "medium")


def source_citation(source: Mapping[str, Any]) -> str:
    """A bibliography entry as escaped Markdown, with the URL as a link when there is one."""
    parts = []
    authors = source.get("authors")
    if isinstance(authors, list) and authors:
        parts.append(md(", ".join(authors)))
    parts.append(f"*{md(source.get('title'))}*")
    for name in ("publisher", "date_text"):
        value = source.get(name)
        if value is not None and not pd.isna(value):
            parts.append(md(value))
    tier = source.get("tier")
    parts.append(_("tier: {tier}").format(tier=md(_(tier) if isinstance(tier, str) and tier else tier)))
    text = ", ".join(parts)
    url = source.get("url")
    if isinstance(url, str) and is_link_safe(url):
        text += f" — [{md(url)}](<{url}>)"
    return text
