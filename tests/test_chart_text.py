"""Data text in charts goes through the plotly escape: legends, ticks and hover templates show it as written."""

from __future__ import annotations

from poc_data.charts import harm as harm_charts
from poc_data.charts.organizations import milestones_per_year_chart
from poc_data.load import load
from poc_data.transform import harm as th
from poc_data.transform import organizations as org
from tests.conftest import VALID, data_copy
from tests.test_harm import HEADER, SERIES_ROWS

LINK = "<a href=http://example.com>insurgents</a>"


def test_party_names_in_the_annual_legend_are_escaped(tmp_path):
    directory = data_copy(tmp_path)
    rows = [row.replace("insurgents,UNAMA", f"{LINK},UNAMA") for row in SERIES_ROWS]
    (directory / "civilian_harm.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    harm = load("civilian_harm", directory)
    fig = harm_charts.annual_chart(th.annual_series(harm, load("sources", VALID)), title="t")
    names = [trace.name for trace in fig.data]
    assert "&lt;a href=http://example.com&gt;insurgents&lt;/a&gt;" in names
    assert "<a href" not in fig.to_json()


def test_a_source_title_in_a_hover_template_is_escaped_and_no_template_field():
    milestones = load("milestones", VALID)
    frame = org.milestones_per_year(milestones, ["UN", "EU", "NATO"])
    fig = milestones_per_year_chart(frame, source=f"{LINK} %{{y}}")
    for trace in fig.data:
        assert "Source: &lt;a href=http://example.com&gt;insurgents&lt;/a&gt; %&#123;y}" in trace.hovertemplate
        assert "<a href" not in trace.hovertemplate
