"""Text for display: dates formatted the same way on every platform."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from poc_data.text import day_month_year, present
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (pd.Timestamp("2000-01-05"), "5 Jan 2000"),
        (pd.Timestamp("1999-10-22"), "22 Oct 1999"),
        (dt.date(2024, 12, 20), "20 Dec 2024"),
    ],
)
def test_day_month_year_has_no_leading_zero(value, shown):
    assert day_month_year(value) == shown


def test_present_formats_timestamps_and_says_unknown():
    assert present(pd.Timestamp("2013-04-25")) == "25 Apr 2013"
    assert present(None) == "unknown"
    assert present([]) == "unknown"


def test_no_platform_specific_strftime_codes():
    """strftime's dash and hash flags work only on some platforms; workshop laptops often run Windows."""
    code = re.compile(r"%[-#][a-zA-Z]")
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("poc_data", "pages")
        for path in (REPO / folder).rglob("*.py")
        if code.search(path.read_text(encoding="utf-8"))
    ]
    offenders += ["app.py"] if code.search((REPO / "app.py").read_text(encoding="utf-8")) else []
    assert offenders == []
