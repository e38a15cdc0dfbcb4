"""Figures for the Civilian harm page: disagreeing figures as ranges, and the UNAMA annual series."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from poc_data.charts.base import apply_layout, empty_figure, sizes
from poc_data.safe_text import plotly_frame, plotly_text
from poc_data.schema import QUALIFIERS, TIERS
from poc_data.transform.harm import ANNUAL_MEASURES, REMAINDER, WHOLE_TOTAL

# Okabe-Ito colours (colour-blind safe); the tier is also written in every hover, so colour is never alone.
TIER_COLOURS = {
    "official": "#0072B2",
    "NGO": "#009E73",
    "academic": "#CC79A7",
    "media": "#E69F00",
    "encyclopedia": "#56B4E9",
    "other": "#555555",
}
# The marker says how the source qualifies its number: arrows point where the true figure may lie.
QUALIFIER_SYMBOLS = {
    "exact": "circle",
    "about": "diamond",
    "at least": "triangle-right",
    "more than": "arrow-right",
    "up to": "triangle-left",
    "range": "square",
}
QUALIFIER_LABELS = {
    "exact": "exact (stated plainly)",
    "about": "about",
    "at least": "at least",
    "more than": "more than",
    "up to": "up to",
    "range": "range (low and high)",
}
PARTY_COLOURS = ("#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
PARTY_PATTERNS = ("/", "\\", "x", ".", "+", "|", "-")
TOTAL_COLOUR = "#0072B2"
REMAINDER_COLOUR = "#A9C9E3"
MEASURE_TITLES = {"killed": "Civilians killed", "injured": "Civilians injured"}
# Room under the plot for the second legend, which sits at the foot of the figure.
SECOND_LEGEND_ROOM = {False: 90, True: 130}


def readable_ticks(fig: go.Figure, *, presentation: bool = False, labels=()) -> go.Figure:
    """Tick labels at the text size (larger when presenting), and room on the left for the longest label.

    plotly's automargin can leave long category labels cut off on the left, so the margin is made from their length.
    """
    font = sizes(presentation)["font"]
    fig.update_xaxes(tickfont={"size": font})
    fig.update_yaxes(tickfont={"size": font})
    lines = [line for label in labels for line in str(label).split("<br>")]
    if lines:
        fig.update_layout(margin={"l": int(max(map(len, lines)) * font * 0.55) + 10})
    return fig


def two_legends(fig: go.Figure, first: str, second: str, *, presentation: bool = False) -> go.Figure:
    """Two titled horizontal legends: the first above the plot on the right, the second at the foot of the figure.

    Horizontal legends wrap to the figure's width, so long entries are never cut off.
    """
    font = {"size": sizes(presentation)["font"], "color": "#000000" if presentation else "#1A1A1A"}
    fig.update_layout(
        legend={
            "title": {"text": first, "font": font},
            "font": font,
            "orientation": "h",
            "x": 1,
            "xanchor": "right",
        },
        legend2={
            "title": {"text": second, "font": font},
            "font": font,
            "orientation": "h",
            "xref": "container",
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        margin={"b": SECOND_LEGEND_ROOM[presentation]},
    )
    return fig


def disagreement_chart(
    compared: pd.DataFrame, *, title: str, value_title: str = "Figure", presentation: bool = False
) -> go.Figure:
    """One row per source: a bar from its low to its high figure, the marker for its qualifier, colour for its tier."""
    if compared.empty:
        return empty_figure(title, presentation=presentation)
    size = sizes(presentation)
    fig = go.Figure()
    for tier in [t for t in TIERS if t in set(compared["source_tier"])]:
        rows = compared[compared["source_tier"] == tier]
        colour = TIER_COLOURS[tier]
        ranged = rows[rows["value_high"] > rows["value_low"]]
        if not ranged.empty:
            fig.add_trace(
                go.Scatter(
                    x=[
                        value
                        for low, high in zip(ranged["value_low"], ranged["value_high"], strict=True)
                        for value in (low, high, None)
                    ],
                    y=[label for label in ranged["label"] for _ in range(3)],
                    mode="lines",
                    line={"color": colour, "width": size["marker"]},
                    opacity=0.55,
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=tier,
                )
            )
        points = pd.concat([rows, ranged.assign(value_low=ranged["value_high"])], ignore_index=True)
        fig.add_trace(
            go.Scatter(
                x=points["value_low"],
                y=points["label"],
                mode="markers",
                name=f"{tier} source",
                legendgroup=tier,
                marker={
                    "color": colour,
                    "size": size["marker"] + 3,
                    "symbol": points["qualifier"].map(QUALIFIER_SYMBOLS).tolist(),
                    "line": {"color": "#1A1A1A", "width": 1},
                },
                customdata=plotly_frame(points[["source", "figure", "counted_by", "victims", "period", "source_tier"]]),
                hovertemplate=(
                    "<b>%{customdata[1]}</b> %{customdata[3]}<br>Counted by %{customdata[2]}<br>"
                    "Period: %{customdata[4]}<br>Source: %{customdata[0]} (%{customdata[5]})<extra></extra>"
                ),
            )
        )
    for qualifier in [q for q in QUALIFIERS if q in set(compared["qualifier"])]:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=QUALIFIER_LABELS[qualifier],
                marker={"color": "#8C8C8C", "size": size["marker"], "symbol": QUALIFIER_SYMBOLS[qualifier]},
                legend="legend2",
                hoverinfo="skip",
            )
        )
    labels = list(dict.fromkeys(compared["label"]))
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=value_title, rangemode="tozero", tickformat=",d")
    apply_layout(fig, title=title, presentation=presentation, height=max(300, 170 + 52 * len(labels)))
    two_legends(fig, "Source tier", "Qualifier", presentation=presentation)
    readable_ticks(fig, presentation=presentation, labels=labels)
    return fig


def _wrap_label(label: str) -> str:
    return label.replace(" (", "<br>(", 1)


def annual_chart(annual: pd.DataFrame, *, title: str, presentation: bool = False) -> go.Figure:
    """Killed and injured per year as stacked bars by party, other reports as diamonds, gaps said to be unknown."""
    if annual.empty:
        return empty_figure(title, presentation=presentation)
    size = sizes(presentation)
    fig = make_subplots(
        rows=len(ANNUAL_MEASURES),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=[MEASURE_TITLES.get(m, m) for m in ANNUAL_MEASURES],
    )
    segments = annual[annual["kind"] == "segment"]
    parties = [label for label in dict.fromkeys(segments["label"]) if label not in (WHOLE_TOTAL, REMAINDER)]
    order = [WHOLE_TOTAL, *parties, REMAINDER]
    styles = {WHOLE_TOTAL: (TOTAL_COLOUR, ""), REMAINDER: (REMAINDER_COLOUR, "")}
    for position, party in enumerate(parties):
        styles[party] = (PARTY_COLOURS[position % len(PARTY_COLOURS)], PARTY_PATTERNS[position % len(PARTY_PATTERNS)])
    shown_in_legend: set[str] = set()
    for row, measure in enumerate(ANNUAL_MEASURES, start=1):
        for label in order:
            bars = segments[(segments["measure"] == measure) & (segments["label"] == label)]
            if bars.empty:
                continue
            colour, pattern = styles[label]
            fig.add_trace(
                go.Bar(
                    x=bars["year"],
                    y=bars["value"],
                    name=_wrap_label(plotly_text(label)),
                    legendgroup=label,
                    showlegend=label not in shown_in_legend,
                    marker={
                        "color": colour,
                        "pattern": {"shape": pattern, "fgcolor": "#1A1A1A", "size": 8},
                        "line": {"color": "#1A1A1A", "width": 0.5},
                    },
                    hovertext=bars["hover"],
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=row,
                col=1,
            )
            shown_in_legend.add(label)
        others = annual[(annual["kind"] == "other report") & (annual["measure"] == measure)]
        if not others.empty:
            fig.add_trace(
                go.Scatter(
                    x=others["year"],
                    y=others["value"],
                    mode="markers",
                    name="another report of the total",
                    legendgroup="other report",
                    showlegend="other report" not in shown_in_legend,
                    marker={
                        "symbol": "diamond",
                        "color": "#000000",
                        "size": size["marker"],
                        "line": {"color": "#FFFFFF", "width": 1},
                    },
                    hovertext=others["hover"],
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=row,
                col=1,
            )
            shown_in_legend.add("other report")
        gaps = annual[(annual["kind"] == "gap") & (annual["measure"] == measure)]
        if not gaps.empty:
            fig.add_trace(
                go.Scatter(
                    x=gaps["year"],
                    y=gaps["value"],
                    mode="markers",
                    name="no figure: unknown",
                    legendgroup="gap",
                    showlegend="gap" not in shown_in_legend,
                    marker={
                        "symbol": "x-thin-open",
                        "color": "#555555",
                        "size": size["marker"],
                        "line": {"color": "#555555", "width": 2},
                    },
                    hovertext=gaps["hover"],
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=row,
                col=1,
            )
            # Said in words in the empty slot of each missing year; upright text would overlap its neighbours.
            for year in gaps["year"]:
                fig.add_annotation(
                    x=year,
                    y=0,
                    text="unknown",
                    textangle=-90,
                    yanchor="bottom",
                    yshift=12,
                    showarrow=False,
                    font={"color": "#555555", "size": size["font"]},
                    row=row,
                    col=1,
                )
            shown_in_legend.add("gap")
        fig.update_yaxes(title="civilians", tickformat=",d", rangemode="tozero", row=row, col=1)
    years = annual["year"]
    fig.update_xaxes(dtick=1, tickformat="d", range=[years.min() - 0.6, years.max() + 0.6])
    fig.update_layout(barmode="stack", bargap=0.25)
    apply_layout(fig, title=title, presentation=presentation, height=620)
    readable_ticks(fig, presentation=presentation)
    fig.update_xaxes(tickangle=-45 if presentation else 0)
    fig.update_annotations(selector={"text": MEASURE_TITLES["killed"]}, font={"size": size["font"]})
    fig.update_annotations(selector={"text": MEASURE_TITLES["injured"]}, font={"size": size["font"]})
    fig.update_layout(
        legend={
            "orientation": "v",
            "y": 1,
            "yanchor": "top",
            "x": 1.01,
            "xanchor": "left",
            "font": {"size": size["font"]},
        }
    )
    return fig
