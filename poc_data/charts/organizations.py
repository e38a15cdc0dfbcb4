"""Figure builders for the Organizations page: milestones per year, operations over time, POC mandate shares."""

from __future__ import annotations

import math

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from poc_data.charts import titles
from poc_data.charts.base import apply_layout, empty_figure, sizes
from poc_data.safe_text import plotly_text
from poc_data.schema import POC_MANDATES
from poc_data.style import MANDATE_STYLES, colour_map, marker, pattern_of, style_of, symbol_map

MANDATE_LABELS = {
    "explicit": "explicit",
    "partial": "partial",
    "none": "none",
    "unknown": "unknown (not verified)",
}


def _whole_numbers(fig: go.Figure, largest: float) -> None:
    """Counts get whole-number ticks, about five of them, never 0.5."""
    step = 1 if pd.isna(largest) else max(1, math.ceil(float(largest) / 5))
    fig.update_yaxes(tick0=0, dtick=step, rangemode="tozero")


def _source_line(source: str | None) -> str:
    return f"<br>Source: {plotly_text(source)}" if source else ""


def _running_total_line(rows: pd.DataFrame, organization: str, *, source: str | None, size: dict) -> go.Scatter:
    """One organization's milestones to date, year by year, in its colour and symbol."""
    style = style_of(organization)
    return go.Scatter(
        x=rows["year"],
        y=rows["cumulative"],
        name=style.label,
        mode="lines+markers",
        line={"color": style.outline, "width": size["line"]},
        marker=marker(organization, size["marker"]),
        hovertemplate=f"{style.label}, %{{x}}: %{{y}} milestones to date{_source_line(source)}<extra></extra>",
    )


def _year_bars(rows: pd.DataFrame, organization: str, *, source: str | None) -> go.Bar:
    """One organization's milestones per year, in its colour, its symbol stood in for by a fill pattern."""
    style = style_of(organization)
    return go.Bar(
        x=rows["year"],
        y=rows["milestones"],
        name=style.label,
        marker={
            "color": style.colour,
            "line": {"color": style.outline, "width": 1},
            "pattern": {"shape": pattern_of(organization), "fgcolor": "#FFFFFF", "fgopacity": 0.6},
        },
        hovertemplate=f"{style.label}, %{{x}}: %{{y}} milestones{_source_line(source)}<extra></extra>",
    )


def milestones_per_year_chart(
    frame: pd.DataFrame,
    *,
    cumulative: bool = False,
    source: str | None = None,
    scope: str = "",
    presentation: bool = False,
) -> go.Figure:
    """Milestones per year as bars stacked by organization, or their running totals as one line per organization.

    `scope` names the active filters for the title, as do the other builders here."""
    title = titles.titled(
        "Milestones to date, per organization (cumulative)" if cumulative else "Milestones per year, per organization",
        scope,
    )
    if frame.empty:
        return empty_figure(title, presentation=presentation)
    size = sizes(presentation)
    traces = []
    for organization in pd.unique(frame["organization"]):
        rows = frame[frame["organization"] == organization]
        if cumulative:
            traces.append(_running_total_line(rows, organization, source=source, size=size))
        else:
            traces.append(_year_bars(rows, organization, source=source))
    fig = go.Figure(traces)
    # Stacked bars list their legend bottom-up by default; the organizations' order reads better left to right.
    fig.update_layout(barmode="stack", hovermode="closest", legend_traceorder="normal")
    fig.update_xaxes(title_text="Year", dtick=2 if not presentation else 4)
    fig.update_yaxes(title_text="Milestones to date" if cumulative else "Milestones in the year")
    stacked = frame.groupby("year")["milestones"].sum().max()
    _whole_numbers(fig, frame["cumulative"].max() if cumulative else stacked)
    return apply_layout(fig, title=title, presentation=presentation, height=420)


def operations_per_year_chart(
    totals: pd.DataFrame, *, source: str | None = None, scope: str = "", presentation: bool = False
) -> go.Figure:
    """Operations active in each year, one line per organization; the hover breaks the count down by type."""
    title = titles.titled("Operations active per year, per organization", scope)
    if totals.empty:
        return empty_figure(title, presentation=presentation)
    organizations = list(pd.unique(totals["organization"]))
    fig = px.line(
        totals,
        x="year",
        y="operations",
        color="organization",
        symbol="organization",
        markers=True,
        color_discrete_map=colour_map(organizations),
        symbol_map=symbol_map(organizations),
        category_orders={"organization": organizations},
        custom_data=["organization", "by_type"],
    )
    _style_lines(fig, presentation)
    fig.update_traces(
        hovertemplate=(
            f"%{{customdata[0]}}, %{{x}}: %{{y}} operations active<br>%{{customdata[1]}}{_source_line(source)}"
            "<extra></extra>"
        )
    )
    fig.update_xaxes(title_text="Year")
    fig.update_yaxes(title_text="Operations active")
    _whole_numbers(fig, totals["operations"].max())
    return apply_layout(fig, title=title, presentation=presentation, height=420)


def operations_by_type_chart(
    per_year_type: pd.DataFrame, *, source: str | None = None, scope: str = "", presentation: bool = False
) -> go.Figure:
    """Operations active in each year, one panel per type and one line per organization."""
    title = titles.titled("Operations active per year, by type and organization", scope)
    if per_year_type.empty:
        return empty_figure(title, presentation=presentation)
    organizations = list(pd.unique(per_year_type["organization"]))
    types = list(pd.unique(per_year_type["type"]))
    columns = min(3, len(types))
    fig = px.line(
        per_year_type,
        x="year",
        y="operations",
        color="organization",
        symbol="organization",
        markers=True,
        facet_col="type",
        facet_col_wrap=columns,
        facet_row_spacing=0.12,
        color_discrete_map=colour_map(organizations),
        symbol_map=symbol_map(organizations),
        category_orders={"organization": organizations, "type": types},
        custom_data=["organization", "type"],
    )
    _style_lines(fig, presentation, marker_scale=0.5)
    fig.update_traces(
        hovertemplate=(
            f"%{{customdata[0]}}, %{{x}}: %{{y}} operations active (%{{customdata[1]}}){_source_line(source)}"
            "<extra></extra>"
        )
    )
    fig.for_each_annotation(lambda note: note.update(text=note.text.removeprefix("type=")))
    fig.update_xaxes(title_text="")
    fig.update_yaxes(title_text="")
    _whole_numbers(fig, per_year_type["operations"].max())
    rows = -(-len(types) // columns)
    fig = apply_layout(fig, title=title, presentation=presentation, height=180 + 220 * rows)
    # Above the panels' titles, so the legend does not cover the first row of them.
    fig.update_layout(legend={"y": 1.0 + 0.12 / rows}, margin={"t": fig.layout.margin.t + 30})
    return fig


def _style_lines(fig: go.Figure, presentation: bool, marker_scale: float = 0.8) -> None:
    size = sizes(presentation)
    fig.update_traces(line={"width": size["line"]}, marker={"size": size["marker"] * marker_scale})
    # Lines and marker outlines in each organization's darker shade, so that they stand out from the white plot.
    fig.for_each_trace(
        lambda trace: trace.update(
            line={"color": style_of(trace.name).outline},
            marker=marker(trace.name, trace.marker.size),
            name=style_of(trace.name).label,
        )
    )
    fig.update_layout(legend_title_text="")


def poc_mandate_chart(
    counts: pd.DataFrame, *, source: str | None = None, scope: str = "", presentation: bool = False
) -> go.Figure:
    """For each organization, its operations split by POC mandate as one 100% bar, counts in the bars and hover."""
    title = titles.titled("Operations by POC mandate: share of each organization's operations", scope)
    if counts.empty:
        return empty_figure(title, presentation=presentation)
    organizations = list(pd.unique(counts["organization"]))
    labels = [style_of(organization).label for organization in organizations]
    fig = go.Figure()
    for mandate in POC_MANDATES:
        rows = counts[counts["poc_mandate"] == mandate].set_index("organization").reindex(organizations)
        colour, pattern = MANDATE_STYLES[mandate]
        text_colour = "#FFFFFF" if mandate in ("explicit", "partial") else "#000000"
        fig.add_trace(
            go.Bar(
                x=rows["share"],
                y=labels,
                orientation="h",
                name=MANDATE_LABELS[mandate],
                marker={
                    "color": colour,
                    "line": {"color": "#4D4D4D", "width": 1},
                    "pattern": {"shape": pattern, "fgcolor": "#4D4D4D", "fgopacity": 0.35},
                },
                customdata=list(zip(rows["operations"], rows["total"], strict=True)),
                text=[str(count) if count else "" for count in rows["operations"]],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_colour},
                hovertemplate=(
                    f"%{{y}}: %{{customdata[0]}} of %{{customdata[1]}} operations (%{{x:.1f}}%), "
                    f"POC mandate {MANDATE_LABELS[mandate]}{_source_line(source)}<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title_text="Share of the organization's operations (%)", range=[0, 100], ticksuffix="%")
    fig.update_yaxes(title_text="", autorange="reversed")
    return apply_layout(fig, title=title, presentation=presentation, height=170 + 70 * len(organizations))
