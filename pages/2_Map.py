"""Map: where operations were deployed in a chosen year, their headquarters, and one country's operations and record."""

import datetime as dt

import streamlit as st

from poc_data import ui
from poc_data.charts.deployments import deployments_map
from poc_data.charts.geo import MAP_BOUNDARIES_NOTE, REGIONS, operations_map, operations_map_animation, resolution_for
from poc_data.charts.titles import file_name, operations_scope
from poc_data.schema import country_name
from poc_data.text import md, present
from poc_data.transform import deployments as dep
from poc_data.transform import geo
from poc_data.transform.common import source_titles

page = ui.start_page("pages/2_Map.py")

TABLE_PAGE_SIZE = 100
MILESTONES_LISTED = 20
THIS_YEAR = dt.date.today().year
COUNTRY_KEY = "map_country"
CHART_KEY = "map_chart"


def show_table(table, *, key: str) -> None:
    """A table, a page of TABLE_PAGE_SIZE rows at a time when it is long."""
    st.dataframe(ui.paginate(table, page_size=TABLE_PAGE_SIZE, key=key), hide_index=True, width="stretch")


missions = ui.dataset("missions")
milestones = ui.dataset("milestones")
harm = ui.dataset("civilian_harm")
deployments = ui.dataset("deployments")
all_sources = ui.sources()
metadata = {
    dataset_id: ui.dataset_metadata(dataset_id)
    for dataset_id in ("missions", "milestones", "civilian_harm", "deployments")
}
titles = source_titles(all_sources)
shown_frames = []

bounds = geo.year_bounds(missions, THIS_YEAR) if missions is not None else None
if missions is None:
    st.info("The map needs the missions dataset; once it loads, the operations appear here.", icon=":material/map:")
elif bounds is None:
    ui.nothing_matches("operations with a known start")
else:
    countries = geo.host_country_choices(missions)
    labels_by_code = {code: label for label, code in countries.items()}
    options = geo.filter_options(missions)

    def pick_clicked_country() -> None:
        """A click on a shaded country picks it, as if chosen in the Country box."""
        clicked = geo.country_from_selection(st.session_state.get(CHART_KEY), countries.values())
        if clicked:
            st.session_state[COUNTRY_KEY] = labels_by_code[clicked]

    year_column, region_column, country_column = st.columns([2, 1, 1])
    with year_column:
        year = ui.slider(
            "Year",
            *bounds,
            geo.default_year(missions, bounds),
            key="map_year",
            help="An operation counts in every year its period touches, an ongoing one up to this year.",
        )
    with region_column:
        region = ui.selectbox("Zoom to", list(REGIONS), key="map_region", help="Zoomed maps use finer borders.")
    with country_column:
        country = countries.get(
            ui.selectbox(
                "Country",
                list(countries),
                key=COUNTRY_KEY,
                index=None,
                placeholder="Pick or click one",
                help=(
                    "Countries that host at least one operation in the data: pick one here or click it on the map;"
                    " its operations are listed under the map."
                ),
            )
        )
    organization_column, type_column, mandate_column = st.columns(3)
    with organization_column:
        organizations = ui.multiselect("Organizations", options["organization"], key="map_org")
    with type_column:
        types = ui.multiselect("Types of operation", options["type"], key="map_type")
    with mandate_column:
        mandates = ui.multiselect(
            "POC mandate",
            options["poc_mandate"],
            key="map_poc",
            help="Whether the operation's mandate gives it the protection of civilians: explicit, partial or none.",
        )
    animate = ui.toggle(
        "Animate over the years",
        key="map_animate",
        help="Play the map year by year with the button under it; the tables below follow the Year slider.",
    )

    chosen = geo.filter_missions(missions, organizations=organizations, types=types, mandates=mandates)
    scope = operations_scope(options, organizations=organizations, types=types, mandates=mandates)
    active = geo.active_in(chosen, year, THIS_YEAR)
    all_years = list(range(bounds[0], bounds[1] + 1))
    counts_by_year = ui.memo(geo.country_counts_by_year)(chosen, all_years, THIS_YEAR)
    counts = geo.in_year(counts_by_year, year)

    if animate:
        fig = ui.memo_figure(operations_map_animation)(
            counts_by_year,
            headquarters_by_year=geo.headquarters_by_year(chosen, all_years, THIS_YEAR),
            years=all_years,
            start_year=year,
            region=region,
            selected=country,
            scope=scope,
            presentation=page.presentation,
        )
    else:
        fig = ui.memo_figure(operations_map)(
            counts,
            headquarters=geo.headquarters(chosen, year, THIS_YEAR),
            year=year,
            region=region,
            selected=country,
            zmax=geo.shared_zmax(counts_by_year),
            scope=scope,
            presentation=page.presentation,
        )

    if active.empty and not animate:
        ui.nothing_matches(f"operations active in {year}")
    else:
        ui.chart(fig, key=CHART_KEY, on_select=pick_clicked_country)
        missing = geo.not_on_map(counts, geo.mapped_countries(resolution_for(region)))
        if animate:
            # The map changes year by year while the page does not: the captions say the whole range.
            st.caption(
                f"The animation plays every year from {year} to {bounds[1]}: press Play under the map, or pick a "
                f"year on its slider. The tables and downloads below are for {year}, the Year chosen at the top."
            )
        elif missing:
            st.caption(f"Not on the map in {year}: {md(missing)}.")
        hover = "In the animation, hovering gives the counts." if animate else "Hovering lists up to ten operations."
        st.caption(
            "Click a shaded country to list its operations below. Each operation counts once in every host country; "
            "the colour scale is the same for every year, so years compare. Operations of one organization "
            "headquartered in the same city share one marker; other organizations' markers there stand beside it. "
            f"{hover} {MAP_BOUNDARIES_NOTE}"
        )
    undated = geo.undated_count(chosen)
    if undated:
        st.caption(f"{undated} matching operation(s) have no known start date and are on no year's map.")
    end_unknown = geo.end_unknown_count(chosen)
    if end_unknown:
        st.caption(
            f"{end_unknown} matching operation(s) have no stated end and are not known to be ongoing: "
            "each counts in its start year only."
        )

    if not active.empty:
        with st.expander(f"The {len(active)} operation(s) active in {year}", icon=":material/table:"):
            show_table(geo.operations_table(active, year=year, this_year=THIS_YEAR, titles=titles), key="map_year_page")
        ui.download_csv(
            active,
            file_name=file_name("poc-explorer-operations", str(year), scope),
            key="map_download_year",
            label=f"Download the operations active in {year} (CSV)",
        )
    shown_frames.append(active)

    if deployments is not None:
        st.subheader(f"Where UN peacekeepers were deployed in {year}")
        covered = dep.year_range(deployments)
        if not dep.covers(covered, year):
            st.info(
                f"The deployment data (Geo-PKO) cover {dep.covered_text(covered)}: move the Year slider into that "
                "range to see where the UN's peacekeeping operations were deployed.",
                icon=":material/location_on:",
            )
        else:
            operation = ui.selectbox(
                "Operation",
                [dep.ALL_OPERATIONS, *dep.operations_in(deployments, year)],
                key="map_dep_op",
                help="The UN peacekeeping operations with deployment locations in the year chosen above.",
            )
            points = ui.memo(dep.locations)(deployments, year, operation)
            if points.empty:
                ui.nothing_matches(f"deployment locations in {year}")
            else:
                ui.chart(
                    ui.memo_figure(deployments_map)(
                        points,
                        year=year,
                        operation="" if operation == dep.ALL_OPERATIONS else operation,
                        region=region,
                        presentation=page.presentation,
                    ),
                    key="map_dep_chart",
                )
                st.caption(
                    "Each circle is a deployment location; its area is the number of troops there, as the Geo-PKO "
                    "dataset estimates it from the UN's deployment maps (the year's average), and its colour the "
                    "range of that number. Hollow circles are sites with UN police or military observers but no "
                    "troops; stars are mission headquarters. Geo-PKO records police and observers as present or not, "
                    "not their numbers. Data: Geo-PKO v2.3, Cil, Fjelde, Hultman and Nilsson, “Mapping blue "
                    "helmets”, Journal of Peace Research 57(2), 2020."
                )
                with st.expander(f"The {len(points)} deployment location(s) in {year}", icon=":material/table:"):
                    show_table(dep.locations_table(points), key="map_dep_page")
                ui.download_csv(
                    points,
                    file_name=f"poc-explorer-deployments-{year}.csv",
                    key="map_dep_download",
                    label=f"Download these {len(points)} deployment locations (CSV)",
                )
                shown_frames.append(points)

    if country:
        name = country_name(country)
        hosted = geo.hosted_in(chosen, country)
        st.subheader(f"Operations in {md(name)}")
        if hosted.empty:
            ui.nothing_matches(f"operations in {name}")
        else:
            show_table(
                geo.operations_table(hosted, year=year, this_year=THIS_YEAR, titles=titles), key="map_country_page"
            )
            ui.download_csv(
                hosted,
                file_name=file_name("poc-explorer-operations", country, scope),
                key="map_download_country",
                label=f"Download the operations in {name} (CSV)",
            )
            shown_frames.append(hosted)

        if milestones is not None:
            st.markdown("#### Milestones that mention these operations")
            mentioned = geo.milestones_mentioning(milestones, hosted)
            if mentioned.empty:
                ui.nothing_matches("milestones naming these operations")
            for entry in mentioned.head(MILESTONES_LISTED).itertuples(index=False):
                detail = f", {md(entry.source_detail)}" if present(entry.source_detail, "") else ""
                source = md(titles.get(entry.source_id, entry.source_id))
                st.markdown(
                    f"**{entry.year} · {md(entry.organization)}** — {md(entry.text)}  \n"
                    f"*Operations: {md(', '.join(entry.missions))}. Source: {source}{detail}.*"
                )
            if len(mentioned) > MILESTONES_LISTED:
                st.caption(
                    f"The first {MILESTONES_LISTED} of {len(mentioned)} milestones; the download and the Timeline "
                    "page have them all."
                )
            if not mentioned.empty:
                ui.download_csv(
                    mentioned,
                    file_name=f"poc-explorer-milestones-{country}.csv",
                    key="map_download_milestones",
                    label="Download these milestones (CSV)",
                )
            shown_frames.append(mentioned)

        if harm is not None:
            st.markdown(f"#### Civilian-harm figures for places including {md(name)}")
            figures = geo.harm_in_country(harm, country)
            if figures.empty:
                ui.nothing_matches(f"civilian-harm figures for {name}")
            else:
                show_table(geo.harm_table(figures, titles), key="map_harm_page")
                st.caption(
                    "A figure whose place spans several countries is listed for each of them; figures that "
                    "disagree are kept side by side, each with its source. The Civilian harm page explains them."
                )
                ui.download_csv(
                    figures,
                    file_name=f"poc-explorer-civilian-harm-{country}.csv",
                    key="map_download_harm",
                    label="Download these figures (CSV)",
                )
            shown_frames.append(figures)

ui.sources_footer(all_sources, shown_frames, ["missions", "milestones", "civilian_harm", "deployments"], metadata)
