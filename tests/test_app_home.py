"""The home page and what every page shares, through AppTest."""

from __future__ import annotations

import pytest

from poc_data.text import md
from poc_data.ui import PAGES
from tests.apptest import open_page, texts
from tests.conftest import VALID, data_copy


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


def test_home_shows_key_figures_cards_and_citation():
    at = open_page("app.py")
    assert not at.exception
    assert [metric.label for metric in at.metric] == [md("In 1999: Allied Force civilian casualties")]
    assert [metric.value for metric in at.metric] == ["500"]
    assert "How to cite" in texts(at)
    questions = texts(at)
    for info in PAGES[1:]:
        assert info.question in questions


@pytest.mark.parametrize("info", PAGES, ids=[p.label for p in PAGES])
def test_every_page_opens_without_exception_and_has_the_menu(info):
    at = open_page(info.path)
    assert not at.exception, at.exception
    assert at.toggle(key="present_toggle") is not None


def test_home_shows_the_error_for_broken_data_and_keeps_working(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, "bad_metadata")))
    at = open_page("app.py")
    assert not at.exception
    error_text = " ".join(e.value for e in at.error)
    assert "key_figures dataset could not be loaded" in error_text
    assert any("key_figures.yaml:5: updated:" in code.value for code in at.code)
    assert "Where to go" in texts(at)


def presentation_css_shown(at) -> bool:
    return any("font-size: 21px" in str(element.proto) for element in at.get("html"))


def test_presentation_mode_from_the_link_stays_on_across_pages_and_switches_off():
    at = open_page("app.py", query={"present": "true"})
    assert presentation_css_shown(at)
    at.switch_page("pages/2_Map.py").run()
    assert presentation_css_shown(at)
    assert at.toggle(key="present_toggle").value is True
    at.toggle(key="present_toggle").set_value(False).run()
    assert not presentation_css_shown(at)
    assert "present" not in at.query_params


def test_presentation_mode_is_off_by_default_and_the_toggle_switches_it_on():
    at = open_page("app.py")
    assert not presentation_css_shown(at)
    at.toggle(key="present_toggle").set_value(True).run()
    assert presentation_css_shown(at)
