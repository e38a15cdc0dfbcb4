"""Helpers for AppTest: open any page through app.py, as a user does, with a chosen data directory and URL."""

from __future__ import annotations

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
