"""Guided stories: YAML files in data/stories/, each a list of steps that name a page, its filters and the sources.

A step's `params` are the query parameters the page itself uses (its link), so a step is a saved view. The checks
here run with `python -m poc_data check` and in the Stories page; every problem is `file:line: field: message`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from poc_data.load import WHOLE_FILE, LineDict, Parsed, _read_yaml, resolve_data_dir
from poc_data.page_params import PageParam, story_params
from poc_data.problems import Problem

STORIES_DIR = "stories"
MAX_STEPS = 40
MAX_TEXT = 1200
MAX_TITLE = 160
# How many of a parameter's rejected values, and of the values it offers, a problem names.
SHOWN_VALUES = 12
STORY_KEYS = {"title", "description", "steps"}
STEP_KEYS = {"page", "view", "params", "title", "caption", "notes", "source_ids"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# The pages a story can show, by the name in their address, with their script, the views a step may pick (the first
# is the default), the datasets they draw on and the query parameters a step may set (declared in page_params).
@dataclass(frozen=True)
class StoryPage:
    script: str
    views: tuple[str, ...]
    datasets: tuple[str, ...]
    params: dict[str, PageParam] = field(default_factory=dict)


def _story_page(name: str, script: str, views: tuple[str, ...], datasets: tuple[str, ...]) -> StoryPage:
    return StoryPage(script, views, datasets, story_params(name))


STORY_PAGES: dict[str, StoryPage] = {
    "Timeline": _story_page("Timeline", "pages/1_Timeline.py", ("timeline",), ("milestones", "missions", "mandates")),
    # The Map's views: the operations map, the civilians-killed layer (UCDP), one country-year's events (UCDP GED)
    # beside the deployment locations (Geo-PKO).
    "Map": _story_page(
        "Map",
        "pages/2_Map.py",
        ("map", "civilians killed", "events"),
        ("missions", "organized_violence", "deployments"),
    ),
    "Organizations": _story_page(
        "Organizations",
        "pages/3_Organizations.py",
        ("definitions", "comparison", "milestones per year", "operations per year", "POC mandates"),
        ("comparisons", "milestones", "missions"),
    ),
    "Missions_and_mandates": _story_page(
        "Missions_and_mandates", "pages/4_Missions_and_mandates.py", ("operations",), ("missions", "mandates")
    ),
    "Civilian_harm": _story_page("Civilian_harm", "pages/5_Civilian_harm.py", ("annual series",), ("civilian_harm",)),
    "Violence_against_civilians": _story_page(
        "Violence_against_civilians",
        "pages/10_Violence_against_civilians.py",
        ("per operation",),
        ("missions", "mandates", "deployments", "organized_violence"),
    ),
    "Round_table": _story_page("Round_table", "pages/6_Round_table.py", ("theme",), ("recommendations",)),
}


@dataclass(frozen=True)
class Step:
    """One step of a story: a page's view with its filters, and what the presenter says about it."""

    page: str
    view: str
    params: dict[str, list[str]]
    title: str
    caption: str
    notes: str
    source_ids: tuple[str, ...]
    line: int = 1

    @property
    def script(self) -> str:
        return STORY_PAGES[self.page].script


@dataclass(frozen=True)
class Story:
    """A guided story: its id (the file name), title, description and steps."""

    id: str
    title: str
    description: str
    steps: tuple[Step, ...]
    path: str = ""


@dataclass
class StoryFile:
    """A story file read and checked: the story when it is usable, and every problem found."""

    path: Path
    story: Story | None = None
    problems: list[Problem] = field(default_factory=list)


def story_paths(data_dir: str | Path | None = None) -> list[Path]:
    """The story files of a data directory, by name."""
    directory = resolve_data_dir(data_dir) / STORIES_DIR
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


def as_values(value: Any) -> list[str] | None:
    """A parameter's values as a link writes them (YAML numbers and booleans become their text); None if not scalars."""
    items = value if isinstance(value, list) else [value]
    values = []
    for item in items:
        if isinstance(item, bool):
            values.append("true" if item else "false")
        elif isinstance(item, (str, int)):
            values.append(str(item))
        else:
            return None
    return values


def param_problem(param: PageParam, values: list[str], data: Mapping[str, pd.DataFrame]) -> str | None:
    """Why the page would not use these values for this parameter (the reason its notice would give), or None when
    it would use them all. The values are parsed by the same `poc_data.links` function as the page's widget."""
    if not values:
        return "takes a value, got none"
    parsed = param.parse(values, data, dt.date.today())
    if not parsed.ignored:
        return None
    shown = ", ".join(repr(value) for value in parsed.ignored[:SHOWN_VALUES])
    offered = list(param.choices(data) or []) if param.choices else []
    if offered and param.kind in ("one", "many") and parsed.reason.startswith("not "):
        listed = ", ".join(offered[:SHOWN_VALUES]) + (", ..." if len(offered) > SHOWN_VALUES else "")
        return f"the page would not use {shown}: {parsed.reason} (it offers {listed})"
    return f"the page would not use {shown}: {parsed.reason}"


def _text(raw: Any, limit: int) -> str | None:
    return raw.strip() if isinstance(raw, str) and raw.strip() and len(raw) <= limit else None


def parse_story(path: Path, document: Any, *, data: Mapping[str, pd.DataFrame], source_ids: set[str]) -> StoryFile:
    """Check a story document (from safe YAML loading with lines) and build the story when nothing is wrong."""
    result = StoryFile(path)
    shown = shown_path(path)

    def problem(line: int, name: str, message: str) -> None:
        result.problems.append(Problem(shown, line, name, message))

    if not isinstance(document, LineDict):
        problem(1, WHOLE_FILE, "expected a mapping with title, description and steps")
        return result
    for key in document:
        if key not in STORY_KEYS:
            problem(
                document.key_lines.get(key, 1), str(key), f"unknown key; a story has {', '.join(sorted(STORY_KEYS))}"
            )
    for key, line in document.repeated_keys:
        problem(line, str(key), "this key appears twice in the same mapping; the last one wins")
    title = _text(document.get("title"), MAX_TITLE)
    if title is None:
        problem(document.key_lines.get("title", 1), "title", f"a title of 1 to {MAX_TITLE} characters is required")
    description = document.get("description", "")
    if not isinstance(description, str) or len(description) > MAX_TEXT:
        problem(document.key_lines.get("description", 1), "description", f"text of at most {MAX_TEXT} characters")
        description = ""
    raw_steps = document.get("steps")
    steps_line = document.key_lines.get("steps", 1)
    if not isinstance(raw_steps, list) or not raw_steps:
        problem(steps_line, "steps", "a story needs at least one step (a list under steps:)")
        raw_steps = []
    if len(raw_steps) > MAX_STEPS:
        problem(steps_line, "steps", f"at most {MAX_STEPS} steps, got {len(raw_steps)}")
        raw_steps = raw_steps[:MAX_STEPS]
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        step = _parse_step(raw, number, steps_line, problem, data=data, source_ids=source_ids)
        if step is not None:
            steps.append(step)
    if not _ID.match(path.stem):
        problem(1, WHOLE_FILE, "the file name must be lowercase letters, digits and hyphens (it is the story's id)")
    if not result.problems:
        result.story = Story(path.stem, title or path.stem, description.strip(), tuple(steps), shown)
    return result


def _parse_step(
    raw: Any,
    number: int,
    steps_line: int,
    problem: Callable[[int, str, str], None],
    *,
    data: Mapping[str, pd.DataFrame],
    source_ids: set[str],
) -> Step | None:
    where = f"steps[{number}]"
    if not isinstance(raw, LineDict):
        problem(steps_line, where, "a step is a mapping with page, params, title, caption, notes and source_ids")
        return None
    lines = raw.key_lines

    def line(key: str) -> int:
        return lines.get(key, raw.line)

    failed = False

    def fail(key: str, message: str, at: int | None = None) -> None:
        nonlocal failed
        failed = True
        problem(at or line(key), f"{where}.{key}", message)

    for key in raw:
        if key not in STEP_KEYS:
            fail(str(key), f"unknown key; a step has {', '.join(sorted(STEP_KEYS))}")
    page_name = raw.get("page")
    page = STORY_PAGES.get(page_name) if isinstance(page_name, str) else None
    if page is None:
        fail("page", f"unknown page {page_name!r}; a story can show {', '.join(STORY_PAGES)}")
    view = raw.get("view")
    if page is not None:
        if view is None:
            view = page.views[0]
        elif view not in page.views:
            fail("view", f"unknown view {view!r} of {page_name}; it has {', '.join(page.views)}")
    params: dict[str, list[str]] = {}
    raw_params = raw.get("params", {})
    if raw_params is None:
        raw_params = {}
    if not isinstance(raw_params, dict):
        fail("params", "a mapping of the page's query parameters to their values")
        raw_params = {}
    param_lines = raw_params.key_lines if isinstance(raw_params, LineDict) else {}
    for name, value in raw_params.items():
        at = param_lines.get(name, line("params"))
        values = as_values(value)
        spec = page.params.get(name) if page is not None else None
        if page is not None and spec is None:
            known = ", ".join(page.params)
            fail(f"params.{name}", f"the {page_name} page has no parameter {name!r}; it takes {known}", at)
        elif values is None:
            fail(f"params.{name}", "values are text, numbers or true/false, one or a list", at)
        elif spec is not None:
            message = param_problem(spec, values, data)
            if message:
                fail(f"params.{name}", message, at)
            params[str(name)] = values
    texts = {}
    for key, limit in (("title", MAX_TITLE), ("caption", MAX_TEXT), ("notes", MAX_TEXT)):
        texts[key] = _text(raw.get(key), limit)
        if texts[key] is None:
            fail(key, f"text of 1 to {limit} characters is required")
    raw_sources = raw.get("source_ids")
    sources = as_values(raw_sources) if raw_sources is not None else None
    if not sources:
        fail("source_ids", "name at least one source of what the step shows (keys of sources.yaml)")
        sources = []
    for source_id in sources:
        if source_id not in source_ids:
            fail("source_ids", f"unknown source {source_id!r}: not a key of sources.yaml")
    if failed or page is None:
        return None
    return Step(
        page=page_name,
        view=view,
        params=params,
        title=texts["title"],
        caption=texts["caption"],
        notes=texts["notes"],
        source_ids=tuple(sources),
        line=raw.line,
    )


def shown_path(path: Path) -> str:
    """A story file as problems name it: relative to the data directory, never a path on the server."""
    return f"{STORIES_DIR}/{path.name}"


def read_story(path: Path, *, data: Mapping[str, pd.DataFrame], source_ids: set[str]) -> StoryFile:
    """Read one story file through the datasets' guarded reader (size limit, no tags, no aliases, no code) and check
    it against the data."""
    holder = Parsed(spec=None, data_path=path, meta_path=path)  # type: ignore[arg-type]
    document = _read_yaml(holder, path)
    if document is None:
        return StoryFile(path, None, [replace(problem, path=shown_path(path)) for problem in holder.problems])
    return parse_story(path, document, data=data, source_ids=source_ids)


def read_stories(
    data_dir: str | Path | None, *, data: Mapping[str, pd.DataFrame], source_ids: set[str]
) -> list[StoryFile]:
    """Every story of a data directory, each checked."""
    return [read_story(path, data=data, source_ids=source_ids) for path in story_paths(data_dir)]


def story_problems(
    data_dir: str | Path | None, *, data: Mapping[str, pd.DataFrame], source_ids: set[str]
) -> list[Problem]:
    """The problems of every story of a data directory (for `python -m poc_data check`)."""
    return [problem for story in read_stories(data_dir, data=data, source_ids=source_ids) for problem in story.problems]
