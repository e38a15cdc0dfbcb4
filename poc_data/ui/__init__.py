"""The Streamlit glue shared by the pages: setup and menu, cached data, URL-bound filters, charts, footers."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from poc_data import i18n
from poc_data.schema import DATASETS
from poc_data.ui.data import all_problems, dataset, dataset_metadata, memo, memo_figure, sources
from poc_data.ui.page import LANGUAGE_STATE, PAGES, PageContext, page_link, start_page
from poc_data.ui.records import harm_figures, milestone_entries
from poc_data.ui.show import chart, download_csv, nothing_matches, sources_footer
from poc_data.ui.views import memo_view
from poc_data.ui.widgets import multiselect, pager, paginate, selectbox, slider, text_input, toggle

DATASET_IDS = tuple(DATASETS)


def _session_language() -> str | None:
    # A fragment's rerun or a widget's callback runs without the page's start: it takes the session's language. Outside
    # a session's run (a deferred download is made on the server's own thread) there is none to take, and no warning.
    return st.session_state.get(LANGUAGE_STATE) if get_script_run_ctx(suppress_warning=True) is not None else None


i18n.set_resolver(_session_language)

__all__ = [
    "DATASET_IDS",
    "PAGES",
    "PageContext",
    "all_problems",
    "chart",
    "dataset",
    "dataset_metadata",
    "download_csv",
    "harm_figures",
    "memo",
    "memo_figure",
    "memo_view",
    "milestone_entries",
    "multiselect",
    "nothing_matches",
    "page_link",
    "paginate",
    "pager",
    "selectbox",
    "slider",
    "sources",
    "sources_footer",
    "start_page",
    "text_input",
    "toggle",
]
