"""The one place that defines each organization's colour and marker symbol (Okabe-Ito, colour-blind safe)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrganizationStyle:
    label: str
    colour: str
    symbol: str


# Okabe and Ito's palette stays distinct under the common colour-vision deficiencies; the symbols make the
# organizations distinct without colour too.
STYLES: dict[str, OrganizationStyle] = {
    "UN": OrganizationStyle("UN", "#0072B2", "circle"),
    "EU": OrganizationStyle("EU", "#E69F00", "square"),
    "NATO": OrganizationStyle("NATO", "#009E73", "diamond"),
    "AU": OrganizationStyle("AU", "#CC79A7", "triangle-up"),
    "Interorganizational": OrganizationStyle("Interorganizational", "#D55E00", "star"),
    "Other": OrganizationStyle("Other (national, coalition)", "#555555", "x"),
}

# Mission organizations that have no style of their own.
STYLE_GROUP = {"UN-AU": "Interorganizational", "national": "Other", "coalition": "Other"}


def style_of(organization: str) -> OrganizationStyle:
    """The style of any organization value found in the datasets."""
    return STYLES.get(organization) or STYLES[STYLE_GROUP.get(organization, "Other")]


def colour_map(organizations) -> dict[str, str]:
    """Organization -> colour, for plotly's color_discrete_map."""
    return {organization: style_of(organization).colour for organization in organizations}


def symbol_map(organizations) -> dict[str, str]:
    """Organization -> marker symbol, for plotly's symbol_map."""
    return {organization: style_of(organization).symbol for organization in organizations}
