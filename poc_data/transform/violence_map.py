"""Transforms for the Map page's UCDP layer: civilians killed per country in a year, and one country-year's events."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from poc_data.schema import Metadata


@dataclass(frozen=True)
class Measure:
    """A kind of civilian deaths the layer shades by: UCDP's columns summed, and its low and high if it gives them."""

    best: tuple[str, ...]
    low: str | None = None
    high: str | None = None
    about: str = ""


# The choices of the layer, by the label the page shows (and a link keeps). UCDP counts every death in one-sided
# violence as a civilian's; in state-based and non-state conflict it counts civilians apart from the parties' dead,
# with no low or high estimate of them.
MEASURES: dict[str, Measure] = {
    "One-sided violence": Measure(
        ("os_total_deaths_best_cy",),
        "os_total_deaths_low_cy",
        "os_total_deaths_high_cy",
        "civilians killed deliberately by a government or an organised group (UCDP's one-sided violence)",
    ),
    "One-sided, by governments": Measure(
        ("os_any_govt_killings_best_cy",),
        "os_any_govt_killings_low_cy",
        "os_any_govt_killings_high_cy",
        "civilians killed deliberately by governments",
    ),
    "One-sided, by non-state groups": Measure(
        ("os_nsgroup_killings_best_cy",),
        "os_nsgroup_killings_low_cy",
        "os_nsgroup_killings_high_cy",
        "civilians killed deliberately by non-state organised groups",
    ),
    "In conflict (state-based and non-state)": Measure(
        ("sb_deaths_civilians_cy", "ns_deaths_civilians_cy"),
        about="civilians killed in fighting between armed parties (UCDP's state-based and non-state conflict)",
    ),
}
DEFAULT_MEASURE = "One-sided violence"
KILLED_COLUMNS = [
    "iso3",
    "country",
    "year",
    "deaths",
    "low",
    "high",
    "one_sided_govt",
    "one_sided_nonstate",
    "in_conflict",
    "source_id",
    "source_detail",
]


def _count(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return frame[column].astype("Int64")


def years(organized_violence: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year of the country-years; None when there are none."""
    known = organized_violence["year_cy"].dropna()
    return None if known.empty else (int(known.min()), int(known.max()))


def civilians_killed(organized_violence: pd.DataFrame, year: int, measure: str) -> pd.DataFrame:
    """One row per country in UCDP's data for `year`: the civilians killed of the `measure`'s kind (best estimate,
    and low and high where UCDP gives them), with the three kinds apart for the hover, largest first. The columns of
    KILLED_COLUMNS; the source columns are the rows' own, for the footer."""
    chosen = MEASURES[measure]
    rows = organized_violence[organized_violence["year_cy"] == year]
    out = pd.DataFrame(
        {
            "iso3": rows["iso3"].astype(str),
            "country": rows["country_cy"].astype(str),
            "year": rows["year_cy"].astype(int),
            "deaths": sum((rows[column].astype("Int64") for column in chosen.best), start=pd.Series(0, rows.index)),
            "low": _count(rows, chosen.low),
            "high": _count(rows, chosen.high),
            "one_sided_govt": rows["os_any_govt_killings_best_cy"].astype("Int64"),
            "one_sided_nonstate": rows["os_nsgroup_killings_best_cy"].astype("Int64"),
            "in_conflict": rows["sb_deaths_civilians_cy"].astype("Int64")
            + rows["ns_deaths_civilians_cy"].astype("Int64"),
            "source_id": rows["source_id"],
            "source_detail": rows["source_detail"],
        }
    )
    out["deaths"] = out["deaths"].astype("Int64")
    return out.sort_values(["deaths", "iso3"], ascending=[False, True], ignore_index=True)[KILLED_COLUMNS]


def largest_count(organized_violence: pd.DataFrame, measure: str) -> int:
    """The most civilians of the `measure`'s kind UCDP counts in one country-year, over every year: the top of the
    map's colour scale, the same for every year so that years compare."""
    if organized_violence.empty:
        return 0
    columns = MEASURES[measure].best
    return int(sum(organized_violence[column].astype("Int64") for column in columns).max())


def total_killed(killed: pd.DataFrame) -> int:
    """The civilians killed in every country of the table, best estimates."""
    return int(killed["deaths"].sum())


def unmapped(killed: pd.DataFrame, mapped: frozenset[str]) -> str:
    """The countries with civilians killed that the map cannot draw (states that ended, small states): 'Name (ISO3)
    1,234'. Empty when every one is drawn or no map is known."""
    if not mapped:
        return ""
    missing = killed[(killed["deaths"] > 0) & ~killed["iso3"].isin(mapped)]
    return "; ".join(f"{row.country} ({row.iso3}) {int(row.deaths):,}" for row in missing.itertuples(index=False))


def ucdp_source_line(meta: Metadata | None) -> str:
    """The Source line of a chart of the UCDP country-year data: dataset, version, the article to cite, licence."""
    if meta is None or meta.release is None:
        return "Source: UCDP Country-Year Dataset on Organized Violence."
    release = meta.release
    producer = release.producer.split(",")[0]
    return f"Source: {producer}, {release.title} {release.version}. {release.citation} {meta.license}."
