"""The interface language of a session, through AppTest: from the link, kept across pages, a bad value ignored."""

from __future__ import annotations

import pytest

from poc_data.ui import LANGUAGE_STATE
from poc_data.ui.page import LANGUAGE_SWITCH_KEY
from tests.apptest import open_page
from tests.conftest import VALID


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


@pytest.mark.parametrize(
    ("given", "language", "kept"), [("fr", "fr", "fr"), ("FR", "en", None), ("en", "en", "en"), ("xx", "en", None)]
)
def test_the_link_chooses_the_language(given, language, kept):
    """The language the link names is kept there (a copied link opens in it); a value not ours is dropped."""
    at = open_page("pages/1_Timeline.py", query={"lang": given})
    assert not at.exception
    assert at.session_state[LANGUAGE_STATE] == language
    assert at.query_params.get("lang") == kept


def test_the_language_stays_when_the_page_changes():
    at = open_page("app.py", query={"lang": "fr"})
    at.switch_page("pages/3_Organizations.py")
    at.run()
    assert at.session_state[LANGUAGE_STATE] == "fr"
    assert at.query_params["lang"] == "fr"


def _page_of_translated_choices():
    """A page whose options' labels are translated, as the pages' `format_func=_` makes them."""
    import streamlit as st

    from poc_data import i18n, ui
    from poc_data.ui.page import choose_language

    names = {"en": {"UN": "UN", "EU": "EU", "NATO": "NATO"}, "fr": {"UN": "ONU", "EU": "UE", "NATO": "OTAN"}}

    def label(value: str) -> str:
        return names[i18n.current_language()][value]

    choose_language()
    ui.multiselect("Organizations", ["UN", "EU", "NATO"], key="orgs", format_func=label)
    ui.selectbox("Organization", ["EU", "UN", "NATO"], key="org", format_func=label)
    st.write("drawn")


@pytest.mark.parametrize(
    ("lang", "given", "chosen", "kept"),
    [
        ("fr", ["UN", "NATO"], ["UN", "NATO"], ["ONU", "OTAN"]),
        ("en", ["ONU", "UE"], ["UN", "EU"], ["UN", "EU"]),
        ("fr", ["ONU", "EU"], ["UN", "EU"], ["ONU", "UE"]),
        ("fr", ["ONU", "xx"], ["UN"], ["ONU"]),
    ],
)
def test_a_link_in_either_language_selects_the_same_options(lang, given, chosen, kept):
    """A link's labels in English or French (a shared link, a story's English parameters) select the same options
    in the page's language, and the link is rewritten into it; only what is no option's label gets a notice."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_page_of_translated_choices)
    at.query_params["lang"] = lang
    at.query_params["orgs"] = given
    at.query_params["org"] = given[0]
    at.run()
    assert not at.exception
    assert at.multiselect(key="orgs").value == chosen
    assert at.selectbox(key="org").value == chosen[0]
    link = at.query_params["orgs"]
    assert (link if isinstance(link, list) else [link]) == kept
    assert at.query_params["org"] == kept[0]
    notices = [warning.value for warning in at.warning]
    assert len(notices) == ("xx" in given) and all("xx" in notice for notice in notices)


def test_a_language_not_ours_in_the_link_gets_a_notice():
    at = open_page("app.py", query={"lang": "xx"})
    assert not at.exception
    assert at.query_params.get("lang") is None
    assert any("'xx'" in warning.value for warning in at.warning)


def test_the_switch_changes_the_language_and_the_link():
    at = open_page("app.py")
    switch = at.sidebar.selectbox(key=LANGUAGE_SWITCH_KEY)
    assert switch.label == "Language / Langue"
    assert switch.options == ["English", "Français"]
    assert switch.value == "en"
    switch.set_value("fr").run()
    assert not at.exception
    assert at.session_state[LANGUAGE_STATE] == "fr"
    assert at.query_params["lang"] == "fr"
    assert at.sidebar.selectbox(key=LANGUAGE_SWITCH_KEY).value == "fr"
    at.sidebar.selectbox(key=LANGUAGE_SWITCH_KEY).set_value("en").run()
    assert at.session_state[LANGUAGE_STATE] == "en"
    assert "lang" not in at.query_params


def test_the_switched_language_and_presentation_mode_go_together_to_the_next_page():
    at = open_page("app.py", query={"present": "true"})
    at.sidebar.selectbox(key=LANGUAGE_SWITCH_KEY).set_value("fr").run()
    at.switch_page("pages/7_Sources_and_data.py")
    at.run()
    assert not at.exception
    assert at.session_state[LANGUAGE_STATE] == "fr"
    assert at.query_params["lang"] == "fr"
    assert at.query_params["present"] == "true"
    assert at.sidebar.selectbox(key=LANGUAGE_SWITCH_KEY).value == "fr"
    assert at.sidebar.toggle(key="present_toggle").value is True
