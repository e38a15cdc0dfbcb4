"""Helpers for AppTest: open any page through app.py, as a user does, with a chosen data directory and URL."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

TIMEOUT = 60


def open_page(path: str, *, query: dict[str, str | list[str]] | None = None) -> AppTest:
    """Run app.py, then switch to `path` (unless it is app.py) with the given query parameters."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if path != "app.py":
        at.switch_page(path)
        at.run()
    return at


def texts(at: AppTest) -> str:
    """All the text of a run's markdown, captions, info boxes and errors, to search in."""
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "title", "subheader", "header"):
        parts.extend(str(element.value) for element in getattr(at, kind))
    return "\n".join(parts)


WIDGETS = ("selectbox", "multiselect", "toggle", "button", "text_input", "text_area", "radio", "checkbox", "slider")


def interface(at: AppTest) -> list[str]:
    """Every word of a run's interface, to compare one language's run with another's: the widgets' labels, helps
    and placeholders, links, downloads, expanders, captions and markdown."""
    words = []
    for kind in WIDGETS:
        for widget in getattr(at, kind):
            words += [widget.label, widget.help or "", getattr(widget.proto, "placeholder", "")]
    for kind in ("page_link", "download_button", "link_button"):
        words += [element.proto.label for element in at.get(kind)]
    words += [expander.label for expander in at.expander]
    return words + [caption.value for caption in at.caption] + [block.value for block in at.markdown]


# What a French run may still show in English on any page: the chrome every page shares (the language switch,
# presentation mode, the footer; translated with the chrome, not by the pages).
SHARED_CHROME = (
    "Language / Langue",
    "Presentation mode",
    "Larger type",
    "Datasets:",
    "Filters are kept",
    "Sources of what is shown",
)


def interface_text(at: AppTest) -> set[str]:
    """The interface text a run writes: widgets' labels, help and placeholders, buttons, captions, headings, notices,
    the charts' titles, axes, lanes, legends and hover labels."""
    found = []
    for kind in ("multiselect", "slider", "text_input", "toggle", "selectbox", "button"):
        for widget in getattr(at, kind):
            found += [widget.label, widget.help, getattr(widget, "placeholder", None)]
    found += [button.proto.label for button in at.get("download_button")]
    for kind in ("caption", "subheader", "info", "warning"):
        found += [element.value for element in getattr(at, kind)]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec["layout"]
        found += [layout.get("title", {}).get("text"), layout.get("xaxis", {}).get("title", {}).get("text")]
        found += layout.get("yaxis", {}).get("ticktext", [])
        found += [trace.get("name") for trace in spec["data"]]
        found += [text for trace in spec["data"] for text in trace.get("hovertext") or []]
        found += [trace.get("hovertemplate") for trace in spec["data"]]
    return {str(text) for text in found if text}


def english_left(english: AppTest, french: AppTest, *, same: tuple[str, ...] = (), quoted: str = "") -> set[str]:
    """The English run's interface text that the French run still shows, leaving out the shared chrome, the page's
    question (the page title's, translated with the menu), the menu's group names, the words `same` in both
    languages and any text that is part of `quoted` (the sources' words, shown as written)."""
    left = interface_text(english) & interface_text(french) - set(same)
    return {
        text
        for text in left
        if not text.isupper() and not text.startswith(SHARED_CHROME) and "?" not in text and text not in quoted
    }
