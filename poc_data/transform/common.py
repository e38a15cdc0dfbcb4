"""Transforms every page uses: list-column filters, text search, CSV export, source lookup."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from poc_data.safe_text import spreadsheet_csv


def any_in(column: pd.Series, wanted: Iterable[str]) -> pd.Series:
    """Rows whose list column shares at least one item with `wanted`."""
    wanted = set(wanted)
    return column.map(lambda items: bool(wanted.intersection(items)))


def contains_text(frame: pd.DataFrame, columns: Iterable[str], query: str) -> pd.Series:
    """Rows where every word of `query` occurs (case-insensitively) in one of `columns`; all rows for no query."""
    # Each distinct word once: a link can repeat a word thousands of times.
    words = list(dict.fromkeys(query.casefold().split()))
    if not words:
        return pd.Series(True, index=frame.index)
    haystack = pd.Series("", index=frame.index)
    for name in columns:
        column = frame[name]
        if column.map(lambda v: isinstance(v, list)).any():
            column = column.map(lambda items: " ".join(map(str, items)))
        haystack = haystack + " " + column.fillna("").astype(str).str.casefold()
    # Each word is looked for only in the rows that still match, so a long query costs little once nothing matches.
    haystack = haystack.reset_index(drop=True)
    for word in words:
        haystack = haystack[haystack.str.contains(word, regex=False)]
        if haystack.empty:
            break
    mask = np.zeros(len(frame), dtype=bool)
    mask[haystack.index.to_numpy()] = True
    return pd.Series(mask, index=frame.index)


def for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for CSV: lists joined with `;` (as in the data files), partial dates as written."""
    out = frame.copy()
    for name in out.columns:
        if out[name].map(lambda v: isinstance(v, list)).any():
            out[name] = out[name].map(lambda items: ";".join(map(str, items)) if isinstance(items, list) else items)
    for name in [c for c in out.columns if c.endswith("_text") and c.removesuffix("_text") in out.columns]:
        out[name.removesuffix("_text")] = out.pop(name)
    return out


def csv_bytes(frame: pd.DataFrame, sources: pd.DataFrame | None = None) -> bytes:
    """The rows as CSV, exactly those given: UTF-8 with a byte-order mark (so Excel reads the accents), and no text
    cell that a spreadsheet would take for a formula; with `sources`, a readable `citation` beside `source_id`."""
    if sources is not None:
        frame = with_citation(frame, sources)
    return spreadsheet_csv(for_csv(frame))


def full_citation(source: dict | None, detail: object = None) -> str:
    """A reference to read without the bibliography: authors, title, publisher, date, address or UN document symbol,
    then where in the source (the record's `source_detail`)."""
    if source is None:
        return ""
    parts = []
    authors = source.get("authors")
    if isinstance(authors, list) and authors:
        parts.append(", ".join(authors))
    parts.append(f"“{source['title']}”")
    for name in ("publisher", "date_text", "symbol", "url"):
        value = source.get(name)
        if isinstance(value, str) and value not in ("", "None", "NaT"):
            parts.append(value)
    text = ", ".join(parts)
    if isinstance(detail, str) and detail and detail != "None":
        text += f"; {detail}"
    return text


def with_citation(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """A copy with a `citation` column right after `source_id` (unchanged when there is no `source_id` or there is
    already a `citation`)."""
    if "source_id" not in frame.columns or "citation" in frame.columns:
        return frame
    by_id = {record["id"]: record for record in sources.to_dict("records")} if not sources.empty else {}
    details = frame["source_detail"] if "source_detail" in frame.columns else pd.Series(None, index=frame.index)
    citation = [
        full_citation(by_id.get(source_id), detail)
        for source_id, detail in zip(frame["source_id"], details, strict=True)
    ]
    out = frame.copy()
    out.insert(out.columns.get_loc("source_id") + 1, "citation", citation)
    return out


def cited_sources(sources: pd.DataFrame, *frames: pd.DataFrame) -> pd.DataFrame:
    """The sources cited by the `source_id` column of the given frames, in bibliography order."""
    cited: set[str] = set()
    for frame in frames:
        if "source_id" in frame.columns:
            # The distinct ids first: iterating every row of a string column is slow at 100 times the data.
            cited.update(frame["source_id"].dropna().unique().astype(str).tolist())
    # A set look-up per source: pandas' `isin` on a string column takes 0.1 s for the bibliography at 100x.
    return sources[np.array([source_id in cited for source_id in sources["id"].tolist()], dtype=bool)]


def year_span(start: pd.Series, end: pd.Series, ongoing_until: int) -> pd.DataFrame:
    """First and last year of each period; an open end runs to `ongoing_until`."""
    return pd.DataFrame(
        {"first": start.dt.year.astype("Int64"), "last": end.dt.year.fillna(ongoing_until).astype("Int64")},
        index=start.index,
    )


def known_end(missions: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """Until when each operation is known to have been active: its end date; `today` if it is ongoing; its start
    if the end is not stated (the one time it is known to have been active)."""
    ongoing = missions["status"].astype(str) == "ongoing"
    fallback = missions["start_date"].where(~ongoing, today)
    return missions["end_date"].where(missions["end_date"].notna(), fallback)


def active_years(missions: pd.DataFrame, this_year: int) -> pd.DataFrame:
    """First and last year each operation was active (see `known_end`); an unknown start gives no first year."""
    end = known_end(missions, pd.Timestamp(year=this_year, month=12, day=31))
    return year_span(missions["start_date"], end, this_year)


def page_count(rows: int, page_size: int) -> int:
    """How many pages `rows` items fill; at least one, so an empty view still has a page."""
    return max(1, math.ceil(rows / page_size))


def page_slice(frame: pd.DataFrame, page: int, page_size: int) -> pd.DataFrame:
    """The rows of one page (1-based); a page past the end gives the last page."""
    page = min(max(1, page), page_count(len(frame), page_size))
    start = (page - 1) * page_size
    return frame.iloc[start : start + page_size]


def source_titles(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> title, from the bibliography (empty when it could not be loaded)."""
    if sources.empty:
        return {}
    return dict(zip(sources["id"].tolist(), sources["title"].tolist(), strict=True))
