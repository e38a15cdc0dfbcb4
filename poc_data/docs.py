"""docs/data-format.md, made from the declarations: the schema's models, the events' columns and the datasets' metadata.

`python -m poc_data.docs` writes it from docs/data-format.template.md, whose prose it keeps and whose dataset sections
it fills with each dataset's table of fields; `tests/test_docs.py` fails while the file is not what this makes.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from poc_data import events, links, page_params, schema
from poc_data.load import metadata
from poc_data.paths import APP_DIR, BUNDLED_DATA_DIR
from poc_data.problems import PROBLEM_CODES
from poc_data.schema import (
    DATASETS,
    DatasetSpec,
    FieldMeta,
    Kind,
    Metadata,
    Release,
    ReleaseCopy,
    field_kind,
    field_vocabulary,
)
from poc_data.stories import STORY_PAGES, StepModel, StoryModel

DOCS_DIR = APP_DIR / "docs"
DOC = DOCS_DIR / "data-format.md"
TEMPLATE = DOCS_DIR / "data-format.template.md"
COMMAND = "python -m poc_data.docs"
GENERATED_NOTE = (
    f"<!-- Made by `{COMMAND}` from docs/data-format.template.md, poc_data/schema.py, poc_data/events.py and the "
    "field descriptions of data/*.meta.yaml: edit those, then run it again. -->"
)
DATASETS_HEADING = "## The datasets"
COLUMNS = ("field", "type", "required", "values", "rules", "description")
_CONSTANT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
# Markers that say no rule of their own: bounds (written by `_bounds`), the storage kind, parsing before the checks.
_UNDOCUMENTED = (annotated_types.Ge, annotated_types.Le, annotated_types.Gt, Kind, BeforeValidator)


@dataclass(frozen=True)
class Row:
    """One field as its dataset's table shows it."""

    field: str
    type: str
    required: bool
    values: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    description: str = ""


def rule_of(check: Callable[..., Any]) -> str:
    """The sentence a check's docstring gives its rule, with the schema's constants (`{FIRST_YEAR}`) filled in."""
    doc = inspect.getdoc(check)
    if not doc:
        raise TypeError(f"{check.__qualname__} has no docstring to document its rule by")
    first = " ".join(doc.split("\n\n", 1)[0].split()).removesuffix(".")
    first = first[:1].lower() + first[1:]
    return _CONSTANT.sub(lambda match: str(getattr(schema, match.group(1))), first)


def _bounds(markers: list[Any]) -> Iterator[str]:
    low = next((m.ge for m in markers if isinstance(m, annotated_types.Ge)), None)
    high = next((m.le for m in markers if isinstance(m, annotated_types.Le)), None)
    # A bound set to this year (the events' years) is written as such, so that the page stays the same next year.
    high = "the current year" if high == dt.date.today().year else high
    if low is not None and high is not None:
        yield f"from {low} to {high}"
    elif low is not None:
        yield f"at least {low}"
    elif high is not None:
        yield f"at most {high}"
    yield from (f"more than {m.gt}" for m in markers if isinstance(m, annotated_types.Gt))


def _marker_rules(markers: list[Any], unit: str, *, checks: bool = True) -> Iterator[str]:
    """The rules a field's constraints say, in order; a constraint of a kind this does not know is an error, so that
    no rule of the schema goes undocumented. Without `checks`, the checks (validator functions) are left out."""
    markers = [part for marker in markers for part in (marker if isinstance(marker, GroupedMetadata) else [marker])]
    yield from _bounds(markers)
    for marker in markers:
        if isinstance(marker, annotated_types.MinLen):
            yield "not empty" if marker.min_length == 1 else f"at least {marker.min_length} {unit}"
        elif isinstance(marker, annotated_types.MaxLen):
            yield f"at most {marker.max_length} {unit}"
        elif getattr(marker, "pattern", None):
            yield f"matches `{marker.pattern}`"
        elif isinstance(marker, AfterValidator):
            yield from [rule_of(marker.func)] if checks else []
        elif not isinstance(marker, _UNDOCUMENTED) and not getattr(marker, "strip_whitespace", False):
            raise TypeError(f"no documentation for the constraint {marker!r}")


def _markers(annotation: Any) -> tuple[list[Any], Any]:
    """The constraints written into a type (its Annotated metadata, through optional types), and the type of a list's
    items (None if it is not a list)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        inner, items = _markers(base)
        found = [m for marker in extra for m in (marker.metadata if isinstance(marker, FieldInfo) else [marker])]
        return found + inner, items
    if origin in (Union, types.UnionType):
        found: list[Any] = []
        items = None
        for argument in get_args(annotation):
            inner, inner_items = _markers(argument)
            found += inner
            items = items or inner_items
        return found, items
    if origin is list:
        return [], get_args(annotation)[0]
    return [], None


def model_rules(model: type[BaseModel], name: str, *, checks: bool = True) -> list[str]:
    """The rules of one field of a model: its constraints and its items' (and its checks', unless not `checks`)."""
    info = model.model_fields[name]
    inner, items = _markers(info.annotation)
    unit = "items" if items is not None else "characters"
    rules = [*_marker_rules([*info.metadata, *inner], unit, checks=checks)]
    if items is not None:
        rules += [f"each item: {r}" for r in _marker_rules(_markers(items)[0], "characters", checks=checks)]
    return list(dict.fromkeys(rules))


def field_rules(spec: DatasetSpec, name: str) -> tuple[str, ...]:
    """The rules of one field of a dataset: its model's, and whether the reader makes it."""
    derived = ["made by the reader, not read from the file"] if name in spec.derived else []
    return (*model_rules(spec.model, name), *derived)


def _described(description: str, *, editorial: bool = False, unit: str | None = None) -> str:
    parts = ["*Editorial.*"] if editorial else []
    parts.append(description)
    if unit:
        parts.append(f"Unit: {unit}.")
    return " ".join(parts)


def dataset_rows(spec: DatasetSpec, data_dir: Path = BUNDLED_DATA_DIR) -> list[Row]:
    """A dataset's fields as its table shows them: the model's, with the metadata's descriptions."""
    described = {entry.name: entry for entry in metadata(spec.id, data_dir).fields}
    rows = []
    for name, info in spec.model.model_fields.items():
        entry = described[name]
        rows.append(
            Row(
                field=name,
                type=field_kind(spec.model, name).name,
                required=info.is_required(),
                values=field_vocabulary(spec.model, name) or (),
                rules=field_rules(spec, name),
                description=_described(entry.description, editorial=entry.editorial, unit=entry.unit),
            )
        )
    return rows


def event_rows() -> list[Row]:
    """The events' columns (poc_data.events.COLUMNS) as their table shows them."""
    rows = []
    for column in events.COLUMNS:
        bounds = [annotated_types.Ge(column.low)] if column.low is not None else []
        bounds += [annotated_types.Le(column.high)] if column.high is not None else []
        rules = [f"Parquet type {column.sql_type}", *_bounds(bounds)]
        if column.unknown_code is not None:
            rules.append(f"{column.unknown_code} in the release is stored as empty")
        description = _described(column.description, unit=column.unit)
        rows.append(Row(column.name, column.meta_type, column.required, (), tuple(rules), description))
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(rows: list[Row]) -> str:
    """A Markdown table of fields; values are each in backticks, rules separated by semicolons."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    for row in rows:
        cells = (
            f"`{row.field}`",
            row.type,
            "yes" if row.required else "",
            ", ".join(f"`{value}`" for value in row.values),
            "; ".join(row.rules),
            row.description,
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines)


def _file_of(dataset_id: str) -> str:
    return events.DATA_FILE if dataset_id == events.DATASET_ID else DATASETS[dataset_id].data_file


def _primary_key_of(dataset_id: str, data_dir: Path) -> str:
    """The schema's primary key of a dataset; the events' is their metadata's, which `check` holds to `id`."""
    if dataset_id == events.DATASET_ID:
        return events.read_metadata(data_dir).primary_key
    return DATASETS[dataset_id].primary_key


def _rows_of(dataset_id: str, data_dir: Path) -> list[Row]:
    return event_rows() if dataset_id == events.DATASET_ID else dataset_rows(DATASETS[dataset_id], data_dir)


def documented_datasets() -> tuple[str, ...]:
    """Every dataset the page must describe: the schema's and the events."""
    return (*DATASETS, events.DATASET_ID)


def _dataset_sections(text: str, data_dir: Path) -> str:
    """The template's dataset sections (`### id` and its prose), each with its file named and its table added."""
    sections = re.split(r"^### ", text, flags=re.MULTILINE)
    out = [sections[0]]
    seen = []
    for section in sections[1:]:
        heading, _, prose = section.partition("\n")
        dataset_id = heading.strip()
        if dataset_id not in documented_datasets():
            raise ValueError(f"docs/data-format.template.md: '### {dataset_id}' is not a dataset")
        seen.append(dataset_id)
        body = f"{prose.strip()}\n\n" if prose.strip() else ""
        key = f"Primary key: `{_primary_key_of(dataset_id, data_dir)}`.\n\n"
        out.append(f"{dataset_id} (`{_file_of(dataset_id)}`)\n{body}{key}{table(_rows_of(dataset_id, data_dir))}\n\n")
    missing = [dataset_id for dataset_id in documented_datasets() if dataset_id not in seen]
    if missing:
        raise ValueError(f"docs/data-format.template.md has no section for {', '.join(missing)}")
    return "### ".join(out)


_TYPE_NAMES = {str: "string", int: "integer", float: "number", bool: "boolean", dt.date: "date"}
# The metadata's models, each with how the page names where its keys stand.
METADATA_MODELS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("the metadata", Metadata),
    ("each entry of `fields`", FieldMeta),
    ("`release`", Release),
    ("`release.copy_of`", ReleaseCopy),
)


def type_name(annotation: Any) -> str:
    """A metadata key's type as the page names it: string, integer, ..., mapping, list, list of mappings."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return type_name(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return type_name(next(arg for arg in get_args(annotation) if arg is not type(None)))
    if origin is Literal:
        return type_name(type(get_args(annotation)[0]))
    if origin is list:
        return "list of mappings" if type_name(get_args(annotation)[0]) == "mapping" else "list"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "mapping"
    return _TYPE_NAMES[annotation]


def model_rows(model: type[BaseModel], *, checks: bool = True) -> list[Row]:
    """A model's keys as their table shows them; a key without a description is an error."""
    rows = []
    for name, info in model.model_fields.items():
        if not info.description:
            raise TypeError(f"{model.__name__}.{name} has no description (Field(description=...))")
        vocabulary = field_vocabulary(model, name) or ()
        rows.append(
            Row(
                name,
                type_name(info.annotation),
                info.is_required(),
                vocabulary,
                tuple(model_rules(model, name, checks=checks)),
                info.description,
            )
        )
    return rows


def metadata_keys() -> str:
    """The tables of the metadata's keys (schema.Metadata and the models inside it)."""
    return "\n\n".join(f"Keys of {label}:\n\n{table(model_rows(model))}" for label, model in METADATA_MODELS)


def references() -> str:
    """The references between datasets (each DatasetSpec's foreign_keys): the field, the dataset and key it refers
    to, and the records it applies to when not all."""
    lines = ["| dataset | field | refers to | for the records where |", "| --- | --- | --- | --- |"]
    for spec in DATASETS.values():
        for reference in spec.foreign_keys:
            when = f"`{reference.when[0]}` is `{reference.when[1]}`" if reference.when else ""
            lines.append(
                f"| `{spec.id}` | `{reference.field}` | `{reference.resource}.{reference.key}` | {_cell(when)} |"
            )
    return "\n".join(lines)


# The story file's models, each with how the page names where its keys stand.
STORY_MODELS: tuple[tuple[str, type[BaseModel]], ...] = (("a story", StoryModel), ("each of its `steps`", StepModel))


def story_keys() -> str:
    """The tables of a story's keys and a step's (stories.StoryModel, StepModel). Their checks against the pages and
    the sources are said by the keys' descriptions and the pages' table."""
    return "\n\n".join(f"Keys of {label}:\n\n{table(model_rows(model, checks=False))}" for label, model in STORY_MODELS)


def problem_codes() -> str:
    """The problems' codes (poc_data.problems.Code), each with its meaning."""
    lines = ["| code | meaning |", "| --- | --- |"]
    lines += [f"| `{code}` | {_cell(meaning)} |" for code, meaning in PROBLEM_CODES.items()]
    return "\n".join(lines)


# What a step's value of each kind of parameter (page_params.KINDS) must be, as the page's widget reads its link.
KIND_MEANINGS = {
    "one": "one of the values the page offers (a select box)",
    "many": "a list of values the page offers, each once (a multiselect)",
    "range": "two years, the first not after the second, within the years the page offers (a range slider)",
    "year": "one year within the years the page offers (a slider)",
    "flag": "`true` or `false`, in lowercase, as the app writes them (a switch)",
    "text": f"a text of at most {links.MAX_TEXT_CHARS} characters (a search box)",
}


def parameter_kinds() -> str:
    """The kinds of the pages' link parameters (page_params.KINDS), each with what a step's value must be."""
    if list(KIND_MEANINGS) != list(page_params.KINDS):
        raise ValueError(f"KIND_MEANINGS must describe each of page_params.KINDS: {', '.join(page_params.KINDS)}")
    lines = ["| kind | a step's value |", "| --- | --- |"]
    lines += [f"| `{kind}` | {_cell(meaning)} |" for kind, meaning in KIND_MEANINGS.items()]
    return "\n".join(lines)


def story_pages() -> str:
    """The pages a story step can show (stories.STORY_PAGES): their views and the parameters a step may set."""
    lines = ["| page | views (the first is the default) | parameters a step may set |", "| --- | --- | --- |"]
    for name, page in STORY_PAGES.items():
        views = ", ".join(f"`{view}`" for view in page.views)
        params = ", ".join(f"`{key}` ({param.kind})" for key, param in page.params.items())
        lines.append(f"| `{name}` | {views} | {params} |")
    return "\n".join(lines)


# What the template's `<!-- generated: NAME -->` lines stand for.
GENERATED: dict[str, Callable[[], str]] = {
    "metadata-keys": metadata_keys,
    "references": references,
    "problem-codes": problem_codes,
    "story-keys": story_keys,
    "story-pages": story_pages,
    "parameter-kinds": parameter_kinds,
}
_PLACEHOLDER = re.compile(r"^<!-- generated: ([\w-]+) -->$", re.MULTILINE)


def _fill_placeholders(text: str) -> str:
    """Every placeholder replaced by what it stands for; each of GENERATED must stand exactly once."""
    names = _PLACEHOLDER.findall(text)
    unknown = [name for name in names if name not in GENERATED]
    if unknown:
        raise ValueError(f"docs/data-format.template.md: no generated section named {', '.join(unknown)}")
    unplaced = [name for name in GENERATED if names.count(name) != 1]
    if unplaced:
        raise ValueError(f"docs/data-format.template.md must place each of {', '.join(unplaced)} once")
    return _PLACEHOLDER.sub(lambda match: GENERATED[match.group(1)](), text)


def render(template: str, data_dir: Path = BUNDLED_DATA_DIR) -> str:
    """The page: the template's prose, its dataset sections and generated sections filled in."""
    head, found, rest = template.partition(f"\n{DATASETS_HEADING}\n")
    if not found:
        raise ValueError(f"docs/data-format.template.md has no '{DATASETS_HEADING}' section")
    after = re.search(r"^## ", rest, flags=re.MULTILINE)
    datasets, tail = (rest[: after.start()], rest[after.start() :]) if after else (rest, "")
    text = f"{GENERATED_NOTE}\n{head}\n{DATASETS_HEADING}\n{_dataset_sections(datasets, data_dir)}{tail}"
    return _fill_placeholders(text).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write docs/data-format.md (or the file named) from the template and the declarations."""
    arguments = sys.argv[1:] if argv is None else argv
    target = Path(arguments[0]) if arguments else DOC
    if not TEMPLATE.is_file():
        raise SystemExit(f"{TEMPLATE} not found: the page is made in a checkout of PoC Explorer, not an installed copy")
    target.write_text(render(TEMPLATE.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
