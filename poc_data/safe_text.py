"""Outside text made plain: one escaping helper for Streamlit's Markdown, one for plotly's labels and hover text.

Every data value and every value from a link reaches the page through one of these, so that it shows as written:
no formatting, links, images, colours, icons or maths in Streamlit, no tags or template fields in plotly.
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
