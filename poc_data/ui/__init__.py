"""The Streamlit glue shared by the pages: setup and menu, cached data, URL-bound filters, charts, footers."""

from poc_data.schema import DATASETS
from poc_data.ui.data import all_problems, dataset, dataset_metadata, memo, memo_figure, sources
from poc_data.ui.page import PAGES, PageContext, page_link, start_page
from poc_data.ui.records import harm_figures, milestone_entries
from poc_data.ui.show import chart, download_csv, nothing_matches, sources_footer
from poc_data.ui.views import memo_view
from poc_data.ui.widgets import multiselect, pager, paginate, selectbox, slider, text_input, toggle

DATASET_IDS = tuple(DATASETS)

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
