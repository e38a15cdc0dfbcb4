"""The YAML reader (`load.load_yaml`) against PyYAML's own safe loader, on every shipped file and generated documents.

`load_yaml` builds values from libyaml's events itself, for speed. These tests hold it to PyYAML's `yaml.load` with
`CSafeLoader` (with the reader's two deliberate differences: an impossible date and an integer of more digits than
Python converts stay text, for the schema to report by field): the same values of the same types, the same line of
every mapping and key (from `yaml.compose`), the same line for a malformed document, and a refusal, never a silent
difference, for what data files do not use.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
import yaml

from poc_data.load import MAX_NESTING, LineDict, Refused, _construct_int, _construct_timestamp, load_yaml
from tests.conftest import REPO


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader, keeping impossible dates and over-long integers as text."""


Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
SHIPPED = sorted((REPO / "data").rglob("*.yaml")) + sorted((REPO / "tests" / "fixtures" / "valid").rglob("*.yaml"))
BAD_FIXTURES = sorted((REPO / "tests" / "fixtures" / "bad").rglob("*.yaml"))
# What a refusal may stand on: an anchor, alias, tag, merge key, complex key or second document.
REFUSABLE = ("&", "*", "!", "<<", "?", "---", "...")


def typed(value):
    """A value with the type of every part spelled out, so that 1, 1.0 and True differ; NaN equals NaN."""
    if isinstance(value, dict):
        return ("map", [(typed(key), typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def lines_of(node: yaml.Node, value, constructor: Loader) -> None:
    """Assert that every mapping in `value` has the line of its node, and every key the line of its key node."""
    if isinstance(node, yaml.MappingNode):
        assert isinstance(value, LineDict)
        assert value.line == node.start_mark.line + 1
        expected, repeated, last = {}, [], {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if key in expected:
                repeated.append((key, key_node.start_mark.line + 1))
            expected[key] = key_node.start_mark.line + 1
            last[key] = value_node  # a repeated key: the last one wins
        assert value.key_lines == expected
        assert value.repeated_keys == repeated
        for key, value_node in last.items():
            lines_of(value_node, value[key], constructor)
    elif isinstance(node, yaml.SequenceNode):
        assert isinstance(value, list) and len(value) == len(node.value)
        for item_node, item in zip(node.value, value, strict=True):
            lines_of(item_node, item, constructor)


def assert_same(text: str) -> None:
    """load_yaml reads `text` as PyYAML does: same values and lines, or an error on the same line, or a refusal."""
    try:
        expected = yaml.load(text, Loader=Loader)  # noqa: S506 - CSafeLoader is a safe loader
    except yaml.MarkedYAMLError as error:
        with pytest.raises(yaml.MarkedYAMLError) as raised:
            load_yaml(text)
        if not isinstance(raised.value, Refused):
            assert raised.value.problem_mark.line == error.problem_mark.line, (text, error, raised.value)
            assert raised.value.problem == error.problem
        return
    try:
        got = load_yaml(text)
    except Refused:
        assert any(mark in text for mark in REFUSABLE), text
        return
    assert typed(got) == typed(expected), text
    lines_of(yaml.compose(text, Loader=Loader), got, Loader(""))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(REPO)))
def test_every_shipped_file_reads_as_pyyaml_reads_it(path: Path):
    text = path.read_text(encoding="utf-8-sig")
    got = load_yaml(text)  # never refused: shipped data uses none of what is refused
    assert typed(got) == typed(yaml.load(text, Loader=Loader))  # noqa: S506 - CSafeLoader is a safe loader
    lines_of(yaml.compose(text, Loader=Loader), got, Loader(""))


@pytest.mark.parametrize("path", BAD_FIXTURES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_bad_fixture_reads_as_pyyaml_reads_it_or_is_refused(path: Path):
    assert_same(path.read_text(encoding="utf-8-sig"))


# Plain scalars that YAML 1.1 (PyYAML's safe loader) reads as something else than text, and some it reads as text.
TRICKY = [
    "yes", "No", "ON", "off", "y", "n", "true", "False", "~", "null", "Null", "", "1_000", "0x1F", "0o17", "017",
    "0b101", "+1", "-0", "1e3", "1.0e+3", "6.8523015e+5", ".inf", "-.Inf", ".NaN", "190:20:30", "1:20", "3.14", "-1.5",
    "2004-06", "2004", "2004-06-01", "2004-6-1", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2026-11-31",
    "9" * 30, "S/RES/1270 (1999)", "UNAMSIL", "12 %", "a b c", "0.", "._", "1,000", "e3", "0xZZ", "+.inf",
]  # fmt: skip
QUOTED = ['"yes"', "'1_000'", '"2004-06-01"', "'~'", '"line\\nbreak"', "'it''s'", '""', "'#not a comment'"]
NAMES = ["id", "year", "title", "yes", "1", "2004-06-01", "null", "~", "3.5", "a b", "fields", "records"]


def scalar(rng: random.Random) -> str:
    return rng.choice(TRICKY + QUOTED) if rng.random() < 0.9 else rng.choice(QUOTED)


def flow(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.4:
        return rng.choice([s for s in TRICKY + QUOTED if not any(c in s for c in ",[]{}:#")] or ["x"])
    if rng.random() < 0.5:
        return "[" + ", ".join(flow(rng, depth - 1) for _ in range(rng.randint(0, 3))) + "]"
    items = (f"{rng.choice(NAMES)}: {flow(rng, depth - 1)}" for _ in range(rng.randint(0, 3)))
    return "{" + ", ".join(items) + "}"


def block(rng: random.Random, depth: int, indent: int) -> list[str]:
    """Lines of a block mapping or sequence at `indent`, with nested blocks, flow values, block scalars, comments."""
    pad = " " * indent
    lines = []
    as_list = depth < 3 and rng.random() < 0.4
    for _ in range(rng.randint(1, 4)):
        head = f"{pad}- " if as_list else f"{pad}{rng.choice(NAMES)}:"
        choice = rng.random()
        if depth > 0 and choice < 0.35:
            if as_list:
                lines.append(f"{pad}-")
            else:
                lines.append(head)
            lines += block(rng, depth - 1, indent + 2)
        elif choice < 0.5:
            lines.append(f"{head}{'' if as_list else ' '}{flow(rng, 2)}")
        elif choice < 0.6:
            lines.append(f"{head}{'' if as_list else ' '}{rng.choice(['|', '>', '|-', '>+'])}")
            content = rng.choice(["text", "yes", "1_000", "  indented", "# not a comment"])
            lines += [f"{pad}  {content}"] * rng.randint(1, 3)
        else:
            value = scalar(rng)
            lines.append(f"{head}{'' if as_list else ' '}{value}".rstrip())
        if rng.random() < 0.1:
            lines.append(f"{pad}# a comment")
    return lines


def generated(seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(block(rng, rng.randint(0, 4), 0)) + "\n"


@pytest.mark.parametrize("seed", range(400))
def test_generated_documents_read_as_pyyaml_reads_them(seed: int):
    assert_same(generated(seed))


@pytest.mark.parametrize("seed", range(400))
def test_damaged_documents_fail_on_the_same_line_or_read_the_same(seed: int):
    rng = random.Random(seed)
    text = generated(seed)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text))
        damage = rng.choice(['"', "'", ":", "[", "{", "]", "}", "  ", "\n", "- ", "\t", ",", "|", "%", "@", "`", ""])
        text = text[:at] + damage + text[at + rng.randint(0, 2) :]
    assert_same(text)


def test_the_generated_documents_use_what_they_should():
    """The generator is worth its name: PyYAML reads its documents into every kind of value."""
    kinds = set()

    def walk(value):
        kinds.add(type(value).__name__)
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        for key, item in items:
            kinds.add(type(key).__name__)
            walk(item)

    valid = 0
    for seed in range(100):
        try:
            walk(yaml.load(generated(seed), Loader=Loader))  # noqa: S506 - CSafeLoader is a safe loader
            valid += 1
        except yaml.MarkedYAMLError:
            continue
    assert valid >= 90
    assert {"dict", "list", "str", "int", "float", "bool", "NoneType", "date", "datetime"} <= kinds


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: &x 1\nb: 2\n", 1, "anchors (&name) are not allowed in data files"),
        ("a: 1\nb: &x [1]\n", 2, "anchors (&name) are not allowed in data files"),
        ("a: 1\nb: *x\n", 2, "aliases (*name) are not allowed in data files"),
        ("a: !!python/object/apply:os.getpid []\n", 1, "unsupported YAML tag, not loaded (tag:yaml.org,2002:python/"),
        ("a: 1\nb: !!str 2\n", 2, "unsupported YAML tag, not loaded (tag:yaml.org,2002:str)"),
        ("a: !custom {b: 1}\n", 1, "unsupported YAML tag, not loaded (!custom)"),
        ("a:\n  <<: {b: 1}\n", 2, "merge keys (<<) are not allowed in data files"),
        ("a: 1\n? [b, c]\n: d\n", 2, "a key must be a name, not a list or a mapping"),
        ("a: {{b: 1}: c}\n", 1, "a key must be a name, not a list or a mapping"),
        ("a: 1\n---\nb: 2\n", 2, "a data file holds one YAML document"),
        ("a: =\n", 1, "'=' cannot be read as a plain value; put it in quotes"),
        ("a: " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1) + "\n", 1, f"nested more than {MAX_NESTING} levels"),
    ],
)
def test_what_data_files_do_not_use_is_refused_on_its_line(text: str, line: int, words: str):
    with pytest.raises(Refused) as refused:
        load_yaml(text)
    assert words in refused.value.problem
    assert refused.value.problem_mark.line + 1 == line


def test_nesting_up_to_the_limit_is_read():
    depth = MAX_NESTING - 1
    assert load_yaml("a: " + "[" * depth + "]" * depth + "\n")["a"] is not None


def test_a_billion_laughs_is_refused_before_anything_is_expanded():
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    with pytest.raises(Refused, match="anchors"):
        load_yaml("\n".join(levels))


def test_an_empty_document_is_none_and_impossible_values_stay_text():
    assert load_yaml("") is None
    assert load_yaml("# only a comment\n") is None
    document = load_yaml("a: 2026-11-31\nb: " + "9" * 5000 + "\n")
    assert document == {"a": "2026-11-31", "b": "9" * 5000}
