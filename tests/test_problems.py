"""The problem codes: a small vocabulary, each code with its meaning, every code used and every code used in it."""

from __future__ import annotations

import ast
import dataclasses
import json
import re

import pytest

from poc_data.problems import PROBLEM_CODES, Code, Problem
from tests.conftest import REPO

SOURCES = sorted(path for path in (REPO / "poc_data").rglob("*.py") if path.name != "problems.py")


def _codes_in_the_code() -> tuple[set[str], set[str]]:
    """(names after `Code.` anywhere in poc_data, string constants given to a Problem as its code)."""
    names, strings = set(), set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Code":
                names.add(node.attr)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
                given = [keyword.value for keyword in node.keywords if keyword.arg == "code"] + node.args[4:5]
                strings |= {value.value for value in given if isinstance(value, ast.Constant)}
    return names, strings


def test_every_code_has_a_stable_name_and_a_one_line_meaning():
    assert list(PROBLEM_CODES) == [code.value for code in Code]
    for value, meaning in PROBLEM_CODES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", value), value
        assert meaning and "\n" not in meaning and len(meaning) <= 120, value


def test_every_code_used_is_in_the_vocabulary_and_every_code_of_it_is_used():
    names, strings = _codes_in_the_code()
    assert names - set(Code.__members__) == set(), "Code.X used but not in the vocabulary"
    assert strings - set(PROBLEM_CODES) == set(), "a code given as text that is not in the vocabulary"
    assert set(Code.__members__) - names - {Code(value).name for value in strings} == set(), "codes never used"


def test_a_problem_carries_its_code_through_json():
    problem = Problem("missions.csv", 3, "type", "not a type", Code.CONSTRAINT)
    encoded = json.dumps(dataclasses.asdict(problem))
    assert json.loads(encoded)["code"] == "constraint-error"
    assert Problem(**json.loads(encoded)) == problem


@pytest.mark.parametrize("code", list(Code), ids=str)
def test_a_code_is_its_text(code):
    assert Code(code.value) is code and str(code) == code.value


def test_a_code_outside_the_vocabulary_is_refused():
    with pytest.raises(ValueError, match="'no-such-error' is not a valid Code"):
        Problem("missions.csv", 3, "type", "not a type", "no-such-error")
    assert Problem("missions.csv", 3, "type", "not a type", "type-error").code is Code.TYPE
