"""Transforms for the Sources and data page: the bibliography and each dataset's field table."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from poc_data.problems import Problem
from poc_data.schema import Metadata
from poc_data.transform.common import contains_text


def filter_sources(sources: pd.DataFrame, *, tiers: Iterable[str], query: str = "") -> pd.DataFrame:
    """Sources of the given tiers whose authors, title, publisher or URL contain every word of `query`."""
    keep = sources["tier"].isin(list(tiers)) & contains_text(sources, ["authors", "title", "publisher", "url"], query)
    return sources[keep]


def bibliography_table(sources: pd.DataFrame) -> pd.DataFrame:
    """The bibliography as shown: authors joined, the date as written."""
    return pd.DataFrame(
        {
            "id": sources["id"],
            "authors": sources["authors"].map(lambda names: "; ".join(names)),
            "title": sources["title"],
            "publisher": sources["publisher"],
            "date": sources["date_text"],
            "tier": sources["tier"].astype(str),
            "url": sources["url"],
        }
    )


def fields_table(meta: Metadata) -> pd.DataFrame:
    """One row per field of a dataset: name, type, description, whether editorial or required, its vocabulary."""
    return pd.DataFrame(
        [
            {
                "field": entry.name,
                "type": entry.type,
                "description": entry.description,
                "editorial": entry.editorial,
                "required": entry.required,
                "vocabulary": "; ".join(entry.enum) if entry.enum else "",
            }
            for entry in meta.fields
        ],
        columns=["field", "type", "description", "editorial", "required", "vocabulary"],
    )


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """The validator's problems as a table: file, line, field, message."""
    return pd.DataFrame(
        [{"file": p.path, "line": p.line, "field": p.field, "message": p.message} for p in problems],
        columns=["file", "line", "field", "message"],
    )
