"""Layout shared by every chart: readable defaults, a presentation variant, and the empty state."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from poc_data import i18n
from poc_data.charts import titles
from poc_data.i18n import _
from poc_data.safe_text import plotly_text
from poc_data.style import INK, SOFT_INK

# Quoted: "Source Sans 3" unquoted is not a valid CSS family name, and the browser would drop the whole list.
FONT = '"Source Sans Pro", "Source Sans 3", sans-serif'

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
        return {"font": 22, "title": 26, "marker": 16, "line": 4}
    return {"font": 14, "title": 18, "marker": 11, "line": 2}


# A projector shows 720 or 768 pixels in height, less the app's header: a chart taller than this would need
# scrolling, so in presentation mode no chart is; builders with many rows show fewer of them instead.
PRESENTATION_MAX_HEIGHT = 560


def fitted_height(height: int, presentation: bool) -> int:
    """A figure's height: larger type needs more room, but a presented chart fits the screen."""
    if not presentation:
        return int(height)
    return min(int(height * 1.25), PRESENTATION_MAX_HEIGHT)


# Characters a title line holds before it is wrapped: a presented chart is about 940 pixels wide at 1024x768.
TITLE_WIDTH = {False: 90, True: 64}


def separators() -> str:
    """Plotly's decimal and thousands separators (axes' ticks, hover's %{y:,}) as the session's language writes
    numbers: ".," in English, ", " (a narrow no-break space) in French."""
    written = i18n.number(1000.5, 1)
    return written[-2] + written[1]


def apply_layout(
    fig: go.Figure, *, title: str, presentation: bool = False, height: int | None = None, legend_rows: int = 1
) -> go.Figure:
    """Title, fonts, white background and, in presentation mode, larger type and high contrast.

    The title is wrapped into lines (plotly would cut it off) and stands at the top, the legend under it, left-aligned,
    and the plot under both, so that they never overlap at any width. Legends and axis titles take the text size and
    the ink colour (never a grey below 4.5:1)."""
    size = sizes(presentation)
    ink = INK if presentation else SOFT_INK
    grid = "#8C8C8C" if presentation else "#E1E4E8"
    text = {"family": FONT, "color": ink, "size": size["font"]}
    lines = titles.wrapped(title, TITLE_WIDTH[presentation])
    top = 14 + int((len(lines) + 0.3) * size["title"] * 1.3) + int(legend_rows * size["font"] * 1.9) + 8
    fig.update_layout(
        title={
            "text": "<br>".join(lines),
            "font": {"size": size["title"], "color": ink},
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            # plotly anchors the top of a wrapped title at its first line's baseline: one more line of room.
            "pad": {"t": 14 + (size["title"] if len(lines) > 1 else 0)},
        },
        font={"family": FONT, "size": size["font"], "color": ink},
        template=TEMPLATE,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "left",
            "x": 0,
            "font": text,
            "title": {"font": text},
        },
        hoverlabel={"font": {"size": size["font"]}},
        separators=separators(),
    )
    axes = {"gridcolor": grid, "linecolor": ink, "tickfont": text, "title": {"font": text}, "automargin": True}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    if height:
        fig.update_layout(height=fitted_height(height, presentation))
    return fig


def empty_figure(title: str, message: str | None = None, presentation: bool = False) -> go.Figure:
    """A figure that says nothing matches (or `message`), for builders given no rows."""
    fig = go.Figure()
    fig.add_annotation(
        text=message or _("Nothing matches the current filters."),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return apply_layout(fig, title=title, presentation=presentation, height=240)


PLOTLY_HEIGHT = 450  # plotly's height of a figure that sets none
# Characters a source line holds before it is wrapped, in its smaller type.
SOURCE_WIDTH = {False: 150, True: 120}


def add_source_line(
    fig: go.Figure,
    text: str,
    *,
    presentation: bool = False,
    below: int = 8,
    left: int = 0,
    width: int | None = None,
) -> go.Figure:
    """The figure's sources as a line (wrapped) under the plot, inside the figure, so that a screenshot or an exported
    image carries its citation; `text` is escaped for plotly here. It starts `below` pixels under the plot (under an
    axis's ticks and title) and `left` pixels left of it (under a bar chart's labels), in lines of at most `width`
    characters. The bottom margin grows to hold it."""
    # Smaller than the chart's text even when presented: the room reads the chart, a reader the citation.
    size = 14 if presentation else 12
    lines = titles.wrapped(" ".join(str(text).split()), width or SOURCE_WIDTH[presentation])
    room = int(len(lines) * size * 1.35) + 12
    fig.add_annotation(
        text="<br>".join(plotly_text(line) for line in lines),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-below,
        xshift=-left,
        align="left",
        font={"size": size, "color": INK if presentation else SOFT_INK},
        name="source",
    )
    bottom = max(fig.layout.margin.b or 0, below) + room
    height = (fig.layout.height or PLOTLY_HEIGHT) + room
    # A presented chart fits the projector's screen: the plot gives up the room rather than the figure growing.
    fig.update_layout(margin={"b": bottom}, height=min(height, PRESENTATION_MAX_HEIGHT) if presentation else height)
    return fig
