"""Records drawn the same way on every page that shows them: milestone entries and the civilian-harm table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from poc_data.i18n import _
from poc_data.style import badge
from poc_data.text import md
from poc_data.transform import harm as th
from poc_data.transform.timeline import by_year
from poc_data.ui.widgets import paginate


def milestone_entry(entry, *, large: bool = False) -> None:
    """One milestone (a row of `timeline.timeline_entries`): organization, the verbatim text, its tags, its citation."""
    details = [_("Themes: {themes}").format(themes=md(entry.themes_text))]
    if entry.missions_text:
        details.append(_("Missions: {missions}").format(missions=md(entry.missions_text)))
    details.append(md(entry.citation))
    if large:
        st.markdown(badge(entry.organization))
        st.subheader(md(entry.text), anchor=False)
    else:
        st.markdown(f"{badge(entry.organization)} {md(entry.text)}")
    st.caption(" · ".join(details))


def milestone_entries(entries: pd.DataFrame, *, large: bool = False, year_level: int = 4) -> None:
    """Milestone entries under a heading for each year (of Markdown level `year_level`, under a section's own);
    `large` for one year presented on its own."""
    for year, group in by_year(entries):
        if large:
            st.header(str(year), anchor=False, divider="gray")
        else:
            st.markdown(f"{'#' * year_level} {year}")
        for entry in group.itertuples(index=False):
            milestone_entry(entry, large=large)


def harm_figures(figures: pd.DataFrame, sources: pd.DataFrame, *, key: str) -> None:
    """Civilian-harm figures as one table, a page at a time, with the source of each figure."""
    rows = paginate(figures, page_size=th.TABLE_PAGE_SIZE, key=key, what=_("figures"))
    st.dataframe(
        th.harm_table(rows, sources),
        hide_index=True,
        width="stretch",
        column_config={"Notes": st.column_config.TextColumn("Notes", width="large")},
    )
