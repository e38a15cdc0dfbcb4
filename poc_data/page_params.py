"""The query parameters of the pages a story can show, declared once: key, kind, choices or bounds, default.

The pages bind their filters to these keys (tests/test_page_params.py compares what each page binds with this
declaration), `stories.STORY_PAGES` takes the ones a story step may set from here, and a step's values are parsed
by the same `poc_data.links` function a page's widget uses for its kind. Plain data (`declared()`) for the docs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from poc_data import links
from poc_data.charts.geo import REGIONS
from poc_data.schema import (
    MEASURES,
    MILESTONE_ORGANIZATIONS,
    MISSION_ORGANIZATIONS,
    MISSION_TYPES,
    POC_MANDATES,
    RESOLUTION_KINDS,
    TIERS,
)
from poc_data.transform import geo, roundtable
from poc_data.transform import harm as th
from poc_data.transform import missions as tm
from poc_data.transform import organizations as org
from poc_data.transform import timeline as tl
from poc_data.transform import violence as tv
from poc_data.transform import violence_map as vm

Data = Mapping[str, Any]
KINDS = ("one", "many", "range", "year", "flag", "text")
# When the dataset a parameter's choices or years come from is not at hand, any value of the right shape is taken.
ANY_NUMBER = (-(10**links.MAX_NUMBER_DIGITS) + 1, 10**links.MAX_NUMBER_DIGITS - 1)


@dataclass(frozen=True)
class PageParam:
    """A query parameter a page binds to a filter: its kind, the values it accepts given the data, and its default.

    `choices(data)` are the labels a one/many widget writes into the link (None: the dataset is missing);
    `bounds(data, today)` the years of a range/year slider; `default(data, today)` the widget's value when the
    link has none (None: every choice for many, the first choice for one, the bounds for a range, off, empty).
    `story` says whether a story step may set it (its story view draws what it filters).
    """

    key: str
    kind: str
    choices: Callable[[Data], Sequence[str] | None] | None = None
    bounds: Callable[[Data, dt.date], tuple[int, int] | None] | None = None
    default: Callable[[Data, dt.date], Any] | None = None
    story: bool = True

    def parse(self, raws: Sequence[str], data: Data, today: dt.date) -> links.LinkValue:
        """The link's values of this parameter, parsed as the page's widget parses them."""
        if self.kind in ("one", "many"):
            offered = self.choices(data) if self.choices else None
            labels = list(offered) if offered is not None else list(raws)
            parse = links.parse_choice if self.kind == "one" else links.parse_choices
            return parse(raws, labels)
        if self.kind in ("range", "year"):
            low, high = (self.bounds(data, today) if self.bounds else None) or ANY_NUMBER
            return (links.parse_range if self.kind == "range" else links.parse_number)(raws, low, high)
        if self.kind == "flag":
            return links.parse_toggle(raws)
        return links.parse_text(raws)

    def fallback(self, data: Data, today: dt.date) -> Any:
        """The value the page's widget starts from when the link does not give one."""
        if self.default is not None:
            return self.default(data, today)
        if self.kind in ("one", "many"):
            offered = list(self.choices(data) or []) if self.choices else []
            return offered if self.kind == "many" else (offered[0] if offered else None)
        if self.kind in ("range", "year"):
            return self.bounds(data, today) if self.bounds else None
        return False if self.kind == "flag" else ""


def _frame(data: Data, dataset_id: str) -> pd.DataFrame | None:
    frame = data.get(dataset_id)
    return frame if isinstance(frame, pd.DataFrame) else None


def _of(dataset_id: str, function: Callable[[pd.DataFrame], Any]) -> Callable[[Data], Any]:
    """A provider that applies `function` to one dataset, or gives None when it is missing."""

    def provide(data: Data) -> Any:
        frame = _frame(data, dataset_id)
        return None if frame is None else function(frame)

    return provide


def _fixed(values: Sequence[str]) -> Callable[[Data], Sequence[str]]:
    return lambda _data: list(values)


def _none(_data: Data, _today: dt.date) -> None:
    return None


def _empty(_data: Data, _today: dt.date) -> list:
    return []


def _milestone_themes(data: Data) -> list[str] | None:
    milestones = _frame(data, "milestones")
    metadata = data.get("metadata", {}).get("milestones")
    return None if milestones is None else tl.theme_vocabulary(metadata, milestones)


def _milestone_years(data: Data, _today: dt.date) -> tuple[int, int] | None:
    milestones = _frame(data, "milestones")
    return None if milestones is None else tl.year_bounds(milestones)


def _mission_years(data: Data, today: dt.date) -> tuple[int, int] | None:
    missions = _frame(data, "missions")
    return None if missions is None else geo.year_bounds(missions, today.year)


def _map_default_year(data: Data, today: dt.date) -> int | None:
    bounds = _mission_years(data, today)
    return None if bounds is None else geo.default_year(data["missions"], bounds)


def _period(data: Data, today: dt.date) -> tuple[int, int]:
    return tm.period_bounds(_frame(data, "missions"), _frame(data, "mandates"), today)


def _operation(data: Data, _today: dt.date) -> str | None:
    operations = tv.operation_choices(_frame(data, "missions"))
    return operations[tv.default_index(operations, tv.DEFAULT_OPERATION)] if operations else None


def _map_option(name: str) -> Callable[[Data], list[str] | None]:
    return _of("missions", lambda missions: geo.filter_options(missions)[name])


def _years_with_milestones(milestones: pd.DataFrame) -> list[str]:
    return [str(year) for year in tl.years_with_milestones(milestones)]


# The filters each page binds, by the name in its address. Parameters a story may not set (story=False) are those
# its story view does not show: the Map's animation and deployments, the Missions page's brief and personnel, ...
PAGE_PARAMS: dict[str, tuple[PageParam, ...]] = {
    "Timeline": (
        PageParam("tl_org", "many", _fixed(MILESTONE_ORGANIZATIONS)),
        PageParam("tl_years", "range", bounds=_milestone_years),
        PageParam("tl_q", "text"),
        PageParam("tl_themes", "many", _milestone_themes, default=_empty),
        PageParam("tl_missions", "many", _of("milestones", tl.mission_options), default=_empty),
        PageParam("tl_ops", "flag"),
        PageParam("tl_res", "flag"),
        PageParam("tl_step", "flag"),
        PageParam("tl_year", "one", _of("milestones", _years_with_milestones), default=_none),
    ),
    "Map": (
        PageParam("map_year", "year", bounds=_mission_years, default=_map_default_year),
        PageParam("map_region", "one", _fixed(list(REGIONS))),
        PageParam(
            "map_country",
            "one",
            _of("missions", lambda missions: list(geo.host_country_choices(missions))),
            default=_none,
        ),
        PageParam("map_org", "many", _map_option("organization")),
        PageParam("map_type", "many", _map_option("type")),
        PageParam("map_poc", "many", _map_option("poc_mandate")),
        PageParam("map_animate", "flag", story=False),
        PageParam("map_ucdp", "flag"),
        PageParam("map_ucdp_kind", "one", _fixed(list(vm.MEASURES))),
        PageParam("map_dep_op", "one", story=False),
    ),
    "Organizations": (
        PageParam("org_organizations", "many", _fixed(org.ORGANIZATIONS)),
        PageParam("org_table", "one", _fixed(list(org.GRID_TABLES))),
        PageParam("org_cumulative", "flag"),
        PageParam("org_type", "many", _fixed(MISSION_TYPES)),
        PageParam("org_by_type", "flag"),
    ),
    "Missions_and_mandates": (
        PageParam("mm_mission", "one", _of("missions", tm.mission_choices), default=_none, story=False),
        PageParam("mm_print", "flag", story=False),
        PageParam("mm_org", "many", _fixed(MISSION_ORGANIZATIONS)),
        PageParam("mm_type", "many", _fixed(MISSION_TYPES)),
        PageParam(
            "mm_host",
            "many",
            _of("missions", lambda missions: list(th.country_options(missions["host_countries"]))),
            default=_empty,
        ),
        PageParam("mm_poc", "many", _fixed(POC_MANDATES)),
        PageParam("mm_years", "range", bounds=_period),
        PageParam("mm_order", "one", _fixed(list(tm.GANTT_ORDERS))),
        PageParam("mm_kind", "many", _fixed(RESOLUTION_KINDS)),
        PageParam("mm_dep_ops", "many", story=False),
    ),
    "Civilian_harm": (
        PageParam(
            "ch_place",
            "many",
            _of("civilian_harm", lambda harm: list(th.country_options(harm["place"]))),
            default=_empty,
        ),
        PageParam("ch_measure", "many", _fixed(list(MEASURES))),
        PageParam("ch_tier", "many", _fixed(list(TIERS))),
        PageParam("ch_counted", "many", _of("civilian_harm", th.counted_by_options), default=_empty),
        PageParam("ch_group", "one", story=False),
    ),
    "Violence_against_civilians": (
        PageParam("vac_operation", "one", _of("missions", tv.operation_choices), default=_operation),
        PageParam("vac_all_years", "flag"),
        PageParam("vac_country", "one", story=False),
        PageParam("vac_actor_years", "range", story=False),
    ),
    "Round_table": (
        PageParam("rt_theme", "one", _of("recommendations", roundtable.theme_options)),
        PageParam("rt_view", "one", story=False),
    ),
}


def story_params(page: str) -> dict[str, PageParam]:
    """The parameters of `page` a story step may set, by key."""
    return {param.key: param for param in PAGE_PARAMS[page] if param.story}


def page_values(page: str, params: Mapping[str, Sequence[str]], data: Data, today: dt.date) -> dict[str, Any]:
    """Every story-able parameter of `page` as the page would have it when opened with the link `params`: the
    parsed value where the page would use it, else the widget's default."""
    values = {}
    for key, param in story_params(page).items():
        parsed = param.parse(list(params.get(key, [])), data, today)
        values[key] = param.fallback(data, today) if parsed.use_default else parsed.value
    return values


def declared() -> dict[str, list[dict[str, Any]]]:
    """The declaration as plain data: each page's parameters with their key, kind and whether a story may set it."""
    return {
        page: [{"key": param.key, "kind": param.kind, "story": param.story} for param in params]
        for page, params in PAGE_PARAMS.items()
    }
