"""A story step's view, built from the data as its page builds it: the chart (or the verbatim text) and what it cites.

Pure: the Stories page draws a view with Streamlit, the story export writes it into an HTML file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from poc_data import events
from poc_data.charts import organizations as org_charts
from poc_data.charts import titles
from poc_data.charts.geo import operations_map
from poc_data.charts.harm import annual_chart
from poc_data.charts.missions import missions_gantt
from poc_data.charts.timeline import timeline_chart
from poc_data.charts.violence import violence_presence_chart
from poc_data.charts.violence_map import civilians_map, events_map
from poc_data.schema import (
    COMPARISON_ORGANIZATIONS,
    MEASURES,
    MILESTONE_ORGANIZATIONS,
    MISSION_ORGANIZATIONS,
    MISSION_TYPES,
    POC_MANDATES,
    TIERS,
    country_name,
)
from poc_data.stories import Step, first_value
from poc_data.transform import geo, roundtable
from poc_data.transform import harm as th
from poc_data.transform import missions as tm
from poc_data.transform import organizations as org
from poc_data.transform import timeline as tl
from poc_data.transform import violence as tv
from poc_data.transform import violence_map as vm

# The datasets the views are built from (the Stories page loads them; the story export and tests as well), and those
# whose metadata a view cites inside its figure (a producer's release).
VIEW_DATA = (
    "milestones",
    "missions",
    "mandates",
    "comparisons",
    "recommendations",
    "civilian_harm",
    "organized_violence",
    "deployments",
)
VIEW_METADATA = ("organized_violence", "deployments")


@dataclass(frozen=True)
class Block:
    """A piece of verbatim text a view shows: a heading, its lines and where they come from."""

    heading: str
    lines: tuple[str, ...]
    citation: str = ""


@dataclass(frozen=True)
class View:
    """What a step shows: a figure or text blocks (or both), and the records it draws on, to cite."""

    figure: go.Figure | dict | None = None  # a dict once read back from the Stories page's cache
    blocks: tuple[Block, ...] = ()
    records: list[pd.DataFrame] = field(default_factory=list)
    empty: str = ""


def _many(params: Mapping[str, list[str]], name: str, offered) -> list[str]:
    return list(params[name]) if name in params else list(offered)


def _flag(params: Mapping[str, list[str]], name: str) -> bool:
    return str(first_value(params, name, "false")).lower() == "true"


def _range(params: Mapping[str, list[str]], name: str, default: tuple[int, int]) -> tuple[int, int]:
    values = params.get(name)
    return (int(values[0]), int(values[1])) if values and len(values) == 2 else default


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
    return builders[step.page](step, data, today, presentation)


def _missing(dataset_id: str) -> View:
    return View(empty=f"The {dataset_id} dataset could not be loaded, so this step cannot be shown.")


def _timeline(step: Step, data, today: dt.date, presentation: bool) -> View:
    milestones, sources = data.get("milestones"), data["sources"]
    if milestones is None:
        return _missing("milestones")
    params = step.params
    organizations = tl.lane_order(_many(params, "tl_org", MILESTONE_ORGANIZATIONS))
    years = _range(params, "tl_years", tl.year_bounds(milestones))
    filters = tl.TimelineFilters(
        organizations, years, params.get("tl_themes", []), [], str(first_value(params, "tl_q", ""))
    )
    shown = tl.filter_milestones(milestones, filters)
    year = first_value(params, "tl_year")
    if year is not None and _flag(params, "tl_step"):
        shown = tl.milestones_in_year(shown, int(year))
        years = (int(year), int(year))
    operations = resolutions = None
    records = [shown]
    if _flag(params, "tl_ops") and data.get("missions") is not None:
        operations = tl.operation_layer(data["missions"], sources, organizations=organizations, years=years)
        records.append(operations.records)
    if _flag(params, "tl_res") and data.get("mandates") is not None:
        resolutions = tl.resolution_layer(data["mandates"], sources, years=years)
        records.append(resolutions.records)
    if shown.empty:
        return View(empty="No milestone matches this step's filters.")
    figure = timeline_chart(
        tl.milestone_layer(shown, sources),
        organizations=organizations,
        years=years,
        operations=operations,
        resolutions=resolutions,
        themes=params.get("tl_themes", []),
        query=str(first_value(params, "tl_q", "")),
        presentation=presentation,
    )
    return View(figure=figure, records=records)


def _map(step: Step, data, today: dt.date, presentation: bool) -> View:
    if step.view == "civilians killed":
        return _civilians_killed(step, data, presentation)
    if step.view == "events":
        return _events(step, data, presentation)
    missions = data.get("missions")
    if missions is None:
        return _missing("missions")
    params = step.params
    bounds = geo.year_bounds(missions, today.year)
    if bounds is None:
        return View(empty="No operation has a known start.")
    year = int(first_value(params, "map_year", geo.default_year(missions, bounds)))
    organizations = _many(params, "map_org", MISSION_ORGANIZATIONS)
    types = _many(params, "map_type", MISSION_TYPES)
    mandates = _many(params, "map_poc", POC_MANDATES)
    chosen = geo.filter_missions(missions, organizations=organizations, types=types, mandates=mandates)
    counts_by_year = geo.country_counts_by_year(chosen, range(bounds[0], bounds[1] + 1), today.year)
    figure = operations_map(
        geo.in_year(counts_by_year, year),
        headquarters=geo.headquarters(chosen, year, today.year),
        year=year,
        region=str(first_value(params, "map_region", "World")),
        zmax=geo.shared_zmax(counts_by_year),
        scope=titles.operations_scope(
            geo.filter_options(missions), organizations=organizations, types=types, mandates=mandates
        ),
        presentation=presentation,
    )
    return View(figure=figure, records=[geo.active_in(chosen, year, today.year)])


def _picked_country(params: Mapping[str, list[str]], missions: pd.DataFrame | None) -> str | None:
    """The ISO3 code of the Map's picked country (map_country, the label its Country box shows), if any."""
    label = first_value(params, "map_country")
    if label is None or missions is None:
        return None
    return geo.host_country_choices(missions).get(str(label))


def _civilians_killed(step: Step, data, presentation: bool) -> View:
    organized_violence = data.get("organized_violence")
    if organized_violence is None:
        return _missing("organized_violence")
    params = step.params
    covered = vm.years(organized_violence)
    if covered is None:
        return View(empty="UCDP's country-year data have no year.")
    year = int(first_value(params, "map_year", covered[1]))
    measure = str(first_value(params, "map_ucdp_kind", vm.DEFAULT_MEASURE))
    killed = vm.civilians_killed(organized_violence, year, measure)
    figure = civilians_map(
        killed,
        measure=measure,
        year=year,
        largest=vm.largest_count(organized_violence, measure),
        source=tv.credit_line(data.get("metadata", {}).get("organized_violence")),
        region=str(first_value(params, "map_region", "World")),
        selected=_picked_country(params, data.get("missions")),
        presentation=presentation,
    )
    return View(figure=figure, records=[killed])


def _events(step: Step, data, presentation: bool) -> View:
    where = data.get("violence_events")  # (data directory, the events file's digest), or None without the file
    if where is None:
        return _missing("violence_events")
    params = step.params
    iso3 = _picked_country(params, data.get("missions"))
    year = first_value(params, "map_year")
    if iso3 is None or year is None:
        return View(empty="This step names no country (map_country) or no year (map_year) for its events.")
    year = int(year)
    found = events.events_in(where[0], iso3, year)
    name = country_name(iso3)
    if found.empty:
        return View(empty=f"No event in {name} in {year}.")
    deployments = data.get("deployments")
    locations = vm.deployed_in(deployments, iso3, year) if deployments is not None else vm.NO_LOCATIONS
    metadata = data.get("metadata", {})
    figure = events_map(
        found,
        locations,
        country=name,
        iso3=iso3,
        year=year,
        source=tv.credit_line(metadata.get("violence_events"), metadata.get("deployments")),
        note=vm.near_text(vm.near_deployments(found, locations), vm.events_summary(found)),
        presentation=presentation,
    )
    return View(figure=figure, records=[vm.events_sources(metadata.get("violence_events")), locations])


def _violence(step: Step, data, today: dt.date, presentation: bool) -> View:
    """The per-operation view of the Violence against civilians page: UCDP's civilians killed in the operation's host
    countries, year by year, over its troops (Geo-PKO), its dates marked; composed as the page composes it."""
    missions, organized = data.get("missions"), data.get("organized_violence")
    if missions is None or organized is None:
        return _missing("missions" if missions is None else "organized_violence")
    params = step.params
    acronym = str(first_value(params, "vac_operation", tv.DEFAULT_OPERATION))
    deployments = data.get("deployments")
    metadata = data.get("metadata", {})
    shown = tv.presence(
        missions, organized, deployments, data.get("mandates"), acronym, every_year=_flag(params, "vac_all_years")
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
        tv.ucdp_rows(organized, shown.hosts, range(shown.years[0], shown.years[1] + 1)),
        tv.deployments_in_hosts(deployments, acronym, shown.hosts),
    ]
    return View(figure=figure, records=records)


def _organizations(step: Step, data, today: dt.date, presentation: bool) -> View:
    params, sources = step.params, data["sources"]
    organizations = org.in_order(_many(params, "org_organizations", COMPARISON_ORGANIZATIONS))
    if step.view in ("definitions", "comparison"):
        comparisons = data.get("comparisons")
        if comparisons is None:
            return _missing("comparisons")
        if step.view == "definitions":
            rows = org.with_citation(org.definitions(comparisons, organizations), sources)
            blocks = tuple(
                Block(f"{row.organization}: {row.heading}", tuple(row.points), row.citation)
                for row in rows.itertuples(index=False)
            )
            return View(blocks=blocks, records=[rows])
        label = str(first_value(params, "org_table", "Table 1"))
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
    if step.view == "milestones per year":
        milestones = data.get("milestones")
        if milestones is None:
            return _missing("milestones")
        own = org.of_organizations(milestones, organizations)
        figure = org_charts.milestones_per_year_chart(
            org.milestones_per_year(milestones, organizations),
            cumulative=_flag(params, "org_cumulative"),
            source=org.source_label(own, sources),
            scope=titles.subset_phrase("organizations", organizations, COMPARISON_ORGANIZATIONS),
            presentation=presentation,
        )
        return View(figure=figure, records=[own])
    missions = data.get("missions")
    if missions is None:
        return _missing("missions")
    types = _many(params, "org_type", MISSION_TYPES)
    chosen = org.missions_of(missions, organizations, types)
    source = org.source_label(chosen, sources)
    scope = titles.scope(
        titles.subset_phrase("organizations", organizations, COMPARISON_ORGANIZATIONS),
        titles.subset_phrase("types", types, MISSION_TYPES),
    )
    if step.view == "operations per year":
        counts = org.operations_totals(org.operations_per_year(chosen), organizations)
        figure = org_charts.operations_per_year_chart(counts, source=source, scope=scope, presentation=presentation)
    else:
        counts = org.poc_mandate_counts(chosen, organizations)
        figure = org_charts.poc_mandate_chart(counts, source=source, scope=scope, presentation=presentation)
    return View(figure=figure, records=[chosen])


def _missions(step: Step, data, today: dt.date, presentation: bool) -> View:
    missions = data.get("missions")
    if missions is None:
        return _missing("missions")
    params = step.params
    organizations = _many(params, "mm_org", MISSION_ORGANIZATIONS)
    years = _range(params, "mm_years", tm.period_bounds(missions, data.get("mandates"), today))
    shown = tm.filter_missions(
        missions,
        organizations=organizations,
        types=_many(params, "mm_type", MISSION_TYPES),
        hosts=[],
        poc_mandates=_many(params, "mm_poc", POC_MANDATES),
        years=years,
        today=today,
    )
    if shown.empty:
        return View(empty="No operation matches this step's filters.")
    gantt = tm.gantt_rows(shown, data["sources"], today=today)
    title = titles.titled(
        f"Operations active in {titles.years_phrase(years)}, by organization",
        titles.operations_scope(
            geo.filter_options(missions),
            organizations=organizations,
            types=_many(params, "mm_type", MISSION_TYPES),
            mandates=_many(params, "mm_poc", POC_MANDATES),
        ),
    )
    figure = missions_gantt(gantt.rows, today=today, title=title, presentation=presentation)
    return View(figure=figure, records=[shown])


def _harm(step: Step, data, today: dt.date, presentation: bool) -> View:
    harm = data.get("civilian_harm")
    if harm is None:
        return _missing("civilian_harm")
    params = step.params
    shown = th.filter_harm(
        harm,
        places=[],
        measures=_many(params, "ch_measure", MEASURES),
        tiers=_many(params, "ch_tier", TIERS),
        counted_by=[],
    )
    annual = th.annual_series(shown, data["sources"])
    if annual.empty:
        return View(empty=f"No row of the series “{th.UNAMA_ANNUAL}” matches this step's filters.")
    title = titles.titled(
        "Civilians killed and injured per year, by party where known",
        titles.subset_phrase("source tiers", params.get("ch_tier", TIERS), TIERS),
    )
    figure = annual_chart(annual, title=title, presentation=presentation)
    return View(figure=figure, records=[th.series_rows(shown)])


def _round_table(step: Step, data, today: dt.date, presentation: bool) -> View:
    recommendations = data.get("recommendations")
    if recommendations is None:
        return _missing("recommendations")
    theme = str(first_value(step.params, "rt_theme", roundtable.ALL_THEMES))
    items = roundtable.chosen_items(recommendations, theme)
    blocks = []
    for source_id, of_source in items.groupby("source_id", sort=False, observed=True):
        for addressee, group in roundtable.recommendations_by_addressee(of_source):
            heading = roundtable.recommendations_heading(str(source_id), addressee, len(group))
            blocks.append(Block(heading, tuple(group["text"]), _details(group)))
        questions = roundtable.questions_of(of_source)
        if not questions.empty:
            heading = roundtable.questions_heading(str(source_id), roundtable.shared_addressee(questions))
            blocks.append(Block(heading, tuple(questions["text"]), _details(questions)))
    return View(blocks=tuple(blocks), records=[items])


def _details(items: pd.DataFrame) -> str:
    details = [str(detail) for detail in dict.fromkeys(items["source_detail"].dropna())]
    return "; ".join(details)
