"""The Stories page's glue: the stories checked against the loaded data, a step's view drawn, stepping controls,
and the two windows of a presentation (audience and presenter view) stepping together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from poc_data import i18n, links
from poc_data.export import story_html
from poc_data.i18n import N_, _
from poc_data.load import resolve_data_dir
from poc_data.stories import STORY_DATA, STORY_PAGES, Story, StoryFile, read_stories, story_paths
from poc_data.text import md, source_citation
from poc_data.transform.common import cited_sources
from poc_data.ui import events as ged
from poc_data.ui import workshop as live
from poc_data.ui.data import dataset, dataset_metadata, file_digest, memo, sources
from poc_data.ui.page import PRESENTATION_KEY, page_info, page_link
from poc_data.ui.show import chart
from poc_data.ui.widgets import link_notice, pager, seed_link_value
from poc_data.views import VIEW_METADATA, View, build_view
from poc_data.workshop import PRESENTATION_HOURS, WorkshopError

MAX_PROBLEMS_SHOWN = 20
STORIES_PATH = "Stories"
# The page's link parameters: the story (by its title), the step (1-based), the presenter view switch.
STORY_KEY = "story"
STEP_KEY = "step"
PRESENTER_KEY = "presenter"

# A presentation's two windows carry its token in their links (`show=`); this window's session remembers which shared
# step it last drew (`SEEN_KEY`), so that a step made elsewhere is followed and a step made here is shared.
SHOW_KEY = "show"
SEEN_KEY = "show_seen"
# Each window reads the shared step every second (one row by its primary key) and redraws when it differs: the other
# window follows within about a second of a step.
FOLLOW_SECONDS = 1
# What a story written in another language than the session's says of itself.
WRITTEN_IN = {"en": N_("This story is written in English."), "fr": N_("This story is written in French.")}


def story_data() -> dict:
    """The datasets the stories' views are built from (None for one that could not be loaded), and the sources."""
    data = {dataset_id: dataset(dataset_id) for dataset_id in STORY_DATA}
    data["sources"] = sources()
    data["metadata"] = {dataset_id: dataset_metadata(dataset_id) for dataset_id in VIEW_METADATA}
    # The events are queried where they are (DuckDB on the Parquet file), by a view that needs them.
    data["violence_events"] = ged.file_state()
    data["metadata"]["violence_events"] = ged.metadata()
    return data


def _checked_stories(data_dir: str, stamps: tuple, frames: dict, sources) -> list[StoryFile]:
    # `stamps` (each story file's name and content digest) is in the cache key, so an edited file is read again;
    # the bibliography goes in as its frame, whose fingerprint is kept, not as a set of 30 000 ids at 100x.
    return read_stories(data_dir, data=frames, source_ids=set(sources["id"].tolist()))


_checked_stories_memo = memo(_checked_stories)


def load_stories(data: dict) -> list[StoryFile]:
    """Every story file of the data directory, checked against the data as the page has it."""
    data_dir = resolve_data_dir()
    stamps = tuple((path.name, file_digest(path, path.parent)) for path in story_paths(data_dir))
    frames = {name: frame for name, frame in data.items() if isinstance(frame, pd.DataFrame)}
    return _checked_stories_memo(str(data_dir), stamps, frames, data["sources"])


def show_problems(files: list[StoryFile]) -> None:
    """A story that fails its checks is named with every problem (file:line: field: message), not a traceback."""
    for story_file in files:
        if not story_file.problems:
            continue
        st.error(
            _(
                "The story file {name} has problems, so it is not offered. Correct it and reload; "
                "`python -m poc_data check` lists the same problems."
            ).format(name=story_file.path.name),
            icon=":material/error:",
        )
        lines = [str(problem) for problem in story_file.problems[:MAX_PROBLEMS_SHOWN]]
        st.code("\n".join(lines), language=None, wrap_lines=True)


def _view_parts(step, data: dict, today: dt.date, presentation: bool, language: str) -> tuple:
    # The language is in the cache key: a view's chart and notices are written in it.
    with i18n.language(language):
        view = build_view(step, data, today=today, presentation=presentation)
    # The figure as a plain dict: a cached Figure object is validated again by plotly each time it is read back.
    return (None if view.figure is None else view.figure.to_dict()), view.blocks, view.records, view.empty


_view_parts_memo = memo(_view_parts)


def step_view(story: Story, number: int, data: dict, *, presentation: bool) -> View:
    """The view of step `number` (1-based), its figure as a dict; cached across reruns by the step and the data."""
    figure, blocks, records, empty = _view_parts_memo(
        story.steps[number - 1], data, dt.date.today(), presentation, i18n.current_language()
    )
    return View(figure=figure, blocks=blocks, records=records, empty=empty)


# On a 720-pixel projector, the app's header, the stepper and the step's title take about 320 pixels (375 when the
# title wraps at 1024x768): a projected step's chart is no taller than what is left, so the room sees it whole.
PROJECTED_STEP_HEIGHT = 390


def show_view(view: View, *, key: str, projected: bool = False) -> None:
    """A step's chart or verbatim text, full width; on a projector, the chart fits the screen under the step's title."""
    if view.empty:
        st.info(view.empty, icon=":material/filter_alt_off:")
    if view.figure is not None:
        figure = view.figure  # a dict, from `step_view`'s cache
        if projected:
            layout = figure.setdefault("layout", {})
            layout["height"] = min(layout.get("height") or PROJECTED_STEP_HEIGHT, PROJECTED_STEP_HEIGHT)
        chart(figure, key=key)
    for block in view.blocks:
        with st.container(border=True):
            st.markdown(f"**{md(block.heading)}**")
            st.markdown("\n".join(f"- {md(line)}" for line in block.lines))
            if block.citation:
                st.caption(md(block.citation))


def show_sources(story_step, view: View, all_sources) -> None:
    """The step's own sources, then the sources of the records its view draws on."""
    named = all_sources[all_sources["id"].isin(story_step.source_ids)]
    citations = "; ".join(source_citation(record) for record in named.to_dict("records"))
    st.markdown(_("**Sources:** {citations}").format(citations=citations))
    behind = cited_sources(all_sources, *view.records)
    if len(behind):
        label = _("Sources of the data shown ({count})").format(count=i18n.number(len(behind)))
        with st.expander(label, icon=":material/menu_book:"):
            st.markdown("\n".join(f"- {source_citation(record)}" for record in behind.head(60).to_dict("records")))


def open_on_page(story_step) -> None:
    """A link to the same view on its own page, with its filters."""
    page = STORY_PAGES[story_step.page]
    page_link(
        page.script,
        label=_("Explore this view on the {page} page").format(page=_(page_info(page.script).label)),
        icon=":material/open_in_new:",
        query_params=dict(story_step.params),
    )


def stepper(count: int, *, key: str, step: Callable[[int], None]) -> int:
    """Previous and Next (also the left and right arrow keys) on either side of the step picker, bound to the URL."""
    back, middle, forward = st.columns([1.4, 3, 1.4], vertical_alignment="center")
    with middle:
        number = pager(count, key=key, label=_("step"), always=True)
    back.button(
        _("Previous"),
        key=f"{key}_previous",
        icon=":material/arrow_back:",
        on_click=step,
        args=(-1,),
        disabled=number <= 1,
        width="stretch",
        wrap=True,
        shortcut="Left",
        help=_("Previous step (left arrow key)"),
    )
    forward.button(
        _("Next"),
        key=f"{key}_next",
        icon=":material/arrow_forward:",
        on_click=step,
        args=(1,),
        disabled=number >= count,
        width="stretch",
        wrap=True,
        shortcut="Right",
        help=_("Next step (right arrow key)"),
    )
    return number


def download_story(story: Story, data: dict) -> None:
    """'Download this story': one HTML file with every step's figure, caption and sources, made on click."""

    # Made on click, on the server's thread, outside this session's run: in the language of the session that asked.
    chosen = i18n.current_language()

    def make() -> bytes:
        with i18n.language(chosen):
            views = [build_view(step, data, today=dt.date.today()) for step in story.steps]
            return story_html(story, views, data["sources"], made=i18n.date(dt.date.today())).encode("utf-8")

    st.download_button(
        _("Download this story (one HTML file, works offline)"),
        data=make,
        file_name=f"poc-explorer-story-{story.id}.html",
        mime="text/html",
        key="story_download",
        icon=":material/download:",
        on_click="ignore",
    )


@dataclass(frozen=True)
class Pairing:
    """The presentation a window steps with: its token, and its shared step when this run began."""

    token: str
    step: int


def _step_alone() -> None:
    """This window leaves its presentation (the others keep it)."""
    st.query_params.pop(SHOW_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


def _unpaired(message: str) -> None:
    st.warning(message, icon=":material/link_off:")
    _step_alone()


def linked_presentation(story: Story) -> Pairing | None:
    """The presentation this window steps with (the link's `show` token), or None, after a short notice if the link
    named one that cannot be followed. Call it before the step picker is drawn: when another window has stepped since
    this one last drew, its step becomes this window's."""
    if SHOW_KEY not in st.query_params:
        st.session_state.pop(SEEN_KEY, None)
        return None
    parsed = links.parse_token(st.query_params.get_all(SHOW_KEY))
    if parsed.use_default:
        if parsed.ignored:
            link_notice(
                _("presentation"),
                parsed,
                sentence=_(
                    "The link's {label} {values} is not available here, so this window steps on its own ({reason})."
                ),
            )
        st.query_params.pop(SHOW_KEY, None)
        return None
    store = live.store()
    if store is None:
        return None
    try:
        story_id, shared = store.presentation(parsed.value)
    except WorkshopError as error:
        _unpaired(_("{error} This window steps on its own.").format(error=error))
        return None
    except SQLAlchemyError as error:
        st.warning(
            _(
                "The presentation's database did not answer ({error}), so this window steps on its own for now; "
                "reload to try again."
            ).format(error=error.__class__.__name__),
            icon=":material/database_off:",
        )
        return None
    if story_id != story.id:
        seen = st.session_state.get(SEEN_KEY)
        if seen and seen[0] == parsed.value:
            # This window presented with it, then chose another story: a new story is presented on its own.
            _step_alone()
        else:
            _unpaired(_("The link's presentation is of another story, so this window steps on its own."))
        return None
    shared = min(shared, len(story.steps))
    if st.session_state.get(SEEN_KEY) != (parsed.value, shared):
        if STEP_KEY in st.session_state:
            st.session_state[STEP_KEY] = shared
        else:
            # The step picker is not drawn yet (the window just opened): it starts from the link, so correct that.
            seed_link_value(STEP_KEY, str(shared))
    return Pairing(parsed.value, shared)


@st.fragment(run_every=FOLLOW_SECONDS)
def _follow(token: str) -> None:
    """Redraw the page when the shared step is not the one this window drew (another window stepped)."""
    store = live.store()
    if store is None:
        return
    try:
        _story_id, shared = store.presentation(token)
    except WorkshopError:
        st.rerun(scope="app")  # the presentation ended: the page says so and stops following
    except SQLAlchemyError:
        return
    if st.session_state.get(SEEN_KEY) != (token, shared):
        st.rerun(scope="app")


def share_step(pairing: Pairing, number: int) -> None:
    """After the step picker: a step made in this window becomes the presentation's, and the window follows the
    others. The follower draws nothing (in the sidebar, out of the projected layout)."""
    if number != pairing.step:
        ok, _ = live.attempt(live.store().step_presentation, pairing.token, number)
        if not ok:
            return
    st.session_state[SEEN_KEY] = (pairing.token, number)
    with st.sidebar:
        _follow(pairing.token)


def view_link(story: Story, number: int, token: str, *, presenter: bool) -> str:
    """The full address of a presentation's audience view (in presentation mode, for the projector) or presenter
    view, at step `number`."""
    params = {STORY_KEY: story.title, STEP_KEY: str(number), SHOW_KEY: token}
    params.update({PRESENTER_KEY: "true"} if presenter else {PRESENTATION_KEY: "true"})
    return f"{live.page_origin()}/{STORIES_PATH}?{urlencode(params)}"


def _start(story_id: str, number: int) -> None:
    store = live.store()
    if store is None:
        return
    ok, token = live.attempt(store.start_presentation, story_id, number)
    if ok:
        st.query_params[SHOW_KEY] = token
        st.session_state[SEEN_KEY] = (token, number)


def pairing_controls(story: Story, number: int, *, presenter: bool, pairing: Pairing | None) -> None:
    """Make a presentation whose two windows step together, then the link to the other window (in a new tab, or
    its address to open on the other screen), and a way to step alone again."""
    if pairing is None:
        st.button(
            _("Open an audience view that steps with this one")
            if presenter
            else _("Open a presenter view that steps with this one"),
            key="show_start",
            icon=":material/co_present:",
            on_click=_start,
            args=(story.id, number),
            help=_(
                "Makes a link for a second window: the projector shows the audience view, your laptop the presenter "
                "view (your notes and the next step); stepping in either steps both."
            ),
        )
        return
    link = view_link(story, number, pairing.token, presenter=not presenter)
    st.link_button(
        _("Open the audience view") if presenter else _("Open the presenter view"),
        link,
        icon=":material/co_present:",
        help=_("Opens in a new tab: move it to the other screen. Stepping in either window steps both."),
    )
    st.caption(
        _(
            "Or open this address on the other screen. It steps along with this window, as does anyone who has it; "
            "it ends {hours} hours after the last step."
        ).format(hours=PRESENTATION_HOURS)
    )
    st.code(link, language=None, wrap_lines=True)
    st.button(_("Step this window on its own"), key="show_stop", icon=":material/link_off:", on_click=_step_alone)


def language_note(story: Story) -> None:
    """A story written in another language than the session's says which (its text is shown as written)."""
    if story.lang != i18n.current_language():
        st.caption(_(WRITTEN_IN[story.lang]))
