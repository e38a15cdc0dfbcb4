"""Filters whose state lives in the URL, so a copied link restores the view; bad values in a link get a notice.

Streamlit's `bind="query-params"` keeps each widget in sync with the parameter named by its key. Before a widget
first reads its parameter, these wrappers parse it with the `poc_data.links` function for its kind: a value that
cannot be used is removed (the widget shows its default) and a short plain-text notice says what and why.

A choice's link carries its option's label, which is translated: a label in any of the interface's languages (an
English link opened in French, a story's English parameters) is first rewritten into the current language's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from poc_data import i18n, links
from poc_data.i18n import N_, _
from poc_data.safe_text import markdown_text
from poc_data.transform.common import page_count, page_slice

NOTICE_VALUE_CHARS = 40
NOTICE_VALUES = 3

# The link notices, each a whole sentence: {label} names the filter, {values} the link's values not used, {reason} why.
NOT_USED = N_("The link's {label} value {values} is not available here, so the default is shown ({reason}).")
OTHERS_USED = N_("The link's {label} value {values} is not available here, so the others are used ({reason}).")
START_USED = N_("The link's {label} value {values} is not available here, so the start of it is used ({reason}).")
NO_SUCH_PAGE = N_("The link's {label} {values} does not exist here, so the first is shown ({reason}).")


def link_notice(label: str, parsed: links.LinkValue, *, sentence: str | None = None) -> None:
    """Say, in short plain text, which of a link's values were not used, what is shown instead, and why.

    `sentence` (translated, with the placeholders of NOT_USED) is said when the link's value is not used at all;
    by default NOT_USED."""
    shown = ", ".join(f"'{markdown_text(value, NOTICE_VALUE_CHARS)}'" for value in parsed.ignored[:NOTICE_VALUES])
    if len(parsed.ignored) > NOTICE_VALUES:
        shown = _("{values} and {count} more").format(
            values=shown, count=i18n.number(len(parsed.ignored) - NOTICE_VALUES)
        )
    if parsed.use_default:
        message = sentence or _(NOT_USED)
    else:
        message = _(OTHERS_USED) if isinstance(parsed.value, list) else _(START_USED)
    text = message.format(label=markdown_text(label.lower()), values=shown, reason=markdown_text(parsed.reason))
    st.warning(text, icon=":material/link_off:")


def _drop_link_value(key: str) -> None:
    """Remove a parameter from the link before its bound widget reads it, so that the widget shows its default.

    A bound widget is seeded from the link as it was when the page opened, not from `st.query_params`; Streamlit's
    own `set_initial_query_params_from_current` (used after a page switch) makes the corrected link the one it reads.
    """
    st.query_params.pop(key, None)
    _link_as_opened()


def _link_as_opened() -> None:
    context = get_script_run_ctx()
    if context is not None:
        with context.session_state.query_params() as params:
            params.set_initial_query_params_from_current()


def seed_link_value(key: str, value: str) -> None:
    """Put `value` in the link for a bound widget not drawn yet in this session: the widget starts from it, and the
    address shows it, as if the page had been opened with it."""
    st.query_params[key] = value
    _link_as_opened()


def _from_link(
    key: str,
    label: str,
    parse: Callable[[list[str]], links.LinkValue],
    *,
    labels: Callable[[], dict[str, str]] | None = None,
    sentence: str | None = None,
) -> None:
    """Check the link's value of a bound widget with `parse` before the widget first reads it.

    A choice's `labels` (every language's label of an option -> the current one's) rewrite the link's labels first.
    What `parse` did not use gets a notice; a value it rejects is removed from the link, so the widget shows its
    default instead of whatever Streamlit would make of it.
    """
    if key in st.session_state or key not in st.query_params:
        return
    if labels is not None:
        _labels_as_here(key, labels())
    parsed = parse(st.query_params.get_all(key))
    if parsed.ignored:
        link_notice(label, parsed, sentence=sentence)
        if parsed.use_default:
            _drop_link_value(key)


def link_switch(key: str, label: str) -> bool | None:
    """A true/false parameter that no widget is bound to: its value, or None when absent or not true or false
    (then it is removed from the link, with a notice)."""
    if key not in st.query_params:
        return None
    parsed = links.parse_toggle(st.query_params.get_all(key))
    if parsed.ignored:
        link_notice(label, parsed)
        st.query_params.pop(key, None)
    return parsed.value


def _labels(options: Sequence[Any], format_func: Callable[[Any], str]) -> list[str]:
    # A bound widget keeps an option's label (its format_func text) in the link, and only accepts that.
    return [format_func(option) for option in options]


def _labels_in_every_language(options: Sequence[Any], format_func: Callable[[Any], str]) -> dict[str, str]:
    """Each option's label in any of the interface's languages -> its label in the current one (a label of the
    current language always means its own option)."""
    here = _labels(options, format_func)
    found: dict[str, str] = {}
    for code in i18n.LANGUAGES:
        with i18n.language(code):
            found.update(zip(_labels(options, format_func), here, strict=True))
    found.update(zip(here, here, strict=True))
    return found


def _labels_as_here(key: str, labels: dict[str, str]) -> None:
    """Rewrite the link's labels of another language into the current one's before the bound widget reads them."""
    given = st.query_params.get_all(key)
    rewritten = [labels.get(value, value) for value in given]
    if rewritten != given:
        st.query_params[key] = rewritten
        _link_as_opened()


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
    _from_link(
        key,
        label,
        lambda raws: links.parse_choices(raws, _labels(options, format_func)),
        labels=lambda: _labels_in_every_language(options, format_func),
    )
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
    _from_link(
        key,
        label,
        lambda raws: links.parse_choice(raws, _labels(options, format_func)),
        labels=lambda: _labels_in_every_language(options, format_func),
    )
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
    parse = links.parse_range if isinstance(value, tuple) else links.parse_number
    _from_link(key, label, lambda raws: parse(raws, min_value, max_value))
    return st.slider(label, min_value, max_value, value, step=1, key=key, help=help, bind="query-params")


def text_input(label: str, *, key: str, placeholder: str | None = None, help: str | None = None) -> str:
    """A free-text box bound to the URL, of at most `links.MAX_TEXT_CHARS` characters."""
    # Streamlit keeps the first `max_chars` of a longer text from the link; the notice says it was cut.
    _from_link(key, label, links.parse_text)
    return st.text_input(
        label, key=key, placeholder=placeholder, help=help, max_chars=links.MAX_TEXT_CHARS, bind="query-params"
    )


def toggle(label: str, *, key: str, value: bool = False, help: str | None = None) -> bool:
    """A switch bound to the URL."""
    _from_link(key, label, links.parse_toggle)
    return st.toggle(label, value=value, key=key, help=help, bind="query-params")


def pager(pages: int, *, key: str, label: str, note: str | None = None, always: bool = False) -> int:
    """A page picker bound to the URL (when there is more than one page, unless `always`); the page shown (1-based).

    Streamlit silently replaces a page number from a link that is out of range; the notice says so, as the
    filters do.
    """
    if pages <= 1 and not always:
        return 1
    _from_link(
        key,
        label,
        lambda raws: links.parse_page(raws, pages),
        sentence=_(NO_SUCH_PAGE),
    )
    number = st.pagination(pages, key=key, bind="query-params", width="stretch" if always else "content")
    if note:
        st.caption(
            _("{note} Page {number} of {pages}.").format(
                note=note, number=i18n.number(number), pages=i18n.number(pages)
            )
        )
    return number


def paginate(frame: pd.DataFrame, *, page_size: int, key: str, what: str | None = None) -> pd.DataFrame:
    """One page of a long table, with a URL-bound pager and a caption saying which rows are shown (`what`, translated,
    names them; rows by default)."""
    what = what or _("rows")
    pages = page_count(len(frame), page_size)
    number = pager(pages, key=key, label=_("page of {what}").format(what=what))
    if pages > 1:
        first = (number - 1) * page_size + 1
        last = min(first + page_size - 1, len(frame))
        st.caption(
            _("{what} {first}–{last} of {total}, {size} a page; downloads hold them all.").format(
                what=what.capitalize(),
                first=i18n.number(first),
                last=i18n.number(last),
                total=i18n.number(len(frame)),
                size=i18n.number(page_size),
            )
        )
    return page_slice(frame, number, page_size)
