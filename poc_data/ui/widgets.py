"""Filters whose state lives in the URL, so a copied link restores the view; bad values in a link get a notice.

Streamlit's `bind="query-params"` keeps each widget in sync with the parameter named by its key and drops values
it cannot use; these wrappers first tell the user what in the link was ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from poc_data.transform.common import invalid_page_values, page_count, page_slice


def _notice(key: str, label: str, ignored: list[str]) -> None:
    shown = ", ".join(repr(value) for value in ignored[:5])
    st.warning(
        f"The link's {label.lower()} value {shown} is not available here, so the default is shown.",
        icon=":material/link_off:",
    )


def _check_choices(key: str, label: str, options: Sequence[Any], format_func: Callable[[Any], str] = str) -> None:
    if key in st.session_state:
        return
    # A bound widget keeps an option's label (its format_func text) in the link, and only accepts that.
    valid = {format_func(option) for option in options}
    ignored = [value for value in st.query_params.get_all(key) if value and value not in valid]
    if ignored:
        _notice(key, label, ignored)


def multiselect(
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    default: Sequence[Any] | None = None,
    format_func: Callable[[Any], str] = str,
    help: str | None = None,
    placeholder: str | None = None,
) -> list:
    """A multiselect bound to the URL; by default everything is selected."""
    _check_choices(key, label, options, format_func)
    return st.multiselect(
        label,
        options,
        default=list(options) if default is None else list(default),
        key=key,
        format_func=format_func,
        help=help,
        placeholder=placeholder,
        bind="query-params",
    )


def selectbox(
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    index: int | None = 0,
    format_func: Callable[[Any], str] = str,
    help: str | None = None,
    placeholder: str | None = None,
) -> Any:
    """A selectbox bound to the URL."""
    _check_choices(key, label, options, format_func)
    return st.selectbox(
        label,
        options,
        index=index,
        key=key,
        format_func=format_func,
        help=help,
        placeholder=placeholder,
        bind="query-params",
    )


def slider(
    label: str, min_value: int, max_value: int, value: int | tuple[int, int], *, key: str, help: str | None = None
) -> Any:
    """An integer slider (one value or a range) bound to the URL."""
    if key not in st.session_state:
        raws = st.query_params.get_all(key)
        # A range needs both ends in the link; Streamlit ignores one alone.
        ignored = raws[:] if isinstance(value, tuple) and len(raws) == 1 else []
        for raw in raws if not ignored else ():
            try:
                number = int(raw)
            except ValueError:
                ignored.append(raw)
                continue
            if not min_value <= number <= max_value:
                ignored.append(raw)
        if ignored:
            _notice(key, label, ignored)
    return st.slider(label, min_value, max_value, value, step=1, key=key, help=help, bind="query-params")


def text_input(label: str, *, key: str, placeholder: str | None = None, help: str | None = None) -> str:
    """A free-text box bound to the URL."""
    return st.text_input(label, key=key, placeholder=placeholder, help=help, bind="query-params")


def toggle(label: str, *, key: str, value: bool = False, help: str | None = None) -> bool:
    """A switch bound to the URL."""
    return st.toggle(label, value=value, key=key, help=help, bind="query-params")


def pager(pages: int, *, key: str, label: str, note: str | None = None, always: bool = False) -> int:
    """A page picker bound to the URL (when there is more than one page, unless `always`); the page shown (1-based).

    Streamlit silently replaces a page number from a link that is out of range; the notice says so, as the
    filters do.
    """
    if pages <= 1 and not always:
        return 1
    if key not in st.session_state:
        ignored = invalid_page_values(st.query_params.get_all(key), pages)
        if ignored:
            st.warning(
                f"The link's {label} {', '.join(map(repr, ignored[:5]))} does not exist here, so the first is shown.",
                icon=":material/link_off:",
            )
    number = st.pagination(pages, key=key, bind="query-params", width="stretch" if always else "content")
    if note:
        st.caption(f"{note} Page {number} of {pages}.")
    return number


def paginate(frame: pd.DataFrame, *, page_size: int, key: str, what: str = "rows") -> pd.DataFrame:
    """One page of a long table, with a URL-bound pager and a caption saying which rows are shown."""
    pages = page_count(len(frame), page_size)
    number = pager(pages, key=key, label=f"page of {what}")
    if pages > 1:
        first = (number - 1) * page_size + 1
        last = min(first + page_size - 1, len(frame))
        st.caption(f"{what.capitalize()} {first}–{last} of {len(frame)}, {page_size} a page; downloads hold them all.")
    return page_slice(frame, number, page_size)
