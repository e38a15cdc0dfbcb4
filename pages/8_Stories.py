"""Stories: guided walks through the data, one step at a time, full width, for a trainer at a projector."""

import streamlit as st

from poc_data import ui
from poc_data.i18n import _, current_language, ngettext
from poc_data.stories import STORY_PAGES, in_language_order
from poc_data.text import md
from poc_data.ui import stories as us
from poc_data.ui.stories import PRESENTER_KEY, STEP_KEY, STORY_KEY

PAGE = "pages/8_Stories.py"

# A step fills the screen: the page's own title and question give way to the step's once a story is chosen.
page = ui.start_page(PAGE, heading=STORY_KEY not in st.query_params)
data = us.story_data()
files = us.load_stories(data)
us.show_problems(files)
# Every story is offered in every session (a shared link to any story opens), those written in the session's language
# first; a story in another language says so.
stories = in_language_order(
    [story_file.story for story_file in files if story_file.story is not None], current_language()
)

if not stories:
    st.info(
        _(
            "No story is ready yet. A story is a YAML file in data/stories/; the README says how to write and check "
            "one."
        ),
        icon=":material/auto_stories:",
    )
    ui.sources_footer(data["sources"], [], [])
    st.stop()

with st.sidebar:
    story_id = ui.selectbox(
        _("Story"),
        list(stories),
        key=STORY_KEY,
        index=None,
        format_func=lambda chosen: stories[chosen].title,
        placeholder=_("Choose a story to present"),
        help=_("Each step shows one view of the data with its caption and sources. Step with the arrow keys."),
    )
    if story_id is not None:
        us.language_note(stories[story_id])
    presenter = ui.toggle(
        _("Presenter view"),
        key=PRESENTER_KEY,
        help=_(
            "The notes and the next step, for the trainer's own screen. A second window that steps with this one "
            "(the projector's audience view, or this presenter view) opens from the link below."
        ),
    )

if story_id is None:
    for story in stories.values():
        with st.container(border=True):
            st.subheader(md(story.title), anchor=False)
            us.language_note(story)
            st.write(md(story.description))
            titles = " · ".join(md(step.title) for step in story.steps)
            steps = len(story.steps)
            st.caption(
                ngettext("{count} step: {titles}", "{count} steps: {titles}", steps).format(count=steps, titles=titles)
            )
            ui.page_link(
                PAGE, label=_("Present this story"), icon=":material/slideshow:", query_params={STORY_KEY: story.title}
            )
    ui.sources_footer(data["sources"], [], [])
    st.stop()

story = stories[story_id]
count = len(story.steps)


def step(delta: int) -> None:
    """Move to the previous or next step."""
    st.session_state[STEP_KEY] = min(max(1, st.session_state.get(STEP_KEY, 1) + delta), count)


pairing = us.linked_presentation(story)
number = us.stepper(count, key=STEP_KEY, step=step)
if pairing:
    us.share_step(pairing, number)
current = story.steps[number - 1]
st.caption(_("{story} · step {number} of {count}").format(story=md(story.title), number=number, count=count))
st.header(md(current.title), anchor=False)

if presenter:
    st.markdown(_("#### Notes"))
    st.markdown(md(current.notes))
    st.markdown(_("#### Caption on screen"))
    st.markdown(md(current.caption))
    if number < count:
        following = story.steps[number]
        st.markdown(_("#### Next: {title}").format(title=md(following.title)))
        st.caption(md(following.caption))
    else:
        st.markdown(_("#### This is the last step."))
    view = us.step_view(story, number, data, presentation=False)
else:
    view = us.step_view(story, number, data, presentation=page.presentation)
    us.show_view(view, key=f"story_chart_{number}", projected=page.presentation)
    with st.container(key="story_caption"):
        st.markdown(md(current.caption))
    us.show_sources(current, view, data["sources"])
    us.open_on_page(current)

with st.sidebar:
    us.pairing_controls(story, number, presenter=presenter, pairing=pairing)
    us.download_story(story, data)
datasets = list(STORY_PAGES[current.page].datasets)
ui.sources_footer(data["sources"], view.records, datasets, {d: ui.dataset_metadata(d) for d in datasets})
