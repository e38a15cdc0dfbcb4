"""Every page in a real browser with no network: it loads by its URL, runs without error, draws its charts, and
passes axe-core's accessibility rules at the serious and critical levels."""

from __future__ import annotations

import re

import pytest

from poc_data.ui import PAGES
from tests.browser.conftest import AXE

pytestmark = pytest.mark.browser

# Violations caused by Streamlit's own markup, not by what this app puts on the page. Each is narrowed to the
# rule and the element it concerns, so the same rule still fails anywhere else.
STREAMLIT_INTERNAL = [
    # The sidebar's collapse control and the toolbar are Streamlit's; nothing of ours is inside them.
    ("button-name", re.compile(r"stSidebarCollapseButton|stExpandSidebarButton|stToolbar|stMainMenu")),
]


def url_path(script: str) -> str:
    """The URL path Streamlit gives a page script: its file name without the order prefix."""
    if script == "app.py":
        return ""
    return re.sub(r"^\d+_", "", script.removeprefix("pages/").removesuffix(".py"))


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html + ' ' + n.target)}))"
    )
    kept = []
    for violation in results:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [
            node
            for node in violation["nodes"]
            if not any(rule == violation["id"] and pattern.search(node) for rule, pattern in STREAMLIT_INTERNAL)
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


@pytest.mark.parametrize("info", PAGES, ids=[info.label for info in PAGES])
def test_page_loads_offline_draws_its_charts_and_passes_axe(app, info):
    app.open(url_path(info.path))
    page = app.page
    assert page.locator('[data-testid="stException"]').count() == 0
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for index in range(charts.count()):
        assert charts.nth(index).locator(".main-svg").count() > 0
    app.screenshot(f"page-{url_path(info.path) or 'Home'}")
    violations = serious_violations(page)
    assert violations == [], violations
