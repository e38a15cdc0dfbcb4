"""Guided stories: YAML files in data/stories/, each a list of steps that name a page, its filters and the sources.

A step's `params` are the query parameters the page itself uses (its link), so a step is a saved view. The checks
here run with `python -m poc_data check` and in the Stories page; every problem is `file:line: field: message`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from poc_data.i18n import DEFAULT_LANGUAGE, LANGUAGES
from poc_data.load import WHOLE_FILE, LineDict, Parsed, _read_yaml, resolve_data_dir
from poc_data.page_params import PageParam, story_params
from poc_data.problems import PROBLEM_CODES, Code, Problem

STORIES_DIR = "stories"
MAX_STEPS = 40
MAX_TEXT = 1200
MAX_TITLE = 160
# How many of a parameter's rejected values, and of the values it offers, a problem names.
SHOWN_VALUES = 12
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
# Every dataset a story step's parameters or view draw on: the Stories page and `check` both check steps against these.
STORY_DATA = tuple(dict.fromkeys(dataset_id for page in STORY_PAGES.values() for dataset_id in page.datasets))


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
    """A guided story: its id (the file name), title, description, steps and the language its text is written in."""

    id: str
    title: str
    description: str
    steps: tuple[Step, ...]
    path: str = ""
    lang: str = DEFAULT_LANGUAGE


@dataclass
class StoryFile:
    """A story file read and checked: the story when it is usable, and every problem found."""

    path: Path
    story: Story | None = None
    problems: list[Problem] = field(default_factory=list)


def in_language_order(stories: list[Story], language: str) -> dict[str, Story]:
    """The stories by id, those written in `language` first, each group in its files' order. A session is offered
    every story, whatever it is written in: a francophone trainer may present an English one, and a shared link to
    a story opens in any session."""
    ordered = sorted(stories, key=lambda story: story.lang != language)
    return {story.id: story for story in ordered}


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


def _error(code: Code, message: str) -> PydanticCustomError:
    """A validation error of a problem code with our message (passed as context, so braces in it stay as typed)."""
    return PydanticCustomError(code.value, "{message}", {"message": message})


def _known_page(name: str) -> str:
    if name not in STORY_PAGES:
        raise _error(Code.FOREIGN_KEY, f"unknown page {name!r}; a story can show {', '.join(STORY_PAGES)}")
    return name


def _listed(value: Any) -> Any:
    """Source ids as a list of text: one id may stand alone, a number becomes its text; anything else as it is."""
    values = as_values(value)
    return value if values is None else values


def _known_language(code: str) -> str:
    if code not in LANGUAGES:
        raise _error(Code.CONSTRAINT, f"unknown language {code!r}; a story is written in {', '.join(LANGUAGES)}")
    return code


def _known_source(source_id: str, info: ValidationInfo) -> str:
    if source_id not in info.context["source_ids"]:
        raise _error(Code.FOREIGN_KEY, f"unknown source {source_id!r}: not a key of sources.yaml")
    return source_id


def _param_problem(
    page_name: str | None, name: str, raw: Any, data: Mapping[str, pd.DataFrame]
) -> tuple[Code, str] | None:
    """Why a step's parameter is wrong: not one the page takes, values that are not scalars, or values the page would
    not accept (`param_problem`), as its problem code and message; None when it is right. With no page (unknown),
    only the values' kind is checked."""
    page = STORY_PAGES[page_name] if page_name is not None else None
    spec = page.params.get(name) if page is not None else None
    values = as_values(raw)
    if page is not None and spec is None:
        return Code.UNKNOWN_FIELD, f"the {page_name} page has no parameter {name!r}; it takes {', '.join(page.params)}"
    if values is None:
        return Code.TYPE, "values are text, numbers or true/false, one or a list"
    message = param_problem(spec, values, data) if spec is not None else None
    return (Code.CONSTRAINT, message) if message else None


# Text in a story file, leading and trailing blanks dropped: a title, a paragraph (a caption, notes, a description).
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Paragraph = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]


# Both models validate with the context {"data": ..., "source_ids": ...}: the datasets the pages offer their values
# from, and the keys of sources.yaml.
class StepModel(BaseModel):
    """A step of a story: a page's view with its filters, and what the presenter says about it."""

    model_config = ConfigDict(extra="forbid")

    page: Annotated[
        str,
        AfterValidator(_known_page),
        Field(
            description="The page the step shows, by the name in its address.",
            json_schema_extra={"enum": list(STORY_PAGES)},
        ),
    ]
    view: str | None = Field(
        None,
        validate_default=True,
        description="Which of the page's views the step shows; the page's first view when left out.",
        json_schema_extra={"views": {name: list(page.views) for name, page in STORY_PAGES.items()}},
    )
    params: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "The step's filters as the page's own address parameters (open the view, then copy the parameters "
            "from the address bar): a value or a list of values (text, numbers or true/false)."
        ),
    )
    title: Title = Field(description="The step's title.")
    caption: Paragraph = Field(description="A one-paragraph caption. Say only what the data and the cited sources say.")
    notes: Paragraph = Field(description="Presenter notes: what to point at and what to ask the room.")
    source_ids: Annotated[
        list[Annotated[str, AfterValidator(_known_source)]],
        BeforeValidator(_listed),
        Field(min_length=1, description="The `source_id`s (keys of data/sources.yaml) of what the caption says."),
    ]

    @field_validator("view")
    @classmethod
    def _a_view_of_the_page(cls, view: str | None, info: ValidationInfo) -> str | None:
        page = STORY_PAGES.get(info.data.get("page"))
        if page is None:
            return view
        if view is None:
            return page.views[0]
        if view not in page.views:
            raise _error(
                Code.CONSTRAINT, f"unknown view {view!r} of {info.data['page']}; it has {', '.join(page.views)}"
            )
        return view

    @field_validator("params", mode="before")
    @classmethod
    def _taken_by_the_page(cls, params: Any, info: ValidationInfo) -> Any:
        """Every parameter checked at once, so that each wrong one is reported (as link values: `as_values`)."""
        if params is None:
            return {}
        if not isinstance(params, dict):
            return params
        page, data = info.data.get("page"), info.context["data"]
        errors = [
            InitErrorDetails(type=_error(*problem), loc=(name,), input=raw)
            for name, raw in params.items()
            if (problem := _param_problem(page, name, raw, data))
        ]
        if errors:
            raise ValidationError.from_exception_data("params", errors)
        return {name: as_values(raw) for name, raw in params.items()}


class StoryModel(BaseModel):
    """A story: a YAML file in data/stories/ (its name, in lowercase letters, digits and hyphens, is its id)."""

    model_config = ConfigDict(extra="forbid")

    title: Title = Field(description="The story's title.")
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)] = Field(
        "", description="What the story is about, in a sentence or two."
    )
    lang: Annotated[
        str,
        AfterValidator(_known_language),
        Field(
            description=(
                "The language the story's titles, captions and notes are written in (quotations inside them stay in "
                "their own). The Stories page lists the stories of the session's language first and marks the others "
                "with their language."
            ),
            json_schema_extra={"enum": list(LANGUAGES)},
        ),
    ] = DEFAULT_LANGUAGE
    steps: list[StepModel] = Field(
        min_length=1, max_length=MAX_STEPS, description="The steps, in the order they are shown."
    )


# What a value is, in a problem's words, by the error pydantic reports when the type is not the one expected.
_EXPECTED = {"list_type": "a list", "dict_type": "a mapping"}
# The problem code of each error pydantic reports on a story (the errors raised here carry their code as their type).
_CODES = {
    "extra_forbidden": Code.UNKNOWN_FIELD,
    "missing": Code.MISSING_FIELD,
    "model_type": Code.TYPE,
    "string_type": Code.TYPE,
    "list_type": Code.TYPE,
    "dict_type": Code.TYPE,
}
# What a list needs when it is empty.
_AT_LEAST_ONE = {
    "steps": "a story needs at least one step (a list under steps:)",
    "source_ids": "name at least one source of what the step shows (keys of sources.yaml)",
}


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    for kind, words in ((str, "text"), (list, "a list"), (dict, "a mapping")):
        if isinstance(value, kind):
            return words
    return f"a {type(value).__name__}"


def _takes(model: type[BaseModel], key: Any) -> str:
    """What a text field takes, in words, from its declaration: "text of 1 to 160 characters", "one of Map, ..."."""
    field = model.model_fields.get(key)
    if field is not None and isinstance(field.json_schema_extra, dict) and "enum" in field.json_schema_extra:
        return f"one of {', '.join(field.json_schema_extra['enum'])}"
    limits = [item for item in field.metadata if isinstance(item, StringConstraints)] if field else []
    if not limits:
        return "text"
    low, high = limits[0].min_length, limits[0].max_length
    return f"text of {low} to {high} characters" if low else f"text of at most {high} characters"


def _message(detail: dict[str, Any], model: type[BaseModel], key: Any) -> str:
    """A pydantic error in the words of today's story checks: what is wrong and what the key takes."""
    kind, ctx, given = detail["type"], detail.get("ctx", {}), detail.get("input")
    noun = "story" if model is StoryModel else "step"
    if kind == "extra_forbidden":
        return f"unknown key; a {noun} has {', '.join(model.model_fields)}"
    if kind == "missing":
        required = [name for name, info in model.model_fields.items() if info.is_required()]
        return f"missing; a {noun} needs {', '.join(required)}"
    if kind == "model_type":
        return f"a {noun} is a mapping with {', '.join(model.model_fields)}, got {_kind_of(given)}"
    if kind == "string_type":
        return f"expected {_takes(model, key)}, got {_kind_of(given)}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_kind_of(given)}"
    if kind == "string_too_short":
        return f"empty; {_takes(model, key)} is required"
    if kind == "string_too_long":
        return f"{_takes(model, key)}, got {len(given.strip())}"
    if kind == "too_short" and key in _AT_LEAST_ONE:
        return _AT_LEAST_ONE[key]
    if kind == "too_long":
        return f"at most {ctx['max_length']} {key}, got {ctx['actual_length']}"
    return str(ctx.get("message", detail["msg"]))


def _located(loc: tuple, document: LineDict) -> tuple[int, str, type[BaseModel], Any]:
    """Where an error's location is in the story document: its line, the field's name, the model and the key."""
    if not loc:
        return 1, WHOLE_FILE, StoryModel, None
    key, *rest = loc
    line = document.key_lines.get(key, 1)
    if key != "steps" or not rest:
        return line, str(key), StoryModel, key
    number, *rest = rest
    step, where = document["steps"][number], f"steps[{number + 1}]"
    if not rest:
        return line, where, StepModel, None
    key, *rest = rest
    line = step.key_lines.get(key, step.line)
    params = step.get("params")
    if key == "params" and rest and isinstance(params, LineDict):
        return params.key_lines.get(rest[0], line), f"{where}.params.{rest[0]}", StepModel, key
    return line, f"{where}.{key}", StepModel, key


def _problems(error: ValidationError, document: LineDict, shown: str) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        line, name, model, key = _located(detail["loc"], document)
        kind = detail["type"]
        code = kind if kind in PROBLEM_CODES else _CODES.get(kind, Code.CONSTRAINT)
        problems.append(Problem(shown, line, name, _message(detail, model, key), code))
    return problems


def _story(path: Path, model: StoryModel, document: LineDict) -> Story:
    steps = tuple(
        Step(**{**step.model_dump(), "source_ids": tuple(step.source_ids)}, line=raw.line)
        for step, raw in zip(model.steps, document["steps"], strict=True)
    )
    return Story(path.stem, model.title, model.description, steps, shown_path(path), model.lang)


def parse_story(path: Path, document: Any, *, data: Mapping[str, pd.DataFrame], source_ids: set[str]) -> StoryFile:
    """Check a story document (from safe YAML loading with lines) against `StoryModel` and build the story when
    nothing is wrong."""
    result = StoryFile(path)
    shown = shown_path(path)
    if not isinstance(document, LineDict):
        result.problems.append(
            Problem(shown, 1, WHOLE_FILE, "expected a mapping with title, description and steps", Code.FORMAT)
        )
        return result
    result.problems += [
        Problem(
            shown, line, str(key), "this key appears twice in the same mapping; the last one wins", Code.DUPLICATE_KEY
        )
        for key, line in document.repeated_keys
    ]
    try:
        model = StoryModel.model_validate(document, context={"data": data, "source_ids": source_ids})
    except ValidationError as error:
        model = None
        result.problems += _problems(error, document, shown)
    if not _ID.match(path.stem):
        result.problems.append(
            Problem(
                shown,
                1,
                WHOLE_FILE,
                "the file name must be lowercase letters, digits and hyphens (it is the story's id)",
                Code.CONSTRAINT,
            )
        )
    if model is not None and not result.problems:
        result.story = _story(path, model, document)
    return result


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
