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


@pytest.mark.parametrize("make", [ui.memo, ui.memo_figure])
def test_a_memoized_function_is_kept_per_language(make):
    import plotly.graph_objects as go

    from poc_data import i18n

    def titled(value):
        return go.Figure(layout={"title": {"text": f"{i18n.current_language()} {value}"}})

    titled.__module__ = "tests.memo_language"
    memoized = make(titled)
    shown = {}
    for code in ("en", "fr", "en"):
        with i18n.language(code):
            figure = memoized(1)
            shown[code] = (figure if isinstance(figure, dict) else figure.to_dict())["layout"]["title"]["text"]
    assert shown == {"en": "en 1", "fr": "fr 1"}
