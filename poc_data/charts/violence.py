"""Figure builders for UCDP's counts of civilians killed: an operation's host countries year by year beside its
troops and dates, and the actors of one-sided violence in a country. Every figure carries its sources at its foot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from poc_data.charts import titles
from poc_data.charts.base import add_source_line, apply_layout, empty_figure, fitted_height, sizes
from poc_data.i18n import N_, _
from poc_data.i18n import date as written_date
from poc_data.safe_text import plotly_text
from poc_data.style import (
    ACTOR_STYLES,
    BAND_OPACITY,
    INK,
    MARKER_LINE_COLOUR,
    TROOPS_COLOUR,
    VIOLENCE_STYLES,
)
from poc_data.transform.violence import BANDED, no_killed_text, no_troops_text

LEGEND_NAMES = {
    "government": N_("Governments (one-sided)"),
    "non_state": N_("Non-state groups (one-sided)"),
    "state_based": N_("State-based conflict"),
    "non_state_conflict": N_("Non-state conflict"),
}
HOVER_NAMES = {
    "government": N_("civilians killed by governments in one-sided violence"),
    "non_state": N_("civilians killed by non-state groups in one-sided violence"),
    "state_based": N_("civilians killed in state-based armed conflict"),
    "non_state_conflict": N_("civilians killed in non-state conflict"),
}
# A year's value is drawn at its middle and a troops bar spans most of it, so that a date marked (an operation's
# start) falls inside the year it belongs to.
YEAR_MS = 365.25 * 24 * 3600 * 1000
BAR_SHARE = 0.8
ACTOR_ROW = {False: 34, True: 46}
ACTOR_LABEL_CHARS = 40
ACTOR_CREDIT_WIDTH = {False: 110, True: 70}


def _mid_year(years: pd.Series) -> list[pd.Timestamp]:
    return [pd.Timestamp(year=int(year), month=7, day=2) for year in years]


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def _killed_traces(fig: go.Figure, killed: pd.DataFrame, size: dict) -> None:
    x = _mid_year(killed["year"])
    for kind, name in LEGEND_NAMES.items():
        colour, dash, symbol = VIOLENCE_STYLES[kind]
        best = kind if kind not in BANDED else f"{kind}_best"
        if kind in BANDED:
            low, high = killed[f"{kind}_low"].astype(float), killed[f"{kind}_high"].astype(float)
            fig.add_trace(
                go.Scatter(
                    x=x, y=low.to_numpy(), mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False,
                    legendgroup=kind,
                ),
                row=1, col=1,
            )  # fmt: skip
            fig.add_trace(
                go.Scatter(
                    x=x, y=high.to_numpy(), mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor=_rgba(colour, BAND_OPACITY), hoverinfo="skip", showlegend=False, legendgroup=kind,
                ),
                row=1, col=1,
            )  # fmt: skip
            band = np.stack([killed[f"{kind}_low"].to_numpy(), killed[f"{kind}_high"].to_numpy()], axis=-1)
            hover = f"%{{x|%Y}}: %{{y:,}} {_(HOVER_NAMES[kind])}<br>" + _(
                "UCDP's low to high: %{customdata[0]:,}–%{customdata[1]:,}"
            )
        else:
            band = None
            hover = f"%{{x|%Y}}: %{{y:,}} {_(HOVER_NAMES[kind])}"
        fig.add_trace(
            go.Scatter(
                x=x,
                y=killed[best].astype(float).to_numpy(),
                mode="lines+markers",
                name=_(name),
                legendgroup=kind,
                line={"color": colour, "width": size["line"], "dash": dash},
                marker={"color": colour, "symbol": symbol, "size": size["marker"] * 0.7},
                customdata=band,
                hovertemplate=hover + "<br>" + _("(rows: %{text})") + "<extra></extra>",
                text=[plotly_text(rows) for rows in killed["rows"]],
            ),
            row=1,
            col=1,
        )


def _troop_bars(fig: go.Figure, troops: pd.DataFrame) -> None:
    known = troops.dropna(subset=["troops"])
    details = np.stack(
        [
            known["locations"].to_numpy(),
            known["troops_unknown"].to_numpy(),
            known["police_sites"].to_numpy(),
            known["observer_sites"].to_numpy(),
        ],
        axis=-1,
    )
    fig.add_trace(
        go.Bar(
            x=_mid_year(known["year"]),
            y=known["troops"].astype(float).to_numpy(),
            width=YEAR_MS * BAR_SHARE,
            name=_("Troops (Geo-PKO)"),
            marker={"color": TROOPS_COLOUR, "line": {"color": "#005A8C", "width": 1}},
            customdata=details,
            hovertemplate=_(
                "%{x|%Y}: %{y:,} troops at %{customdata[0]} locations (%{customdata[1]} without a troop number)"
                "<br>UN police at %{customdata[2]}, military observers at %{customdata[3]} locations"
            )
            + "<extra></extra>",
        ),
        row=2,
        col=1,
    )


def _mark_dates(fig: go.Figure, markers: pd.DataFrame, span: tuple[pd.Timestamp, pd.Timestamp], size: dict) -> None:
    """A vertical line through both panels at each date, labelled inside the upper panel; dates that coincide share
    one line and one label, and labels step down so that close dates do not overlap."""
    dated = markers.dropna(subset=["date"])
    dated = dated[(dated["date"] >= span[0]) & (dated["date"] <= span[1])]
    width = (span[1] - span[0]).total_seconds()
    for step, (date, group) in enumerate(dated.groupby("date", sort=True)):
        label = "; ".join(group["label"])
        fig.add_shape(
            type="line", x0=date, x1=date, xref="x", yref="paper", y0=0, y1=1,
            line={"color": MARKER_LINE_COLOUR, "width": 2, "dash": "dashdot"},
        )  # fmt: skip
        right = (date - span[0]).total_seconds() > 0.6 * width
        fig.add_annotation(
            text=plotly_text(f"{label}, {written_date(date.date(), 'medium')}"),
            x=date,
            xref="x",
            yref="y domain",
            y=1 - 0.13 * step,
            xanchor="right" if right else "left",
            yanchor="top",
            xshift=-4 if right else 4,
            showarrow=False,
            bgcolor="rgba(255,255,255,0.85)",
            font={"size": round(size["font"] * 0.85), "color": INK},
        )


def _note_in(fig: go.Figure, text: str, panel: int, size: dict) -> None:
    suffix = "" if panel == 1 else str(panel)
    fig.add_annotation(
        text=plotly_text(text),
        xref=f"x{suffix} domain",
        yref=f"y{suffix} domain",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": size["font"], "color": INK},
    )


def violence_presence_chart(
    killed: pd.DataFrame,
    troops: pd.DataFrame,
    markers: pd.DataFrame,
    *,
    acronym: str,
    years: tuple[int, int],
    credit: str,
    presentation: bool = False,
) -> go.Figure:
    """Civilians killed per year (UCDP: one-sided violence by governments and by non-state groups, each with its
    low-high band, and in state-based and non-state conflict) over the operation's troops per year (Geo-PKO), with
    the operation's dates marked across both, and the sources at the foot. An empty panel says why it is empty."""
    period = titles.years_phrase(years)
    title = titles.titled(
        _("Civilians killed (UCDP) and {acronym}'s troops, {period}").format(acronym=acronym, period=period)
    )
    no_killed, no_troops = no_killed_text(acronym, period), no_troops_text(acronym, period)
    has_troops = not troops.empty and troops["troops"].notna().any()
    if killed.empty and not has_troops:
        fig = empty_figure(title, f"{no_killed} {no_troops}", presentation)
        return add_source_line(fig, credit, presentation=presentation, below=10)
    size = sizes(presentation)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.07)
    if killed.empty:
        _note_in(fig, no_killed, 1, size)
    else:
        _killed_traces(fig, killed, size)
    if has_troops:
        _troop_bars(fig, troops)
    else:
        _note_in(fig, no_troops, 2, size)
    span = (pd.Timestamp(year=years[0], month=1, day=1), pd.Timestamp(year=years[1], month=12, day=31))
    _mark_dates(fig, markers, span, size)
    apply_layout(fig, title=title, presentation=presentation, height=640, legend_rows=2)
    count = years[1] - years[0] + 1
    months = 12 * (1 if count <= 12 else 2 if count <= 24 else 5)
    fig.update_xaxes(
        type="date",
        range=list(span),
        dtick=f"M{months}",
        tick0="1990-01-01",
        tickformat="%Y",
        ticklabelmode="period",
        showgrid=False,
    )
    fig.update_yaxes(rangemode="tozero", tickformat=",d")
    # On a projector the lower panel is too short for a turned title, and the two would run into each other; the
    # figure's title and the legend already say what each panel counts.
    if not presentation:
        fig.update_yaxes(title={"text": _("Civilians killed (UCDP)")}, row=1, col=1)
        fig.update_yaxes(title={"text": _("Troops (Geo-PKO)")}, row=2, col=1)
    fig.update_layout(bargap=0, hovermode="closest")
    return add_source_line(fig, credit, presentation=presentation, below=int(size["font"] * 2.2))


def actors_chart(
    actors: pd.DataFrame, *, title: str, credit: str, cap: int | None = None, presentation: bool = False
) -> go.Figure:
    """The actors of one-sided violence, most civilians killed first: a bar of the best estimate each, with UCDP's
    low to high as a whisker, governments filled and non-state groups hatched; at most `cap` of them (the rest are
    in the table)."""
    if actors.empty:
        fig = empty_figure(title, _("No actor of one-sided violence in these years."), presentation)
        return add_source_line(fig, credit, presentation=presentation, below=10)
    shown = actors if cap is None else actors.head(cap)
    size = sizes(presentation)
    labels = [plotly_text(name, ACTOR_LABEL_CHARS) for name in shown["actor_name"]]
    fig = go.Figure()
    for government, name in ((True, _("Government")), (False, _("Non-state group"))):
        colour, pattern = ACTOR_STYLES[government]
        rows = shown[shown["government"] == government]
        picked = shown["government"].to_numpy() == government
        best = rows["best"].to_numpy(dtype=float)
        fig.add_trace(
            go.Bar(
                y=[label for label, keep in zip(labels, picked, strict=True) if keep],
                x=best,
                orientation="h",
                name=name,
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "#FFFFFF"}},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": np.clip(rows["high"].to_numpy(dtype=float) - best, 0, None),
                    "arrayminus": np.clip(best - rows["low"].to_numpy(dtype=float), 0, None),
                    "color": INK,
                    "thickness": 1.5,
                },
                customdata=np.stack([rows["low"], rows["high"], rows["years"]], axis=-1),
                hovertemplate=_(
                    "<b>%{y}</b><br>%{x:,} civilians killed (UCDP's low to high: %{customdata[0]:,}–"
                    "%{customdata[1]:,})<br>Years: %{customdata[2]}"
                )
                + "<extra></extra>",
            )
        )
    height = 150 + ACTOR_ROW[presentation] * len(shown)
    apply_layout(fig, title=title, presentation=presentation, height=height)
    fig.update_layout(height=fitted_height(height, presentation) if presentation else height, barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None)
    fig.update_xaxes(title={"text": _("Civilians killed in the years chosen (best estimate)")}, tickformat=",d")
    # Under the actors' names too: the plot alone is too narrow for the sources on a projector. The names' width is
    # estimated on the short side (plotly sizes that margin itself), so that the text never starts off the figure.
    names = max((len(name) for name in shown["actor_name"].astype(str)), default=0)
    left = int(min(names, ACTOR_LABEL_CHARS) * size["font"] * 0.45)
    return add_source_line(
        fig,
        credit,
        presentation=presentation,
        below=int(size["font"] * 3.6),
        left=left,
        width=ACTOR_CREDIT_WIDTH[presentation],
    )
