"""Page setup shared by every page: configuration, the grouped menu, presentation mode, notices from the URL."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from poc_data import i18n, links
from poc_data.i18n import N_, _
from poc_data.paths import STATIC_DIR
from poc_data.ui.data import cache_notice
from poc_data.ui.widgets import link_notice, link_switch

PRESENTATION_KEY = "present"
LANGUAGE_KEY = "lang"
LANGUAGE_STATE = "poc_language"
# A local file: Streamlit fetches Material-icon favicons from a font CDN, which fails offline.
FAVICON = STATIC_DIR / "favicon.png"

# Streamlit greys captions by transparency, which falls below WCAG AA contrast on the grey sidebar. Keyboard focus is
# drawn as a thick outline on every control, and the current page in the menu is marked by more than its shade.
BASE_CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  color: #3D4148 !important;
  opacity: 1 !important;
}
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, [role="slider"]:focus-visible,
[role="switch"]:focus-visible, [role="combobox"]:focus-visible, [tabindex]:focus-visible,
[data-baseweb="checkbox"]:focus-within, [data-baseweb="select"]:focus-within {
  outline: 3px solid #0B5394 !important;
  outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #FFFFFF !important;
}
[data-testid="stSliderThumb"]:focus-visible, [role="slider"]:focus-visible { box-shadow: 0 0 0 6px #0B5394 !important; }
.st-key-menu_current a { border-left: 4px solid #0B5394; }
.st-key-menu_current a p { font-weight: 700; }
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] * {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
}
[data-testid="stMetricLabel"], [data-testid="stMetricValue"] { height: auto !important; }
[data-testid="stMultiSelectTagsContainer"], [data-testid="stMultiSelectTagsContainer"] > [role="group"],
.stMultiSelect [role="group"]:has(> [data-testid="stMultiSelectTagsContainer"]) {
  flex-wrap: wrap !important;
  overflow: visible !important;
  max-height: none !important;
  height: auto !important;
  mask-image: none !important;
  -webkit-mask-image: none !important;
}
[data-testid="stPageLink"] *, [data-testid="stWidgetLabel"] *, [data-testid="stCheckbox"] label *,
[data-testid="stMain"] button p {
  white-space: normal !important;
  overflow: visible !important;
  text-overflow: clip !important;
}
.stSelectbox [data-baseweb="select"] > div > div:first-child,
.stSelectbox [data-baseweb="select"] > div > div:first-child * {
  white-space: normal !important;
  text-overflow: clip !important;
}
[data-tag], [data-tag] > span {
  max-width: none !important;
  overflow: visible !important;
  text-overflow: clip !important;
}
</style>
"""

# Larger type and high contrast for a projector: headline numbers stay larger than their labels, and nothing is
# truncated (text wraps instead). No data is ever placed in this markup.
PRESENTATION_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
[data-testid="stAppViewContainer"] p, [data-testid="stAppViewContainer"] li,
[data-testid="stMarkdownContainer"] { font-size: 1.15rem; line-height: 1.5; color: #000000; }
[data-testid="stAppViewContainer"] h1 { font-size: 2.6rem; }
[data-testid="stAppViewContainer"] h2 { font-size: 2rem; }
[data-testid="stAppViewContainer"] h3 { font-size: 1.6rem; }
[data-testid="stMain"] .block-container { padding-top: 4.5rem; padding-left: 2rem; padding-right: 2rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.1rem; font-weight: 600; }
[data-testid="stCaptionContainer"] { color: #1A1A1A; font-size: 1rem; }
[data-testid="stSidebarUserContent"] p, [data-testid="stSidebarUserContent"] label { font-size: 17px !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3rem !important; line-height: 1.1; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p { font-size: 1rem !important; line-height: 1.3; }
.st-key-story_caption p { font-size: 1.4rem !important; }
</style>
"""


@dataclass(frozen=True)
class PageInfo:
    """A page of the app: its script, its label and icon in the menu, and the question it answers (label, section and
    question in English, marked for the catalogue: shown through `_`)."""

    path: str
    label: str
    icon: str
    section: str
    question: str


PAGES: tuple[PageInfo, ...] = (
    PageInfo("app.py", N_("Home"), ":material/home:", N_("Start"), N_("What is PoC Explorer and where do I begin?")),
    PageInfo(
        "pages/1_Timeline.py",
        N_("Timeline"),
        ":material/timeline:",
        N_("Explore"),
        N_("How did the UN, the EU and NATO build their protection of civilians policies, 1994-2021?"),
    ),
    PageInfo(
        "pages/2_Map.py",
        N_("Map"),
        ":material/public:",
        N_("Explore"),
        N_("Where were operations deployed in a given year, and what happened there?"),
    ),
    PageInfo(
        "pages/3_Organizations.py",
        N_("Organizations"),
        ":material/compare_arrows:",
        N_("Compare"),
        N_("How do the UN, the EU and NATO define and practise the protection of civilians?"),
    ),
    PageInfo(
        "pages/4_Missions_and_mandates.py",
        N_("Missions and mandates"),
        ":material/flag:",
        N_("Compare"),
        N_("Which operations were mandated to protect civilians, since when, and by which resolutions?"),
    ),
    PageInfo(
        "pages/5_Civilian_harm.py",
        N_("Civilian harm"),
        ":material/emergency:",
        N_("Evidence"),
        N_("How much harm to civilians was counted, by whom, and where do the counts disagree?"),
    ),
    PageInfo(
        "pages/10_Violence_against_civilians.py",
        N_("Violence against civilians"),
        ":material/crisis_alert:",
        N_("Evidence"),
        N_("Where were civilians killed, by whom, and were peacekeepers there? UCDP's counts beside the operations."),
    ),
    PageInfo(
        "pages/6_Round_table.py",
        N_("Round table"),
        ":material/forum:",
        N_("Discuss"),
        N_("What should policymakers prioritise next, and what in the record informs it?"),
    ),
    PageInfo(
        "pages/9_Workshop.py",
        N_("Workshop"),
        ":material/groups:",
        N_("Discuss"),
        N_("What does the group think? Vote and post notes, live, from your own phone."),
    ),
    PageInfo(
        "pages/8_Stories.py",
        N_("Stories"),
        ":material/auto_stories:",
        N_("Present"),
        N_("How do I walk a class through the data, one step at a time?"),
    ),
    PageInfo(
        "pages/7_Sources_and_data.py",
        N_("Sources and data"),
        ":material/menu_book:",
        N_("Reference"),
        N_("Where does each figure come from, how reliable is it, and how can I reuse it?"),
    ),
)


@dataclass(frozen=True)
class PageContext:
    """What a page needs to know about the session: whether it is presenting."""

    presentation: bool


def page_info(path: str) -> PageInfo:
    """The registry entry of a page script."""
    return next(page for page in PAGES if page.path == path)


PRESENTING = "poc_presenting"
CURRENT_PAGE_KEY = "menu_current"
TOGGLE_KEY = "present_toggle"
LANGUAGE_SWITCH_KEY = "language_switch"


def page_link(path: str, *, label: str, icon: str | None = None, query_params: dict | None = None) -> None:
    """A link to a page of the app that keeps presentation mode on (a page link drops the page's own parameters)."""
    carried = dict(query_params or {})
    if st.session_state.get(PRESENTING):
        carried[PRESENTATION_KEY] = "true"
    if st.session_state.get(LANGUAGE_STATE, i18n.DEFAULT_LANGUAGE) != i18n.DEFAULT_LANGUAGE:
        carried[LANGUAGE_KEY] = st.session_state[LANGUAGE_STATE]
    st.page_link(path, label=label, icon=icon, query_params=carried or None)


def _menu(container, current: str) -> None:
    with container:
        section = None
        for page in PAGES:
            if page.section != section:
                section = page.section
                st.caption(_(section).upper())
            if page.path == current:
                # Marked by more than Streamlit's faint shade: a bar and bold type (MENU_CSS).
                with st.container(key=CURRENT_PAGE_KEY):
                    page_link(page.path, label=_(page.label), icon=page.icon)
            else:
                page_link(page.path, label=_(page.label), icon=page.icon)


def _switched() -> None:
    presenting = bool(st.session_state[TOGGLE_KEY])
    st.session_state[PRESENTING] = presenting
    if presenting:
        st.query_params[PRESENTATION_KEY] = "true"
    else:
        st.query_params.pop(PRESENTATION_KEY, None)


def choose_language() -> str:
    """The session's interface language: the link's `lang` when it names one of ours, else the one chosen earlier in
    the session, else the browser's; set for this run's text, and kept in the link when it is not English. A `lang`
    that is not one of ours is removed from the link, with a notice (in the language chosen)."""
    state = st.session_state
    rejected = None
    if LANGUAGE_KEY in st.query_params:
        parsed = links.parse_choice(st.query_params.get_all(LANGUAGE_KEY), i18n.LANGUAGES)
        if parsed.value is not None:
            state[LANGUAGE_STATE] = parsed.value
        else:
            st.query_params.pop(LANGUAGE_KEY, None)
            rejected = parsed
    if LANGUAGE_STATE not in state:
        state[LANGUAGE_STATE] = i18n.supported(st.context.locale) or i18n.DEFAULT_LANGUAGE
    chosen = i18n.use_language(state[LANGUAGE_STATE])
    if chosen != i18n.DEFAULT_LANGUAGE:
        st.query_params[LANGUAGE_KEY] = chosen
    if rejected is not None and rejected.ignored:
        link_notice(_("language"), rejected)
    return chosen


def _language_switched() -> None:
    chosen = st.session_state[LANGUAGE_SWITCH_KEY]
    st.session_state[LANGUAGE_STATE] = chosen
    if chosen == i18n.DEFAULT_LANGUAGE:
        st.query_params.pop(LANGUAGE_KEY, None)
    else:
        st.query_params[LANGUAGE_KEY] = chosen


def _language_switch(chosen: str) -> None:
    """The sidebar's choice of language, named in both (whoever cannot read one finds it); the page reruns in it."""
    st.session_state[LANGUAGE_SWITCH_KEY] = chosen
    st.sidebar.selectbox(
        "Language / Langue",
        list(i18n.LANGUAGES),
        key=LANGUAGE_SWITCH_KEY,
        format_func=i18n.LANGUAGES.__getitem__,
        on_change=_language_switched,
    )


def _presenting() -> bool:
    """Presentation mode: set by the link when it says so, else kept for the session.

    Not a widget bound to the URL: a bound parameter is dropped on the way to the next page, even when the link
    to it sets the parameter again, so the session remembers the mode and every page link carries it.
    """
    state = st.session_state
    from_link = link_switch(PRESENTATION_KEY, _("presentation mode"))
    if from_link is not None:
        state[PRESENTING] = from_link
    return bool(state.get(PRESENTING, False))


def _presentation_switch(presenting: bool) -> bool:
    """The switch in the sidebar, and the mode shown in the link."""
    state = st.session_state
    state[TOGGLE_KEY] = presenting
    st.sidebar.toggle(
        _("Presentation mode"),
        key=TOGGLE_KEY,
        on_change=_switched,
        help=_("Larger type and markers and high contrast, for a projector. Stays on when you change pages."),
    )
    if presenting:
        st.query_params[PRESENTATION_KEY] = "true"
    return presenting


def start_page(path: str, *, heading: bool = True) -> PageContext:
    """Configure the page, draw the menu and the presentation switch, and title the page with its question (unless
    not `heading`: a page that shows one large step at a time titles it with the step)."""
    language = choose_language()
    info = page_info(path)
    presenting = _presenting()
    # On a projector every pixel of width goes to the page; the menu stays one click away (the arrow at the top left).
    st.set_page_config(
        page_title=f"{_(info.label)} · PoC Explorer",
        page_icon=str(FAVICON),
        layout="wide",
        initial_sidebar_state="collapsed" if presenting else "auto",
    )
    st.html(BASE_CSS)
    menu = st.sidebar.container()
    _language_switch(language)
    presentation = _presentation_switch(presenting)
    _menu(menu, path)
    if presentation:
        st.html(PRESENTATION_CSS)
    st.sidebar.caption(_("Filters are kept in the page's address: copy it to share or cite this exact view."))
    if path != "app.py" and heading:
        st.title(_(info.label))
        st.caption(_(info.question))
    cache_notice()
    return PageContext(presentation=presentation)
