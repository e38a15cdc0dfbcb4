"""UCDP's country names turned into ISO 3166-1 alpha-3 codes, each exception with its reason."""

from __future__ import annotations

import re
from functools import cache

import pycountry

# UCDP names a state by its current name with a former one in brackets ("DR Congo (Zaire)", "Serbia (Yugoslavia)"):
# the code is that of the state UCDP counts under the name in every year, the current one (ISO keeps the code of a
# continuing state: Serbia for Yugoslavia, Russia for the Soviet Union, Yemen for North Yemen after 1990).
_FORMER_NAME = re.compile(r"\s*\([^()]*\)\s*$")
# Names pycountry does not know, with the reason for each code.
UCDP_NAMES: dict[str, tuple[str, str]] = {
    "Antigua & Barbuda": ("ATG", "ISO's name is Antigua and Barbuda"),
    "Bosnia-Herzegovina": ("BIH", "ISO's name is Bosnia and Herzegovina"),
    "Brunei": ("BRN", "ISO's name is Brunei Darussalam"),
    "Cape Verde": ("CPV", "ISO's name is Cabo Verde"),
    "DR Congo (Zaire)": ("COD", "the Democratic Republic of the Congo, called Zaire from 1971 to 1997"),
    "East Timor": ("TLS", "ISO's name is Timor-Leste"),
    "Ivory Coast": ("CIV", "ISO's name is Côte d'Ivoire"),
    "Kosovo": ("XKX", "no ISO code; the user-assigned code this project uses (schema.USER_ASSIGNED_COUNTRIES)"),
    "Russia (Soviet Union)": ("RUS", "the Soviet Union until 1991 and Russia after it, one state for UCDP (365)"),
    "Turkey": ("TUR", "ISO's name is Türkiye"),
    "Vatican City State": ("VAT", "ISO's name is Holy See (Vatican City State)"),
    # States that ended: the ISO 3166-1 code they had while they existed (withdrawn since, ISO 3166-3). Their rows
    # are of 1989 to 1992 only; maps of today's borders do not draw them.
    "German Democratic Republic": ("DDR", "East Germany, 1949-1990 (ISO's code until 1990, withdrawn)"),
    "Czechoslovakia": ("CSK", "to 1992; Czechia and Slovakia from 1993 (ISO's code until 1993, withdrawn)"),
    "Yemen (South Yemen)": ("YMD", "the People's Democratic Republic of Yemen, to May 1990 (ISO's code, withdrawn)"),
}


@cache
def ucdp_alpha3(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a country as UCDP names it; None for a name neither ISO nor UCDP_NAMES knows."""
    name = name.strip()
    if name in UCDP_NAMES:
        return UCDP_NAMES[name][0]
    for candidate in (name, _FORMER_NAME.sub("", name)):
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    return None


def ucdp_alpha3_list(names: str) -> list[str | None]:
    """The codes of a comma-separated list of UCDP country names (an actor active in several countries)."""
    return [ucdp_alpha3(part) for part in names.split(",") if part.strip()]


# Territories UCDP counts within another state's row: (that state's code, the last year it does so; None for always).
COUNTED_WITHIN: dict[str, tuple[str, int | None]] = {
    "ESH": ("MAR", None),  # Western Sahara: UCDP has no row of its own; its violence is in Morocco's
    "XKX": ("SRB", 2007),  # Kosovo: in Serbia (Yugoslavia)'s rows until its independence in 2008
    "MNE": ("SRB", 2005),  # Montenegro: in Serbia (Yugoslavia)'s rows until its independence in 2006
}


def ucdp_row_code(code: str, year: int) -> str:
    """The ISO3 code of the UCDP country-year row that holds a country's violence in a year."""
    within, until = COUNTED_WITHIN.get(code, (code, None))
    if within != code and (until is None or year <= until):
        return within
    return code
