"""The escaping helpers: outside text shown as written in Streamlit's Markdown and in plotly's text."""

from __future__ import annotations

import re

import pytest

from poc_data.safe_text import WORD_JOINER, markdown_text, plotly_frame, plotly_text, shorten
from poc_data.text import source_citation

HOSTILE = [
    "![x](http://example.com/track.png)",
    "[link](javascript:alert(1))",
    ":red[alarm] :material/warning: :smile:",
    "$\\frac{1}{2}$ and $$x$$",
    "<img src=http://example.com/x.png> &lt;b&gt;",
    "**bold** _it_ `code` ~~gone~~",
    "# heading\n===\n- item\n1. item\n> quote",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_escapes_every_character_markdown_reads(text):
    escaped = markdown_text(text)
    # Every special character is preceded by a backslash; removing them and the word joiners gives the text back.
    assert re.sub(r"\\(.)", r"\1", escaped.replace(WORD_JOINER, "")) == text
    for special in "![]():$<>&*_`~#=-.":
        assert not re.search(rf"(?<!\\){re.escape(special)}", escaped), special


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("http://example.com/x.png", re.compile(r"https?://")),
        ("www.example.com", re.compile(r"www\\?\.", re.IGNORECASE)),
        ("WWW.example.com", re.compile(r"www\\?\.", re.IGNORECASE)),
        ("someone@example.com", re.compile(r"\w@")),
        (":material/home: :smile:", re.compile(r":(?:\\)?[\w/]+(?:\\)?:")),
    ],
)
def test_markdown_text_breaks_what_streamlit_reads_after_escapes(text, broken):
    # Autolinks, icons and emoji are found in the text once escapes are read: a backslash does not stop them.
    assert not broken.search(markdown_text(text).replace("\\", ""))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (float("nan"), ""), (12, "12"), ("a.b", "a\\.b")],
)
def test_markdown_text_of_missing_and_plain_values(value, expected):
    assert markdown_text(value) == expected


def test_markdown_text_cuts_long_values():
    assert markdown_text("x" * 100, limit=10) == "x" * 9 + "…"
    assert shorten("short", 10) == "short"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<a href="http://example.com">x</a>', '&lt;a href="http://example.com"&gt;x&lt;/a&gt;'),
        ("<b>MONUC</b>", "&lt;b&gt;MONUC&lt;/b&gt;"),
        ("A & B <br> C", "A &amp; B &lt;br&gt; C"),
        ("%{customdata[0]} %{x}", "%&#123;customdata[0]} %&#123;x}"),
        ("&lt;", "&amp;lt;"),
    ],
)
def test_plotly_text_escapes_tags_entities_and_template_fields(text, expected):
    assert plotly_text(text) == expected


def test_plotly_frame_escapes_every_cell_and_empties_missing_values():
    import pandas as pd

    frame = pd.DataFrame({"a": ["<b>x</b>", None], "b": [1, 2]})
    assert plotly_frame(frame).to_dict("list") == {"a": ["&lt;b&gt;x&lt;/b&gt;", ""], "b": ["1", "2"]}


@pytest.mark.parametrize(
    "url",
    ["https://example.org/<img src=x>", "javascript:alert(1)//", "https://example.org/a b", "http://", "ftp://a.b/c"],
)
def test_a_citation_links_only_well_formed_web_addresses(url):
    citation = source_citation({"title": "T", "tier": "NGO", "url": url})
    assert "](<" not in citation
    assert source_citation({"title": "T", "tier": "NGO", "url": "https://example.org/a_(b)"}).endswith(
        "](<https://example.org/a_(b)>)"
    )
