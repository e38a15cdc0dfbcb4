"""Text for display: data strings made safe for Markdown, citations of sources and of the app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from poc_data.safe_text import markdown_text as md
from poc_data.schema import is_link_safe

APP_CITATION = (
    "PoC Explorer contributors, “PoC Explorer: data on the Protection of Civilians in armed conflict”, "
    "datasets as of {updated}. Cite also the original source named with each figure."
)


def present(value: Any, unknown: str = "unknown") -> str:
    """A value for display, with missing values said to be unknown."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return unknown
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else unknown
    if isinstance(value, pd.Timestamp):
        return day_month_year(value)
    return str(value)


def day_month_year(value: Any) -> str:
    """A date as "5 Jan 2000", the same on every platform (strftime's dash flag fails on Windows)."""
    return f"{value.day} {value:%b %Y}"


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
    parts.append(f"tier: {md(source.get('tier'))}")
    text = ", ".join(parts)
    url = source.get("url")
    if isinstance(url, str) and is_link_safe(url):
        text += f" — [{md(url)}](<{url}>)"
    return text
