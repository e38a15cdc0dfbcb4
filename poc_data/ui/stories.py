"""The Stories page's glue: the stories checked against the loaded data, a step's view drawn, stepping controls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from poc_data.export import story_html
from poc_data.load import resolve_data_dir
from poc_data.stories import STORY_PAGES, Story, StoryFile, read_stories
from poc_data.text import md, source_citation
from poc_data.transform.common import cited_sources
from poc_data.ui.data import dataset, sources
from poc_data.ui.page import page_link
from poc_data.ui.show import chart
from poc_data.ui.widgets import pager
from poc_data.views import View, build_view

VIEW_DATA = ("milestones", "missions", "mandates", "comparisons", "recommendations", "civilian_harm")
MAX_PROBLEMS_SHOWN = 20


def story_data() -> dict:
    """The datasets the stories' views are built from (None for one that could not be loaded), and the sources."""
    data = {dataset_id: dataset(dataset_id) for dataset_id in VIEW_DATA}
    data["sources"] = sources()
    return data


def load_stories(data: dict) -> list[StoryFile]:
    """Every story file of the data directory, checked against the data as the page has it."""
    frames = {name: frame for name, frame in data.items() if frame is not None}
    return read_stories(resolve_data_dir(), data=frames, source_ids=set(data["sources"]["id"]))


def show_problems(files: list[StoryFile]) -> None:
    """A story that fails its checks is named with every problem (file:line: field: message), not a traceback."""
    for story_file in files:
        if not story_file.problems:
            continue
        st.error(
            f"The story file {story_file.path.name} has problems, so it is not offered. Correct it and reload; "
            "`python -m poc_data check` lists the same problems.",
            icon=":material/error:",
        )
        lines = [str(problem) for problem in story_file.problems[:MAX_PROBLEMS_SHOWN]]
        st.code("\n".join(lines), language=None, wrap_lines=True)


def step_view(story: Story, number: int, data: dict, *, presentation: bool) -> View:
    """The view of step `number` (1-based)."""
    return build_view(story.steps[number - 1], data, today=dt.date.today(), presentation=presentation)


def show_view(view: View, *, key: str) -> None:
    """A step's chart or verbatim text, full width."""
    if view.empty:
        st.info(view.empty, icon=":material/filter_alt_off:")
    if view.figure is not None:
        chart(view.figure, key=key)
    for block in view.blocks:
        with st.container(border=True):
            st.markdown(f"**{md(block.heading)}**")
            st.markdown("\n".join(f"- {md(line)}" for line in block.lines))
            if block.citation:
                st.caption(md(block.citation))


def show_sources(story_step, view: View, all_sources) -> None:
    """The step's own sources, then the sources of the records its view draws on."""
    named = all_sources[all_sources["id"].isin(story_step.source_ids)]
    st.markdown(
        "**Sources:** " + "; ".join(source_citation(record) for record in named.to_dict("records")),
    )
    behind = cited_sources(all_sources, *view.records)
    if len(behind):
        with st.expander(f"Sources of the data shown ({len(behind)})", icon=":material/menu_book:"):
            st.markdown("\n".join(f"- {source_citation(record)}" for record in behind.head(60).to_dict("records")))


def open_on_page(story_step) -> None:
    """A link to the same view on its own page, with its filters."""
    page = STORY_PAGES[story_step.page]
    page_link(
        page.script,
        label=f"Explore this view on the {story_step.page.replace('_', ' ')} page",
        icon=":material/open_in_new:",
        query_params=dict(story_step.params),
    )


def stepper(count: int, *, key: str, step: Callable[[int], None]) -> int:
    """Previous and Next (also the left and right arrow keys) on either side of the step picker, bound to the URL."""
    back, middle, forward = st.columns([1.4, 3, 1.4], vertical_alignment="center")
    with middle:
        number = pager(count, key=key, label="step", always=True)
    back.button(
        "Previous",
        key=f"{key}_previous",
        icon=":material/arrow_back:",
        on_click=step,
        args=(-1,),
        disabled=number <= 1,
        width="stretch",
        wrap=True,
        shortcut="Left",
        help="Previous step (left arrow key)",
    )
    forward.button(
        "Next",
        key=f"{key}_next",
        icon=":material/arrow_forward:",
        on_click=step,
        args=(1,),
        disabled=number >= count,
        width="stretch",
        wrap=True,
        shortcut="Right",
        help="Next step (right arrow key)",
    )
    return number


def download_story(story: Story, data: dict) -> None:
    """'Download this story': one HTML file with every step's figure, caption and sources, made on click."""

    def make() -> bytes:
        views = [build_view(step, data, today=dt.date.today()) for step in story.steps]
        return story_html(story, views, data["sources"], made=dt.date.today().isoformat()).encode("utf-8")

    st.download_button(
        "Download this story (one HTML file, works offline)",
        data=make,
        file_name=f"poc-explorer-story-{story.id}.html",
        mime="text/html",
        key="story_download",
        icon=":material/download:",
        on_click="ignore",
    )
