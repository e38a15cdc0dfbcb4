"""The one place that defines each organization's colour and marker symbol (Okabe-Ito, colour-blind safe)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrganizationStyle:
    """An organization's fill colour, the darker shade of the same hue that outlines its marks, its symbol, and the
    colour of its text badge (one of Streamlit's named badge colours, the closest to its fill)."""

    label: str
    colour: str
    symbol: str
    outline: str
    badge: str = "gray"


# Okabe and Ito's palette stays distinct under the common colour-vision deficiencies; the symbols make the
# organizations distinct without colour too. Several of its colours are too light to stand out from white on their
# own (EU orange is 2.25:1), so every mark is outlined, and every line drawn, in a darker shade of its hue that
# reaches the 3:1 graphics need against the white plot, the lane grey and the land grey of the map.
STYLES: dict[str, OrganizationStyle] = {
    "UN": OrganizationStyle("UN", "#0072B2", "circle", "#005A8C", "blue"),
    "EU": OrganizationStyle("EU", "#E69F00", "square", "#9A6700", "orange"),
    "NATO": OrganizationStyle("NATO", "#009E73", "diamond", "#007A5A", "green"),
    "AU": OrganizationStyle("AU", "#CC79A7", "triangle-up", "#8F4A76", "violet"),
    "Interorganizational": OrganizationStyle("Interorganizational", "#D55E00", "star", "#B34C00", "red"),
    "Other": OrganizationStyle("Other (national, coalition)", "#555555", "x", "#3D3D3D"),
}
# Each marker symbol as a text glyph, so that a badge, like a mark, never tells the organization by colour alone.
SYMBOL_GLYPHS = {"circle": "●", "square": "■", "diamond": "◆", "star": "★", "triangle-up": "▲", "x": "✕"}

# Civilian-harm figures. Source tiers take Okabe-Ito colours; the tier is also written in every hover, so colour is
# never alone. The marker says how the source qualifies its number: arrows point where the true figure may lie.
TIER_COLOURS = {
    "official": "#0072B2",
    "NGO": "#009E73",
    "academic": "#CC79A7",
    "media": "#E69F00",
    "encyclopedia": "#56B4E9",
    "other": "#555555",
}
QUALIFIER_SYMBOLS = {
    "exact": "circle",
    "about": "diamond",
    "at least": "triangle-right",
    "more than": "arrow-right",
    "up to": "triangle-left",
    "range": "square",
}
# Parties in a stacked bar of harm: a colour and a fill pattern each, in turn; the whole total and the rest of it
# (not split by party) in the blue of the official tier and a paler shade of it.
PARTY_COLOURS = ("#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
PARTY_PATTERNS = ("/", "\\", "x", ".", "+", "|", "-")
TOTAL_COLOUR = "#0072B2"
REMAINDER_COLOUR = "#A9C9E3"
OTHER_REPORT_SYMBOL = "diamond"
GAP_SYMBOL = "x-thin-open"
GAP_COLOUR = "#555555"
QUALIFIER_KEY_COLOUR = "#8C8C8C"

# Text and backgrounds the charts use; the tests check every pair against WCAG's ratios.
INK = "#000000"
SOFT_INK = "#1A1A1A"
BACKGROUNDS = {"plot": "#FFFFFF", "lane": "#F3F5F7", "land": "#E6E6E6"}
MIN_TEXT_CONTRAST = 4.5
MIN_GRAPHIC_CONTRAST = 3.0

# Mission organizations that have no style of their own.
STYLE_GROUP = {"UN-AU": "Interorganizational", "national": "Other", "coalition": "Other"}


def style_of(organization: str) -> OrganizationStyle:
    """The style of any organization value found in the datasets."""
    return STYLES.get(organization) or STYLES[STYLE_GROUP.get(organization, "Other")]


def marker(organization: str, size: float) -> dict:
    """A plotly marker in the organization's colour and symbol, outlined in its darker shade so it stands out."""
    style = style_of(organization)
    return {"color": style.colour, "symbol": style.symbol, "size": size, "line": {"color": style.outline, "width": 1.5}}


def badge(organization: str) -> str:
    """The organization as a Streamlit Markdown badge with its symbol's glyph: `:blue-badge[● UN]`.

    Labels are vocabulary, never free data text, so they need no escaping."""
    style = style_of(organization)
    return f":{style.badge}-badge[{SYMBOL_GLYPHS.get(style.symbol, '')} {style.label}]"


def colour_map(organizations) -> dict[str, str]:
    """Organization -> colour, for plotly's color_discrete_map."""
    return {organization: style_of(organization).colour for organization in organizations}


def symbol_map(organizations) -> dict[str, str]:
    """Organization -> marker symbol, for plotly's symbol_map."""
    return {organization: style_of(organization).symbol for organization in organizations}


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two #RRGGBB colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
