"""The pages' parameters declared once: the pages bind what page_params declares, and a link's value gets the same
verdict on the page (its widget and notice), in a story's check and in the story's view."""

from __future__ import annotations

import datetime as dt

import pytest

from poc_data.load import load, metadata
from poc_data.page_params import PAGE_PARAMS, declared, page_values, story_params
from poc_data.stories import STORY_PAGES, param_problem
from tests.apptest import open_page, texts
from tests.conftest import REPO, VALID

WIDGET_KINDS = ("multiselect", "selectbox", "slider", "text_input", "toggle")
# The query that makes every filter of a page appear (the year stepper, the UCDP layer, a year Geo-PKO covers).
SHOW_ALL = {"Timeline": {"tl_step": "true"}, "Map": {"map_ucdp": "true", "map_year": "2015"}}


def kind_of(element) -> str:
    """The declared kind a bound widget stands for."""
    if element.type == "slider":
        return "range" if isinstance(element.value, tuple) else "year"
    return {"multiselect": "many", "selectbox": "one", "text_input": "text", "toggle": "flag"}[element.type]


def bound_widgets(at) -> dict[str, str]:
    """The page's widgets bound to the link (pagers apart), by key, with their kind."""
    return {
        element.proto.query_param_key: kind_of(element)
        for kind in WIDGET_KINDS
        for element in getattr(at, kind)
        if element.proto.HasField("query_param_key")
    }


@pytest.mark.parametrize("page", list(PAGE_PARAMS))
def test_a_page_binds_exactly_the_declared_parameters(monkeypatch, page):
    monkeypatch.setenv("POC_DATA_DIR", str(REPO / "data"))
    at = open_page(STORY_PAGES[page].script, query=SHOW_ALL.get(page))
    assert not at.exception
    assert bound_widgets(at) == {param.key: param.kind for param in PAGE_PARAMS[page]}


def test_story_pages_take_the_declared_story_parameters():
    for page, story_page in STORY_PAGES.items():
        assert story_page.params == story_params(page)
        assert set(story_page.params) <= {row["key"] for row in declared()[page]}
    assert "tl_missions" in STORY_PAGES["Timeline"].params
    assert "map_animate" not in STORY_PAGES["Map"].params


def fixture_data() -> dict:
    data = {dataset_id: load(dataset_id, VALID) for dataset_id in ("milestones", "missions", "civilian_harm")}
    data["metadata"] = {"milestones": metadata("milestones", VALID)}
    return data


LONG = "peacekeeping " * 20


# (page, parameter, link values, the value the page uses, the reason its notice gives or None).
VERDICTS = [
    ("Timeline", "tl_ops", ["TRUE"], False, "a switch is true or false"),
    ("Timeline", "tl_ops", ["true"], True, None),
    ("Timeline", "tl_ops", ["true", "false"], False, "it takes one value"),
    ("Timeline", "tl_org", ["NATO", "WHO"], ["NATO"], "not among the choices here"),
    ("Timeline", "tl_years", ["1999", "1994"], None, "the range is reversed"),
    ("Timeline", "tl_q", [LONG], LONG[:200], "longer than 200 characters"),
    ("Map", "map_region", ["Mars"], "World", "not one of the choices here"),
    ("Map", "map_year", ["1800"], None, "outside"),
    ("Map", "map_year", ["20x0"], None, "not a whole number"),
    ("Civilian_harm", "ch_tier", ["official"], ["official"], None),
    ("Violence_against_civilians", "vac_all_years", ["1"], False, "a switch is true or false"),
]


def widget(at, key):
    (found,) = [element for kind in WIDGET_KINDS for element in getattr(at, kind) if element.key == key]
    return found


@pytest.mark.parametrize(("page", "key", "raws", "used", "reason"), VERDICTS)
def test_a_link_value_gets_one_verdict_on_the_page_in_check_and_in_the_view(monkeypatch, page, key, raws, used, reason):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))
    at = open_page(STORY_PAGES[page].script, query={key: raws if len(raws) > 1 else raws[0]})
    shown = widget(at, key).value
    data, today = fixture_data(), dt.date.today()
    param = story_params(page)[key]
    if used is None:
        used = param.fallback(data, today)
    assert (list(shown) if isinstance(shown, list) else shown) == used
    notices = texts(at)
    problem = param_problem(param, raws, data)
    if reason is None:
        assert problem is None and "The link's" not in notices
    else:
        assert reason in problem and reason in notices
    assert page_values(page, {key: raws}, data, today)[key] == used
