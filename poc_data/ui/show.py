"""Showing results: charts with offline maps, the empty state, CSV downloads and the sources footer."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from poc_data import i18n
from poc_data.i18n import _
from poc_data.schema import DATASETS
from poc_data.text import md, source_citation
from poc_data.transform.common import cited_sources, csv_bytes
from poc_data.ui.data import sources as bibliography

# plotly.js fetches world maps from a CDN unless told where they are; the app serves them from static/topojson/.
MAX_SOURCES_LISTED = 60

CHART_CONFIG = {
    "topojsonURL": "/app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def chart(fig: go.Figure | dict, *, key: str, on_select="ignore", selection_mode=("points",)):
    """Draw a figure (or its dict, from `memo_figure`) full width, with the offline map files and a PNG download."""
    if isinstance(fig, dict):
        # The dict of a figure that plotly validated when it was built: Streamlit validates a dict again on every
        # rerun (a Figure object it does not), which costs more than the figure's cache saves. Plotly's own
        # `_validate=False`, as it uses for figures it has read back, skips that; the chart drawn is the same.
        fig = go.Figure(fig, _validate=False)
    config = {
        **CHART_CONFIG,
        "toImageButtonOptions": {**CHART_CONFIG["toImageButtonOptions"], "filename": f"poc-explorer-{key}"},
    }
    return st.plotly_chart(
        fig, width="stretch", key=key, config=config, on_select=on_select, selection_mode=selection_mode
    )


def nothing_matches(what: str | None = None) -> None:
    """The friendly empty state, instead of an empty chart (`what`, translated, names what is missing; rows by
    default)."""
    what = what or _("rows")
    st.info(
        _("Nothing matches: no {what} fit the current filters. Widen the filters or clear the search.").format(
            what=md(what)
        ),
        icon=":material/filter_alt_off:",
    )


def download_csv(frame: pd.DataFrame, *, file_name: str, key: str, label: str | None = None) -> None:
    """A download of exactly the rows shown, each with a readable citation of its source; the CSV is made only when
    the button is clicked (`label`, translated, names the button)."""
    st.download_button(
        label or _("Download these rows (CSV)"),
        data=partial(csv_bytes, frame, bibliography() if "source_id" in frame.columns else None),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def sources_footer(
    sources: pd.DataFrame, frames: Iterable[pd.DataFrame], datasets: Iterable[str], metadata: dict | None = None
) -> None:
    """The sources of what is shown, the datasets' licences, and how to cite."""
    cited = cited_sources(sources, *frames)
    st.divider()
    with st.expander(
        _("Sources of what is shown ({count})").format(count=i18n.number(len(cited))), icon=":material/menu_book:"
    ):
        if cited.empty:
            st.write(_("No source: nothing is shown."))
        else:
            listed = cited.head(MAX_SOURCES_LISTED).itertuples(index=False)
            st.markdown("\n".join(f"- {source_citation(record._asdict())}" for record in listed))
            if len(cited) > MAX_SOURCES_LISTED:
                st.caption(
                    _(
                        "The first {listed} of {count} sources are listed; "
                        "the Sources and data page lists and downloads them all."
                    ).format(listed=i18n.number(MAX_SOURCES_LISTED), count=i18n.number(len(cited)))
                )
        names = ", ".join(f"`{DATASETS[d].data_file}`" for d in datasets)
        licences = {md(meta.license) for meta in (metadata or {}).values() if meta is not None}
        st.caption(
            _(
                "Datasets: {names}. Licence of the compilation: {licences}; quoted text remains its publishers'. "
                "The Sources and data page lists every dataset with its fields."
            ).format(names=names, licences=", ".join(sorted(licences)) or _("see Sources and data"))
        )
