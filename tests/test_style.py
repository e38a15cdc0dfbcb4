"""The palette: every organization keeps its colour-blind-safe colour and symbol, and its marks reach 3:1 contrast."""

from __future__ import annotations

import pytest

from poc_data.charts.base import PRESENTATION_MAX_HEIGHT, apply_layout, fitted_height
from poc_data.style import (
    BACKGROUNDS,
    INK,
    MIN_GRAPHIC_CONTRAST,
    MIN_TEXT_CONTRAST,
    SOFT_INK,
    STYLES,
    SYMBOL_GLYPHS,
    badge,
    contrast_ratio,
    marker,
)


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#FFFFFF", "#000000", 21.0), ("#E69F00", "#FFFFFF", 2.25), ("#777777", "#777777", 1)],
)
def test_contrast_ratio_is_wcags(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("organization", list(STYLES))
@pytest.mark.parametrize("background", list(BACKGROUNDS))
def test_every_mark_outline_stands_out_at_three_to_one(organization, background):
    assert contrast_ratio(STYLES[organization].outline, BACKGROUNDS[background]) >= MIN_GRAPHIC_CONTRAST


def test_the_okabe_ito_colours_and_symbols_stay():
    assert [style.colour for style in STYLES.values()] == [
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#D55E00",
        "#555555",
    ]
    assert len({style.symbol for style in STYLES.values()}) == len(STYLES)


def test_a_marker_is_outlined_in_its_darker_shade():
    assert marker("EU", 10) == {
        "color": "#E69F00",
        "symbol": "square",
        "size": 10,
        "line": {"color": STYLES["EU"].outline, "width": 1.5},
    }


@pytest.mark.parametrize(
    ("organization", "expected"),
    [
        ("UN", ":blue-badge[● UN]"),
        ("EU", ":orange-badge[■ EU]"),
        ("NATO", ":green-badge[◆ NATO]"),
        ("Interorganizational", ":red-badge[★ Interorganizational]"),
        ("coalition", ":gray-badge[✕ Other (national, coalition)]"),
    ],
)
def test_a_badge_has_the_organizations_colour_and_symbol(organization, expected):
    assert badge(organization) == expected


def test_every_symbol_has_a_glyph():
    assert {style.symbol for style in STYLES.values()} <= set(SYMBOL_GLYPHS)


@pytest.mark.parametrize("ink", [INK, SOFT_INK])
def test_chart_text_reaches_four_and_a_half_to_one(ink):
    assert all(contrast_ratio(ink, background) >= MIN_TEXT_CONTRAST for background in BACKGROUNDS.values())


def test_presented_charts_fit_the_screen_and_legends_take_the_text_size():
    import plotly.graph_objects as go

    assert fitted_height(2000, True) == PRESENTATION_MAX_HEIGHT
    assert fitted_height(300, True) == 375
    assert fitted_height(2000, False) == 2000
    fig = apply_layout(go.Figure(), title="t", presentation=True, height=900)
    assert fig.layout.height == PRESENTATION_MAX_HEIGHT
    assert fig.layout.legend.font.size == fig.layout.xaxis.tickfont.size == fig.layout.xaxis.title.font.size == 22
    assert fig.layout.xaxis.title.font.color == INK
