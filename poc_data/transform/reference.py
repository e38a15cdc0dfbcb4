"""Transforms for the Sources and data page: the bibliography and each dataset's field table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from poc_data.problems import Problem
from poc_data.schema import DATASETS, Metadata
from poc_data.transform.common import contains_text
from poc_data.validate import encyclopedia_only


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
            "symbol": sources["symbol"],
        }
    )


WEAK_COLUMNS = ["dataset", "record", "source_id", "source"]


def resting_on_encyclopedias(frames: Mapping[str, pd.DataFrame | None], sources: pd.DataFrame) -> pd.DataFrame:
    """Every record whose only source is an encyclopedia: allowed, but to be replaced by a better source."""
    tiers = dict(zip(sources["id"], sources["tier"].astype(str), strict=True))
    titles = dict(zip(sources["id"], sources["title"], strict=True))
    usable = {
        dataset_id: frame for dataset_id, frame in frames.items() if frame is not None and "source_id" in frame.columns
    }
    records = {dataset_id: frame[["source_id"]].to_dict("records") for dataset_id, frame in usable.items()}
    rows = [
        {
            "dataset": dataset_id,
            "record": str(usable[dataset_id][DATASETS[dataset_id].primary_key].iloc[index]),
            "source_id": source_id,
            "source": titles.get(source_id, ""),
        }
        for dataset_id, index, source_id in encyclopedia_only(records, tiers)
    ]
    return pd.DataFrame(rows, columns=WEAK_COLUMNS)


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
