"""Figure builders for the Map page's UCDP layer: countries shaded by civilians killed in a year (log scale)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from poc_data.charts import titles
from poc_data.charts.base import add_source_line, apply_layout, empty_figure, sizes
from poc_data.charts.geo import HEIGHT, WORLD, _geo_layout, _selected_outline
from poc_data.safe_text import plotly_text
from poc_data.style import CIVILIAN_SCALE, NONE_RECORDED_COLOUR

UNIT = "civilians killed (UCDP best estimate)"


def _number(value) -> str:
    return "not given" if pd.isna(value) else f"{int(value):,}"


def _hover(killed: pd.DataFrame, measure: str) -> np.ndarray:
    texts = []
    for row in killed.itertuples(index=False):
        band = f" (low {_number(row.low)}, high {_number(row.high)})" if not pd.isna(row.low) else ""
        texts.append(
            f"<b>{plotly_text(row.country)}</b> ({row.iso3}), {row.year}<br>"
            f"{plotly_text(measure)}: {_number(row.deaths)}{band}<br>"
            f"One-sided, by governments: {_number(row.one_sided_govt)}<br>"
            f"One-sided, by non-state groups: {_number(row.one_sided_nonstate)}<br>"
            f"In conflict (state-based and non-state): {_number(row.in_conflict)}"
        )
    return np.array(texts, dtype=object)


def _ticks(decades: int) -> dict:
    """Colour bar ticks at 1, 10, 100, ... on the log scale, written as counts."""
    values = list(range(decades + 1))
    return {"tickvals": values, "ticktext": [f"{10**value:,}" for value in values]}


def title_of(measure: str, year: int) -> str:
    return titles.titled(f"Civilians killed in {year}, by country: {measure}")


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
            empty_figure(title, f"UCDP's country-year data have no row for {year}.", presentation),
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
                "text": "Civilians killed<br>(log scale)<br>White: none",
                "side": "top",
                "font": {"size": size["font"]},
            },
            **_ticks(decades),
            "tickfont": {"size": size["font"]},
            "thickness": 24 if presentation else 16,
            "len": 0.8,
        },
        name="Civilians killed",
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
        name="None recorded",
        showlegend=False,
    )
    fig = go.Figure([zero, shading, *_selected_outline(selected, presentation=presentation)])
    apply_layout(fig, title=title, presentation=presentation, height=HEIGHT)
    fig.update_layout(
        geo=_geo_layout(region, presentation=presentation),
        clickmode="event+select",
        dragmode="pan",
    )
    return add_source_line(fig, source, presentation=presentation)
