"""Transforms shared by the pages: list filters, search, CSV export, and when operations were active."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from poc_data.transform.common import (
    active_years,
    any_in,
    contains_text,
    csv_bytes,
    known_end,
    page_count,
    page_slice,
    source_titles,
)


def operations(rows):
    frame = pd.DataFrame(rows, columns=["acronym", "start_date", "end_date", "status"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    return frame


@pytest.mark.parametrize(
    ("start", "end", "status", "expected_end", "years"),
    [
        ("2001-03-01", "2004-06-30", "ended", "2004-06-30", (2001, 2004)),
        ("2001-03-01", None, "ongoing", "2026-12-31", (2001, 2026)),
        ("2003-01-01", None, "unknown", "2003-01-01", (2003, 2003)),
        (None, None, "unknown", None, (None, 2026)),
    ],
)
def test_known_end_and_active_years_follow_the_status(start, end, status, expected_end, years):
    frame = operations([("A", start, end, status)])
    ends = known_end(frame, pd.Timestamp("2026-12-31"))
    assert (pd.isna(ends.iloc[0]) and expected_end is None) or ends.iloc[0] == pd.Timestamp(expected_end)
    span = active_years(frame, 2026).iloc[0]
    assert tuple(None if pd.isna(v) else int(v) for v in span) == years


def test_any_in_and_contains_text():
    frame = pd.DataFrame({"text": ["Protect civilians in Darfur", "Training"], "tags": [["a", "b"], ["c"]]})
    assert any_in(frame["tags"], ["b", "x"]).tolist() == [True, False]
    assert contains_text(frame, ["text", "tags"], "darfur PROTECT").tolist() == [True, False]
    assert contains_text(frame, ["text", "tags"], "c").tolist() == [True, True]
    assert contains_text(frame, ["text"], "  ").tolist() == [True, True]


def test_csv_bytes_joins_lists_and_uses_dates_as_written():
    frame = pd.DataFrame(
        {
            "acronym": ["A"],
            "host_countries": [["HRV", "BIH"]],
            "end_date": [pd.Timestamp("2005-12-31")],
            "end_date_text": ["2005"],
        }
    )
    parsed = pd.read_csv(io.BytesIO(csv_bytes(frame)), dtype=str)
    assert parsed.to_dict("records") == [{"acronym": "A", "host_countries": "HRV;BIH", "end_date": "2005"}]
    assert "end_date_text" in frame.columns


@pytest.mark.parametrize(
    ("rows", "size", "pages"), [(0, 5, 1), (1, 5, 1), (5, 5, 1), (6, 5, 2), (11, 5, 3), (100, 20, 5)]
)
def test_page_count(rows, size, pages):
    assert page_count(rows, size) == pages


@pytest.mark.parametrize(("page", "expected"), [(1, [0, 1]), (2, [2, 3]), (3, [4]), (9, [4]), (0, [0, 1])])
def test_page_slice_keeps_within_range(page, expected):
    frame = pd.DataFrame({"n": range(5)})
    assert list(page_slice(frame, page, 2)["n"]) == expected


def test_source_titles():
    sources = pd.DataFrame({"id": ["a", "b"], "title": ["Title A", "Title B"]})
    assert source_titles(sources) == {"a": "Title A", "b": "Title B"}
    assert source_titles(pd.DataFrame()) == {}


def spreadsheet_cells(data: bytes) -> list[list[str]]:
    """The cells as Excel reads a CSV file: UTF-8 only after a byte-order mark (else the Windows code page)."""
    text = data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline="")))


def is_formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r")


def test_csv_bytes_read_by_a_spreadsheet_hold_no_formula_and_keep_the_accents():
    hostile = ['=HYPERLINK("http://example.com","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]
    frame = pd.DataFrame(
        {
            "=name": hostile + ["Försvarsmakten"],
            "tags": [["=1", "b"]] * 7,
            "count": [-1, 2, 3, 4, 5, 6, 7],
        }
    )
    data = csv_bytes(frame)
    header, *rows = spreadsheet_cells(data)
    assert header == ["'=name", "tags", "count"]
    cells = [cell for row in rows for cell in row[:2]]
    assert not any(is_formula(cell) for cell in cells)
    assert [row[0] for row in rows] == ["'" + value for value in hostile] + ["Försvarsmakten"]
    assert [row[2] for row in rows] == ["-1", "2", "3", "4", "5", "6", "7"]  # numbers stay numbers


def test_csv_with_sources_has_a_readable_citation_next_to_source_id():
    from poc_data.transform.common import with_citation

    frame = pd.DataFrame(
        {"id": ["a", "b"], "source_id": ["ipi", "un"], "source_detail": ["Annex 2, p. 26", None], "value": [1, 2]}
    )
    sources = pd.DataFrame(
        {
            "id": ["ipi", "un"],
            "authors": [["Joachim A. Koops", "Christian Patz"], []],
            "title": ["UN, EU, and NATO Approaches", "Resolution 1270 (1999)"],
            "publisher": ["IPI", "United Nations"],
            "date_text": ["2022-03", "None"],
            "url": ["http://www.ipinst.org", "None"],
            "symbol": ["None", "S/RES/1270 (1999)"],
        }
    )
    parsed = pd.read_csv(io.BytesIO(csv_bytes(frame, sources)), dtype=str)
    assert parsed.columns.tolist() == ["id", "source_id", "citation", "source_detail", "value"]
    assert parsed["citation"].tolist() == [
        "Joachim A. Koops, Christian Patz, “UN, EU, and NATO Approaches”, IPI, 2022-03, http://www.ipinst.org; "
        "Annex 2, p. 26",
        "“Resolution 1270 (1999)”, United Nations, S/RES/1270 (1999)",
    ]
    assert with_citation(frame.drop(columns="source_id"), sources).columns.tolist() == ["id", "source_detail", "value"]
    assert "citation" not in frame.columns
