"""The Timeline page's figure: milestone swimlanes per organization, with operations and POC resolutions as overlays."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from poc_data import i18n
from poc_data.charts import titles
from poc_data.charts.base import apply_layout, empty_figure, sizes
from poc_data.i18n import N_, _
from poc_data.safe_text import plotly_text
from poc_data.schema import COMPARISON_ORGANIZATIONS, MILESTONE_ORGANIZATIONS
from poc_data.style import BACKGROUNDS, RESOLUTION_MARKERS, marker, style_of
from poc_data.transform.timeline import ChartLayer, axis_range

# Lane geometry in y units (one unit is one plain lane); y grows downwards so the first lane is on top.
STACK_STEP = 0.25
ROW_STEP = 0.35
LANE_PADDING = 0.25
PIXELS_PER_UNIT = 70
CHROME_PIXELS = 200
WRAP_WIDTH = 70
YEAR_MILLISECONDS = 365.25 * 24 * 3600 * 1000
RESOLUTION_NAMES = {"thematic": N_("Thematic POC resolution"), "mission mandate": N_("Mission mandate")}
# How many of each kind a year has, in a summarised lane's hover.
RESOLUTION_COUNTS = {
    "thematic": N_("Thematic POC resolutions: {count}"),
    "mission mandate": N_("Mission mandates: {count}"),
}
# The operations' legend and lanes; the organizations not listed say "{organization} operations".
OPERATIONS_LABELS = {
    "Interorganizational": N_("Other operations"),
    "national": N_("national operations"),
    "coalition": N_("coalition operations"),
}


@dataclass(frozen=True)
class Lane:
    """A horizontal band of the chart: `top` and `height` in y units."""

    key: str
    label: str
    top: float
    height: float

    @property
    def centre(self) -> float:
        return self.top + self.height / 2


def operations_label(lane: str) -> str:
    """The label of the operations lane that goes with a milestone lane, in the current language."""
    if lane in OPERATIONS_LABELS:
        return _(OPERATIONS_LABELS[lane])
    return _("{organization} operations").format(organization=_(lane))


def wrap(text: object, width: int = WRAP_WIDTH) -> str:
    """Data text for a hover label: HTML-escaped (shown as written) and wrapped into lines."""
    if text is None or (not isinstance(text, (list, tuple)) and pd.isna(text)):
        return ""
    lines = textwrap.wrap(str(text), width=width) or [""]
    return "<br>".join(plotly_text(line) for line in lines)


def _stack_height(cell_sizes: pd.Series, minimum: float = 1.0) -> float:
    largest = int(cell_sizes.max()) if not cell_sizes.empty else 1
    return max(minimum, largest * STACK_STEP + LANE_PADDING)


def _stacked_y(lane: Lane, slots: pd.Series, cell_sizes: pd.Series) -> pd.Series:
    return lane.centre + (slots - (cell_sizes - 1) / 2) * STACK_STEP


def _mid_year(years: Iterable[int]) -> list[pd.Timestamp]:
    return [pd.Timestamp(year=int(year), month=7, day=1) for year in years]


def _plan_lanes(
    milestones: ChartLayer,
    organizations: Sequence[str],
    operations: ChartLayer | None,
    resolutions: ChartLayer | None,
) -> list[Lane]:
    lanes: list[Lane] = []
    top = 0.0

    def add(key: str, label: str, height: float) -> None:
        nonlocal top
        lanes.append(Lane(key, label, top, height))
        top += height

    if resolutions is not None and not resolutions.rows.empty:
        summarised = resolutions.summarised
        rows = 1 if summarised else int(resolutions.rows["slot"].max()) + 1
        add("resolutions", _("POC resolutions"), max(0.8, rows * STACK_STEP + LANE_PADDING))
    for organization in organizations:
        rows = milestones.rows[milestones.rows["organization"] == organization]
        height = 1.0 if milestones.summarised or rows.empty else _stack_height(rows["cell_size"])
        add(organization, _(style_of(organization).label), height)
    if operations is not None and not operations.rows.empty:
        for organization in organizations:
            rows = operations.rows[operations.rows["lane"] == organization]
            if rows.empty:
                continue
            label = operations_label(organization)
            if operations.summarised:
                # Each lane has its own scale, so that a lane with few operations still shows its changes.
                peak = i18n.number(int(rows["count"].max()))
                add(
                    f"operations:{organization}",
                    _("{label}<br>active (peak {peak})").format(label=label, peak=peak),
                    1.5,
                )
            else:
                add(f"operations:{organization}", label, max(1.0, (rows["row"].max() + 1) * ROW_STEP + LANE_PADDING))
    return lanes


def _milestone_traces(layer: ChartLayer, lanes: dict[str, Lane], presentation: bool) -> list[go.Scatter]:
    size = sizes(presentation)
    traces = []
    largest = int(layer.rows["count"].max()) if layer.summarised and not layer.rows.empty else 1
    for organization, lane in lanes.items():
        rows = layer.rows[layer.rows["organization"] == organization]
        if rows.empty:
            continue
        style = style_of(organization)
        label = plotly_text(_(style.label))
        if layer.summarised:
            traces.append(
                _count_bars(
                    rows,
                    lane,
                    largest,
                    name=_(style.label),
                    colour=style.colour,
                    outline=style.outline,
                    hover=[
                        f"<b>{year} · {label}</b><br>"
                        + _("{count} milestones (listed below the chart)").format(count=i18n.number(count))
                        for year, count in _year_counts(rows)
                    ],
                )
            )
            continue
        hover = [
            f"<b>{year} · {label}</b><br>{wrap(text)}<br>"
            + _("<i>Themes:</i> {themes}").format(themes=wrap(", ".join(_(theme) for theme in themes)))
            + ("<br>" + _("<i>Missions:</i> {missions}").format(missions=wrap(", ".join(missions))) if missions else "")
            + "<br>"
            + _("<i>Source:</i> {source}").format(source=wrap(citation))
            for year, text, themes, missions, citation in zip(
                rows["year"], rows["text"], rows["themes"], rows["missions"], rows["citation"], strict=True
            )
        ]
        traces.append(
            go.Scatter(
                x=_mid_year(rows["year"]),
                y=_stacked_y(lane, rows["slot"], rows["cell_size"]),
                mode="markers",
                marker=marker(organization, size["marker"]),
                name=_(style.label),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    return traces


def _operation_counts(layer: ChartLayer, lanes: dict[str, Lane], end_of_axis, size: dict) -> list[go.Scatter]:
    """For too many operations to draw: a step line per lane of how many were active each year."""
    traces = []
    for lane_key, rows in layer.rows.groupby("lane", sort=False):
        lane = lanes[f"operations:{lane_key}"]
        label = operations_label(lane_key)
        largest = max(1, int(rows["count"].max()))
        heights = [lane.top + lane.height * (0.9 - 0.8 * count / largest) for count in rows["count"]]
        hover = [
            _("{year}: {count} {operations} active").format(
                year=year, count=i18n.number(count), operations=plotly_text(label)
            )
            for year, count in _year_counts(rows)
        ]
        traces.append(
            go.Scatter(
                x=[pd.Timestamp(year=int(year), month=1, day=1) for year in rows["year"]] + [end_of_axis],
                y=heights + heights[-1:],
                mode="lines+markers",
                line={"shape": "hv", "color": style_of(lane_key).outline, "width": size["line"]},
                marker=marker(lane_key, size["marker"] * 0.6),
                name=_("{label} (active per year)").format(label=label),
                hovertext=hover + hover[-1:],
                hoverinfo="text",
            )
        )
    return traces


def _operation_bars(
    rows: pd.DataFrame, organization: str, lanes: dict[str, Lane], start_of_axis, size: dict
) -> list[go.BaseTraceType]:
    """One organization's operations as bars in their rows, labelled with their acronyms, with its symbol at each
    bar's visible start, so the organization is told by shape as well as colour."""
    style = style_of(organization)
    y = [
        lanes[f"operations:{lane}"].top + LANE_PADDING / 2 + ROW_STEP * (row + 0.5)
        for lane, row in zip(rows["lane"], rows["row"], strict=True)
    ]
    hover = [_operation_hover(operation) for operation in rows.itertuples(index=False)]
    # Bars start at the axis so that their labels show; the hover gives the real start.
    visible_start = rows["start"].clip(lower=start_of_axis)
    name = operations_label(organization)
    bars = go.Bar(
        base=visible_start,
        x=(rows["end"] - visible_start).dt.total_seconds() * 1000,
        y=y,
        orientation="h",
        width=ROW_STEP * 0.8,
        marker={"color": style.colour, "opacity": 0.85, "line": {"color": style.outline, "width": 1.5}},
        # Spaces keep the label clear of the symbol drawn at the bar's start.
        text=["\u2003" + plotly_text(acronym) for acronym in rows["acronym"]],
        textposition="inside",
        textfont={"size": size["font"] - 2},
        insidetextanchor="start",
        name=name,
        legendgroup=name,
        hovertext=hover,
        hoverinfo="text",
    )
    starts = go.Scatter(
        x=visible_start,
        y=y,
        mode="markers",
        marker=marker(organization, size["marker"] * 0.7),
        legendgroup=name,
        showlegend=False,
        hovertext=hover,
        hoverinfo="text",
    )
    return [bars, starts]


def _operation_traces(
    layer: ChartLayer, lanes: dict[str, Lane], years: tuple[int, int], presentation: bool
) -> list[go.BaseTraceType]:
    size = sizes(presentation)
    start_of_axis, end_of_axis = axis_range(years)
    if layer.summarised:
        return _operation_counts(layer, lanes, end_of_axis, size)
    return [
        trace
        for organization, rows in layer.rows.groupby(layer.rows["organization"].astype("str"), sort=False)
        for trace in _operation_bars(rows, organization, lanes, start_of_axis, size)
    ]


def _count_bars(
    rows: pd.DataFrame, lane: Lane, largest: int, *, name: str, colour: str, hover: list[str], outline: str = "#000000"
) -> go.Bar:
    """A small histogram inside a lane: one bar per year, as tall as its count relative to `largest`."""
    bottom = lane.top + lane.height - LANE_PADDING / 2
    usable = lane.height - LANE_PADDING
    return go.Bar(
        x=_mid_year(rows["year"]),
        y=[-usable * count / largest for count in rows["count"]],
        base=bottom,
        width=YEAR_MILLISECONDS * 0.8,
        marker={"color": colour, "line": {"color": outline, "width": 1}},
        name=name,
        hovertext=hover,
        hoverinfo="text",
    )


def _year_counts(rows: pd.DataFrame) -> list[tuple[int, int]]:
    return [(int(year), int(count)) for year, count in zip(rows["year"], rows["count"], strict=True)]


def _operation_hover(operation) -> str:
    end = _as_of(operation.status_as_of) if operation.ongoing else operation.end_date_text
    lines = [
        f"<b>{plotly_text(operation.acronym)}</b> · {plotly_text(_(str(operation.organization)))}",
        wrap(operation.name),
        f"{plotly_text(operation.start_date_text)} – {plotly_text(end)}",
        _("<i>Type:</i> {type}").format(type=plotly_text(_(str(operation.type)))),
        _("<i>POC mandate:</i> {mandate}").format(mandate=plotly_text(_(str(operation.poc_mandate)))),
        _("<i>Source:</i> {source}").format(source=wrap(operation.citation)),
    ]
    return "<br>".join(lines)


def _as_of(status_as_of) -> str:
    if pd.isna(status_as_of):
        return _("ongoing")
    return _("ongoing (as of {date})").format(date=i18n.date(status_as_of, "medium"))


def _resolution_traces(layer: ChartLayer, lane: Lane, bottom: float, presentation: bool) -> list[go.Scatter]:
    size = sizes(presentation)
    traces: list[go.Scatter] = []
    if layer.summarised:
        rows = layer.rows
        hover = [
            _("<b>{year}</b>: {count} POC resolutions").format(year=year, count=i18n.number(count))
            + "<br>"
            + "<br>".join(
                _(RESOLUTION_COUNTS[kind]).format(count=i18n.number(int(rows.at[index, kind])))
                for kind in RESOLUTION_COUNTS
            )
            for index, (year, count) in zip(rows.index, _year_counts(rows), strict=True)
        ]
        largest = max(1, int(rows["count"].max()))
        return [_count_bars(rows, lane, largest, name=_("POC resolutions per year"), colour="#1A1A1A", hover=hover)]
    rows = layer.rows
    y = lane.top + LANE_PADDING / 2 + STACK_STEP * (rows["slot"] + 0.5)
    line_x, line_y = [], []
    for when, top in zip(rows["when"], y, strict=True):
        line_x += [when, when, None]
        line_y += [top, bottom, None]
    traces.append(
        go.Scatter(
            x=line_x,
            y=line_y,
            mode="lines",
            line={"color": "#8C8C8C", "width": 1, "dash": "dot"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for kind, group in rows.groupby(rows["kind"].astype("str"), sort=False):
        name = _(RESOLUTION_NAMES[kind])
        symbol, colour = RESOLUTION_MARKERS[kind]
        traces.append(
            go.Scatter(
                x=group["when"],
                y=y[group.index],
                mode="markers+text",
                text=[str(number) for number in group["number"]],
                textposition="middle right",
                textfont={"size": size["font"] - 2},
                marker={"symbol": symbol, "color": colour, "size": size["marker"], "line": {"width": 2}},
                name=name,
                hovertext=[_resolution_hover(resolution) for resolution in group.itertuples(index=False)],
                hoverinfo="text",
            )
        )
    return traces


def _resolution_hover(resolution) -> str:
    adopted = _("unknown date") if pd.isna(resolution.date) else i18n.date(resolution.date, "medium")
    lines = [
        f"<b>{plotly_text(resolution.resolution)}</b> · {plotly_text(_(str(resolution.kind)))}",
        _("<i>Adopted:</i> {date}").format(date=adopted),
    ]
    if not pd.isna(resolution.subject):
        lines.append(_("<i>Subject:</i> {subject}").format(subject=wrap(resolution.subject)))
    if not pd.isna(resolution.poc_language):
        # The resolution's own words, in the language they were quoted in.
        lines.append(_("<i>POC language:</i> “{quotation}”").format(quotation=wrap(resolution.poc_language)))
    lines.append(_("<i>Source:</i> {source}").format(source=wrap(resolution.citation)))
    return "<br>".join(lines)


def chart_title(
    years: tuple[int, int],
    organizations: Sequence[str] = MILESTONE_ORGANIZATIONS,
    *,
    themes: Sequence[str] = (),
    missions: Sequence[str] = (),
    query: str = "",
) -> str:
    """The figure's title for what is shown: the organizations, the years and any theme, mission or search filter."""
    lanes = [organization for organization in organizations if organization != "Interorganizational"]
    who = titles.organizations_phrase(lanes, COMPARISON_ORGANIZATIONS) if lanes else ""
    if "Interorganizational" in organizations and len(lanes) < len(COMPARISON_ORGANIZATIONS):
        together = _("the organizations together")
        who = _("{organizations} and interorganizational").format(organizations=who) if who else together
    first, last = years
    if first == last:
        subject = _("POC milestones of {organizations} in {year}").format(organizations=who, year=first)
    else:
        period = titles.years_phrase(years)
        subject = _("POC milestones of {organizations}, {period}").format(organizations=who, period=period)
    return titles.titled(
        subject,
        _("themes: {themes}").format(themes=", ".join(_(theme) for theme in themes)) if themes else "",
        _("missions: {missions}").format(missions=", ".join(missions)) if missions else "",
        titles.search_phrase(query),
    )


def timeline_chart(
    milestones: ChartLayer,
    *,
    organizations: Sequence[str],
    years: tuple[int, int],
    operations: ChartLayer | None = None,
    resolutions: ChartLayer | None = None,
    themes: Sequence[str] = (),
    missions: Sequence[str] = (),
    query: str = "",
    presentation: bool = False,
) -> go.Figure:
    """Swimlanes of milestones per organization over the years, with optional operations and resolutions lanes."""
    title = chart_title(years, organizations, themes=themes, missions=missions, query=query)
    overlays = [layer for layer in (operations, resolutions) if layer is not None and not layer.rows.empty]
    if milestones.rows.empty and not overlays:
        return empty_figure(title, presentation=presentation)
    lanes = _plan_lanes(milestones, organizations, operations, resolutions)
    by_key = {lane.key: lane for lane in lanes}
    total = lanes[-1].top + lanes[-1].height
    fig = go.Figure()
    for position, lane in enumerate(lanes):
        if position % 2 == 0:
            fig.add_hrect(
                y0=lane.top, y1=lane.top + lane.height, fillcolor=BACKGROUNDS["lane"], line_width=0, layer="below"
            )
    if resolutions is not None and "resolutions" in by_key:
        fig.add_traces(_resolution_traces(resolutions, by_key["resolutions"], total, presentation))
    fig.add_traces(_milestone_traces(milestones, {o: by_key[o] for o in organizations}, presentation))
    if operations is not None and not operations.rows.empty:
        fig.add_traces(_operation_traces(operations, by_key, years, presentation))
    # Overlays add legend entries that may take a second row.
    apply_layout(
        fig,
        title=title,
        presentation=presentation,
        height=int(total * PIXELS_PER_UNIT + CHROME_PIXELS),
        legend_rows=2 if overlays else 1,
    )
    fig.update_layout(barmode="overlay", hoverlabel={"align": "left"})
    fig.update_xaxes(type="date", range=list(axis_range(years)), title_text=_("Year"), showgrid=True)
    if years[0] == years[1]:
        # The source lists milestones under a year, no finer: one year is one tick, with no invented months.
        fig.update_xaxes(tickvals=_mid_year([years[0]]), ticktext=[str(years[0])], showgrid=False)
    fig.update_yaxes(
        range=[total, 0],
        tickvals=[lane.centre for lane in lanes],
        ticktext=[lane.label for lane in lanes],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        title_text=None,
    )
    return fig
