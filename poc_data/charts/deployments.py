"""Figure builders for the Geo-PKO deployments: locations sized by troops on the offline map, personnel over time."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from poc_data.charts.base import apply_layout, empty_figure, sizes

# The Map page's offline base map, so that both maps look and zoom alike.
from poc_data.charts.geo import REGIONS, WORLD, _finish
from poc_data.i18n import N_, _
from poc_data.i18n import number as n
from poc_data.safe_text import plotly_text
from poc_data.style import HQ_COLOUR, SITE_COLOUR, TROOP_BINS

GEOPKO_CITATION = (
    "Geo-PKO v2.3, Cil, Fjelde, Hultman and Nilsson, “Mapping blue helmets”, Journal of Peace Research 57(2), 2020"
)
# Shown as `deployments_note()`, with the citation (as published) in its place.
DEPLOYMENTS_NOTE = N_(
    "Each circle is a deployment location; its area is the number of troops there, as the Geo-PKO dataset estimates "
    "it from the UN's deployment maps (the year's average), and its colour the range of that number. Hollow circles "
    "are sites with UN police or military observers but no troops; stars are mission headquarters. Geo-PKO records "
    "police and observers as present or not, not their numbers. Data: {citation}."
)
# The largest circle's diameter in pixels, smaller on a world-wide view where circles would hide each other;
# circle areas are proportional to troops (Geo-PKO's map does the same).
MAX_DIAMETER = 46
MAX_DIAMETER_WIDE = 26
WIDE_DEGREES = 90
MIN_DIAMETER = 4


def deployments_note() -> str:
    """What the deployments map shows and where its data come from, in the session's language."""
    return _(DEPLOYMENTS_NOTE).format(citation=GEOPKO_CITATION)


def _hover(points: pd.DataFrame) -> np.ndarray:
    texts = []
    for row in points.itertuples(index=False):
        troops = _("troops not given") if pd.isna(row.troops) else _("{count} troops").format(count=n(int(row.troops)))
        present = [
            name for name, flag in ((_("UN police"), row.police), (_("military observers"), row.observers)) if flag
        ]
        lines = [
            f"<b>{plotly_text(row.location)}</b> ({plotly_text(row.country)})",
            f"{plotly_text(row.mission)} · {troops}",
        ]
        if present:
            lines.append(_("Also: {present}").format(present=", ".join(present)))
        if row.hq_label:
            lines.append(plotly_text(str(row.hq_label).capitalize()))
        texts.append("<br>".join(lines))
    return np.array(texts, dtype=object)


def _trace(points: pd.DataFrame, *, name: str, marker: dict) -> go.Scattergeo:
    return go.Scattergeo(
        lon=points["lon"].to_numpy(dtype="float64"),
        lat=points["lat"].to_numpy(dtype="float64"),
        text=_hover(points),
        hovertemplate="%{text}<extra></extra>",
        mode="markers",
        name=name,
        marker=marker,
    )


def _view(points: pd.DataFrame, region: str) -> dict:
    """The chosen region, or for the whole world the area around the locations with a margin."""
    if region != WORLD or points.empty:
        longitudes, latitudes = REGIONS.get(region, REGIONS[WORLD])
        return {"lonaxis": {"range": list(longitudes)}, "lataxis": {"range": list(latitudes)}}
    west, east = float(points["lon"].min()), float(points["lon"].max())
    south, north = float(points["lat"].min()), float(points["lat"].max())
    margin = max(3.0, 0.15 * max(east - west, north - south))
    return {
        "lonaxis": {"range": [max(-180.0, west - margin), min(180.0, east + margin)]},
        "lataxis": {"range": [max(-58.0, south - margin), min(84.0, north + margin)]},
    }


def _troop_circles(with_troops: pd.DataFrame, *, scale: float, presentation: bool) -> list[go.Scattergeo]:
    """A trace per troop bin, largest bin first: circles whose area is the troops, coloured by the bin."""
    largest = float(with_troops["troops"].max()) if not with_troops.empty else 1.0
    edge = "#000000" if presentation else "#5A5A5A"
    return [
        _trace(
            group,
            name=f"{n(low)}–{n(high)}" if high else _("{count} or more").format(count=n(low)),
            marker={
                "size": [max(MIN_DIAMETER, scale * math.sqrt(float(t) / largest)) for t in group["troops"]],
                "sizemode": "diameter",
                "color": colour,
                "opacity": 0.8,
                "line": {"color": edge, "width": 1},
            },
        )
        for low, high, colour in reversed(TROOP_BINS)
        if not (group := with_troops[with_troops["troops"].between(low, high or math.inf)]).empty
    ]


def _site_marks(points: pd.DataFrame, *, presentation: bool) -> list[go.Scattergeo]:
    """Sites without troops (hollow), sites without a troop number (crosses), and mission headquarters (stars)."""
    site = 10 if presentation else 7
    return [
        _trace(
            points[points["troops"].fillna(-1) == 0],
            name=_("No troops (police or observers)"),
            marker={"size": site, "color": "rgba(0,0,0,0)", "line": {"color": SITE_COLOUR, "width": 1.5}},
        ),
        _trace(
            points[points["troops"].isna()],
            name=_("No troop number"),
            marker={"size": site, "symbol": "x-thin", "color": SITE_COLOUR, "line": {"color": SITE_COLOUR, "width": 2}},
        ),
        _trace(
            points[points["hq"] == 3],
            name=_("Mission headquarters"),
            marker={
                "size": round(sizes(presentation)["marker"] * 0.9),
                "symbol": "star",
                "color": "#FFFFFF",
                "line": {"color": HQ_COLOUR, "width": 1.5},
            },
        ),
    ]


def deployments_map(
    points: pd.DataFrame, *, year: int, operation: str, region: str = WORLD, presentation: bool = False
) -> go.Figure:
    """Deployment locations of `year`, Geo-PKO style: circles whose area is the troops there, coloured by bins of
    troops; sites without troops (police or observers only) and without a troop number as small markers; mission
    headquarters as stars. Large circles are drawn first, so small ones stay visible on top."""
    if operation:
        title = _("Where {operation} deployed in {year}").format(operation=operation, year=year)
    else:
        title = _("Deployments in {year}").format(year=year)
    if points.empty:
        return empty_figure(title, _("No deployment location in {year}.").format(year=year), presentation)
    # Largest first, so that small circles are drawn over large ones and stay visible.
    with_troops = points[points["troops"].fillna(0) > 0].sort_values("troops", ascending=False)
    view = _view(points, region)
    wide = view["lonaxis"]["range"][1] - view["lonaxis"]["range"][0] > WIDE_DEGREES
    scale = (1.25 if presentation else 1.0) * (MAX_DIAMETER_WIDE if wide else MAX_DIAMETER)
    traces = [
        *_troop_circles(with_troops, scale=scale, presentation=presentation),
        *_site_marks(points, presentation=presentation),
    ]
    fig = go.Figure([trace for trace in traces if len(trace.lon)])
    _finish(fig, title=title, region=region, presentation=presentation)
    fig.update_layout(
        geo={**view, "fitbounds": False},
        legend={"itemsizing": "constant", "title": {"text": _("Troops (circle area): ")}},
    )
    return fig


def personnel_chart(series: pd.DataFrame, *, presentation: bool = False) -> go.Figure:
    """Troops at the mapped locations per year, one line per operation."""
    title = _("Troops deployed, by year")
    known = series.dropna(subset=["troops"])
    if known.empty:
        return empty_figure(title, _("No troop numbers for the chosen operations."), presentation)
    size = sizes(presentation)
    fig = go.Figure()
    for mission, rows in known.groupby("mission", observed=True, sort=True):
        fig.add_trace(
            go.Scatter(
                x=rows["year"].astype(int).to_numpy(),
                y=rows["troops"].astype(float).to_numpy(),
                mode="lines+markers",
                name=plotly_text(mission),
                line={"width": size["line"]},
                marker={"size": size["marker"] * 0.7},
                customdata=np.stack([rows["locations"].to_numpy(), rows["troops_unknown"].to_numpy()], axis=-1),
                hovertemplate=(
                    f"<b>{plotly_text(mission)}</b> %{{x}}<br>"
                    + _("%{y:,} troops at %{customdata[0]} locations<br>(%{customdata[1]} without a troop number)")
                    + "<extra></extra>"
                ),
            )
        )
    apply_layout(fig, title=title, presentation=presentation, height=480)
    span = int(known["year"].max()) - int(known["year"].min())
    fig.update_xaxes(
        title={"text": _("Year")},
        tickformat="d",
        dtick=(10 if presentation and span > 20 else 5) if span > 15 else (2 if span > 6 else 1),
        tickangle=0,
    )
    fig.update_yaxes(title={"text": _("Troops (Geo-PKO estimate)")}, rangemode="tozero", tickformat=",d")
    # Below the plot, where the operations' names have the whole width, rather than beside the title.
    fig.update_layout(
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.2,
            "xanchor": "left",
            "x": 0,
            # A fixed share of the width per operation, so names never overlap: three a row with the large type.
            "entrywidth": 0.33 if presentation else 0.2,
            "entrywidthmode": "fraction",
        }
    )
    return fig
