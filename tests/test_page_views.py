"""A story step and its page, opened with the same link, draw the same figure: both call the page's view function
(poc_data.views) with the parameters parsed the same way."""

from __future__ import annotations

import datetime as dt

import plotly.io
import pytest

from poc_data.stories import STORY_PAGES, Step
from poc_data.text import md
from poc_data.views import build_view
from tests.apptest import open_page, texts
from tests.conftest import REPO, VALID
from tests.test_stories import frames

# The fixture data, or the shipped data where the fixtures have nothing to draw (UNAMA's annual series).
DATA = {"Civilian_harm": REPO / "data", "Map": REPO / "data"}
CAR = {"map_ucdp": ["true"], "map_country": ["Central African Republic"]}
# (page, view, the page's chart key, the link's parameters).
SAME_VIEWS = [
    ("Timeline", "timeline", "tl_chart", {}),
    ("Timeline", "timeline", "tl_chart", {"tl_org": ["NATO", "UN"], "tl_years": ["1994", "2010"], "tl_ops": ["true"]}),
    ("Timeline", "timeline", "tl_chart", {"tl_missions": ["UNPROFOR", "KFOR"], "tl_res": ["true"], "tl_ops": ["true"]}),
    ("Timeline", "timeline", "tl_chart", {"tl_step": ["true"]}),
    ("Timeline", "timeline", "tl_chart", {"tl_step": ["true"], "tl_year": ["1999"], "tl_q": ["Kosovo"]}),
    ("Timeline", "timeline", "tl_chart", {"tl_ops": ["TRUE"]}),
    ("Missions_and_mandates", "operations", "mm_gantt", {}),
    ("Missions_and_mandates", "operations", "mm_gantt", {"mm_org": ["UN"], "mm_years": ["1995", "2005"]}),
    ("Missions_and_mandates", "operations", "mm_gantt", {"mm_order": ["longest"], "mm_poc": ["explicit"]}),
    ("Civilian_harm", "annual series", "ch_annual_chart", {}),
    ("Civilian_harm", "annual series", "ch_annual_chart", {"ch_tier": ["official", "media"]}),
    ("Organizations", "milestones per year", "org_milestones_chart", {}),
    ("Organizations", "milestones per year", "org_milestones_chart", {"org_cumulative": ["true"]}),
    ("Organizations", "operations per year", "org_operations_chart", {"org_organizations": ["UN", "EU"]}),
    ("Organizations", "operations per year", "org_operations_chart", {"org_by_type": ["true"]}),
    ("Organizations", "POC mandates", "org_mandates_chart", {"org_type": ["peacekeeping"]}),
    ("Map", "map", "map_chart", {}),
    ("Map", "map", "map_chart", {"map_year": ["2005"], "map_org": ["UN"], "map_region": ["Africa"], **CAR}),
    ("Map", "civilians killed", "map_ucdp_chart", {"map_year": ["2013"], **CAR}),
    (
        "Map",
        "civilians killed",
        "map_ucdp_chart",
        {"map_year": ["2021"], "map_ucdp_kind": ["In conflict (state-based and non-state)"], **CAR},
    ),
    ("Map", "events", "map_events_chart", {"map_year": ["2014"], **CAR}),
    ("Violence_against_civilians", "per operation", "vac_chart", {}),
    ("Violence_against_civilians", "per operation", "vac_chart", {"vac_all_years": ["true"]}),
]


def normal(figure) -> dict:
    """A figure as the browser gets it, read back: the same encoding for the page's and the story's."""
    text = figure if isinstance(figure, str) else figure.to_json()
    return plotly.io.from_json(text).to_dict()


def page_figure(script: str, key: str, params: dict[str, list[str]]) -> dict:
    at = open_page(script, query={name: values if len(values) > 1 else values[0] for name, values in params.items()})
    assert not at.exception
    (chart,) = [element for element in at.get("plotly_chart") if element.proto.id.endswith(f"-{key}")]
    return normal(chart.proto.spec)


@pytest.mark.parametrize(("page", "view", "key", "params"), SAME_VIEWS)
def test_a_story_step_draws_what_its_page_draws(monkeypatch, page, view, key, params):
    directory = DATA.get(page, VALID)
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    step = Step(page, view, params, "A step", "A caption.", "Notes.", ("ipi-2022",))
    story = build_view(step, frames(directory), today=dt.date.today())
    drawn = page_figure(STORY_PAGES[page].script, key, params)
    assert normal(story.figure) == drawn


@pytest.mark.parametrize("params", [{}, {"rt_theme": ["Adapt POC to new operational realities."]}])
def test_a_round_table_step_shows_the_items_and_headings_its_page_shows(monkeypatch, params):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))
    step = Step("Round_table", "theme", params, "A step", "A caption.", "Notes.", ("ipi-2022",))
    story = build_view(step, frames(VALID), today=dt.date.today())
    at = open_page(STORY_PAGES["Round_table"].script, query={name: values[0] for name, values in params.items()})
    assert not at.exception
    (download,) = [
        button.proto.label for button in at.get("download_button") if "recommendations" in button.proto.label
    ]
    assert f"the {len(story.records[0])} recommendations and questions shown" in download
    shown = texts(at)
    for block in story.blocks:
        assert f"**{md(block.heading)}**" in shown
        assert all(f"- {md(line)}" in shown for line in block.lines)
