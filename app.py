"""PoC Explorer's entrypoint and home page (`streamlit run app.py`): what this is, key figures, where to go.

`streamlit run app.py` first imports this file as the module `app` and finds `app`, the server (`st.App`): the
Streamlit pages and, beside them, the participants' light page at /join. Streamlit then runs it as `__main__` for
every visit of the home page.
"""

from pathlib import Path

import streamlit as st

HEADLINE_FIGURES = 8

if __name__ != "__main__":
    from poc_data.join_page import routes

    app = st.App(Path(__file__).resolve(), routes=routes())
else:
    from poc_data import i18n, ui
    from poc_data.i18n import _
    from poc_data.text import APP_CITATION, md, present
    from poc_data.transform.home import dataset_dates, key_figure_cards

    page = ui.start_page("app.py")

    st.title("PoC Explorer")
    st.markdown(
        _(
            "Data on the **Protection of Civilians (POC)** in armed conflict, and on the UN, EU, NATO and AU "
            "operations mandated to protect them: a timeline of milestones, a map of operations, comparisons of the "
            "organizations, mandates, counts of civilian harm and recommendations for discussion. Made for round "
            "tables and workshops, for trainers at a projector and for researchers, it runs on one computer and needs "
            "no internet. Every figure names its source."
        )
    )

    figures = ui.dataset("key_figures")
    all_sources = ui.sources()
    if figures is not None and not figures.empty:
        st.header(_("Key figures"))
        cards = key_figure_cards(figures, all_sources)
        headline = cards.head(HEADLINE_FIGURES)
        columns = st.columns(min(4, len(headline)))
        for index, card in enumerate(headline.itertuples(index=False)):
            with columns[index % len(columns)].container(border=True):
                st.metric(md(card.label), md(card.value))
                st.caption(f"“{md(card.quote)}” — {md(card.citation)}")
        if len(cards) > len(headline):
            with st.expander(
                _("All {count} key figures, each with the sentence that states it").format(
                    count=i18n.number(len(cards))
                )
            ):
                st.dataframe(
                    cards.drop(columns=["id", "value"]),
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "label": _("Figure"),
                        "value_text": _("Value"),
                        "quote": _("Sentence stating it"),
                        "citation": _("Source"),
                    },
                )

    st.header(_("Where to go"))
    columns = st.columns(3)
    for index, info in enumerate(info for info in ui.PAGES if info.path != "app.py"):
        with columns[index % 3].container(border=True):
            ui.page_link(info.path, label=_(info.label), icon=info.icon)
            st.write(_(info.question))

    st.header(_("The data"))
    metadata = {dataset_id: ui.dataset_metadata(dataset_id) for dataset_id in ui.DATASET_IDS}
    dates = dataset_dates(metadata)
    st.dataframe(
        dates,
        hide_index=True,
        width="stretch",
        column_config={"Dataset": _("Dataset"), "Title": _("Title"), "Updated": _("Updated"), "Licence": _("Licence")},
    )
    st.caption(
        _(
            "All datasets are checked when they load; problems found now: {count}. "
            "The Sources and data page shows the check, each dataset's fields and a CSV download of each."
        ).format(count=i18n.number(len(ui.all_problems())))
    )

    st.header(_("How to cite"))
    st.code(
        _(APP_CITATION).format(updated=dates["Updated"].max() if not dates.empty else present(None)),
        language=None,
        wrap_lines=True,
    )

    ui.sources_footer(all_sources, [figures] if figures is not None else [], ["key_figures"], metadata)
