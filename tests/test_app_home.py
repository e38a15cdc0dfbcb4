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


INTERFACE_KINDS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success", "code")


def interface_strings(at) -> list[str]:
    """The text of a run that a reader sees: headings, text, notices, code, and the labels of expanders, widgets,
    metrics, page links and download buttons."""
    shown = [str(element.value) for kind in INTERFACE_KINDS for element in getattr(at, kind)]
    shown += [expander.label for expander in at.expander]
    for kind in ("multiselect", "selectbox", "text_input", "toggle", "metric"):
        shown += [widget.label for widget in getattr(at, kind)]
        shown += [widget.help for widget in getattr(at, kind) if getattr(widget, "help", None)]
    shown += [element.proto.label for kind in ("page_link", "download_button") for element in at.get(kind)]
    return shown


def english_left(path: str, data: set[str]) -> list[str]:
    """The strings of a page's French run that are the same in its English run, except the data's (`data`) and the
    language switch, named in both languages."""
    english = set(interface_strings(open_page(path)))
    french = open_page(path, query={"lang": "fr"})
    assert not french.exception
    return [text for text in interface_strings(french) if text in english and text not in data | {"Language / Langue"}]


def test_home_in_french_has_no_english_interface_text_left():
    quote = next(caption.value for caption in open_page("app.py").caption if caption.value.startswith("“"))
    assert english_left("app.py", {"PoC Explorer", quote}) == []


def test_home_in_french_writes_numbers_and_the_menu_in_french():
    at = open_page("app.py", query={"lang": "fr"})
    assert [metric.label for metric in at.metric] == [md("En 1999 : Allied Force civilian casualties")]
    assert "Chiffres clés" in texts(at) and "Comment citer" in texts(at)
    links = [element.proto.label for element in at.get("page_link")]
    assert "Chronologie" in links and "Sources et données" in links
    assert at.toggle(key="present_toggle").label == "Mode présentation"
