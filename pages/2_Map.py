"""Map: where operations were deployed in a chosen year, their headquarters, and one country's operations and record."""

import datetime as dt

import streamlit as st

from poc_data import ui, views
from poc_data.charts.deployments import deployments_map, deployments_note
from poc_data.charts.geo import (
    MAP_BOUNDARIES_NOTE,
    REGIONS,
    map_notes,
    resolution_for,
)
from poc_data.charts.titles import file_name, operations_scope
from poc_data.charts.violence_map import ROUGH_NOTE, UNIT
from poc_data.i18n import _, ngettext
from poc_data.i18n import number as n
from poc_data.schema import country_name
from poc_data.text import md
from poc_data.transform import deployments as dep
from poc_data.transform import geo
from poc_data.transform import harm as th
from poc_data.transform import violence_map as vm
from poc_data.transform.timeline import timeline_entries
from poc_data.ui import events as ged

page = ui.start_page("pages/2_Map.py")

TABLE_PAGE_SIZE = 100
MILESTONES_LISTED = 20
THIS_YEAR = dt.date.today().year
COUNTRY_KEY = "map_country"
CHART_KEY = "map_chart"
DATASETS = ["missions", "milestones", "civilian_harm", "deployments", "organized_violence"]
operations_table = ui.memo(geo.operations_table)


def show_table(table, *, key: str) -> None:
    """A table, a page of TABLE_PAGE_SIZE rows at a time when it is long."""
    st.dataframe(ui.paginate(table, page_size=TABLE_PAGE_SIZE, key=key), hide_index=True, width="stretch")


def year_region_country(bounds: tuple[int, int], countries: dict[str, str]) -> tuple[int, str, str | None]:
    """The Year, Zoom to and Country boxes: the year, the region and the country's label (None if none)."""
    year_column, region_column, country_column = st.columns([2, 1, 1])
    with year_column:
        year = ui.slider(
            _("Year"),
            *bounds,
            geo.default_year(missions, bounds),
            key="map_year",
            help=_("An operation counts in every year its period touches, an ongoing one up to this year."),
        )
    with region_column:
        region = ui.selectbox(
            _("Zoom to"), list(REGIONS), key="map_region", format_func=_, help=_("Zoomed maps use finer borders.")
        )
    with country_column:
        label = ui.selectbox(
            _("Country"),
            list(countries),
            key=COUNTRY_KEY,
            index=None,
            placeholder=_("Pick or click one"),
            help=_(
                "Countries that host at least one operation in the data: pick one here or click it on the map;"
                " its operations are listed under the map."
            ),
        )
    return year, region, label


def operation_filters(options: dict[str, list[str]]) -> dict[str, list[str]]:
    """The Organizations, Types of operation and POC mandate boxes."""
    organization_column, type_column, mandate_column = st.columns(3)
    with organization_column:
        organizations = ui.multiselect(_("Organizations"), options["organization"], key="map_org", format_func=_)
    with type_column:
        types = ui.multiselect(_("Types of operation"), options["type"], key="map_type", format_func=_)
    with mandate_column:
        mandates = ui.multiselect(
            _("POC mandate"),
            options["poc_mandate"],
            key="map_poc",
            format_func=_,
            help=_("Whether the operation's mandate gives it the protection of civilians: explicit, partial or none."),
        )
    return {"organizations": organizations, "types": types, "mandates": mandates}


def pick_clicked_country(countries: dict[str, str], chart_key: str = CHART_KEY) -> None:
    """A click on a shaded country picks it, as if chosen in the Country box."""
    clicked = geo.country_from_selection(st.session_state.get(chart_key), countries.values())
    if clicked:
        st.session_state[COUNTRY_KEY] = {code: label for label, code in countries.items()}[clicked]


def show_operations_map(view, *, year, region, bounds, animate, countries) -> None:
    """The map of the chosen operations in `year`, or its animation over every year from `year` on, and its notes."""
    ui.chart(view.figure, key=CHART_KEY, on_select=lambda: pick_clicked_country(countries))
    missing = geo.not_on_map(view.parts["counts"], geo.mapped_countries(resolution_for(region)))
    for note in map_notes(year=year, last_year=bounds[1], animate=animate, missing=md(missing)):
        st.caption(note)


def show_civilians(values: dict, country: str | None, countries: dict[str, str]) -> None:
    """The UCDP layer, when switched on: countries shaded by the civilians killed in `year`, of the kind chosen."""
    st.subheader(_("Civilians killed in organised violence (UCDP)"))
    shown = ui.toggle(
        _("Show civilians killed (UCDP)"),
        key="map_ucdp",
        help=_("UCDP's count of civilians killed in each country and year: in one-sided violence or in conflict."),
    )
    if not shown:
        return
    measure = ui.selectbox(
        _("Civilians killed"),
        list(vm.MEASURES),
        key="map_ucdp_kind",
        format_func=_,
        help=_(
            "One-sided violence: civilians killed deliberately by a government or an organised group. In conflict: "
            "civilians killed in fighting between armed parties."
        ),
    )
    view = ui.memo_view(views.civilians_view)(
        organized_violence,
        {**values, "map_ucdp_kind": measure},
        missions=missions,
        metadata=ui.dataset_metadata("organized_violence"),
        presentation=page.presentation,
    )
    if view.empty:
        st.info(view.empty, icon=":material/info:")
        return
    killed, year, region = view.parts["killed"], values["map_year"], values["map_region"]
    ui.chart(view.figure, key="map_ucdp_chart", on_select=lambda: pick_clicked_country(countries, "map_ucdp_chart"))
    shaded = _("Shaded: {about}; {total} in {year}, all countries together ({unit}).").format(
        about=_(vm.MEASURES[measure].about), total=n(vm.total_killed(killed)), year=year, unit=_(UNIT)
    )
    counted = _(
        "UCDP counts the deaths it could attribute to an organised actor in a conflict or campaign that reached 25 "
        "deaths in the year: a lower bound of the harm to civilians, not a total. The colour scale is logarithmic and "
        "the same for every year."
    )
    st.caption(f"{shaded} {counted} {_(MAP_BOUNDARIES_NOTE)}")
    missing = vm.unmapped(killed, geo.mapped_countries(resolution_for(region)))
    if missing:
        st.caption(_("Not on the map (no shape at this scale): {missing}.").format(missing=md(missing)))
    ui.download_csv(
        killed,
        file_name=f"poc-explorer-civilians-killed-ucdp-{year}.csv",
        key="map_ucdp_download",
        label=_("Download the civilians killed by country in {year} (CSV)").format(year=year),
    )
    shown_frames.append(killed)
    if country:
        show_events(country, year)
    else:
        st.caption(
            _(
                "Pick a country (click it on either map, or choose it in the Country box) to see its violent events "
                "of the year (UCDP GED) beside the UN's deployment locations."
            )
        )


def events_coverage(country: str, name: str) -> str:
    """Which years of `country` the imported events cover, in words."""
    span = vm.event_span(ged.countries_with_events(), country)
    if span is None:
        return _("The imported events (UCDP GED) have none in {name}.").format(name=name)
    first, last = span
    return _("The imported events (UCDP GED) cover {name} from {first} to {last}, not every year of it.").format(
        name=name, first=first, last=last
    )


def show_near(near, summary: dict[str, int], year: int, has_locations: bool) -> None:
    """The civilians killed within 25 and 50 km of a deployment location, as metrics, and how they were counted."""
    counted = summary["deaths_civilians"] - summary["rough_deaths_civilians"]
    rows = near.to_dict("records")
    columns = st.columns(len(rows) + 1)
    columns[0].metric(_("Civilians killed in these events"), n(summary["deaths_civilians"]))
    for column, row in zip(columns[1:], rows, strict=True):
        column.metric(
            _("Within {radius} km of a UN location").format(radius=row["radius_km"]),
            vm.share_text(int(row["deaths_civilians"]), counted),
            help=_(
                "Of the {counted} civilians killed in the events placed to within about 25 km (UCDP where_prec 1 "
                "or 2): the share in brackets."
            ).format(counted=n(counted)),
        )
    if has_locations:
        where = _(
            "Distances are great-circle distances from each event to the nearest of the Geo-PKO deployment locations "
            "of {year} in this country, counted for the events UCDP places to within about 25 km:"
        )
    else:
        where = _(
            "Distances are great-circle distances from each event to the nearest of the Geo-PKO deployment locations, "
            "but Geo-PKO records none here in {year}, so none is near. They would be counted for the events UCDP "
            "places to within about 25 km:"
        )
    counts = _(
        "{placed} of {events} events, {counted} of {killed} civilians killed. The other {rough} events ({rough_killed} "
        "civilians killed) are placed only at a district's, region's or the country's centre and are left out of the "
        "distances."
    ).format(
        placed=n(summary["events"] - summary["rough_events"]),
        events=n(summary["events"]),
        counted=n(counted),
        killed=n(summary["deaths_civilians"]),
        rough=n(summary["rough_events"]),
        rough_killed=n(summary["rough_deaths_civilians"]),
    )
    caution = _(
        "Geo-PKO maps UN peacekeeping operations only. Nearness is not a cause: it says where violence and "
        "peacekeepers were in the same year, not that one led to the other."
    )
    st.caption(f"{where.format(year=year)} {counts} {caution}")


def show_events(country: str, year: int) -> None:
    """One country-year's events (UCDP GED) with the year's deployment locations, and the deaths near them."""
    name = country_name(country)
    st.markdown("#### " + _("Events in {name}, {year} (UCDP GED)").format(name=md(name), year=year))
    found = ged.events_in(country, year)
    if found is None:
        st.info(
            _(
                "No events dataset is in the data folder: `python -m poc_data import ucdp-ged FILE` imports a UCDP "
                "GED release (GEDEvent_vXX_X.csv)."
            ),
            icon=":material/info:",
        )
        return
    if found.empty:
        none = _("No event in {name} in {year}.").format(name=name, year=year)
        st.info(f"{none} {events_coverage(country, name)}", icon=":material/info:")
        return
    metadata = {"violence_events": ged.metadata(), "deployments": ui.dataset_metadata("deployments")}
    view = ui.memo_view(views.events_view)(
        found, deployments, iso3=country, year=year, metadata=metadata, presentation=page.presentation
    )
    near, summary, locations = view.parts["near"], view.parts["summary"], view.parts["locations"]
    ui.chart(view.figure, key="map_events_chart")
    show_near(near, summary, year, not locations.empty)
    st.caption(
        _(
            "Marker area: civilians killed in the event (UCDP's best estimate); the symbol is the type of violence. "
            "{rough}: UCDP knows the place only to a district, a region or the country (where_prec 3 and above); "
            "the hover says how precisely each place is known."
        ).format(rough=_(ROUGH_NOTE))
    )
    ui.download_csv(
        found,
        file_name=f"poc-explorer-events-ucdp-{country}-{year}.csv",
        key="map_events_download",
        label=ngettext("Download this event (CSV)", "Download these {count} events (CSV)", len(found)).format(
            count=n(len(found))
        ),
    )
    shown_frames.extend([vm.events_sources(ged.metadata()), locations])


def show_deployments(year: int, region: str) -> None:
    """Where the UN's peacekeepers were in `year`, from Geo-PKO, for one operation or all."""
    st.subheader(_("Where UN peacekeepers were deployed in {year}").format(year=year))
    covered = dep.year_range(deployments)
    if not dep.covers(covered, year):
        st.info(
            _(
                "The deployment data (Geo-PKO) cover {years}: move the Year slider into that range to see where the "
                "UN's peacekeeping operations were deployed."
            ).format(years=dep.covered_text(covered)),
            icon=":material/location_on:",
        )
        return
    operation = ui.selectbox(
        _("Operation"),
        [dep.ALL_OPERATIONS, *dep.operations_in(deployments, year)],
        key="map_dep_op",
        format_func=lambda choice: _(choice) if choice == dep.ALL_OPERATIONS else choice,
        help=_("The UN peacekeeping operations with deployment locations in the year chosen above."),
    )
    points = ui.memo(dep.locations)(deployments, year, operation)
    if points.empty:
        ui.nothing_matches(_("deployment locations in {year}").format(year=year))
        return
    figure = ui.memo_figure(deployments_map)(
        points,
        year=year,
        operation="" if operation == dep.ALL_OPERATIONS else operation,
        region=region,
        presentation=page.presentation,
    )
    ui.chart(figure, key="map_dep_chart")
    st.caption(deployments_note())
    located = ngettext(
        "The {count} deployment location in {year}", "The {count} deployment locations in {year}", len(points)
    )
    with st.expander(located.format(count=n(len(points)), year=year), icon=":material/table:"):
        show_table(dep.locations_table(points), key="map_dep_page")
    ui.download_csv(
        points,
        file_name=f"poc-explorer-deployments-{year}.csv",
        key="map_dep_download",
        label=ngettext(
            "Download this deployment location (CSV)", "Download these {count} deployment locations (CSV)", len(points)
        ).format(count=n(len(points))),
    )
    shown_frames.append(points)


def show_milestones(hosted, country: str) -> None:
    """The milestones that name the operations hosted in `country`."""
    st.markdown("#### " + _("Milestones that mention these operations"))
    mentioned = geo.milestones_mentioning(milestones, hosted)
    shown_frames.append(mentioned)
    if mentioned.empty:
        ui.nothing_matches(_("milestones naming these operations"))
        return
    ui.milestone_entries(timeline_entries(mentioned.head(MILESTONES_LISTED), all_sources), year_level=5)
    if len(mentioned) > MILESTONES_LISTED:
        st.caption(
            _("The first {listed} of {count} milestones; the download and the Timeline page have them all.").format(
                listed=n(MILESTONES_LISTED), count=n(len(mentioned))
            )
        )
    ui.download_csv(
        mentioned,
        file_name=f"poc-explorer-milestones-{country}.csv",
        key="map_download_milestones",
        label=_("Download these milestones (CSV)"),
    )


def show_harm(country: str, name: str) -> None:
    """The civilian-harm figures whose place includes `country`, as the Civilian harm page shows them."""
    st.markdown("#### " + _("Civilian-harm figures for places including {name}").format(name=md(name)))
    figures = th.harm_in_country(harm, country)
    shown_frames.append(figures)
    if figures.empty:
        ui.nothing_matches(_("civilian-harm figures for {name}").format(name=name))
        return
    ui.harm_figures(figures, all_sources, key="map_harm_page")
    st.caption(
        _(
            "A figure whose place spans several countries is listed for each of them; figures that "
            "disagree are kept side by side, each with its source. The Civilian harm page explains them."
        )
    )
    ui.download_csv(
        figures,
        file_name=f"poc-explorer-civilian-harm-{country}.csv",
        key="map_download_harm",
        label=_("Download these figures (CSV)"),
    )


def show_country(chosen, country: str, *, year: int, scope: str) -> None:
    """One country's operations, the milestones that name them and the civilian-harm figures for it."""
    name = country_name(country)
    hosted = geo.hosted_in(chosen, country)
    st.subheader(_("Operations in {name}").format(name=md(name)))
    if hosted.empty:
        ui.nothing_matches(_("operations in {name}").format(name=name))
    else:
        table = operations_table(hosted, year=year, this_year=THIS_YEAR, sources=all_sources)
        show_table(table, key="map_country_page")
        ui.download_csv(
            hosted,
            file_name=file_name("poc-explorer-operations", country, scope),
            key="map_download_country",
            label=_("Download the operations in {name} (CSV)").format(name=name),
        )
        shown_frames.append(hosted)
    if milestones is not None:
        show_milestones(hosted, country)
    if harm is not None:
        show_harm(country, name)


def show_map(bounds: tuple[int, int]) -> None:
    """The filters, the map of operations and what it leaves out, the year's operations, deployments, a country."""
    countries = ui.memo(geo.host_country_choices)(missions)
    year, region, label = year_region_country(bounds, countries)
    country = countries.get(label)
    options = geo.filter_options(missions)
    chosen_filters = operation_filters(options)
    animate = ui.toggle(
        _("Animate over the years"),
        key="map_animate",
        help=_("Play the map year by year with the button under it; the tables below follow the Year slider."),
    )
    values = {
        "map_year": year,
        "map_region": region,
        "map_country": label,
        "map_org": chosen_filters["organizations"],
        "map_type": chosen_filters["types"],
        "map_poc": chosen_filters["mandates"],
        "map_animate": animate,
    }
    view = ui.memo_view(views.map_view)(missions, values, today=dt.date.today(), presentation=page.presentation)
    chosen, active = view.parts["chosen"], view.parts["active"]
    scope = operations_scope(options, **chosen_filters)
    if view.empty:
        ui.nothing_matches(_("operations active in {year}").format(year=year))
    else:
        show_operations_map(view, year=year, region=region, bounds=bounds, animate=animate, countries=countries)
    for note in geo.dating_notes(chosen):
        st.caption(note)
    if not active.empty:
        listed = ngettext(
            "The {count} operation active in {year}", "The {count} operations active in {year}", len(active)
        )
        with st.expander(listed.format(count=n(len(active)), year=year), icon=":material/table:"):
            table = operations_table(active, year=year, this_year=THIS_YEAR, sources=all_sources)
            show_table(table, key="map_year_page")
        ui.download_csv(
            active,
            file_name=file_name("poc-explorer-operations", str(year), scope),
            key="map_download_year",
            label=_("Download the operations active in {year} (CSV)").format(year=year),
        )
    shown_frames.append(active)
    if organized_violence is not None:
        show_civilians(values, country, countries)
    if deployments is not None:
        show_deployments(year, region)
    if country:
        show_country(chosen, country, year=year, scope=scope)


missions = ui.dataset("missions")
milestones = ui.dataset("milestones")
harm = ui.dataset("civilian_harm")
deployments = ui.dataset("deployments")
organized_violence = ui.dataset("organized_violence")
all_sources = ui.sources()
shown_frames = []

bounds = geo.year_bounds(missions, THIS_YEAR) if missions is not None else None
if missions is None:
    st.info(_("The map needs the missions dataset; once it loads, the operations appear here."), icon=":material/map:")
elif bounds is None:
    ui.nothing_matches(_("operations with a known start"))
else:
    show_map(bounds)

ui.sources_footer(
    all_sources, shown_frames, DATASETS, {dataset_id: ui.dataset_metadata(dataset_id) for dataset_id in DATASETS}
)
