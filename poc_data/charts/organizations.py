"""Figure builders for the Organizations page: milestones per year, operations over time, POC mandate shares."""

from __future__ import annotations

import math

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from poc_data.charts import titles
from poc_data.charts.base import apply_layout, empty_figure, sizes
from poc_data.i18n import N_, _
from poc_data.safe_text import plotly_text
from poc_data.schema import POC_MANDATES
from poc_data.style import MANDATE_STYLES, colour_map, marker, pattern_of, style_of, symbol_map

MANDATE_LABELS = {
    "explicit": N_("explicit"),
    "partial": N_("partial"),
    "none": N_("none"),
    "unknown": N_("unknown (not verified)"),
}


def _whole_numbers(fig: go.Figure, largest: float) -> None:
    """Counts get whole-number ticks, about five of them, never 0.5."""
    step = 1 if pd.isna(largest) else max(1, math.ceil(float(largest) / 5))
    fig.update_yaxes(tick0=0, dtick=step, rangemode="tozero")


def _source_line(source: str | None) -> str:
    return "<br>" + _("Source: {source}").format(source=plotly_text(source)) if source else ""


def _label(organization: str) -> str:
    """An organization as the chart names it, in the current language."""
    return _(style_of(organization).label)


def _types_shown(by_type: str) -> str:
    """`peacekeeping 3, air campaign 1` (the counts' text) with the types in the current language."""
    if by_type == "none":
        return _("none")
    parts = (part.rsplit(" ", 1) for part in by_type.split(", "))
    return ", ".join(f"{_(kind)} {count}" for kind, count in parts)


def _running_total_line(rows: pd.DataFrame, organization: str, *, source: str | None, size: dict) -> go.Scatter:
    """One organization's milestones to date, year by year, in its colour and symbol."""
    style = style_of(organization)
    return go.Scatter(
        x=rows["year"],
        y=rows["cumulative"],
        name=_label(organization),
        mode="lines+markers",
        line={"color": style.outline, "width": size["line"]},
        marker=marker(organization, size["marker"]),
        hovertemplate=_("{organization}, %{x}: %{y} milestones to date").replace("{organization}", _label(organization))
        + f"{_source_line(source)}<extra></extra>",
    )


def _year_bars(rows: pd.DataFrame, organization: str, *, source: str | None) -> go.Bar:
    """One organization's milestones per year, in its colour, its symbol stood in for by a fill pattern."""
    style = style_of(organization)
    return go.Bar(
        x=rows["year"],
        y=rows["milestones"],
        name=_label(organization),
        marker={
            "color": style.colour,
            "line": {"color": style.outline, "width": 1},
            "pattern": {"shape": pattern_of(organization), "fgcolor": "#FFFFFF", "fgopacity": 0.6},
        },
        hovertemplate=_("{organization}, %{x}: %{y} milestones").replace("{organization}", _label(organization))
        + f"{_source_line(source)}<extra></extra>",
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
        _("Milestones to date, per organization (cumulative)")
        if cumulative
        else _("Milestones per year, per organization"),
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
    fig.update_xaxes(title_text=_("Year"), dtick=2 if not presentation else 4)
    fig.update_yaxes(title_text=_("Milestones to date") if cumulative else _("Milestones in the year"))
    stacked = frame.groupby("year")["milestones"].sum().max()
    _whole_numbers(fig, frame["cumulative"].max() if cumulative else stacked)
    return apply_layout(fig, title=title, presentation=presentation, height=420)


def operations_per_year_chart(
    totals: pd.DataFrame, *, source: str | None = None, scope: str = "", presentation: bool = False
) -> go.Figure:
    """Operations active in each year, one line per organization; the hover breaks the count down by type."""
    title = titles.titled(_("Operations active per year, per organization"), scope)
    if totals.empty:
        return empty_figure(title, presentation=presentation)
    organizations = list(pd.unique(totals["organization"]))
    shown = totals.assign(
        shown_organization=totals["organization"].map(_label), shown_types=totals["by_type"].map(_types_shown)
    )
    fig = px.line(
        shown,
        x="year",
        y="operations",
        color="organization",
        symbol="organization",
        markers=True,
        color_discrete_map=colour_map(organizations),
        symbol_map=symbol_map(organizations),
        category_orders={"organization": organizations},
        custom_data=["shown_organization", "shown_types"],
    )
    _style_lines(fig, presentation)
    fig.update_traces(
        hovertemplate=_("%{customdata[0]}, %{x}: %{y} operations active<br>%{customdata[1]}")
        + f"{_source_line(source)}<extra></extra>"
    )
    fig.update_xaxes(title_text=_("Year"))
    fig.update_yaxes(title_text=_("Operations active"))
    _whole_numbers(fig, totals["operations"].max())
    return apply_layout(fig, title=title, presentation=presentation, height=420)


def operations_by_type_chart(
    per_year_type: pd.DataFrame, *, source: str | None = None, scope: str = "", presentation: bool = False
) -> go.Figure:
    """Operations active in each year, one panel per type and one line per organization."""
    title = titles.titled(_("Operations active per year, by type and organization"), scope)
    if per_year_type.empty:
        return empty_figure(title, presentation=presentation)
    organizations = list(pd.unique(per_year_type["organization"]))
    types = list(pd.unique(per_year_type["type"]))
    columns = min(3, len(types))
    shown = per_year_type.assign(
        shown_organization=per_year_type["organization"].map(_label), shown_type=per_year_type["type"].map(_)
    )
    fig = px.line(
        shown,
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
        custom_data=["shown_organization", "shown_type"],
    )
    _style_lines(fig, presentation, marker_scale=0.5)
    fig.update_traces(
        hovertemplate=_("%{customdata[0]}, %{x}: %{y} operations active (%{customdata[1]})")
        + f"{_source_line(source)}<extra></extra>"
    )
    # Each panel is titled with its type, in the current language.
    fig.for_each_annotation(lambda note: note.update(text=_(note.text.removeprefix("type="))))
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
            name=_label(trace.name),
        )
    )
    fig.update_layout(legend_title_text="")


def poc_mandate_chart(
    counts: pd.DataFrame, *, source: str | None = None, scope: str = "", presentation: bool = False
) -> go.Figure:
    """For each organization, its operations split by POC mandate as one 100% bar, counts in the bars and hover."""
    title = titles.titled(_("Operations by POC mandate: share of each organization's operations"), scope)
    if counts.empty:
        return empty_figure(title, presentation=presentation)
    organizations = list(pd.unique(counts["organization"]))
    labels = [_label(organization) for organization in organizations]
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
                name=_(MANDATE_LABELS[mandate]),
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
                # A hover template: plotly's %{...} stay as they are, only {mandate} is filled in here.
                hovertemplate=_(
                    "%{y}: %{customdata[0]} of %{customdata[1]} operations (%{x:.1f}%), POC mandate {mandate}"
                ).replace("{mandate}", _(MANDATE_LABELS[mandate]))
                + f"{_source_line(source)}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title_text=_("Share of the organization's operations (%)"), range=[0, 100], ticksuffix="%")
    fig.update_yaxes(title_text="", autorange="reversed")
    return apply_layout(fig, title=title, presentation=presentation, height=170 + 70 * len(organizations))
