"""Missions and mandates: a Gantt of operations marking POC mandates, a printable mission brief, the resolutions."""

import datetime as dt

import streamlit as st

from poc_data import i18n, ui, views
from poc_data.charts import titles
from poc_data.charts.deployments import personnel_chart
from poc_data.i18n import _
from poc_data.schema import MISSION_ORGANIZATIONS, MISSION_TYPES, POC_MANDATES, RESOLUTION_KINDS
from poc_data.text import md
from poc_data.transform import deployments as dep
from poc_data.transform import missions as tm
from poc_data.transform.harm import TABLE_PAGE_SIZE, country_options

page = ui.start_page("pages/4_Missions_and_mandates.py")
today = dt.date.today()
all_sources = ui.sources()
missions = ui.dataset("missions")
mandates = ui.dataset("mandates")
milestones = ui.dataset("milestones")
harm = ui.dataset("civilian_harm")
deployments = ui.dataset("deployments")

# Laid out top to bottom, but the brief's controls run first: the print switch decides what else is shown.
operations_area = st.container()
personnel_area = st.container()
brief_area = st.container()
resolutions_area = st.container()

with brief_area:
    st.subheader(_("Mission brief"))
    pick, switch = st.columns([3, 1], vertical_alignment="bottom")
    with pick:
        acronym = ui.selectbox(
            _("Operation"),
            ui.memo(tm.mission_choices)(missions),
            key="mm_mission",
            index=None,
            placeholder=_("Choose an operation for its one-page brief"),
        )
    with switch:
        printing = ui.toggle(
            _("Print brief"),
            key="mm_print",
            help=_("Shows the brief alone, ready to print from the browser (collapse the sidebar first)."),
        )

with st.sidebar.expander(
    _("Filters"), expanded=not printing, icon=":material/filter_alt:", key=f"mm_filters_{printing}"
):
    organizations = ui.multiselect(_("Organizations"), list(MISSION_ORGANIZATIONS), key="mm_org", format_func=_)
    types = ui.multiselect(_("Types"), list(MISSION_TYPES), key="mm_type", format_func=_)
    hosts_by_name = country_options(missions["host_countries"]) if missions is not None else {}
    host_names = ui.multiselect(
        _("Host countries"), list(hosts_by_name), key="mm_host", default=[], placeholder=_("All host countries")
    )
    poc_mandates = ui.multiselect(
        _("POC mandate"),
        list(POC_MANDATES),
        key="mm_poc",
        format_func=_,
        help=_("explicit: the mandate names the protection of civilians; partial: in part or in other words."),
    )
    first_year, last_year = ui.memo(tm.period_bounds)(missions, mandates, today)
    years = ui.slider(
        _("Period"),
        first_year,
        last_year,
        (first_year, last_year),
        key="mm_years",
        help=_("Active at some time in it."),
    )
    order = ui.selectbox(
        _("When more than {cap} operations match, draw the").format(cap=i18n.number(tm.GANTT_CAP)),
        list(tm.GANTT_ORDERS),
        key="mm_order",
        format_func=_,
    )
    kinds = ui.multiselect(_("Resolution kinds"), list(RESOLUTION_KINDS), key="mm_kind", format_func=_)

values = {
    "mm_org": organizations,
    "mm_type": types,
    "mm_host": host_names,
    "mm_poc": poc_mandates,
    "mm_years": years,
    "mm_order": order,
    "mm_kind": kinds,
}
scope = views.missions_scope(values)
kind_parts = kinds if len(kinds) < len(RESOLUTION_KINDS) else []
shown_missions = None
if missions is not None:
    view = ui.memo_view(views.missions_view)(missions, all_sources, values, today=today, presentation=page.presentation)
    shown_missions = view.parts["shown"]

if not printing and shown_missions is not None:
    with operations_area:
        st.subheader(_("Operations"))
        if view.empty:
            ui.nothing_matches(_("operations"))
        else:
            ui.chart(view.figure, key="mm_gantt")
            for note in view.notes:
                st.caption(note)
            page_rows = ui.paginate(
                shown_missions, page_size=TABLE_PAGE_SIZE, key="mm_table_page", what=_("operations")
            )
            st.dataframe(tm.missions_table(page_rows), hide_index=True, width="stretch")
            ui.download_csv(
                shown_missions,
                file_name=titles.file_name("poc-explorer-operations", titles.years_phrase(years), scope),
                key="mm_download",
                label=_("Download the {count} operations that match (CSV)").format(
                    count=i18n.number(len(shown_missions))
                ),
            )

shown_personnel = None
if not printing and deployments is not None:
    with personnel_area:
        st.subheader(_("Personnel over time"))
        chosen_operations = ui.multiselect(
            _("Operations"),
            dep.operations(deployments),
            key="mm_dep_ops",
            default=dep.largest_operations(deployments),
            placeholder=_("Choose UN peacekeeping operations"),
            help=_(
                "The UN peacekeeping operations in the Geo-PKO deployment data (1994-2024); first the five largest."
            ),
        )
        shown_personnel = ui.memo(dep.personnel_by_year)(deployments, chosen_operations)
        if not dep.any_troop_numbers(shown_personnel):
            ui.nothing_matches(_("operations with troop numbers in the deployment data"))
        else:
            ui.chart(
                ui.memo_figure(personnel_chart)(shown_personnel, presentation=page.presentation), key="mm_dep_chart"
            )
            st.caption(
                _(
                    "Troops summed over each operation's mapped deployment locations, as the Geo-PKO dataset estimates "
                    "them from the UN's deployment maps (a location's average over the year's maps). These are not the "
                    "UN's official strength figures, and UN police and military observers are recorded as present or "
                    "not, so they are counted here as locations, in the table. Data: Geo-PKO v2.3, Cil, Fjelde, "
                    "Hultman and Nilsson, “Mapping blue helmets”, Journal of Peace Research 57(2), 2020."
                )
            )
            with st.expander(_("Personnel by operation and year (table)"), icon=":material/table:"):
                st.dataframe(dep.personnel_table(shown_personnel), hide_index=True, width="stretch")
            ui.download_csv(
                dep.of_operations(deployments, chosen_operations),
                file_name="poc-explorer-deployments.csv",
                key="mm_dep_download",
                label=_("Download the deployment locations of these operations (CSV)"),
            )

brief = None
with brief_area:
    if missions is None:
        st.caption(_("The brief needs the missions dataset, which could not be loaded."))
    elif acronym is None:
        st.caption(_("Choose an operation: its dates, hosts, mandates, milestones and harm figures on one page."))
    else:
        brief = tm.mission_brief(
            acronym, missions, mandates=mandates, milestones=milestones, harm=harm, sources=all_sources, today=today
        )
        text = tm.brief_markdown(brief, all_sources)
        with st.container(border=not printing):
            st.markdown(text)
        st.download_button(
            _("Download this brief (Markdown)"),
            data=text.encode("utf-8"),
            file_name=f"poc-explorer-brief-{tm.file_slug(acronym)}.md",
            mime="text/markdown",
            key="mm_brief_download",
            icon=":material/download:",
            on_click="ignore",
        )
        if printing:
            st.caption(_("Print with your browser (Ctrl+P or Cmd+P). Switch off “Print brief” to see the page again."))

shown_resolutions = None
if not printing and mandates is not None:
    with resolutions_area:
        st.subheader(_("Resolutions"))
        st.caption(
            _(
                "Security Council resolutions: thematic ones on the protection of civilians in general, mission "
                "mandates, and authorizations of non-UN forces. POC language is quoted only where a source quotes it."
            )
        )
        shown_resolutions = ui.memo(tm.filter_resolutions)(mandates, kinds=kinds, years=years)
        if shown_resolutions.empty:
            ui.nothing_matches(_("resolutions"))
        else:
            st.markdown(md(tm.kind_counts_text(shown_resolutions)))
            page_rows = ui.paginate(
                shown_resolutions, page_size=TABLE_PAGE_SIZE, key="mm_res_page", what=_("resolutions")
            )
            st.dataframe(
                ui.memo(tm.resolutions_table)(page_rows, all_sources),
                hide_index=True,
                width="stretch",
            )
            ui.download_csv(
                shown_resolutions,
                file_name=titles.file_name("poc-explorer-resolutions", titles.years_phrase(years), *kind_parts),
                key="mm_res_download",
                label=_("Download the {count} resolutions that match (CSV)").format(
                    count=i18n.number(len(shown_resolutions))
                ),
            )

shown = [frame for frame in (shown_missions, shown_resolutions) if frame is not None and not printing]
if shown_personnel is not None and not shown_personnel.empty:
    shown.append(dep.of_operations(deployments, chosen_operations))
if brief is not None:
    shown += brief.frames()
metadata = {dataset_id: ui.dataset_metadata(dataset_id) for dataset_id in ("missions", "mandates", "deployments")}
ui.sources_footer(all_sources, shown, ["missions", "mandates", "milestones", "civilian_harm", "deployments"], metadata)
