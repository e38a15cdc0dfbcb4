"""Transforms of the Geo-PKO deployments: the locations of a year and operation, and personnel over time."""

from __future__ import annotations

import pandas as pd

from poc_data.i18n import N_, _

# The Operation box's first choice, a link's value (the page shows it translated).
ALL_OPERATIONS = N_("All operations")
HQ_LABELS = {3: N_("mission headquarters"), 2: N_("sector headquarters"), 1: N_("headquarters (Geo-PKO code 1)")}
# Operations drawn by default in the personnel chart: the largest deployments, so the chart opens readable.
DEFAULT_OPERATIONS = 5
# The locations table's headings, as the page shows them (translated).
LOCATION_HEADINGS = (
    N_("operation"),
    N_("location"),
    N_("country"),
    N_("troops"),
    N_("police"),
    N_("observers"),
    N_("headquarters"),
    N_("latitude"),
    N_("longitude"),
)
PERSONNEL_COLUMNS = ["mission", "year", "troops", "locations", "troops_unknown", "police_sites", "observer_sites"]


def year_range(deployments: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year the deployments cover; None when there are none."""
    if deployments.empty:
        return None
    return int(deployments["year"].min()), int(deployments["year"].max())


def covers(span: tuple[int, int] | None, year: int) -> bool:
    """Whether a year is within the years the deployments cover."""
    return span is not None and span[0] <= year <= span[1]


def covered_text(span: tuple[int, int] | None) -> str:
    """The years covered, in words."""
    return _("no year") if span is None else _("{first} to {last}").format(first=span[0], last=span[1])


def operations(deployments: pd.DataFrame) -> list[str]:
    """Every operation in the deployments, by acronym."""
    return sorted(deployments["mission"].astype(str).unique())


def of_operations(deployments: pd.DataFrame, chosen: list[str]) -> pd.DataFrame:
    """The locations of the chosen operations, every year."""
    return deployments[deployments["mission"].isin(chosen)]


def operations_in(deployments: pd.DataFrame, year: int) -> list[str]:
    """The operations with deployment locations in `year`, by acronym."""
    return sorted(deployments.loc[deployments["year"] == year, "mission"].astype(str).unique())


def locations(deployments: pd.DataFrame, year: int, operation: str = ALL_OPERATIONS) -> pd.DataFrame:
    """The locations of one year, of one operation or of all, with a label for the headquarters code."""
    chosen = deployments[deployments["year"] == year]
    if operation != ALL_OPERATIONS:
        chosen = chosen[chosen["mission"] == operation]
    out = chosen.copy()
    out["hq_label"] = (
        out["hq"].map(lambda code: _(HQ_LABELS[int(code)]) if int(code) in HQ_LABELS else "").astype("str")
    )
    return out


def personnel_by_year(deployments: pd.DataFrame, operations: list[str]) -> pd.DataFrame:
    """Per operation and year: troops summed over the mapped locations, the locations, how many give no troop
    number, and at how many UN police or military observers are present (Geo-PKO codes their presence, not numbers)."""
    chosen = deployments[deployments["mission"].isin(operations)]
    if chosen.empty:
        return pd.DataFrame(columns=PERSONNEL_COLUMNS)
    grouped = chosen.groupby(["mission", "year"], observed=True)
    out = pd.DataFrame(
        {
            "troops": grouped["troops"].sum(min_count=1),
            "locations": grouped["id"].count(),
            "troops_unknown": grouped["troops"].apply(lambda troops: int(troops.isna().sum())),
            "police_sites": grouped["police"].sum(),
            "observer_sites": grouped["observers"].sum(),
        }
    ).reset_index()
    out["troops"] = out["troops"].astype("Int64")
    return out[PERSONNEL_COLUMNS].sort_values(["mission", "year"], ignore_index=True)


def any_troop_numbers(series: pd.DataFrame) -> bool:
    """Whether the personnel series has a troop number to draw."""
    return bool(series["troops"].notna().any())


def largest_operations(deployments: pd.DataFrame, count: int = DEFAULT_OPERATIONS) -> list[str]:
    """The operations with the most troops in any one year, largest first."""
    if deployments.empty:
        return []
    peak = deployments.groupby(["mission", "year"], observed=True)["troops"].sum().groupby(level=0).max()
    return [str(name) for name in peak.sort_values(ascending=False, kind="stable").index[:count]]


def locations_table(points: pd.DataFrame) -> pd.DataFrame:
    """The locations as shown in a table, largest deployments first."""
    table = pd.DataFrame(
        {
            "operation": points["mission"],
            "location": points["location"],
            "country": points["country"],
            "troops": points["troops"],
            "police": points["police"],
            "observers": points["observers"],
            "headquarters": points["hq_label"],
            "latitude": points["lat"],
            "longitude": points["lon"],
        }
    )
    ordered = table.sort_values(["troops", "operation", "location"], ascending=[False, True, True], na_position="last")
    return ordered.rename(columns={name: _(name) for name in LOCATION_HEADINGS})


def personnel_table(series: pd.DataFrame) -> pd.DataFrame:
    """Personnel over time as shown in a table."""
    return series.rename(
        columns={
            "mission": _("operation"),
            "troops": _("troops at mapped locations"),
            "locations": _("locations"),
            "troops_unknown": _("locations without a troop number"),
            "police_sites": _("locations with UN police"),
            "observer_sites": _("locations with military observers"),
        }
    )
