"""Timeline: the POC milestones of the UN, EU and NATO by year, with operations and resolutions, a year at a time."""

import streamlit as st

from poc_data import i18n, ui, views
from poc_data.charts import titles
from poc_data.i18n import N_, _, ngettext
from poc_data.schema import MILESTONE_ORGANIZATIONS
from poc_data.transform import timeline as tl

ENTRIES_PER_PAGE = 30
YEAR_KEY = "tl_year"

HOW_TO_READ = N_(
    "**How to read this.** Each marker is one bullet of the timeline in Annex 2 of Koops and Patz (2022), in the lane "
    "of its organization and the year it is listed under (the source gives no finer date, so markers stand at "
    "mid-year); markers of the same year and lane are stacked so that none hides another. Point at a marker for its "
    "full text and source. The themes and the links to missions are editorial tags added by PoC Explorer, not the "
    "source's. Switch on the overlays to see when operations were active and when the Security Council adopted POC "
    "resolutions."
)
# The milestones are quoted from the paper as written; a reader in another language is told so.
QUOTED = N_("The milestones' text is quoted from Annex 2 of Koops and Patz (2022), in English.")


def step_year(years: list[int], step: int) -> None:
    """Move the presented year to the previous or next year with milestones."""
    target = tl.neighbour_year(years, st.session_state.get(YEAR_KEY), step)
    if target is not None:
        st.session_state[YEAR_KEY] = target


def year_stepper(years: list[int]) -> int | None:
    """The year presented: Previous and Next (or the left and right arrow keys) on either side of the year picked
    from the years that have milestones; the year is in the link."""
    back, choice, forward = st.columns([1, 2, 1], vertical_alignment="bottom")
    with choice:
        year = ui.selectbox(_("Year presented"), years, key=YEAR_KEY, help=_("Only years with matching milestones."))
    back.button(
        _("Previous year"),
        key="tl_prev",
        icon=":material/arrow_back:",
        width="stretch",
        disabled=tl.neighbour_year(years, year, -1) is None,
        on_click=step_year,
        args=(years, -1),
        wrap=True,
        shortcut="Left",
        help=_("The previous year with milestones (left arrow key)."),
    )
    forward.button(
        _("Next year"),
        key="tl_next",
        icon=":material/arrow_forward:",
        width="stretch",
        disabled=tl.neighbour_year(years, year, +1) is None,
        on_click=step_year,
        args=(years, +1),
        wrap=True,
        shortcut="Right",
        help=_("The next year with milestones (right arrow key)."),
    )
    return year


page = ui.start_page("pages/1_Timeline.py")

milestones = ui.dataset("milestones")
sources = ui.sources()
metadata = {"milestones": ui.dataset_metadata("milestones")}
bounds = None if milestones is None else tl.year_bounds(milestones)
cited = []

if milestones is not None and bounds is None:
    st.info(_("The milestones dataset has no records yet."), icon=":material/info:")

if bounds is not None:
    with st.container(border=True):
        left, middle, right = st.columns(3)
        with left:
            organizations = tl.lane_order(
                ui.multiselect(_("Organizations"), MILESTONE_ORGANIZATIONS, key="tl_org", format_func=_)
            )
        with middle:
            if bounds[0] < bounds[1]:
                years = tuple(ui.slider(_("Years"), bounds[0], bounds[1], bounds, key="tl_years"))
            else:
                years = bounds
        with right:
            query = ui.text_input(
                _("Search the text"),
                key="tl_q",
                placeholder=_("e.g. Srebrenica"),
                help=_("Every word must occur."),
            )
        left, right = st.columns(2)
        with left:
            themes = ui.multiselect(
                _("Themes"),
                tl.theme_vocabulary(metadata["milestones"], milestones),
                key="tl_themes",
                default=[],
                format_func=_,
                placeholder=_("All themes"),
                help=_("Milestones with any of the chosen themes (editorial tags)."),
            )
        with right:
            missions = ui.multiselect(
                _("Missions"),
                tl.mission_options(milestones),
                key="tl_missions",
                default=[],
                placeholder=_("All milestones, naming a mission or not"),
                help=_("Milestones that name any of the chosen operations (editorial links)."),
            )
        # At a projector's type size three toggles do not fit side by side.
        left, middle, right = [st.container()] * 3 if page.presentation else st.columns(3)
        with left:
            show_operations = ui.toggle(
                _("Show operations' active periods"),
                key="tl_ops",
                help=_("Operations of the chosen organizations, from the missions dataset."),
            )
        with middle:
            show_resolutions = ui.toggle(
                _("Show POC resolutions"),
                key="tl_res",
                help=_("Security Council resolutions, thematic or mandating a mission, from the mandates dataset."),
            )
        with right:
            one_year = ui.toggle(_("Present one year at a time"), key="tl_step", help=_("Step through the years."))

    values = {
        "tl_org": organizations,
        "tl_years": years,
        "tl_q": query,
        "tl_themes": themes,
        "tl_missions": missions,
        "tl_ops": show_operations,
        "tl_res": show_resolutions,
        "tl_step": one_year,
        "tl_year": None,
    }
    if one_year:
        stops = tl.years_with_milestones(ui.memo(tl.filter_milestones)(milestones, views.timeline_filters(values)))
        values["tl_year"] = year_stepper(stops) if stops else None
    overlays = {}
    if show_operations:
        overlays["missions"] = ui.dataset("missions")
        metadata["missions"] = ui.dataset_metadata("missions")
    if show_resolutions:
        overlays["mandates"] = ui.dataset("mandates")
        metadata["mandates"] = ui.dataset_metadata("mandates")
    view = ui.memo_view(views.timeline_view)(milestones, sources, values, presentation=page.presentation, **overlays)
    shown, chart_years = view.parts["shown"], view.parts["years"]

    if view.empty:
        ui.nothing_matches(_("milestones"))
    else:
        cited = view.records
        if not one_year:
            st.caption(_(HOW_TO_READ))
        ui.chart(view.figure, key="tl_chart")
        for note in view.notes:
            st.caption(note)

        ui.download_csv(
            tl.milestones_for_csv(shown),
            file_name=titles.file_name(
                "poc-explorer-milestones",
                *(organizations if len(organizations) < len(MILESTONE_ORGANIZATIONS) else []),
                titles.years_phrase(chart_years),
                *themes,
                *missions,
                query,
            ),
            key="tl_download",
            label=ngettext(
                "Download the milestones shown (CSV, {count} row)",
                "Download the milestones shown (CSV, {count} rows)",
                len(shown),
            ).format(count=i18n.number(len(shown))),
        )

        if not one_year:
            st.subheader(_("The milestones, year by year"), anchor=False)
        if i18n.current_language() != i18n.DEFAULT_LANGUAGE:
            st.caption(_(QUOTED))
        page_rows = ui.paginate(shown, page_size=ENTRIES_PER_PAGE, key="tl_page", what=_("milestones"))
        ui.milestone_entries(tl.timeline_entries(page_rows, sources), large=one_year)
        if one_year:
            st.caption(_(HOW_TO_READ))

ui.sources_footer(sources, cited, list(metadata), metadata)
