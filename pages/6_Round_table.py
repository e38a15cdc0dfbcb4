"""Round table: the POC20 themes and the IPI recommendations, each with what informs it, laid out for discussion."""

import streamlit as st

from poc_data import ui, views
from poc_data.charts import titles
from poc_data.i18n import N_, _, ngettext
from poc_data.text import md, source_citation
from poc_data.transform import roundtable as rt
from poc_data.transform.common import cited_sources
from poc_data.ui.evidence import evidence_links, show_evidence

OVERVIEW, DISCUSSION, PRINTABLE = N_("Overview"), N_("Discussion"), N_("Printable")
THEMES_PER_PAGE = {OVERVIEW: 8, PRINTABLE: 12}

# Printing leaves out the menu and the controls and keeps each theme on one sheet where it fits; no data in here.
PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], .st-key-rt_controls,
  [data-testid="stDownloadButton"], [data-testid="stPageLink"], [data-testid="stExpander"] { display: none !important; }
  [data-testid="stAppViewContainer"] * { color: #000000 !important; }
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
}
</style>
"""

page = ui.start_page("pages/6_Round_table.py")
# Memoized once a run (every theme shown uses them): each is pure, and cached across reruns by its arguments' content.
theme_items = ui.memo(rt.theme_items)
theme_groups = ui.memo(rt.theme_groups)
item_labels = ui.memo(rt.item_labels)
all_sources = ui.sources()
recommendations = ui.dataset("recommendations")
shown = []


def show_items(items, source_id: str) -> None:
    """A theme's recommendations under their addressees, then its questions, each verbatim."""
    for heading, texts in theme_groups(items, source_id):
        st.markdown(f"**{md(heading)}**")
        for text in texts:
            st.markdown(f"- {md(text)}")


def show_links(items, *, with_links: bool) -> None:
    """The curated evidence of the items: the records that inform each, why, and where that is said."""
    st.markdown(_("**What informs it**"))
    links = evidence_links(items["id"])
    if links is None:
        return
    labels = item_labels(items)
    show_evidence(links, all_sources, with_links=with_links, label=labels.get if len(items) > 1 else None)
    shown.append(links)


def show_themes(chosen, view: str) -> None:
    """The chosen themes, a page at a time, under the heading of their source."""
    size = THEMES_PER_PAGE[view]
    section = None
    for theme in ui.paginate(chosen, page_size=size, key="rt_page", what="themes").itertuples(index=False):
        if theme.source_id != section:
            section = theme.source_id
            st.subheader(md(rt.section_title(section, all_sources)), anchor=False)
        items = theme_items(recommendations, theme.source_id, theme.theme)
        with st.container(border=True):
            st.markdown(f"#### {md(theme.theme)}")
            if view == PRINTABLE:
                show_items(items, theme.source_id)
                show_links(items, with_links=False)
            else:
                left, right = st.columns([3, 2], gap="large")
                with left:
                    show_items(items, theme.source_id)
                with right:
                    show_links(items, with_links=True)


def step(delta: int, count: int) -> None:
    """Move discussion mode to the previous or next prompt."""
    current = st.session_state.get("rt_question", 1)
    st.session_state["rt_question"] = min(max(1, current + delta), count)


def show_discussion(items) -> None:
    """One prompt at a time, large, with previous and next buttons: the questions, or recommendations if none."""
    prompts = rt.discussion_prompts(items)
    if prompts.empty:
        ui.nothing_matches("questions")
        return
    count = len(prompts)
    stage = st.container()
    back, middle, forward = st.columns([1, 3, 1], vertical_alignment="center")
    with middle:
        number = ui.pager(count, key="rt_question", label=_("question"), always=True)
    back.button(
        _("Previous"),
        key="rt_previous",
        icon=":material/arrow_back:",
        on_click=step,
        args=(-1, count),
        disabled=number == 1,
        width="stretch",
        shortcut="Left",
        help=_("Previous question (left arrow key)"),
    )
    forward.button(
        _("Next"),
        key="rt_next",
        icon=":material/arrow_forward:",
        on_click=step,
        args=(1, count),
        disabled=number == count,
        width="stretch",
        shortcut="Right",
        help=_("Next question (right arrow key)"),
    )
    prompt = rt.prompt_at(prompts, number)
    with stage:
        if prompt["prompt"] == "question":
            position = _("{theme} · Question {number} of {count}")
        else:
            position = _("{theme} · Recommendation to discuss {number} of {count}")
        st.caption(position.format(theme=md(prompt["theme"]), number=number, count=count))
        st.header(md(prompt["text"]), anchor=False)
        where = md(prompt["source_detail"] or prompt["source_id"])
        if prompt["addressee"]:
            where = _("To {addressee} · {where}").format(addressee=md(prompt["addressee"]), where=where)
        st.caption(" ".join(part for part in (rt.verbatim_note(), where) if part))
        with st.expander(_("What informs it"), icon=":material/history_edu:"):
            show_links(rt.prompt_items(prompts, number), with_links=True)


if recommendations is not None:
    # Labels made in this run, in its language (a format function is also called outside the run, by tests).
    every_theme = {rt.ALL_THEMES: _(rt.ALL_THEMES)}
    with st.container(key="rt_controls"):
        theme_column, view_column = st.columns([3, 1])
        with theme_column:
            choice = ui.selectbox(
                _("Theme"),
                ui.memo(rt.theme_options)(recommendations),
                key="rt_theme",
                # The themes are the reports' headings, as written; only the choice of all of them is ours.
                format_func=lambda theme: every_theme.get(theme, theme),
                help=_("One theme at a time for projecting, or all of them."),
            )
        with view_column:
            view = ui.selectbox(
                _("View"),
                [OVERVIEW, DISCUSSION, PRINTABLE],
                key="rt_view",
                # Labels made in this run, in its language (a format function is also called outside the run).
                format_func={view: _(view) for view in (OVERVIEW, DISCUSSION, PRINTABLE)}.get,
                help=_("Discussion shows one question at a time, large; Printable is laid out for paper."),
            )
    theme_view = ui.memo_view(views.round_table_view)(recommendations, {"rt_theme": choice})
    chosen, items = theme_view.parts["chosen"], theme_view.parts["items"]
    if theme_view.empty:
        ui.nothing_matches("themes")
    elif view == DISCUSSION:
        show_discussion(items)
    else:
        if view == PRINTABLE:
            st.html(PRINT_CSS)
            st.caption(
                _("Laid out for paper: print with your browser (Ctrl+P or ⌘P); the menu and controls are left out.")
            )
        if rt.verbatim_note():
            st.caption(rt.verbatim_note())
        show_themes(chosen, view)
    ui.download_csv(
        rt.csv_of_items(items),
        file_name=titles.file_name("poc-round-table-recommendations", "" if choice == rt.ALL_THEMES else choice),
        key="rt_csv",
        label=ngettext(
            "Download the {count} recommendation or question shown (CSV)",
            "Download the {count} recommendations and questions shown (CSV)",
            len(items),
        ).format(count=len(items)),
    )
    shown.append(items)
    if view == PRINTABLE:
        # On paper the footer's expander cannot be opened, so the sources are printed in full.
        st.subheader(_("Sources"), anchor=False)
        for source in cited_sources(all_sources, *shown).to_dict("records"):
            st.markdown(f"- {source_citation(source)}")

datasets = ["recommendations", "evidence", "milestones", "missions", "mandates", "civilian_harm"]
ui.sources_footer(all_sources, shown, datasets, {d: ui.dataset_metadata(d) for d in datasets})
