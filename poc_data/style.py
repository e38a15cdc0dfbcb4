"""The one place that defines the colours, marker symbols and fill patterns of every chart and badge.

Sections: text and backgrounds; organizations (Okabe-Ito, colour-blind safe); POC mandates; resolutions; maps;
workshop tallies; civilian-harm figures; UCDP's counts of violence against civilians. A new category gets its entry
in its section here, and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from poc_data.i18n import N_, _

# Text and backgrounds the charts use; the tests check every pair against WCAG's ratios.
INK = "#000000"
SOFT_INK = "#1A1A1A"
BACKGROUNDS = {"plot": "#FFFFFF", "lane": "#F3F5F7", "land": "#E6E6E6"}
MIN_TEXT_CONTRAST = 4.5
MIN_GRAPHIC_CONTRAST = 3.0


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
    "Other": OrganizationStyle(N_("Other (national, coalition)"), "#555555", "x", "#3D3D3D"),
}
# Mission organizations that have no style of their own.
STYLE_GROUP = {"UN-AU": "Interorganizational", "national": "Other", "coalition": "Other"}
# Each marker symbol as a text glyph, so that a badge, like a mark, never tells the organization by colour alone.
SYMBOL_GLYPHS = {"circle": "●", "square": "■", "diamond": "◆", "star": "★", "triangle-up": "▲", "x": "✕"}

# Bars have no marker symbols, so each organization's symbol is stood in for by a fill pattern: never colour alone.
PATTERN_OF_SYMBOL = {"circle": "", "square": "/", "diamond": "x", "triangle-up": "\\", "star": ".", "x": "+"}

# POC mandates. In the Gantt of operations (colour is the organization there) the mandate is a fill pattern, an
# outline and an opacity, so that it reads without colour; ongoing operations end in a mark at today.
POC_PATTERNS = {"explicit": "/", "partial": ".", "none": "", "unknown": "x"}
POC_OUTLINES = {"explicit": 2.5, "partial": 1.0, "none": 0.0, "unknown": 0.0}
POC_OPACITY = {"explicit": 1.0, "partial": 0.9, "none": 0.9, "unknown": 0.45}
ONGOING_SYMBOL = "triangle-right"

# Mandate categories from strong to unknown: dark to light, with patterns so print and grey scale still tell them apart.
MANDATE_STYLES = {
    "explicit": ("#08306B", ""),
    "partial": ("#4292C6", "/"),
    "none": ("#C6DBEF", ""),
    "unknown": ("#F0F0F0", "."),
}

# Resolutions on the timeline: a downward triangle each, filled for thematic ones, hollow for mission mandates.
RESOLUTION_MARKERS = {"thematic": ("triangle-down", "#1A1A1A"), "mission mandate": ("triangle-down-open", "#444444")}

# Maps. Countries are shaded on a single-hue sequential scale, which stays ordered for every colour-vision deficiency
# and in greyscale; the palest blues of "Blues" are dropped so that one operation still stands out from land with none.
COLOUR_SCALE = [[0.0, "#C6DBEF"], [0.25, "#9ECAE1"], [0.5, "#6BAED6"], [0.75, "#2171B5"], [1.0, "#08306B"]]
# Troop bins coloured as on Geo-PKO's own map (the reversed viridis scale, dark for large deployments); the
# circles' areas are proportional to the troops, so the bins give the legend readable numbers.
TROOP_BINS: list[tuple[int, int | None, str]] = [
    (1, 49, "#FDE725"),
    (50, 99, "#A0DA39"),
    (100, 499, "#4AC16D"),
    (500, 999, "#1FA187"),
    (1000, 1999, "#277F8E"),
    (2000, 3999, "#365C8D"),
    (4000, None, "#46327E"),
]
# Civilians killed (UCDP) on the map: ColorBrewer's single-hue OrRd scale on a log axis (counts span 1 to 100,000s),
# ordered for every colour-vision deficiency and in greyscale, distinct from the operations map's blues; a country
# with none recorded is white.
CIVILIAN_SCALE = [[0.0, "#FDD49E"], [0.25, "#FDBB84"], [0.5, "#FC8D59"], [0.75, "#D7301F"], [1.0, "#7F0000"]]
NONE_RECORDED_COLOUR = "#FFFFFF"
# UCDP's types of violence on the events map: a symbol and an Okabe-Ito colour each, so that shape alone tells them.
VIOLENCE_TYPES: dict[int, tuple[str, str, str]] = {
    1: (N_("State-based"), "triangle-up", "#0072B2"),
    2: (N_("Non-state"), "diamond", "#009E73"),
    3: (N_("One-sided"), "circle", "#D55E00"),
}
DEPLOYMENT_MARK = ("square", "#000000")
SITE_COLOUR = "#4D4D4D"
HQ_COLOUR = "#000000"

# Workshop tallies: agree (blue) to disagree (vermilion) from Okabe-Ito, neutral in grey; ranking points in blue.
AGREE_COLOURS = {2: "#0072B2", 1: "#56B4E9", 0: "#999999", -1: "#E69F00", -2: "#D55E00"}
RANK_COLOUR = "#0072B2"

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

# UCDP's civilians killed, by kind of violence: a colour (Okabe-Ito's, or a darker shade of it, at 3:1 or more on
# white), a line dash and a marker symbol each, so that the series read without colour; the low-high band is the
# series' colour, translucent. Troops (Geo-PKO) are bars in the UN's blue; actors of one-sided violence are bars,
# governments filled, non-state groups hatched.
VIOLENCE_STYLES: dict[str, tuple[str, str, str]] = {
    "government": ("#B34C00", "solid", "circle"),
    "non_state": ("#6A3D9A", "solid", "square"),
    "state_based": ("#000000", "dash", "diamond"),
    "non_state_conflict": ("#007A5A", "dot", "triangle-up"),
}
BAND_OPACITY = 0.18
TROOPS_COLOUR = "#0072B2"
MARKER_LINE_COLOUR = "#3D3D3D"
ACTOR_STYLES: dict[bool, tuple[str, str]] = {True: ("#B34C00", ""), False: ("#6A3D9A", "/")}


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
    return f":{style.badge}-badge[{SYMBOL_GLYPHS.get(style.symbol, '')} {_(style.label)}]"


def pattern_of(organization: str) -> str:
    """The bar fill pattern that stands in for an organization's marker symbol."""
    return PATTERN_OF_SYMBOL.get(style_of(organization).symbol, "")


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
