"""Layout shared by every chart: readable defaults, a presentation variant, and the empty state."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

FONT = "Source Sans Pro, Source Sans 3, sans-serif"

# A small template instead of "plotly_white": every figure carries its template to the browser, and plotly validates
# the whole of it each time a figure is drawn (plotly_white's defaults for every trace type cost about 10 ms a figure).
# It keeps what the charts rely on: the white-theme axes and colour cycle, and bars' fill patterns drawn over colour.
_WHITE = pio.templates["plotly_white"]
TEMPLATE = go.layout.Template(
    data={
        "bar": [
            go.Bar(marker={"line": {"color": "#FFFFFF", "width": 0.5}, "pattern": _WHITE.data.bar[0].marker.pattern})
        ]
    },
    layout={
        "colorway": _WHITE.layout.colorway,
        "hovermode": "closest",
        "xaxis": {"showgrid": True, "zeroline": False, "ticks": "", "title": {"standoff": 15}},
        "yaxis": {"showgrid": True, "zeroline": False, "ticks": "", "title": {"standoff": 15}},
    },
)


def sizes(presentation: bool) -> dict[str, int]:
    """Font and marker sizes; presentation mode is for the back of a room."""
    if presentation:
        return {"font": 22, "title": 28, "marker": 18, "line": 4}
    return {"font": 14, "title": 18, "marker": 11, "line": 2}


def apply_layout(fig: go.Figure, *, title: str, presentation: bool = False, height: int | None = None) -> go.Figure:
    """Title, fonts, white background and, in presentation mode, larger type and high contrast."""
    size = sizes(presentation)
    ink = "#000000" if presentation else "#1A1A1A"
    grid = "#8C8C8C" if presentation else "#E1E4E8"
    fig.update_layout(
        title={"text": title, "font": {"size": size["title"], "color": ink}, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": size["font"], "color": ink},
        template=TEMPLATE,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        margin={"l": 10, "r": 10, "t": 60 if not presentation else 80, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"font": {"size": size["font"]}},
    )
    fig.update_xaxes(gridcolor=grid, linecolor=ink, tickfont={"color": ink, "size": size["font"]}, automargin=True)
    fig.update_yaxes(gridcolor=grid, linecolor=ink, tickfont={"color": ink, "size": size["font"]}, automargin=True)
    if height:
        fig.update_layout(height=int(height * (1.25 if presentation else 1)))
    return fig


def empty_figure(
    title: str, message: str = "Nothing matches the current filters.", presentation: bool = False
) -> go.Figure:
    """A figure that says nothing matches, for builders given no rows."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return apply_layout(fig, title=title, presentation=presentation, height=240)
