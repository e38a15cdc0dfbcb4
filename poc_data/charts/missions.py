"""Figures for the Missions and mandates page: the Gantt of operations, marking POC mandates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from poc_data.charts.base import apply_layout, empty_figure, sizes
from poc_data.charts.harm import readable_ticks, two_legends
from poc_data.i18n import N_, _
from poc_data.safe_text import plotly_frame, plotly_text
from poc_data.schema import MISSION_ORGANIZATIONS, POC_MANDATES
from poc_data.style import ONGOING_SYMBOL, POC_OPACITY, POC_OUTLINES, POC_PATTERNS, marker, style_of

POC_LABELS = {
    "explicit": N_("explicit (hatched, outlined)"),
    "partial": N_("partial (dotted)"),
    "none": N_("none (plain)"),
    "unknown": N_("unknown (faint, crossed)"),
}


def _milliseconds(delta: pd.Series) -> pd.Series:
    """Bar lengths on a date axis are in milliseconds."""
    return delta.dt.total_seconds() * 1000


GANTT_HOVER = N_(
    "<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]} · %{customdata[3]}<br>"
    "Dates as written: %{customdata[4]}<br>%{customdata[5]}Hosts: %{customdata[6]}<br>"
    "POC mandate: %{customdata[7]}<br>Source: %{customdata[8]}<extra></extra>"
)


def _mandate_marker(colour: str, opacity, shape, width) -> dict:
    """A bar's fill in `colour` with the look of its POC mandate (each argument a value, or a list of one per bar)."""
    return {
        "color": colour,
        "opacity": opacity,
        "pattern": {"shape": shape, "fgcolor": "#FFFFFF", "size": 7, "solidity": 0.35},
        "line": {"color": "#000000", "width": width},
    }


def _gantt_customdata(bars: pd.DataFrame) -> pd.DataFrame:
    """What the hover of a bar says, escaped for plotly, in GANTT_HOVER's order."""
    customdata = plotly_frame(
        pd.DataFrame(
            {
                "name": bars["name"],
                "acronym": bars["acronym"],
                "organization": bars["organization"].map(_),
                "type": bars["type"].map(_),
                "dates": bars["dates_text"],
                "partial": bars["partial_note"],
                "hosts": bars["hosts_text"],
                "poc": bars["poc_mandate"].map(_),
                "source": bars["source"],
            }
        )
    )
    # The note on partial dates gets a line of its own only when there is one.
    customdata["partial"] = customdata["partial"].map(lambda note: f"({note})<br>" if note else "")
    return customdata


def _organization_traces(bars: pd.DataFrame, organization: str, size: dict) -> list:
    """One organization's bars (patterned by POC mandate) and, in the legend, its symbol at each bar's start."""
    style = style_of(organization)
    customdata = _gantt_customdata(bars)
    mandates = bars["poc_mandate"]
    bar_marker = _mandate_marker(
        style.colour,
        mandates.map(POC_OPACITY).tolist(),
        mandates.map(POC_PATTERNS).tolist(),
        mandates.map(POC_OUTLINES).tolist(),
    )
    return [
        go.Bar(
            base=bars["bar_start"],
            x=_milliseconds(bars["bar_end"] - bars["bar_start"]),
            y=bars["tick"],
            orientation="h",
            name=organization,
            legendgroup=organization,
            showlegend=False,
            marker=bar_marker,
            customdata=customdata,
            hovertemplate=_(GANTT_HOVER),
        ),
        go.Scatter(
            x=bars["bar_start"],
            y=bars["tick"],
            mode="markers",
            name=_(style.label if organization in ("UN", "EU", "NATO", "AU") else organization),
            legendgroup=organization,
            marker=marker(organization, size["marker"]),
            customdata=customdata,
            hovertemplate=_(GANTT_HOVER),
        ),
    ]


def _ongoing_marks(rows: pd.DataFrame, size: dict) -> list[go.Scatter]:
    """A mark at today's end of each ongoing operation's bar, keyed in the second legend."""
    ongoing = rows[rows["ongoing"]]
    if ongoing.empty:
        return []
    return [
        go.Scatter(
            x=ongoing["bar_end"],
            y=ongoing["tick"],
            mode="markers",
            name=_("ongoing (bar runs to today)"),
            marker={"symbol": ONGOING_SYMBOL, "color": "#000000", "size": size["marker"]},
            legend="legend2",
            hovertemplate=_("%{y}: ongoing<extra></extra>"),
        )
    ]


def _mandate_key(rows: pd.DataFrame) -> list[go.Bar]:
    """The second legend: a grey bar in the look of each POC mandate present."""
    return [
        go.Bar(
            x=[None],
            y=[None],
            orientation="h",
            name=_(POC_LABELS[mandate]),
            legend="legend2",
            marker=_mandate_marker("#8C8C8C", POC_OPACITY[mandate], POC_PATTERNS[mandate], POC_OUTLINES[mandate]),
            hoverinfo="skip",
        )
        for mandate in [m for m in POC_MANDATES if m in set(rows["poc_mandate"])]
    ]


def _gantt_layout(fig: go.Figure, rows: pd.DataFrame, *, today: dt.date, title: str, presentation: bool) -> None:
    """Today as a dotted line, one row per operation in the given order, tall enough for its label, two legends."""
    fig.add_vline(x=pd.Timestamp(today).timestamp() * 1000, line={"color": "#555555", "dash": "dot", "width": 1})
    fig.update_xaxes(type="date", title=None)
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=list(rows["tick"]), autorange="reversed", title=None
    )
    apply_layout(fig, title=title, presentation=presentation)
    fig.update_layout(barmode="overlay", height=int(220 + 1.6 * sizes(presentation)["font"] * len(rows)))
    two_legends(fig, _("Organization"), _("POC mandate"), presentation=presentation)
    readable_ticks(fig, presentation=presentation, labels=rows["tick"])


def missions_gantt(rows: pd.DataFrame, *, today: dt.date, title: str, presentation: bool = False) -> go.Figure:
    """One bar per operation, coloured by organization with its symbol at the start, patterned by POC mandate."""
    if rows.empty:
        return empty_figure(title, presentation=presentation)
    size = sizes(presentation)
    # The acronyms are the axis' ticks, which plotly reads as HTML: escaped, so that each shows as written.
    rows = rows.assign(tick=rows["acronym"].map(plotly_text))
    traces = [
        trace
        for organization in [o for o in MISSION_ORGANIZATIONS if o in set(rows["organization"])]
        for trace in _organization_traces(rows[rows["organization"] == organization], organization, size)
    ]
    fig = go.Figure([*traces, *_ongoing_marks(rows, size), *_mandate_key(rows)])
    _gantt_layout(fig, rows, today=today, title=title, presentation=presentation)
    return fig
