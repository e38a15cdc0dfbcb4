"""Figure builders for the Map page's UCDP layer: countries shaded by civilians killed in a year (log scale), and one
country-year's events (UCDP GED) beside the Geo-PKO deployment locations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from poc_data.charts import titles
from poc_data.charts.base import add_source_line, apply_layout, empty_figure, sizes
from poc_data.charts.geo import HEIGHT, WORLD, _geo_layout, _selected_outline
from poc_data.i18n import N_, _
from poc_data.i18n import date as written_date
from poc_data.i18n import number as n
from poc_data.safe_text import plotly_text
from poc_data.style import CIVILIAN_SCALE, DEPLOYMENT_MARK, NONE_RECORDED_COLOUR, VIOLENCE_TYPES
from poc_data.transform.violence_map import PRECISE_PLACES, WHERE_PRECISION

UNIT = N_("civilians killed (UCDP best estimate)")


def _number(value) -> str:
    return _("not given") if pd.isna(value) else n(int(value))


def _hover(killed: pd.DataFrame, measure: str) -> np.ndarray:
    texts = []
    for row in killed.itertuples(index=False):
        band = (
            " " + _("(low {low}, high {high})").format(low=_number(row.low), high=_number(row.high))
            if not pd.isna(row.low)
            else ""
        )
        texts.append(
            f"<b>{plotly_text(row.country)}</b> ({row.iso3}), {row.year}<br>"
            + _("{measure}: {count}").format(measure=plotly_text(_(measure)), count=_number(row.deaths))
            + f"{band}<br>"
            + _("One-sided, by governments: {count}").format(count=_number(row.one_sided_govt))
            + "<br>"
            + _("One-sided, by non-state groups: {count}").format(count=_number(row.one_sided_nonstate))
            + "<br>"
            + _("In conflict (state-based and non-state): {count}").format(count=_number(row.in_conflict))
        )
    return np.array(texts, dtype=object)


def _ticks(decades: int, presentation: bool) -> dict:
    """Colour bar ticks at 1, 10, 100, ... on the log scale, written as counts; every other one in the larger type
    of presentation mode, where a story's chart may be drawn short and the labels would overlap."""
    values = list(range(0, decades + 1, 2 if presentation else 1))
    return {"tickvals": values, "ticktext": [n(10**value) for value in values]}


def title_of(measure: str, year: int) -> str:
    return titles.titled(_("Civilians killed in {year}, by country: {measure}").format(year=year, measure=_(measure)))


def civilians_map(
    killed: pd.DataFrame,
    *,
    measure: str,
    year: int,
    largest: int,
    source: str,
    region: str = WORLD,
    selected: str | None = None,
    presentation: bool = False,
) -> go.Figure:
    """Countries shaded by the civilians killed of the `measure`'s kind in `year` (`civilians_killed`), on a log
    colour scale topped at `largest` (the same for every year); countries where UCDP records none in white (the colour
    bar says so); the picked country outlined; `source` as the figure's Source line."""
    title = title_of(measure, year)
    if killed.empty:
        return add_source_line(
            empty_figure(title, _("UCDP's country-year data have no row for {year}.").format(year=year), presentation),
            source,
            presentation=presentation,
        )
    size = sizes(presentation)
    some = killed[killed["deaths"] > 0]
    none = killed[killed["deaths"].fillna(0) == 0]
    decades = max(1, math.ceil(math.log10(max(largest, 10))))
    shading = go.Choropleth(
        locations=some["iso3"].to_numpy(dtype=object),
        z=np.log10(some["deaths"].to_numpy(dtype="float64")),
        customdata=some["deaths"].to_numpy(dtype="int64"),
        text=_hover(some, measure),
        hovertemplate="%{text}<extra></extra>",
        locationmode="ISO-3",
        colorscale=CIVILIAN_SCALE,
        zmin=0,
        zmax=decades,
        marker={"line": {"color": "#000000" if presentation else "#4D4D4D", "width": 1.0 if presentation else 0.5}},
        colorbar={
            "title": {
                "text": _("Civilians killed<br>(log scale)<br>White: none"),
                "side": "top",
                "font": {"size": size["font"]},
            },
            **_ticks(decades, presentation),
            "tickfont": {"size": size["font"]},
            "thickness": 24 if presentation else 16,
            "len": 0.8,
        },
        name=_("Civilians killed"),
        showlegend=False,
    )
    zero = go.Choropleth(
        locations=none["iso3"].to_numpy(dtype=object),
        z=np.zeros(len(none)),
        text=_hover(none, measure),
        hovertemplate="%{text}<extra></extra>",
        locationmode="ISO-3",
        colorscale=[[0, NONE_RECORDED_COLOUR], [1, NONE_RECORDED_COLOUR]],
        showscale=False,
        marker={"line": {"color": "#4D4D4D", "width": 0.5}},
        name=_("None recorded"),
        showlegend=False,
    )
    fig = go.Figure([zero, shading, *_selected_outline(selected, presentation=presentation)])
    apply_layout(fig, title=title, presentation=presentation, height=HEIGHT, legend_rows=0)
    fig.update_layout(
        geo=_geo_layout(region, presentation=presentation),
        clickmode="event+select",
        dragmode="pan",
    )
    return add_source_line(fig, source, presentation=presentation)


# Event markers: the area is the civilians killed; an event with none is drawn at the smallest size.
EVENT_MAX_DIAMETER = 40
EVENT_MIN_DIAMETER = 6
EVENTS_HEIGHT = 620
ROUGH_NOTE = N_("Open marker: place known only to an area, drawn at its centre")
ROUGH_KEY = N_("Open: an area's centre")


def _dates(row) -> str:
    start, end = pd.Timestamp(row.date_start), pd.Timestamp(row.date_end)
    first = written_date(start.date(), "medium")
    return (
        first if start == end else _("{first} to {last}").format(first=first, last=written_date(end.date(), "medium"))
    )


def _event_hover(events: pd.DataFrame) -> np.ndarray:
    texts = []
    for row in events.itertuples(index=False):
        place = ", ".join(plotly_text(part) for part in (row.where_description, row.adm_1) if isinstance(part, str))
        known = WHERE_PRECISION.get(int(row.where_prec))
        precision = _(known) if known else _("not stated")
        texts.append(
            f"<b>{_dates(row)}</b>: {plotly_text(row.side_a)} – {plotly_text(row.side_b)}<br>"
            + _("Civilians killed: {killed} · all deaths {deaths} (low {low}, high {high})").format(
                killed=_number(row.deaths_civilians),
                deaths=_number(row.best),
                low=_number(row.low),
                high=_number(row.high),
            )
            + "<br>"
            + (place or _("Place not named"))
            + "<br>"
            + _("Place (UCDP where_prec {code}): {precision}").format(code=int(row.where_prec), precision=precision)
        )
    return np.array(texts, dtype=object)


def _event_traces(events: pd.DataFrame, *, presentation: bool) -> list[go.Scattergeo]:
    """One trace per type of violence, in its symbol and colour; filled where the place is known to about 25 km,
    open where it is an area's centre; areas proportional to the civilians killed."""
    largest = max(1, int(events["deaths_civilians"].max())) if not events.empty else 1
    scale = EVENT_MAX_DIAMETER * (1.2 if presentation else 1.0)
    traces = []
    for code, (label, symbol, colour) in VIOLENCE_TYPES.items():
        # The largest first, so that small markers are drawn over large ones.
        rows = events[events["type_of_violence"] == code].sort_values("deaths_civilians", ascending=False)
        if rows.empty:
            continue
        deaths = rows["deaths_civilians"].fillna(0).to_numpy(dtype="float64")
        exact = rows["where_prec"].isin(PRECISE_PLACES).to_numpy()
        traces.append(
            go.Scattergeo(
                lon=rows["longitude"].to_numpy(dtype="float64"),
                lat=rows["latitude"].to_numpy(dtype="float64"),
                text=_event_hover(rows),
                customdata=deaths,
                hovertemplate="%{text}<extra></extra>",
                mode="markers",
                name=f"{_(label)} ({n(len(rows))})",
                marker={
                    "size": np.maximum(EVENT_MIN_DIAMETER, scale * np.sqrt(deaths / largest)),
                    "sizemode": "diameter",
                    "symbol": np.where(exact, symbol, f"{symbol}-open"),
                    "color": colour,
                    "opacity": 0.75,
                    "line": {"color": colour, "width": 2 if presentation else 1.5},
                },
            )
        )
    return traces


def _deployment_trace(locations: pd.DataFrame, *, presentation: bool) -> go.Scattergeo:
    symbol, colour = DEPLOYMENT_MARK
    texts = [
        f"<b>{plotly_text(row.location)}</b>: {plotly_text(row.mission)}, "
        + (_("troops not given") if pd.isna(row.troops) else _("{count} troops").format(count=n(int(row.troops))))
        + " (Geo-PKO)"
        for row in locations.itertuples(index=False)
    ]
    return go.Scattergeo(
        lon=locations["lon"].to_numpy(dtype="float64"),
        lat=locations["lat"].to_numpy(dtype="float64"),
        text=np.array(texts, dtype=object),
        hovertemplate="%{text}<extra></extra>",
        mode="markers",
        name=_("UN location ({count})").format(count=n(len(locations))),
        marker={
            "size": 11 if presentation else 8,
            "symbol": symbol,
            "color": "#FFFFFF",
            "line": {"color": colour, "width": 2},
        },
    )


def _rough_key() -> go.Scattergeo:
    """A legend entry only: what an open marker means."""
    return go.Scattergeo(
        lon=[None],
        lat=[None],
        mode="markers",
        name=_(ROUGH_KEY),
        marker={"size": 10, "symbol": "circle-open", "color": "#555555", "line": {"width": 1.5}},
        hoverinfo="skip",
    )


def _events_view(events: pd.DataFrame, locations: pd.DataFrame) -> dict:
    """The area around the events and locations, with a margin, kept roughly as wide as it is tall."""
    longitudes = pd.concat([events["longitude"], locations["lon"]]).dropna()
    latitudes = pd.concat([events["latitude"], locations["lat"]]).dropna()
    west, east, south, north = longitudes.min(), longitudes.max(), latitudes.min(), latitudes.max()
    margin = max(1.0, 0.12 * max(east - west, north - south))
    return {
        "lonaxis": {"range": [max(-180.0, west - margin), min(180.0, east + margin)]},
        "lataxis": {"range": [max(-90.0, south - margin), min(90.0, north + margin)]},
    }


def events_title(country: str, year: int) -> str:
    return titles.titled(
        _("Violent events in {country}, {year} (UCDP GED), and UN deployment locations (Geo-PKO)").format(
            country=country, year=year
        )
    )


def events_map(
    events: pd.DataFrame,
    locations: pd.DataFrame,
    *,
    country: str,
    iso3: str,
    year: int,
    source: str,
    note: str = "",
    presentation: bool = False,
) -> go.Figure:
    """The events of one country and year (`events_in`) as markers, by type of violence (symbol and colour), area
    proportional to civilians killed, open where UCDP places the event only at an area's centre; the Geo-PKO
    deployment locations of the year as white squares; the country outlined; `note` (the deaths near the locations)
    and `source` at the foot."""
    title = events_title(country, year)
    if events.empty and locations.empty:
        return add_source_line(
            empty_figure(title, _("No event and no deployment location in {year}.").format(year=year), presentation),
            source,
            presentation=presentation,
        )
    traces = [
        *_selected_outline(iso3, presentation=presentation),
        *_event_traces(events, presentation=presentation),
        *([_deployment_trace(locations, presentation=presentation)] if not locations.empty else []),
        _rough_key(),
    ]
    fig = go.Figure(traces)
    # The legend stands right of the map, where a country's map leaves room, so that the map keeps the height.
    apply_layout(fig, title=title, presentation=presentation, height=EVENTS_HEIGHT, legend_rows=0)
    geo = _geo_layout(WORLD, presentation=presentation)
    geo.update(_events_view(events, locations), resolution=50)
    fig.update_layout(
        geo=geo,
        legend={
            "itemsizing": "constant",
            "orientation": "v",
            "x": 1.02,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
        },
        dragmode="pan",
    )
    foot = _("Marker area: civilians killed.")
    return add_source_line(fig, f"{foot} {note} {source}", presentation=presentation)
