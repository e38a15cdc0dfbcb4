"""Stories: guided walks through the data, one step at a time, full width, for a trainer at a projector."""

import streamlit as st

from poc_data import ui
from poc_data.stories import STORY_PAGES
from poc_data.text import md
from poc_data.ui import stories as us
from poc_data.ui.stories import PRESENTER_KEY, STEP_KEY, STORY_KEY

PAGE = "pages/8_Stories.py"

# A step fills the screen: the page's own title and question give way to the step's once a story is chosen.
page = ui.start_page(PAGE, heading=STORY_KEY not in st.query_params)
data = us.story_data()
files = us.load_stories(data)
us.show_problems(files)
stories = {story_file.story.id: story_file.story for story_file in files if story_file.story is not None}

if not stories:
    st.info(
        "No story is ready yet. A story is a YAML file in data/stories/; the README says how to write and check one.",
        icon=":material/auto_stories:",
    )
    ui.sources_footer(data["sources"], [], [])
    st.stop()

with st.sidebar:
    story_id = ui.selectbox(
        "Story",
        list(stories),
        key=STORY_KEY,
        index=None,
        format_func=lambda chosen: stories[chosen].title,
        placeholder="Choose a story to present",
        help="Each step shows one view of the data with its caption and sources. Step with the arrow keys.",
    )
    presenter = ui.toggle(
        "Presenter view",
        key=PRESENTER_KEY,
        help="The notes and the next step, for the trainer's own screen. A second window that steps with this one "
        "(the projector's audience view, or this presenter view) opens from the link below.",
    )

if story_id is None:
    for story in stories.values():
        with st.container(border=True):
            st.subheader(md(story.title), anchor=False)
            st.write(md(story.description))
            st.caption(f"{len(story.steps)} steps: " + " · ".join(md(step.title) for step in story.steps))
            ui.page_link(
                PAGE, label="Present this story", icon=":material/slideshow:", query_params={STORY_KEY: story.title}
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
st.caption(f"{md(story.title)} · step {number} of {count}")
st.header(md(current.title), anchor=False)

if presenter:
    st.markdown("#### Notes")
    st.markdown(md(current.notes))
    st.markdown("#### Caption on screen")
    st.markdown(md(current.caption))
    if number < count:
        following = story.steps[number]
        st.markdown(f"#### Next: {md(following.title)}")
        st.caption(md(following.caption))
    else:
        st.markdown("#### This is the last step.")
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
