"""A page's view as a function of its parameters: the chart (or the verbatim text), what it cites, what it leaves out.

Each `*_view` function composes one page's filter-transform-chart steps, title included, from the datasets and the
values of the page's parameters (page_params). The page calls it with its widgets' values; `build_view` calls it
with a story step's values, parsed as the page parses its link, so a step shows what its page shows. Pure: the pages
and the Stories page draw a view with Streamlit, the story export writes it into an HTML file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from poc_data import events
from poc_data.charts import organizations as org_charts
from poc_data.charts import titles
from poc_data.charts.geo import operations_map, operations_map_animation
from poc_data.charts.harm import annual_chart
from poc_data.charts.missions import missions_gantt
from poc_data.charts.timeline import timeline_chart
from poc_data.charts.violence import violence_presence_chart
from poc_data.charts.violence_map import civilians_map, events_map
from poc_data.i18n import _
from poc_data.page_params import page_values
from poc_data.schema import (
    COMPARISON_ORGANIZATIONS,
    MEASURES,
    MISSION_ORGANIZATIONS,
    MISSION_TYPES,
    POC_MANDATES,
    TIERS,
    country_name,
)
from poc_data.stories import Step
from poc_data.transform import geo, roundtable
from poc_data.transform import harm as th
from poc_data.transform import missions as tm
from poc_data.transform import organizations as org
from poc_data.transform import timeline as tl
from poc_data.transform import violence as tv
from poc_data.transform import violence_map as vm

# The datasets whose metadata a view cites inside its figure (a producer's release); the views are built from
# stories.STORY_DATA.
VIEW_METADATA = ("organized_violence", "deployments")


@dataclass(frozen=True)
class Block:
    """A piece of verbatim text a view shows: a heading, its lines and where they come from."""

    heading: str
    lines: tuple[str, ...]
    citation: str = ""


@dataclass(frozen=True)
class View:
    """What a view shows: a figure or text blocks (or both), the records it draws on (to cite), why it is empty if it
    is, the notes under its chart, and the intermediate results its page shows beside it (`parts`: tables, counts)."""

    figure: go.Figure | dict | None = None  # a dict once read back from a page's cache
    blocks: tuple[Block, ...] = ()
    records: list[pd.DataFrame] = field(default_factory=list)
    empty: str = ""
    notes: tuple[str, ...] = ()
    parts: dict[str, Any] = field(default_factory=dict)


def build_view(
    step: Step, data: Mapping[str, pd.DataFrame | None], *, today: dt.date, presentation: bool = False
) -> View:
    """The view a step names, from the datasets (by id, with `sources`)."""
    builders = {
        "Timeline": _timeline,
        "Map": _map,
        "Organizations": _organizations,
        "Missions_and_mandates": _missions,
        "Civilian_harm": _harm,
        "Round_table": _round_table,
        "Violence_against_civilians": _violence,
    }
    values = page_values(step.page, step.params, data, today)
    # A step shows the figure or blocks and cites the records; the parts are for the page's tables, not kept here.
    return replace(builders[step.page](step.view, values, data, today, presentation), parts={})


def _missing(dataset_id: str) -> View:
    return View(empty=f"The {dataset_id} dataset could not be loaded, so this step cannot be shown.")


def timeline_filters(values: Mapping[str, Any]) -> tl.TimelineFilters:
    """The Timeline's filters from its parameters' values (tl_org, tl_years, tl_themes, tl_missions, tl_q)."""
    organizations = tl.lane_order(values["tl_org"])
    return tl.TimelineFilters(
        organizations, tuple(values["tl_years"]), values["tl_themes"], values["tl_missions"], values["tl_q"]
    )


def presented_year(stops: list[int], chosen: Any) -> int | None:
    """The year the Timeline presents one at a time: the chosen one when it has milestones, else the first that has."""
    if chosen is not None and int(chosen) in stops:
        return int(chosen)
    return stops[0] if stops else None


def timeline_view(
    milestones: pd.DataFrame,
    sources: pd.DataFrame,
    values: Mapping[str, Any],
    *,
    missions: pd.DataFrame | None = None,
    mandates: pd.DataFrame | None = None,
    presentation: bool = False,
) -> View:
    """The Timeline page's chart: the milestones that match, one year of them when presented a year at a time, with
    the operations' and resolutions' overlays when switched on (and their datasets given)."""
    filters = timeline_filters(values)
    shown = tl.filter_milestones(milestones, filters)
    years = filters.years
    if values["tl_step"]:
        year = presented_year(tl.years_with_milestones(shown), values["tl_year"])
        if year is not None:
            shown, years = tl.milestones_in_year(shown, year), (year, year)
    operations = resolutions = None
    unplaced = 0
    acronyms = filters.missions
    if values["tl_ops"] and missions is not None:
        operations = tl.operation_layer(
            missions, sources, organizations=filters.organizations, years=years, acronyms=acronyms
        )
        unplaced = tl.unplaced_operations(missions, organizations=filters.organizations, acronyms=acronyms)
    if values["tl_res"] and mandates is not None:
        resolutions = tl.resolution_layer(mandates, sources, years=years, acronyms=acronyms)
    parts = {"shown": shown, "years": years}
    if shown.empty:
        return View(empty=_("No milestone matches these filters."), parts=parts)
    layer = tl.milestone_layer(shown, sources)
    figure = timeline_chart(
        layer,
        organizations=filters.organizations,
        years=years,
        operations=operations,
        resolutions=resolutions,
        themes=filters.themes,
        missions=acronyms,
        query=filters.query,
        presentation=presentation,
    )
    records = [shown] + [overlay.records for overlay in (operations, resolutions) if overlay is not None]
    notes = tuple(tl.chart_notes(layer, operations, resolutions, unplaced=unplaced))
    return View(figure=figure, records=records, notes=notes, parts=parts)


def _timeline(view: str, values, data, today: dt.date, presentation: bool) -> View:
    milestones = data.get("milestones")
    if milestones is None:
        return _missing("milestones")
    return timeline_view(
        milestones,
        data["sources"],
        values,
        missions=data.get("missions"),
        mandates=data.get("mandates"),
        presentation=presentation,
    )


def map_filters(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """The Map's operation filters (map_org, map_type, map_poc) as geo.filter_missions takes them."""
    return {"organizations": values["map_org"], "types": values["map_type"], "mandates": values["map_poc"]}


def picked_country(values: Mapping[str, Any], missions: pd.DataFrame | None) -> str | None:
    """The ISO3 code of the Map's picked country (map_country, the label its Country box shows), if any."""
    label = values["map_country"]
    if label is None or missions is None:
        return None
    return geo.host_country_choices(missions).get(label)


def map_view(missions: pd.DataFrame, values: Mapping[str, Any], *, today: dt.date, presentation: bool = False) -> View:
    """The Map page's operations map: the host countries shaded by the chosen operations active in the year, their
    headquarters; or, with map_animate (the page's alone), the map played year by year from that year on."""
    bounds = geo.year_bounds(missions, today.year)
    if bounds is None:
        return View(empty=_("No operation has a known start."))
    year, animate = values["map_year"], values.get("map_animate", False)
    filters = map_filters(values)
    chosen = geo.filter_missions(missions, **filters)
    active = geo.active_in(chosen, year, today.year)
    parts = {"chosen": chosen, "active": active, "bounds": bounds}
    if active.empty and not animate:
        return View(empty=_("No operation matches these filters in {year}.").format(year=year), parts=parts)
    all_years = list(range(bounds[0], bounds[1] + 1))
    shared = {
        "region": values["map_region"],
        "selected": picked_country(values, missions),
        "scope": titles.operations_scope(geo.filter_options(missions), **filters),
        "presentation": presentation,
    }
    if animate:
        counts_by_year = geo.country_counts_by_year(chosen, all_years, today.year)
        counts = geo.in_year(counts_by_year, year)
        figure = operations_map_animation(
            counts_by_year,
            headquarters_by_year=geo.headquarters_by_year(chosen, all_years, today.year),
            years=all_years,
            start_year=year,
            **shared,
        )
    else:
        counts = geo.year_counts(chosen, year, today.year)
        headquarters = geo.headquarters(chosen, year, today.year)
        zmax = geo.max_count(chosen, all_years, today.year)
        figure = operations_map(counts, headquarters=headquarters, year=year, zmax=zmax, **shared)
    return View(figure=figure, records=[active], parts={**parts, "counts": counts})


def _map(view: str, values, data, today: dt.date, presentation: bool) -> View:
    if view == "civilians killed":
        organized_violence = data.get("organized_violence")
        if organized_violence is None:
            return _missing("organized_violence")
        return civilians_view(
            organized_violence,
            values,
            missions=data.get("missions"),
            metadata=data.get("metadata", {}).get("organized_violence"),
            presentation=presentation,
        )
    if view == "events":
        return _events(values, data, presentation)
    missions = data.get("missions")
    if missions is None:
        return _missing("missions")
    return map_view(missions, values, today=today, presentation=presentation)


def civilians_view(
    organized_violence: pd.DataFrame,
    values: Mapping[str, Any],
    *,
    missions: pd.DataFrame | None = None,
    metadata: Any = None,
    presentation: bool = False,
) -> View:
    """The Map page's UCDP layer: countries shaded by the civilians killed in the year, of the kind chosen."""
    year, measure = values["map_year"], values["map_ucdp_kind"]
    covered = vm.years(organized_violence)
    if covered is None or not covered[0] <= year <= covered[1]:
        span = _("no year") if covered is None else _("{first} to {last}").format(first=covered[0], last=covered[1])
        return View(
            empty=_(
                "UCDP's country-year data cover {span}: move the Year slider into that range to see civilians killed."
            ).format(span=span)
        )
    killed = vm.civilians_killed(organized_violence, year, measure)
    figure = civilians_map(
        killed,
        measure=measure,
        year=year,
        largest=vm.largest_count(organized_violence, measure),
        source=tv.credit_line(metadata),
        region=values["map_region"],
        selected=picked_country(values, missions),
        presentation=presentation,
    )
    return View(figure=figure, records=[killed], parts={"killed": killed})


def events_view(
    found: pd.DataFrame,
    deployments: pd.DataFrame | None,
    *,
    iso3: str,
    year: int,
    metadata: Mapping[str, Any],
    presentation: bool = False,
) -> View:
    """The Map page's events of one country-year (UCDP GED, as found) beside the year's deployment locations, with
    the civilians killed near them."""
    name = country_name(iso3)
    if found.empty:
        return View(empty=_("No event in {name} in {year}.").format(name=name, year=year))
    locations = vm.deployed_in(deployments, iso3, year) if deployments is not None else None
    if locations is None:
        locations = vm.NO_LOCATIONS
    near, summary = vm.near_deployments(found, locations), vm.events_summary(found)
    figure = events_map(
        found,
        locations,
        country=name,
        iso3=iso3,
        year=year,
        source=tv.credit_line(metadata.get("violence_events"), metadata.get("deployments")),
        note=vm.near_text(near, summary),
        presentation=presentation,
    )
    records = [vm.events_sources(metadata.get("violence_events")), locations]
    return View(figure=figure, records=records, parts={"near": near, "summary": summary, "locations": locations})


def _events(values, data, presentation: bool) -> View:
    where = data.get("violence_events")  # (data directory, the events file's digest), or None without the file
    if where is None:
        return _missing("violence_events")
    iso3 = picked_country(values, data.get("missions"))
    year = values["map_year"]
    if iso3 is None or year is None:
        return View(empty=_("This step names no country (map_country) or no year (map_year) for its events."))
    return events_view(
        events.events_in(where[0], iso3, year),
        data.get("deployments"),
        iso3=iso3,
        year=year,
        metadata=data.get("metadata", {}),
        presentation=presentation,
    )


def violence_view(
    missions: pd.DataFrame,
    organized_violence: pd.DataFrame,
    values: Mapping[str, Any],
    *,
    deployments: pd.DataFrame | None = None,
    mandates: pd.DataFrame | None = None,
    metadata: Mapping[str, Any] | None = None,
    presentation: bool = False,
) -> View:
    """The Violence against civilians page's per-operation view: UCDP's civilians killed in the operation's host
    countries, year by year, over its troops (Geo-PKO), its dates marked."""
    acronym = values["vac_operation"]
    metadata = metadata or {}
    shown = tv.presence(
        missions, organized_violence, deployments, mandates, acronym, every_year=values["vac_all_years"]
    )
    figure = violence_presence_chart(
        shown.killed,
        shown.troops,
        shown.markers,
        acronym=acronym,
        years=shown.years,
        credit=tv.credit_line(metadata.get("organized_violence"), metadata.get("deployments")),
        presentation=presentation,
    )
    records = [
        tv.operation_rows(missions, acronym),
        tv.ucdp_rows(organized_violence, shown.hosts, range(shown.years[0], shown.years[1] + 1)),
        tv.deployments_in_hosts(deployments, acronym, shown.hosts),
    ]
    return View(figure=figure, records=records, parts={"presence": shown})


def _violence(view: str, values, data, today: dt.date, presentation: bool) -> View:
    missions, organized = data.get("missions"), data.get("organized_violence")
    if missions is None or organized is None:
        return _missing("missions" if missions is None else "organized_violence")
    return violence_view(
        missions,
        organized,
        values,
        deployments=data.get("deployments"),
        mandates=data.get("mandates"),
        metadata=data.get("metadata", {}),
        presentation=presentation,
    )


def _organizations(view: str, values, data, today: dt.date, presentation: bool) -> View:
    sources = data["sources"]
    organizations = org.in_order(values["org_organizations"])
    if view in ("definitions", "comparison"):
        comparisons = data.get("comparisons")
        if comparisons is None:
            return _missing("comparisons")
        if view == "definitions":
            rows = org.with_citation(org.definitions(comparisons, organizations), sources)
            blocks = tuple(
                Block(f"{row.organization}: {row.heading}", tuple(row.points), row.citation)
                for row in rows.itertuples(index=False)
            )
            return View(blocks=blocks, records=[rows])
        label = values["org_table"]
        table_id, table_title = org.GRID_TABLES[label]
        cells = org.comparison_cells(comparisons, table_id, organizations)
        grid = org.comparison_grid(cells, organizations)
        citation = f"{org.source_label(cells, sources)}, {label}, “{table_title}”"
        blocks = tuple(
            Block(f"{row['dimension']}: {organization}", tuple(row[organization]), citation)
            for row in grid.to_dict("records")
            for organization in organizations
            if row[organization]
        )
        return View(blocks=blocks, records=[cells])
    if view == "milestones per year":
        milestones = data.get("milestones")
        if milestones is None:
            return _missing("milestones")
        return organization_milestones_view(milestones, sources, values, presentation=presentation)
    missions = data.get("missions")
    if missions is None:
        return _missing("missions")
    chart = organization_operations_view if view == "operations per year" else organization_mandates_view
    return chart(missions, sources, values, presentation=presentation)


def organization_milestones_view(
    milestones: pd.DataFrame, sources: pd.DataFrame, values: Mapping[str, Any], *, presentation: bool = False
) -> View:
    """The Organizations page's milestones per year (or their running total) of the chosen organizations."""
    organizations = org.in_order(values["org_organizations"])
    own = org.of_organizations(milestones, organizations)
    per_year = org.milestones_per_year(milestones, organizations)
    parts = {"own": own, "per_year": per_year}
    if per_year.empty:
        return View(empty=_("No milestone of these organizations."), parts=parts)
    figure = org_charts.milestones_per_year_chart(
        per_year,
        cumulative=values["org_cumulative"],
        source=org.source_label(own, sources),
        scope=titles.subset_phrase(_("organizations"), organizations, COMPARISON_ORGANIZATIONS, _),
        presentation=presentation,
    )
    return View(figure=figure, records=[own], parts=parts)


def _operations_of(missions: pd.DataFrame, sources: pd.DataFrame, values: Mapping[str, Any]) -> dict[str, Any]:
    """The operations of the chosen organizations and types, their source and what the choice leaves out."""
    organizations = org.in_order(values["org_organizations"])
    types = values["org_type"]
    chosen = org.missions_of(missions, organizations, types)
    scope = titles.scope(
        titles.subset_phrase(_("organizations"), organizations, COMPARISON_ORGANIZATIONS, _),
        titles.subset_phrase(_("types"), types, MISSION_TYPES, _),
    )
    return {
        "organizations": organizations,
        "chosen": chosen,
        "source": org.source_label(chosen, sources),
        "scope": scope,
    }


def organization_operations_view(
    missions: pd.DataFrame, sources: pd.DataFrame, values: Mapping[str, Any], *, presentation: bool = False
) -> View:
    """The Organizations page's operations per year, in total or one panel per type (org_by_type)."""
    of = _operations_of(missions, sources, values)
    per_year_type = org.operations_per_year(of["chosen"])
    if per_year_type.empty:
        parts = {"counts": per_year_type, "chosen": of["chosen"]}
        return View(empty=_("No operation of these organizations and types."), parts=parts)
    shared = {"source": of["source"], "scope": of["scope"], "presentation": presentation}
    if values["org_by_type"]:
        counts = org.operations_by_type(per_year_type, of["organizations"])
        figure = org_charts.operations_by_type_chart(counts, **shared)
    else:
        counts = org.operations_totals(per_year_type, of["organizations"])
        figure = org_charts.operations_per_year_chart(counts, **shared)
    return View(figure=figure, records=[of["chosen"]], parts={"counts": counts, "chosen": of["chosen"]})


def organization_mandates_view(
    missions: pd.DataFrame, sources: pd.DataFrame, values: Mapping[str, Any], *, presentation: bool = False
) -> View:
    """The Organizations page's count of operations by POC mandate, per organization."""
    of = _operations_of(missions, sources, values)
    counts = org.poc_mandate_counts(of["chosen"], of["organizations"])
    if counts.empty:
        return View(empty=_("No operation of these organizations and types."), parts={"counts": counts})
    figure = org_charts.poc_mandate_chart(counts, source=of["source"], scope=of["scope"], presentation=presentation)
    return View(figure=figure, records=[of["chosen"]], parts={"counts": counts})


# Operations drawn on a projector, where the Gantt must fit the screen: the rest are in the page's table and CSV.
PRESENTED_BARS = 9
MISSION_FILTER_OPTIONS = {"organization": MISSION_ORGANIZATIONS, "type": MISSION_TYPES, "poc_mandate": POC_MANDATES}


def missions_scope(values: Mapping[str, Any]) -> str:
    """What the Missions page's filters leave out, for titles and file names."""
    return titles.scope(
        titles.operations_scope(
            MISSION_FILTER_OPTIONS, organizations=values["mm_org"], types=values["mm_type"], mandates=values["mm_poc"]
        ),
        titles.chosen_phrase(_("hosts"), values["mm_host"]),
    )


def missions_view(
    missions: pd.DataFrame,
    sources: pd.DataFrame,
    values: Mapping[str, Any],
    *,
    today: dt.date,
    presentation: bool = False,
) -> View:
    """The Missions and mandates page's Gantt of the operations that match its filters."""
    years = tuple(values["mm_years"])
    hosts = th.country_options(missions["host_countries"])
    shown = tm.filter_missions(
        missions,
        organizations=values["mm_org"],
        types=values["mm_type"],
        hosts=[hosts[name] for name in values["mm_host"]],
        poc_mandates=values["mm_poc"],
        years=years,
        today=today,
    )
    if shown.empty:
        return View(empty=_("No operation matches these filters."), parts={"shown": shown})
    cap = PRESENTED_BARS if presentation else tm.GANTT_CAP
    gantt = tm.gantt_rows(shown, sources, today=today, order=values["mm_order"], cap=cap)
    title = titles.titled(
        _("Operations active in {years}, by organization").format(years=titles.years_phrase(years)),
        missions_scope(values),
    )
    figure = missions_gantt(gantt.rows, today=today, title=title, presentation=presentation)
    return View(
        figure=figure, records=[shown], notes=(tm.gantt_caption(gantt, values["mm_order"]),), parts={"shown": shown}
    )


def _missions(view: str, values, data, today: dt.date, presentation: bool) -> View:
    missions = data.get("missions")
    if missions is None:
        return _missing("missions")
    return missions_view(missions, data["sources"], values, today=today, presentation=presentation)


def harm_scope(values: Mapping[str, Any]) -> str:
    """What the Civilian harm page's filters leave out, for titles and file names."""
    return titles.scope(
        titles.chosen_phrase(_("places"), values["ch_place"]),
        titles.subset_phrase(_("measures"), values["ch_measure"], MEASURES, _),
        titles.subset_phrase(_("source tiers"), values["ch_tier"], TIERS, _),
        titles.chosen_phrase(_("counted by"), values["ch_counted"]),
    )


def harm_view(
    harm: pd.DataFrame, sources: pd.DataFrame, values: Mapping[str, Any], *, presentation: bool = False
) -> View:
    """The Civilian harm page's figures that match its filters, and its chart of UNAMA's annual series of them."""
    places = th.country_options(harm["place"])
    shown = th.filter_harm(
        harm,
        places=[places[name] for name in values["ch_place"]],
        measures=values["ch_measure"],
        tiers=values["ch_tier"],
        counted_by=values["ch_counted"],
    )
    annual = th.annual_series(shown, sources)
    parts = {"shown": shown, "annual": annual}
    if annual.empty:
        return View(
            empty=_("No row of the series “{series}” matches these filters.").format(series=th.UNAMA_ANNUAL),
            parts=parts,
        )
    title = titles.titled(_("Civilians killed and injured per year, by party where known"), harm_scope(values))
    figure = annual_chart(annual, title=title, presentation=presentation)
    return View(figure=figure, records=[th.series_rows(shown)], parts=parts)


def _harm(view: str, values, data, today: dt.date, presentation: bool) -> View:
    harm = data.get("civilian_harm")
    if harm is None:
        return _missing("civilian_harm")
    return harm_view(harm, data["sources"], values, presentation=presentation)


def round_table_view(recommendations: pd.DataFrame, values: Mapping[str, Any]) -> View:
    """The Round table page's theme (rt_theme, or all of them): its recommendations under their addressees and its
    questions, verbatim, per source; `parts` has the themes and items the page lays out."""
    theme = values["rt_theme"]
    chosen = roundtable.chosen_themes(recommendations, theme)
    items = roundtable.chosen_items(recommendations, theme)
    parts = {"chosen": chosen, "items": items}
    if chosen.empty:
        return View(empty=_("No theme to show."), parts=parts)
    blocks = []
    # The reports' text is quoted in English: in another interface language each block's citation says so.
    note = roundtable.verbatim_note()
    for source_id, of_source in items.groupby("source_id", sort=False, observed=True):
        for addressee, group in roundtable.recommendations_by_addressee(of_source):
            heading = roundtable.recommendations_heading(str(source_id), addressee, len(group))
            blocks.append(Block(heading, tuple(group["text"]), _quoted(_details(group), note)))
        questions = roundtable.questions_of(of_source)
        if not questions.empty:
            heading = roundtable.questions_heading(str(source_id), roundtable.shared_addressee(questions))
            blocks.append(Block(heading, tuple(questions["text"]), _quoted(_details(questions), note)))
    return View(blocks=tuple(blocks), records=[items], parts=parts)


def _round_table(view: str, values, data, today: dt.date, presentation: bool) -> View:
    recommendations = data.get("recommendations")
    if recommendations is None:
        return _missing("recommendations")
    return round_table_view(recommendations, values)


def _quoted(details: str, note: str | None) -> str:
    return " ".join(part for part in (note, details) if part)


def _details(items: pd.DataFrame) -> str:
    details = [str(detail) for detail in dict.fromkeys(items["source_detail"].dropna())]
    return "; ".join(details)
