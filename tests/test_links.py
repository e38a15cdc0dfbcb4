"""Link parameters: one parser per kind, with limits; a bad value gives the default and says why, never raises."""

from __future__ import annotations

import pytest

from poc_data.links import (
    MAX_TEXT_CHARS,
    MAX_VALUES,
    parse_choice,
    parse_choices,
    parse_number,
    parse_page,
    parse_range,
    parse_text,
    parse_toggle,
    parse_token,
)

HUGE = "9" * 5000
ORGS = ["UN", "EU", "NATO"]


@pytest.mark.parametrize(
    ("raws", "value", "ignored"),
    [
        ([], None, ()),
        (["EU"], "EU", ()),
        (["WHO"], None, ("WHO",)),
        (["EU", "UN"], None, ("EU", "UN")),
        (["![x](http://example.com/a.png)"], None, ("![x](http://example.com/a.png)",)),
    ],
)
def test_parse_choice(raws, value, ignored):
    parsed = parse_choice(raws, ORGS)
    assert (parsed.value, parsed.ignored) == (value, ignored)


@pytest.mark.parametrize(
    ("raws", "value", "ignored"),
    [
        ([], None, ()),
        (["EU", "UN"], ["EU", "UN"], ()),
        (["EU", "EU"], ["EU"], ()),
        (["EU", "WHO"], ["EU"], ("WHO",)),
        (["WHO"], None, ("WHO",)),
    ],
)
def test_parse_choices(raws, value, ignored):
    parsed = parse_choices(raws, ORGS)
    assert (parsed.value, parsed.ignored) == (value, ignored)


def test_parse_choices_refuses_too_many_values():
    parsed = parse_choices(["UN"] * (MAX_VALUES + 1), ORGS)
    assert parsed.use_default and len(parsed.ignored) == MAX_VALUES + 1 and str(MAX_VALUES) in parsed.reason


@pytest.mark.parametrize(
    ("raws", "value", "reason"),
    [
        (["1995", "2000"], (1995, 2000), ""),
        (["2000", "2000"], (2000, 2000), ""),
        (["2020", "1995"], None, "reversed"),
        (["1995"], None, "two values"),
        (["1995", "1996", "1997"], None, "two values"),
        (["1800", "1999"], None, "outside"),
        (["x", "1999"], None, "whole numbers"),
        ([HUGE, "1999"], None, "whole numbers"),
        (["1e3", "1999"], None, "whole numbers"),
    ],
)
def test_parse_range(raws, value, reason):
    parsed = parse_range(raws, 1994, 2021)
    assert parsed.value == value and reason in parsed.reason


@pytest.mark.parametrize(
    ("raws", "value"),
    [(["3"], 3), (["0"], None), (["6"], None), (["x"], None), ([HUGE], None), (["²"], None), (["3", "4"], None)],
)
def test_parse_page(raws, value):
    parsed = parse_page(raws, 5)
    assert parsed.value == value and bool(parsed.ignored) == (value is None)


@pytest.mark.parametrize(
    ("raws", "value"),
    [(["-3"], -3), (["0"], 0), (["6"], None), (["x"], None), ([HUGE], None), (["-"], None), (["1", "2"], None)],
)
def test_parse_number(raws, value):
    parsed = parse_number(raws, -5, 5)
    assert parsed.value == value and bool(parsed.ignored) == (value is None)


@pytest.mark.parametrize(
    ("raws", "value"),
    [(["true"], True), (["false"], False), (["TRUE"], None), (["zzz"], None), (["true", "true"], None), ([], None)],
)
def test_parse_toggle(raws, value):
    parsed = parse_toggle(raws)
    assert parsed.value is value
    assert bool(parsed.ignored) == (raws != [] and value is None)


def test_parse_text_cuts_long_text_and_refuses_repeats():
    long = " ".join(f"word{n}" for n in range(50_000))
    parsed = parse_text([long])
    assert parsed.value == long[:MAX_TEXT_CHARS] and parsed.ignored == (long,)
    assert parse_text(["a", "b"]).use_default
    assert parse_text(["srebrenica"]).value == "srebrenica"


TOKEN = "q3J-x_9Kd0aZ7bLm2nPr4w"


@pytest.mark.parametrize(
    ("raws", "value"),
    [
        ([TOKEN], TOKEN),
        ([], None),
        ([TOKEN, TOKEN], None),
        (["short"], None),
        ([TOKEN + "\n"], None),
        ([TOKEN + "!"], None),
        (["<b>" + TOKEN + "</b>"], None),
        (["x" * 65], None),
        ([HUGE], None),
    ],
)
def test_parse_token(raws, value):
    parsed = parse_token(raws)
    assert parsed.value == value
    assert bool(parsed.ignored) == (raws != [] and value is None)
