"""Filters whose state lives in the URL, so a copied link restores the view; bad values in a link get a notice.

Streamlit's `bind="query-params"` keeps each widget in sync with the parameter named by its key and drops values
it cannot use; these wrappers first tell the user what in the link was ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


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
        ignored = []
        for raw in st.query_params.get_all(key):
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
