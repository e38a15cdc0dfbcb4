"""Outside text made plain: one escaping helper for Markdown (Streamlit's, and the Markdown files the app writes), one
for plotly's labels and hover text, one for spreadsheet cells.

Every data value and every value from a link reaches the page through one of these, so that it shows as written:
no formatting, links, images, colours, icons or maths in Streamlit or in a report, no tags or template fields in
plotly, no formula in a spreadsheet that opens a downloaded CSV (the pages' and the workshop's alike).
"""

from __future__ import annotations

import html
import re
from typing import Any

import pandas as pd

# Every character Streamlit's Markdown gives a meaning to: CommonMark and GFM syntax, HTML and entities, `:color[...]`
# and `:material/icon:` directives, emoji shortcodes, `$maths$`, and `=` and `-` underlines that make a heading.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&=])")
# Some of Streamlit's Markdown works on the text once escapes are read, where a backslash no longer helps: web
# addresses and e-mail addresses become links (GFM's autolink literals), `:material/name:` and `:name:` become icons
# and emoji. An invisible word joiner after a colon that starts a name or `//`, before each @ and after "www" breaks
# those patterns.
WORD_JOINER = "\u2060"
_TEXT_PATTERNS = re.compile(r"(?<=:)(?=[\w/])|(?=@)|(?<=www)(?=\\\.)", re.IGNORECASE)
ELLIPSIS = "…"
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection"): `=`, `+`, `-` and `@`
# start one, and some spreadsheets skip a leading tab or carriage return before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + ELLIPSIS


def _as_text(value: Any) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    return str(value)


def markdown_text(value: Any, limit: int | None = None) -> str:
    """A value escaped for Streamlit Markdown (metrics, captions, expanders, notices, footers): shown as written.

    With `limit`, the text is first cut to that many characters (a link or file may hold a very long value).
    """
    text = _as_text(value)
    if limit is not None:
        text = shorten(text, limit)
    return _TEXT_PATTERNS.sub(WORD_JOINER, _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def markdown_line(value: Any, limit: int | None = None) -> str:
    """A value escaped as `markdown_text` does, on one line: for a line of a Markdown file (a heading, a list item, a
    table cell, a quote), which a line break in the value would end and let the rest of it start a block of its own.

    The same escapes as on the page, because a Markdown file is read by renderers that do as much as Streamlit's:
    GitHub's, for one, draws `:smile:` as an emoji and `$x$` as maths, and links addresses. The file's raw text holds
    more backslashes than the few a minimal escape would need; rendered, it reads as written.
    """
    return markdown_text(_as_text(value).replace("\r", " ").replace("\n", " "), limit)


def spreadsheet_text(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with `'` so that it shows as text; any other
    value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """The frame as a CSV file that a spreadsheet opens as text; every CSV the app writes (a page's download, a
    workshop's export) is made by this.

    UTF-8 with a byte-order mark (so Excel reads the accents); no text cell or column name that a spreadsheet would
    take for a formula; CRLF line ends, as RFC 4180 and spreadsheets write them, so that a cell holding a bare CR or
    LF is quoted, not split into two rows.
    """
    out = frame.copy()
    for name in out.columns:
        if not pd.api.types.is_numeric_dtype(out[name]) and not pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].map(spreadsheet_text)
    out.columns = [spreadsheet_text(str(name)) for name in out.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def plotly_text(value: Any, limit: int | None = None) -> str:
    """A value escaped for plotly text (titles, legends, ticks, hover text and templates): shown as written.

    plotly reads a few HTML tags (`<a href>`, `<b>`, `<br>`, `<span style>`) and entities in every text it draws,
    and `%{...}` fields in hover templates; `<`, `>` and `&` become entities and `%{` loses its meaning.
    """
    text = _as_text(value)
    if limit is not None:
        text = shorten(text, limit)
    return html.escape(text, quote=False).replace("%{", "%&#123;")


def plotly_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell of a frame as plotly text, missing values empty: the customdata of a hover template."""
    return frame.fillna("").astype(str).map(plotly_text)
