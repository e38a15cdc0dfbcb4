"""The interface language of a session, through AppTest: from the link, kept across pages, a bad value ignored."""

from __future__ import annotations

import pytest

from poc_data.ui import LANGUAGE_STATE
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
