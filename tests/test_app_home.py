"""The home page and what every page shares, through AppTest."""

from __future__ import annotations

import pytest

from poc_data.ui import PAGES
from tests.apptest import open_page, texts
from tests.conftest import VALID, data_copy


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


def test_home_shows_key_figures_cards_and_citation():
    at = open_page("app.py")
    assert not at.exception
    assert [metric.label for metric in at.metric] == ["Allied Force civilian casualties"]
    assert "How to cite" in texts(at)
    questions = texts(at)
    for info in PAGES[1:]:
        assert info.question in questions


@pytest.mark.parametrize("info", PAGES, ids=[p.label for p in PAGES])
def test_every_page_opens_without_exception_and_has_the_menu(info):
    at = open_page(info.path)
    assert not at.exception, at.exception
    assert at.toggle(key="present") is not None


def test_home_shows_the_error_for_broken_data_and_keeps_working(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, "bad_metadata")))
    at = open_page("app.py")
    assert not at.exception
    error_text = " ".join(e.value for e in at.error)
    assert "key_figures dataset could not be loaded" in error_text
    assert any("key_figures.yaml:5: updated:" in code.value for code in at.code)
    assert "Where to go" in texts(at)
