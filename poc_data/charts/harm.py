"""Figures for the Civilian harm page: disagreeing figures as ranges, and the UNAMA annual series."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from poc_data import i18n
from poc_data.charts.base import PRESENTATION_MAX_HEIGHT, apply_layout, empty_figure, sizes
from poc_data.i18n import N_, _
from poc_data.safe_text import plotly_frame, plotly_text
from poc_data.schema import QUALIFIERS, TIERS
from poc_data.style import (
    GAP_COLOUR,
    GAP_SYMBOL,
    INK,
    OTHER_REPORT_SYMBOL,
    PARTY_COLOURS,
    PARTY_PATTERNS,
    QUALIFIER_KEY_COLOUR,
    QUALIFIER_SYMBOLS,
    REMAINDER_COLOUR,
    SOFT_INK,
    TIER_COLOURS,
    TOTAL_COLOUR,
)
from poc_data.transform.harm import ANNUAL_MEASURES, REMAINDER, WHOLE_TOTAL

QUALIFIER_LABELS = {
    "exact": N_("exact (stated plainly)"),
    "about": N_("about"),
    "at least": N_("at least"),
    "more than": N_("more than"),
    "up to": N_("up to"),
    "range": N_("range (low and high)"),
}
MEASURE_TITLES = {"killed": N_("Civilians killed"), "injured": N_("Civilians injured")}
# Rows of the comparison, in lines of text, and the room its value axis takes (ticks and title).
ROW_LINES = 2.2
AXIS_ROOM = {False: 60, True: 80}
# Room under the plot for the second legend, which sits at the foot of the figure.
SECOND_LEGEND_ROOM = {False: 90, True: 130}
LABEL_CHARS = 40
HOVER_CHARS = 90
COMPARE_HOVER = N_(
    "<b>%{customdata[1]}</b> %{customdata[3]}<br>Counted by %{customdata[2]}<br>"
    "Period: %{customdata[4]}<br>Source: %{customdata[0]} (%{customdata[5]})<extra></extra>"
)


def readable_ticks(fig: go.Figure, *, presentation: bool = False, labels=()) -> go.Figure:
    """Tick labels at the text size (larger when presenting), and room on the left for the longest label.

    plotly's automargin can leave long category labels cut off on the left, so the margin is made from their length.
    """
    font = sizes(presentation)["font"]
    fig.update_xaxes(tickfont={"size": font})
    fig.update_yaxes(tickfont={"size": font})
    lines = [line for label in labels for line in str(label).split("<br>")]
    if lines:
        fig.update_layout(margin={"l": int(max(map(len, lines)) * font * 0.62) + 14})
    return fig


def two_legends(fig: go.Figure, first: str, second: str, *, presentation: bool = False) -> go.Figure:
    """Two titled horizontal legends: the first above the plot on the right, the second at the foot of the figure.

    Horizontal legends wrap to the figure's width, so long entries are never cut off.
    """
    font = {"size": sizes(presentation)["font"], "color": INK if presentation else SOFT_INK}
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


def _short(text: str, width: int = LABEL_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def source_labels(compared: pd.DataFrame) -> pd.Series:
    """Each figure's row label: who counted, over the source, escaped (tick labels read a few HTML tags); the
    record's id is added where two rows of a group would read the same."""
    labels = pd.Series(
        [
            f"{plotly_text(_short(counted))}<br>{plotly_text(_short(source))}"
            for counted, source in zip(compared["counted_by"], compared["source"], strict=True)
        ],
        index=compared.index,
        dtype="str",
    )
    repeated = pd.DataFrame({"group": compared["group"], "label": labels}).duplicated(keep=False)
    return labels.where(~repeated, labels + " [" + compared["id"].map(plotly_text) + "]")


def _range_lines(ranged: pd.DataFrame, tier: str, size: dict) -> go.Scatter:
    """A line from the low to the high figure of each ranged row, in the tier's colour."""
    return go.Scatter(
        x=[
            value
            for low, high in zip(ranged["value_low"], ranged["value_high"], strict=True)
            for value in (low, high, None)
        ],
        y=[label for label in ranged["label"] for _ in range(3)],
        mode="lines",
        line={"color": TIER_COLOURS[tier], "width": size["marker"]},
        opacity=0.55,
        hoverinfo="skip",
        showlegend=False,
        legendgroup=tier,
    )


def _figure_markers(rows: pd.DataFrame, ranged: pd.DataFrame, tier: str, size: dict) -> go.Scatter:
    """A marker at each figure (both ends of a range), in the tier's colour and the qualifier's symbol."""
    points = pd.concat([rows, ranged.assign(value_low=ranged["value_high"])], ignore_index=True)
    return go.Scatter(
        x=points["value_low"],
        y=points["label"],
        mode="markers",
        name=_("{tier} source").format(tier=_(tier)),
        legendgroup=tier,
        marker={
            "color": TIER_COLOURS[tier],
            "size": size["marker"] + 3,
            "symbol": points["qualifier"].map(QUALIFIER_SYMBOLS).tolist(),
            "line": {"color": SOFT_INK, "width": 1},
        },
        customdata=plotly_frame(points[["source", "figure", "counted_by", "victims", "period", "source_tier"]]),
        hovertemplate=_(COMPARE_HOVER),
    )


def _tier_traces(compared: pd.DataFrame, size: dict) -> list[go.Scatter]:
    """For each source tier present: the lines of its ranges (if any), then its markers."""
    traces = []
    for tier in [t for t in TIERS if t in set(compared["source_tier"])]:
        rows = compared[compared["source_tier"] == tier]
        ranged = rows[rows["value_high"] > rows["value_low"]]
        if not ranged.empty:
            traces.append(_range_lines(ranged, tier, size))
        traces.append(_figure_markers(rows, ranged, tier, size))
    return traces


def _qualifier_key(compared: pd.DataFrame, size: dict) -> list[go.Scatter]:
    """The second legend: one grey marker per qualifier present, saying what its symbol means."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=_(QUALIFIER_LABELS[qualifier]),
            marker={"color": QUALIFIER_KEY_COLOUR, "size": size["marker"], "symbol": QUALIFIER_SYMBOLS[qualifier]},
            legend="legend2",
            hoverinfo="skip",
        )
        for qualifier in [q for q in QUALIFIERS if q in set(compared["qualifier"])]
    ]


def disagreement_chart(
    compared: pd.DataFrame, *, title: str, value_title: str = "Figure", presentation: bool = False
) -> go.Figure:
    """One row per source: a bar from its low to its high figure, the marker for its qualifier, colour for its tier."""
    if compared.empty:
        return empty_figure(title, presentation=presentation)
    size = sizes(presentation)
    compared = compared.assign(label=source_labels(compared))
    fig = go.Figure([*_tier_traces(compared, size), *_qualifier_key(compared, size)])
    labels = list(dict.fromkeys(compared["label"]))
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    fig.update_xaxes(title=value_title, rangemode="tozero", tickformat=",d")
    apply_layout(fig, title=title, presentation=presentation)
    two_legends(fig, _("Source tier"), _("Qualifier"), presentation=presentation)
    readable_ticks(fig, presentation=presentation, labels=labels)
    # Each source's row is tall enough for its label at the text size, so labels never overlap.
    margins = fig.layout.margin.t + fig.layout.margin.b + AXIS_ROOM[presentation]
    fig.update_layout(height=max(300, margins + ROW_LINES * size["font"] * len(labels)))
    return fig


def rows_that_fit(title: str, presentation: bool) -> int | None:
    """How many sources' rows the comparison can draw and still fit a projector's screen (None: no limit)."""
    if not presentation:
        return None
    size = sizes(presentation)
    probe = two_legends(apply_layout(go.Figure(), title=title, presentation=True), "", "", presentation=True)
    room = PRESENTATION_MAX_HEIGHT - probe.layout.margin.t - probe.layout.margin.b - AXIS_ROOM[True]
    return max(2, int(room // (ROW_LINES * size["font"])))


def _wrap_label(label: str) -> str:
    return label.replace(" (", "<br>(", 1)


def _hover_text(text) -> str:
    """Data text made safe for a plotly hover label (which reads a few HTML tags) and wrapped."""
    return "<br>".join(textwrap.wrap(plotly_text(str(text)), HOVER_CHARS)) or ""


def annual_hover(row) -> str:
    """The hover of one row of `transform.harm.annual_series`: the figure, its place in the bar and its source."""
    head = "<b>" + _("{year}, civilians {measure}").format(year=row.year, measure=_(row.measure)) + "</b>"
    if row.kind == "gap":
        return f"{head}<br>" + _("No figure in these data: unknown, not zero")
    source = _hover_text(row.source)
    value = i18n.number(row.value)
    total = None if pd.isna(row.total) else i18n.number(row.total)
    if row.kind == "other report":
        return f"{head}<br>" + _(
            "Another report of the total: {value} (the bar shows {total})<br>Source: {source}"
        ).format(value=value, total=total, source=source)
    shares = (
        "<br>" + _("Shares stated for {year}: {shares}").format(year=row.year, shares=_hover_text(row.shares))
        if isinstance(row.shares, str)
        else ""
    )
    if row.label == WHOLE_TOTAL:
        body = _("Total, all parties: {value}<br>Counted by {counted_by}<br>Source: {source}").format(
            value=value, counted_by=_hover_text(row.counted_by), source=source
        )
    elif row.label == REMAINDER:
        body = _(
            "Rest of the total: {value} of {total} (the total minus the parties above)<br>Total from: {source}"
        ).format(value=value, total=total, source=source)
    elif total is None:
        body = _("{party}: {value} (no total for all parties)<br>Source: {source}").format(
            party=_hover_text(row.label), value=value, source=source
        )
    else:
        body = _("{party}: {value} of {total}<br>Source: {source}").format(
            party=_hover_text(row.label), value=value, total=total, source=source
        )
    return f"{head}<br>{body}{shares}"


def _annual_panels(presentation: bool) -> go.Figure:
    """One panel per measure (killed, injured), one above the other, sharing the years."""
    return make_subplots(
        rows=len(ANNUAL_MEASURES),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.18 if presentation else 0.12,
        subplot_titles=[_(MEASURE_TITLES.get(m, m)) for m in ANNUAL_MEASURES],
    )


def _segment_styles(segments: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Segment label -> (colour, pattern), in the order the bars stack: the whole total, the parties, the rest."""
    parties = [label for label in dict.fromkeys(segments["label"]) if label not in (WHOLE_TOTAL, REMAINDER)]
    styles = {WHOLE_TOTAL: (TOTAL_COLOUR, "")}
    for position, party in enumerate(parties):
        styles[party] = (PARTY_COLOURS[position % len(PARTY_COLOURS)], PARTY_PATTERNS[position % len(PARTY_PATTERNS)])
    styles[REMAINDER] = (REMAINDER_COLOUR, "")
    return styles


def _segment_bars(segments: pd.DataFrame, styles: dict[str, tuple[str, str]]) -> list[go.Bar]:
    """The stacked bars of one measure: a trace per segment label, in stacking order."""
    bars = []
    for label, (colour, pattern) in styles.items():
        of_label = segments[segments["label"] == label]
        if of_label.empty:
            continue
        bars.append(
            go.Bar(
                x=of_label["year"],
                y=of_label["value"],
                name=_wrap_label(plotly_text(_(label) if label in (WHOLE_TOTAL, REMAINDER) else label)),
                legendgroup=label,
                marker={
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": SOFT_INK, "size": 8},
                    "line": {"color": SOFT_INK, "width": 0.5},
                },
                hovertext=of_label["hover"],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    return bars


def _marks(rows: pd.DataFrame, *, name: str, group: str, marker: dict) -> list[go.Scatter]:
    """Markers at the rows' values (other reports, gaps), none when there are no rows."""
    if rows.empty:
        return []
    return [
        go.Scatter(
            x=rows["year"],
            y=rows["value"],
            mode="markers",
            name=name,
            legendgroup=group,
            marker=marker,
            hovertext=rows["hover"],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    ]


def _annual_traces(of_measure: pd.DataFrame, styles: dict[str, tuple[str, str]], size: dict) -> list:
    """One measure's traces: the stacked bars, the other reports of a total, the years without a figure."""
    other_marker = {
        "symbol": OTHER_REPORT_SYMBOL,
        "color": INK,
        "size": size["marker"],
        "line": {"color": "#FFFFFF", "width": 1},
    }
    gap_marker = {
        "symbol": GAP_SYMBOL,
        "color": GAP_COLOUR,
        "size": size["marker"],
        "line": {"color": GAP_COLOUR, "width": 2},
    }
    kinds = of_measure["kind"]
    return [
        *_segment_bars(of_measure[kinds == "segment"], styles),
        *_marks(
            of_measure[kinds == "other report"],
            name=_("another report of the total"),
            group="other report",
            marker=other_marker,
        ),
        *_marks(of_measure[kinds == "gap"], name=_("no figure: unknown"), group="gap", marker=gap_marker),
    ]


def _say_unknown(fig: go.Figure, gaps: pd.DataFrame, row: int, size: dict) -> None:
    """`unknown` written in the empty slot of each year without a figure; upright text would overlap its neighbours."""
    for year in gaps["year"]:
        fig.add_annotation(
            x=year,
            y=0,
            text=_("unknown"),
            textangle=-90,
            yanchor="bottom",
            yshift=12,
            showarrow=False,
            font={"color": GAP_COLOUR, "size": size["font"]},
            row=row,
            col=1,
        )


def _annual_layout(fig: go.Figure, years: pd.Series, *, title: str, presentation: bool) -> None:
    """Years on the shared axis, stacked bars, the text sizes, and the legend: across the top on a projector, where
    each panel's axis then says what it counts, else on the right."""
    size = sizes(presentation)
    fig.update_xaxes(dtick=1, tickformat="d", range=[years.min() - 0.6, years.max() + 0.6])
    fig.update_layout(barmode="stack", bargap=0.25)
    apply_layout(fig, title=title, presentation=presentation, height=620, legend_rows=4 if presentation else 1)
    readable_ticks(fig, presentation=presentation)
    fig.update_xaxes(tickangle=-45 if presentation else 0)
    panel_titles = [_(MEASURE_TITLES[measure]) for measure in ANNUAL_MEASURES]
    for panel_title in panel_titles:
        fig.update_annotations(selector={"text": panel_title}, font={"size": size["font"]})
    if presentation:
        fig.for_each_trace(lambda trace: trace.update(name=trace.name.replace("<br>", " ")))
        # The panel titles would stand under the legend's last row.
        fig.layout.annotations = [note for note in fig.layout.annotations if note.text not in panel_titles]
        for row, measure in enumerate(ANNUAL_MEASURES, start=1):
            fig.update_yaxes(title_text=_(MEASURE_TITLES.get(measure, measure)), row=row, col=1)
    else:
        fig.update_layout(
            legend={"orientation": "v", "y": 1, "yanchor": "top", "x": 1.01, "xanchor": "left"},
            margin={"t": 60},
        )


def annual_chart(annual: pd.DataFrame, *, title: str, presentation: bool = False) -> go.Figure:
    """Killed and injured per year as stacked bars by party, other reports as diamonds, gaps said to be unknown."""
    if annual.empty:
        return empty_figure(title, presentation=presentation)
    size = sizes(presentation)
    annual = annual.assign(hover=[annual_hover(row) for row in annual.itertuples(index=False)])
    styles = _segment_styles(annual[annual["kind"] == "segment"])
    fig = _annual_panels(presentation)
    in_legend: set[str] = set()
    for row, measure in enumerate(ANNUAL_MEASURES, start=1):
        of_measure = annual[annual["measure"] == measure]
        for trace in _annual_traces(of_measure, styles, size):
            # Each label once in the legend, though it has a trace in both panels.
            trace.showlegend = trace.legendgroup not in in_legend
            in_legend.add(trace.legendgroup)
            fig.add_trace(trace, row=row, col=1)
        _say_unknown(fig, of_measure[of_measure["kind"] == "gap"], row, size)
        fig.update_yaxes(title=_("civilians"), tickformat=",d", rangemode="tozero", row=row, col=1)
    _annual_layout(fig, annual["year"], title=title, presentation=presentation)
    return fig
