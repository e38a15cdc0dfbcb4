"""The live tally of a workshop item: votes per answer, or ranking points per recommendation."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from poc_data.charts.base import apply_layout, sizes
from poc_data.i18n import _, ngettext
from poc_data.style import AGREE_COLOURS, RANK_COLOUR


def tally_chart(tally: pd.DataFrame, *, option_labels: dict[str, str], presentation: bool = False) -> go.Figure:
    """One item's tally (rows of `WorkshopStore.tally` for that item) as horizontal bars, first answer on top.

    Agree-disagree items count the votes per answer; ranked items show each recommendation's points (a first place
    is worth one point less than there are recommendations, a last place nothing). `option_labels` names the
    options; the labels are the app's own short names, never participant text.
    """
    kind = tally["vote_kind"].iloc[0]
    ballots = int(tally["ballots"].iloc[0])
    if kind == "agree":
        values = tally["votes"].tolist()
        colours = [AGREE_COLOURS[int(option)] for option in tally["option"]]
        axis = _("votes")
        hover = _("%{y}: %{x} vote(s)<extra></extra>")
    else:
        tally = tally.sort_values("points", ascending=False, kind="stable")
        values = tally["points"].tolist()
        colours = [RANK_COLOUR] * len(tally)
        axis = _("ranking points")
        hover = _("%{y}: %{x} point(s), %{customdata} first place(s)<extra></extra>")
    labels = [option_labels.get(option, option) for option in tally["option"]]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": colours},
            text=values,
            textposition="auto",
            customdata=tally["votes"].tolist(),
            hovertemplate=hover,
        )
    )
    title = ngettext("{count} vote", "{count} votes", ballots).format(count=ballots)
    apply_layout(fig, title=title, presentation=presentation, height=60 + 48 * len(labels))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(title={"text": axis}, rangemode="tozero", dtick=1 if max(values, default=0) <= 10 else None)
    fig.update_traces(textfont={"size": sizes(presentation)["font"]})
    return fig
