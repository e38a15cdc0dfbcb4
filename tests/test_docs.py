"""docs/data-format.md is what `python -m poc_data.docs` makes, and it describes the declarations both ways: every
field, type, required flag and vocabulary value of the schema, and nothing the schema does not have (Datasette's docs
tests)."""

from __future__ import annotations

import re
from typing import Annotated

import pytest
from pydantic import AfterValidator, Field

from poc_data import docs, events, page_params
from poc_data.page_params import story_params
from poc_data.paths import BUNDLED_DATA_DIR
from poc_data.problems import PROBLEM_CODES
from poc_data.schema import DATASETS, DatasetSpec, Kind, Record, field_kind, field_vocabulary
from poc_data.stories import STORY_PAGES, read_story
from tests.test_stories import frames

DOC = docs.DOC.read_text(encoding="utf-8")
TEMPLATE = docs.TEMPLATE.read_text(encoding="utf-8")
_SECTION = re.compile(r"^### (\w+) \(`([^`]+)`\)\n(.*?)(?=^#|\Z)", re.MULTILINE | re.DOTALL)
_VALUE = re.compile(r"`([^`]*)`")


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row, with `\\|` read as a pipe inside a cell."""
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def documented_tables(text: str) -> dict[str, tuple[str, list[dict[str, str]]]]:
    """Every dataset section of the page: id -> (file, its table's rows as {column: cell})."""
    tables = {}
    for dataset_id, file_name, body in _SECTION.findall(text):
        lines = [line for line in body.splitlines() if line.startswith("|")]
        assert lines, f"the section of {dataset_id} has no table"
        header = _cells(lines[0])
        assert header == list(docs.COLUMNS), dataset_id
        tables[dataset_id] = (file_name, [dict(zip(header, _cells(line), strict=True)) for line in lines[2:]])
    return tables


TABLES = documented_tables(DOC)


def _read_back(rows: list[dict[str, str]]) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    """A table as (field, type, required, vocabulary) per row, parsed from its text."""
    return [
        (
            _VALUE.fullmatch(row["field"]).group(1),
            row["type"],
            {"yes": True, "": False}[row["required"]],
            tuple(_VALUE.findall(row["values"])),
        )
        for row in rows
    ]


def test_the_page_is_what_the_generator_makes():
    assert DOC == docs.render(TEMPLATE), (
        f"docs/data-format.md is out of date: run `{docs.COMMAND}` and commit the result"
    )


def test_the_page_has_one_section_per_dataset_and_no_other():
    assert {dataset_id: file_name for dataset_id, (file_name, _) in TABLES.items()} == {
        **{dataset_id: spec.data_file for dataset_id, spec in DATASETS.items()},
        events.DATASET_ID: events.DATA_FILE,
    }


@pytest.mark.parametrize("dataset_id", list(DATASETS))
def test_each_table_is_the_models_fields_and_nothing_else(dataset_id):
    model = DATASETS[dataset_id].model
    expected = [
        (name, field_kind(model, name).name, info.is_required(), field_vocabulary(model, name) or ())
        for name, info in model.model_fields.items()
    ]
    assert _read_back(TABLES[dataset_id][1]) == expected


def test_the_events_table_is_the_columns_and_nothing_else():
    expected = [(column.name, column.meta_type, column.required, ()) for column in events.COLUMNS]
    assert _read_back(TABLES[events.DATASET_ID][1]) == expected


@pytest.mark.parametrize(
    ("dataset_id", "field", "rule"),
    [
        ("evidence", "reason", "at most 200 characters"),
        ("missions", "hq_lat", "from -90 to 90"),
        ("deployments", "hq", "from 0 to 3"),
        ("milestones", "year", "a year from 1945 to the current year"),
        ("missions", "host_countries", "each item: an ISO 3166-1 alpha-3 country code, or XKX (Kosovo)"),
        ("organized_violence", "iso3", "made by the reader, not read from the file"),
        ("violence_events", "year", "from 1989 to the current year"),
        ("violence_events", "number_of_sources", "-1 in the release is stored as empty"),
    ],
)
def test_the_rules_are_the_schemas(dataset_id, field, rule):
    rows = {_VALUE.fullmatch(row["field"]).group(1): row for row in TABLES[dataset_id][1]}
    assert rule in rows[field]["rules"].split("; ")


def test_every_field_has_its_metadata_description():
    for dataset_id, spec in DATASETS.items():
        rows = {_VALUE.fullmatch(row["field"]).group(1): row for row in TABLES[dataset_id][1]}
        for entry in docs.metadata(spec.id).fields:
            assert entry.description in rows[entry.name]["description"], (dataset_id, entry.name)


def _with_section(dataset_id: str, replacement: str) -> str:
    """The template with one dataset's section (heading and prose) replaced."""
    text, count = re.subn(rf"^### {dataset_id}\n.*?(?=^#)", replacement, TEMPLATE, flags=re.MULTILINE | re.DOTALL)
    assert count == 1
    return text


def test_the_generator_refuses_a_section_for_a_dataset_that_does_not_exist():
    with pytest.raises(ValueError, match="'### peacekeepers' is not a dataset"):
        docs.render(_with_section("missions", "### missions\n\n### peacekeepers\nNot a dataset.\n\n"))


def test_the_generator_refuses_a_template_without_a_dataset():
    with pytest.raises(ValueError, match="no section for mandates"):
        docs.render(_with_section("mandates", ""))


def _spec(model: type[Record]) -> DatasetSpec:
    return DatasetSpec("probe", model, "csv", "id")


def test_a_constraint_the_generator_cannot_describe_is_an_error():
    class Probe(Record):
        id: Annotated[int, Field(multiple_of=5), Kind("integer")]

    with pytest.raises(TypeError, match="no documentation for the constraint"):
        docs.field_rules(_spec(Probe), "id")


def test_a_check_without_a_docstring_is_an_error():
    def undocumented(value):
        return value

    class Probe(Record):
        id: Annotated[str, AfterValidator(undocumented), Kind("string")]

    with pytest.raises(TypeError, match="has no docstring"):
        docs.field_rules(_spec(Probe), "id")


def _rows_of_tables(text: str) -> list[list[list[str]]]:
    """Each Markdown table in `text`, as its rows' cells (the header and its rule left out)."""
    tables = re.findall(r"(?:^\|.*\n?)+", text, flags=re.MULTILINE)
    return [[_cells(line) for line in table.splitlines()[2:]] for table in tables]


def _tables_after(heading: str) -> list[list[list[str]]]:
    """The tables of the page's section under `heading` (`## ...` or `### ...`), up to the next heading."""
    section = re.split(r"^#", DOC.split(f"\n{heading}\n", 1)[1], maxsplit=1, flags=re.MULTILINE)[0]
    return _rows_of_tables(section)


KEY_TABLES = (*docs.METADATA_MODELS, *docs.STORY_MODELS)


@pytest.mark.parametrize(("label", "model"), KEY_TABLES, ids=[model.__name__ for _, model in KEY_TABLES])
def test_the_tables_of_keys_are_the_models_keys_and_nothing_else(label, model):
    section = DOC.split(f"\nKeys of {label}:\n\n", 1)[1].split("\n\n", 1)[0]
    rows = [dict(zip(docs.COLUMNS, _cells(line), strict=True)) for line in section.splitlines()[2:]]
    expected = [
        (name, docs.type_name(info.annotation), info.is_required(), field_vocabulary(model, name) or ())
        for name, info in model.model_fields.items()
    ]
    assert _read_back(rows) == expected
    assert [row["description"] for row in rows] == [info.description for info in model.model_fields.values()]


def test_a_metadata_key_without_a_description_is_an_error():
    class Probe(Record):
        id: Annotated[str, Kind("string")]

    with pytest.raises(TypeError, match="Probe.id has no description"):
        docs.model_rows(Probe)


def test_the_references_are_the_declared_foreign_keys_and_nothing_else():
    documented = [
        (*_VALUE.findall(dataset + field), *_VALUE.fullmatch(target).group(1).split("."), tuple(_VALUE.findall(when)))
        for dataset, field, target, when in _tables_after("## References between datasets")[0]
    ]
    assert documented == [
        (spec.id, reference.field, reference.resource, reference.key, reference.when or ())
        for spec in DATASETS.values()
        for reference in spec.foreign_keys
    ]


def test_each_dataset_names_its_primary_key():
    keys = dict(re.findall(r"^### (\w+) .*?^Primary key: `(\w+)`\.$", DOC, flags=re.MULTILINE | re.DOTALL))
    assert keys == {**{spec.id: spec.primary_key for spec in DATASETS.values()}, events.DATASET_ID: "id"}


def test_the_problem_codes_are_the_vocabulary_and_nothing_else():
    documented = {
        _VALUE.fullmatch(code).group(1): meaning for code, meaning in _tables_after("## Problems and their codes")[0]
    }
    assert documented == PROBLEM_CODES
    assert list(documented) == list(PROBLEM_CODES)


def test_the_story_pages_are_the_declared_pages_views_and_parameters_and_nothing_else():
    documented = {
        _VALUE.fullmatch(page).group(1): (
            tuple(_VALUE.findall(views)),
            re.findall(r"`(\w+)` \((\w+)\)", params),
        )
        for page, views, params in _tables_after("### The pages a step can show")[0]
    }
    assert documented == {
        name: (page.views, [(key, param.kind) for key, param in page.params.items()])
        for name, page in STORY_PAGES.items()
    }
    assert list(documented) == list(STORY_PAGES)
    for name, (_, params) in documented.items():
        assert [key for key, _ in params] == list(story_params(name)), name


def test_the_parameter_kinds_are_the_declared_kinds():
    kinds = [_VALUE.fullmatch(cells[0]).group(1) for cells in _tables_after("### The pages a step can show")[1]]
    assert kinds == list(page_params.KINDS)


def test_the_example_story_is_a_story_check_accepts(tmp_path):
    example = re.search(r"\n## Story files\n.*?```yaml\n(.*?)```", DOC, flags=re.DOTALL).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    data = frames(BUNDLED_DATA_DIR)
    story_file = read_story(path, data=data, source_ids=set(data["sources"]["id"]))
    assert story_file.problems == []
    assert [step.page for step in story_file.story.steps] == ["Timeline", "Organizations", "Map"]


def test_the_generator_refuses_a_kind_it_does_not_describe(monkeypatch):
    monkeypatch.setattr(page_params, "KINDS", (*page_params.KINDS, "colour"))
    with pytest.raises(ValueError, match="KIND_MEANINGS must describe each of page_params.KINDS"):
        docs.render(TEMPLATE)


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (
            lambda text: text.replace("<!-- generated: problem-codes -->", "<!-- generated: problem-kinds -->"),
            "no generated section named problem-kinds",
        ),
        (lambda text: text.replace("<!-- generated: problem-codes -->", ""), "place each of problem-codes once"),
        (lambda text: text + "\n<!-- generated: problem-codes -->\n", "place each of problem-codes once"),
    ],
)
def test_the_generator_places_each_generated_section_once(edit, error):
    with pytest.raises(ValueError, match=error):
        docs.render(edit(TEMPLATE))


def test_the_command_writes_the_page(tmp_path):
    target = tmp_path / "data-format.md"
    assert docs.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == DOC


def test_the_command_says_when_there_is_no_template(monkeypatch, tmp_path):
    monkeypatch.setattr(docs, "TEMPLATE", tmp_path / "missing.md")
    with pytest.raises(SystemExit, match="not found: the page is made in a checkout"):
        docs.main([str(tmp_path / "data-format.md")])
    assert not (tmp_path / "data-format.md").exists()
