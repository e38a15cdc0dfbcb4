"""Missions and mandates: a Gantt of operations marking POC mandates, a printable mission brief, the resolutions."""

import datetime as dt

import streamlit as st

from poc_data import ui, views
from poc_data.charts import titles
from poc_data.charts.deployments import personnel_chart
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
    st.subheader("Mission brief")
    pick, switch = st.columns([3, 1], vertical_alignment="bottom")
    with pick:
        acronym = ui.selectbox(
            "Operation",
            ui.memo(tm.mission_choices)(missions),
            key="mm_mission",
            index=None,
            placeholder="Choose an operation for its one-page brief",
        )
    with switch:
        printing = ui.toggle(
            "Print brief",
            key="mm_print",
            help="Shows the brief alone, ready to print from the browser (collapse the sidebar first).",
        )

with st.sidebar.expander("Filters", expanded=not printing, icon=":material/filter_alt:", key=f"mm_filters_{printing}"):
    organizations = ui.multiselect("Organizations", list(MISSION_ORGANIZATIONS), key="mm_org")
    types = ui.multiselect("Types", list(MISSION_TYPES), key="mm_type")
    hosts_by_name = country_options(missions["host_countries"]) if missions is not None else {}
    host_names = ui.multiselect(
        "Host countries", list(hosts_by_name), key="mm_host", default=[], placeholder="All host countries"
    )
    poc_mandates = ui.multiselect(
        "POC mandate",
        list(POC_MANDATES),
        key="mm_poc",
        help="explicit: the mandate names the protection of civilians; partial: in part or in other words.",
    )
    first_year, last_year = ui.memo(tm.period_bounds)(missions, mandates, today)
    years = ui.slider(
        "Period", first_year, last_year, (first_year, last_year), key="mm_years", help="Active at some time in it."
    )
    order = ui.selectbox(
        f"When more than {tm.GANTT_CAP} operations match, draw the",
        list(tm.GANTT_ORDERS),
        key="mm_order",
    )
    kinds = ui.multiselect("Resolution kinds", list(RESOLUTION_KINDS), key="mm_kind")

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
        st.subheader("Operations")
        if view.empty:
            ui.nothing_matches("operations")
        else:
            ui.chart(view.figure, key="mm_gantt")
            for note in view.notes:
                st.caption(note)
            page_rows = ui.paginate(shown_missions, page_size=TABLE_PAGE_SIZE, key="mm_table_page", what="operations")
            st.dataframe(tm.missions_table(page_rows), hide_index=True, width="stretch")
            ui.download_csv(
                shown_missions,
                file_name=titles.file_name("poc-explorer-operations", titles.years_phrase(years), scope),
                key="mm_download",
                label=f"Download the {len(shown_missions)} operations that match (CSV)",
            )

shown_personnel = None
if not printing and deployments is not None:
    with personnel_area:
        st.subheader("Personnel over time")
        chosen_operations = ui.multiselect(
            "Operations",
            dep.operations(deployments),
            key="mm_dep_ops",
            default=dep.largest_operations(deployments),
            placeholder="Choose UN peacekeeping operations",
            help="The UN peacekeeping operations in the Geo-PKO deployment data (1994-2024); first the five largest.",
        )
        shown_personnel = ui.memo(dep.personnel_by_year)(deployments, chosen_operations)
        if not dep.any_troop_numbers(shown_personnel):
            ui.nothing_matches("operations with troop numbers in the deployment data")
        else:
            ui.chart(
                ui.memo_figure(personnel_chart)(shown_personnel, presentation=page.presentation), key="mm_dep_chart"
            )
            st.caption(
                "Troops summed over each operation's mapped deployment locations, as the Geo-PKO dataset estimates "
                "them from the UN's deployment maps (a location's average over the year's maps). These are not the "
                "UN's official strength figures, and UN police and military observers are recorded as present or "
                "not, so they are counted here as locations, in the table. Data: Geo-PKO v2.3, Cil, Fjelde, Hultman "
                "and Nilsson, “Mapping blue helmets”, Journal of Peace Research 57(2), 2020."
            )
            with st.expander("Personnel by operation and year (table)", icon=":material/table:"):
                st.dataframe(dep.personnel_table(shown_personnel), hide_index=True, width="stretch")
            ui.download_csv(
                dep.of_operations(deployments, chosen_operations),
                file_name="poc-explorer-deployments.csv",
                key="mm_dep_download",
                label="Download the deployment locations of these operations (CSV)",
            )

brief = None
with brief_area:
    if missions is None:
        st.caption("The brief needs the missions dataset, which could not be loaded.")
    elif acronym is None:
        st.caption("Choose an operation: its dates, hosts, mandates, milestones and harm figures on one page.")
    else:
        brief = tm.mission_brief(
            acronym, missions, mandates=mandates, milestones=milestones, harm=harm, sources=all_sources, today=today
        )
        text = tm.brief_markdown(brief, all_sources)
        with st.container(border=not printing):
            st.markdown(text)
        st.download_button(
            "Download this brief (Markdown)",
            data=text.encode("utf-8"),
            file_name=f"poc-explorer-brief-{tm.file_slug(acronym)}.md",
            mime="text/markdown",
            key="mm_brief_download",
            icon=":material/download:",
            on_click="ignore",
        )
        if printing:
            st.caption("Print with your browser (Ctrl+P or Cmd+P). Switch off “Print brief” to see the page again.")

shown_resolutions = None
if not printing and mandates is not None:
    with resolutions_area:
        st.subheader("Resolutions")
        st.caption(
            "Security Council resolutions: thematic ones on the protection of civilians in general, mission "
            "mandates, and authorizations of non-UN forces. POC language is quoted only where a source quotes it."
        )
        shown_resolutions = ui.memo(tm.filter_resolutions)(mandates, kinds=kinds, years=years)
        if shown_resolutions.empty:
            ui.nothing_matches("resolutions")
        else:
            st.markdown(md(tm.kind_counts_text(shown_resolutions)))
            page_rows = ui.paginate(shown_resolutions, page_size=TABLE_PAGE_SIZE, key="mm_res_page", what="resolutions")
            st.dataframe(
                ui.memo(tm.resolutions_table)(page_rows, all_sources),
                hide_index=True,
                width="stretch",
            )
            ui.download_csv(
                shown_resolutions,
                file_name=titles.file_name("poc-explorer-resolutions", titles.years_phrase(years), *kind_parts),
                key="mm_res_download",
                label=f"Download the {len(shown_resolutions)} resolutions that match (CSV)",
            )

shown = [frame for frame in (shown_missions, shown_resolutions) if frame is not None and not printing]
if shown_personnel is not None and not shown_personnel.empty:
    shown.append(dep.of_operations(deployments, chosen_operations))
if brief is not None:
    shown += brief.frames()
metadata = {dataset_id: ui.dataset_metadata(dataset_id) for dataset_id in ("missions", "mandates", "deployments")}
ui.sources_footer(all_sources, shown, ["missions", "mandates", "milestones", "civilian_harm", "deployments"], metadata)
