"""The pages' memoizers: a module function's cached version is built once, a page's own function every time."""

from __future__ import annotations

import pytest

from poc_data import ui
from poc_data.charts import organizations as org_charts
from poc_data.transform import organizations as org


@pytest.mark.parametrize(
    ("make", "func"), [(ui.memo, org.source_label), (ui.memo_figure, org_charts.poc_mandate_chart)]
)
def test_a_module_function_is_memoized_once(make, func):
    assert make(func) is make(func)


def test_a_page_or_nested_function_is_memoized_afresh():
    def nested(value):
        return value

    page_function = eval("lambda value: value", {"__name__": "__main__"})  # noqa: S307 - a fixed expression
    assert page_function.__module__ == "__main__"
    for func in (nested, page_function):
        assert ui.memo(func) is not ui.memo(func)
        assert ui.memo(func)(3) == 3
