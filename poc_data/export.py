"""A story as one self-contained HTML file: each step's figure with plotly.js inlined, its caption and its sources.

The file makes no request: plotly.js and the world map's boundaries are written into it, and nothing from the data
is ever placed in it as markup (every text is HTML-escaped; figures go in as JSON).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from poc_data.i18n import _, current_language, ngettext
from poc_data.paths import TOPOJSON_DIR
from poc_data.stories import Story
from poc_data.views import View

STYLE = """
body { font-family: "Source Sans Pro", "Source Sans 3", Arial, sans-serif; color: #111; margin: 0 auto;
       max-width: 1100px; padding: 1.5rem; line-height: 1.5; font-size: 18px; }
h1 { font-size: 2.2rem; margin-bottom: .3rem; }
h2 { font-size: 1.6rem; margin-top: 2.5rem; border-top: 2px solid #333; padding-top: 1rem; }
.step-number { color: #333; font-size: 1rem; }
.caption { font-size: 1.2rem; }
.block h3 { font-size: 1.15rem; margin-bottom: .2rem; }
.sources, .citation { font-size: .95rem; color: #333; }
a:focus, a:hover { outline: 3px solid #0B5394; }
@media print { h2 { break-before: page; } }
"""


def _geo_assets(views: Sequence[View]) -> str:
    """The boundaries the maps need, for plotly.js to read instead of fetching them (window.PlotlyGeoAssets)."""
    names = set()
    for view in views:
        if view.figure is not None and view.figure.layout.geo.resolution is not None:
            names.add(f"world_{int(view.figure.layout.geo.resolution)}m")
    if not names:
        return ""
    assets = {name: json.loads((TOPOJSON_DIR / f"{name}.json").read_text(encoding="utf-8")) for name in sorted(names)}
    return f"window.PlotlyGeoAssets = {{topojson: {_script_json(assets)}}};"


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


def _citation(source: Mapping) -> str:
    parts = []
    authors = source.get("authors")
    if isinstance(authors, list) and authors:
        parts.append(", ".join(map(str, authors)))
    parts.append(f"“{source.get('title')}”")
    for name in ("publisher", "date_text"):
        value = source.get(name)
        if value is not None and not (isinstance(value, float) and pd.isna(value)):
            parts.append(str(value))
    text = escape(", ".join(parts))
    url = source.get("url")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        text += f" — {escape(url)}"
    return text


def story_html(story: Story, views: Sequence[View], sources: pd.DataFrame, *, made: str) -> str:
    """The story as one HTML document; `views` are its steps' views, in order; `made` says when it was made."""
    by_id = {record["id"]: record for record in sources.to_dict("records")}
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{current_language()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(story.title)} · PoC Explorer</title>",
        f"<style>{STYLE}</style>",
        f"<script>{get_plotlyjs()}</script>",
        f"<script>{_geo_assets(views)}</script>",
        "</head><body>",
        # The story's own text is marked with the language it is written in; the framing words are the session's.
        f"<h1 lang='{story.lang}'>{escape(story.title)}</h1>",
        f"<p lang='{story.lang}' class='caption'>{escape(story.description)}</p>",
        "<p class='sources'>"
        + escape(
            ngettext(
                "A story of PoC Explorer, {count} step, made {made}. Every figure is drawn from the PoC Explorer "
                "datasets; each step names its sources.",
                "A story of PoC Explorer, {count} steps, made {made}. Every figure is drawn from the PoC Explorer "
                "datasets; each step names its sources.",
                len(story.steps),
            ).format(count=len(story.steps), made=made)
        )
        + "</p>",
    ]
    for number, (step, view) in enumerate(zip(story.steps, views, strict=True), start=1):
        parts.append(f"<section id='step-{number}'>")
        step_number = escape(_("Step {number} of {count}").format(number=number, count=len(story.steps)))
        parts.append(f"<h2><span class='step-number'>{step_number}</span><br>")
        parts.append(f"<span lang='{story.lang}'>{escape(step.title)}</span></h2>")
        if view.figure is not None:
            figure_json = _script_json(json.loads(pio.to_json(view.figure, validate=False)))
            parts.append(f"<div id='figure-{number}' class='figure' role='img' aria-label='{escape(step.title)}'>")
            parts.append("</div>")
            parts.append(
                "<script>(function () { const figure = " + figure_json + ";"
                f" Plotly.newPlot('figure-{number}', figure.data, figure.layout,"
                " {displaylogo: false, responsive: true}); })();</script>"
            )
        for block in view.blocks:
            parts.append("<div class='block'>")
            parts.append(f"<h3>{escape(block.heading)}</h3><ul>")
            parts.extend(f"<li>{escape(line)}</li>" for line in block.lines)
            parts.append("</ul>")
            if block.citation:
                parts.append(f"<p class='citation'>{escape(block.citation)}</p>")
            parts.append("</div>")
        if view.empty:
            parts.append(f"<p>{escape(view.empty)}</p>")
        parts.append(f"<p lang='{story.lang}' class='caption'>{escape(step.caption)}</p>")
        cited = [by_id[source_id] for source_id in step.source_ids if source_id in by_id]
        citations = "; ".join(_citation(source) for source in cited)  # escaped, each
        parts.append("<p class='sources'>" + escape(_("Sources: {citations}")).format(citations=citations) + "</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
