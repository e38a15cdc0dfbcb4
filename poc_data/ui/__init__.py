"""The Streamlit glue shared by the pages: setup and menu, cached data, URL-bound filters, charts, footers."""

from collections.abc import Callable
from functools import wraps

from poc_data.schema import DATASETS
from poc_data.ui import data as _data
from poc_data.ui.data import all_problems, dataset, dataset_metadata, sources
from poc_data.ui.page import PAGES, PageContext, page_link, start_page
from poc_data.ui.records import harm_figures, milestone_entries
from poc_data.ui.show import chart, download_csv, nothing_matches, sources_footer
from poc_data.ui.widgets import multiselect, pager, paginate, selectbox, slider, text_input, toggle

DATASET_IDS = tuple(DATASETS)


def _built_once(make: Callable[[Callable], Callable]) -> Callable[[Callable], Callable]:
    """`make` (`memo` or `memo_figure`) building each module function's cached version once per process.

    Building one reads and parses the function's source (0.3-1 ms), and the pages ask for the same ones on every
    rerun. A page's own or a nested function is built each time, as before, so that nothing is kept for it."""
    built: dict[Callable, Callable] = {}

    @wraps(make)
    def once(func: Callable) -> Callable:
        if getattr(func, "__module__", "__main__") == "__main__" or "<" in getattr(func, "__qualname__", "<"):
            return make(func)
        if func not in built:
            built[func] = make(func)
        return built[func]

    return once


memo = _built_once(_data.memo)
memo_figure = _built_once(_data.memo_figure)

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
