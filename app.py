"""PoC Explorer's entrypoint and home page (`streamlit run app.py`): what this is, key figures, where to go."""

import streamlit as st

from poc_data import ui
from poc_data.text import APP_CITATION, md, present
from poc_data.transform.home import dataset_dates, key_figure_cards

HEADLINE_FIGURES = 8

page = ui.start_page("app.py")

st.title("PoC Explorer")
st.markdown(
    "Data on the **Protection of Civilians (POC)** in armed conflict, and on the UN, EU, NATO and AU operations "
    "mandated to protect them: a timeline of milestones, a map of operations, comparisons of the organizations, "
    "mandates, counts of civilian harm and recommendations for discussion. Made for round tables and workshops, "
    "for trainers at a projector and for researchers, it runs on one computer and needs no internet. "
    "Every figure names its source."
)

figures = ui.dataset("key_figures")
all_sources = ui.sources()
if figures is not None and not figures.empty:
    st.header("Key figures")
    cards = key_figure_cards(figures, all_sources)
    headline = cards.head(HEADLINE_FIGURES)
    columns = st.columns(min(4, len(headline)))
    for index, card in enumerate(headline.itertuples(index=False)):
        with columns[index % len(columns)].container(border=True):
            st.metric(md(card.label), md(card.value_text))
            st.caption(f"“{md(card.quote)}” — {md(card.citation)}")
    if len(cards) > len(headline):
        with st.expander(f"All {len(cards)} key figures, each with the sentence that states it"):
            st.dataframe(cards.drop(columns="id"), hide_index=True, width="stretch")

st.header("Where to go")
columns = st.columns(3)
for index, info in enumerate(info for info in ui.PAGES if info.path != "app.py"):
    with columns[index % 3].container(border=True):
        ui.page_link(info.path, label=info.label, icon=info.icon)
        st.write(info.question)

st.header("The data")
metadata = {dataset_id: ui.dataset_metadata(dataset_id) for dataset_id in ui.DATASET_IDS}
dates = dataset_dates(metadata)
st.dataframe(dates, hide_index=True, width="stretch")
st.caption(
    f"All datasets are checked when they load; problems found now: {present(len(ui.all_problems()))}. "
    "The Sources and data page shows the check, each dataset's fields and a CSV download of each."
)

st.header("How to cite")
st.code(
    APP_CITATION.format(updated=dates["Updated"].max() if not dates.empty else "unknown"),
    language=None,
    wrap_lines=True,
)

ui.sources_footer(all_sources, [figures] if figures is not None else [], ["key_figures"], metadata)
