"""Transforms for the Map page's UCDP layer: civilians killed per country in a year, and one country-year's events."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from poc_data.events import EventsMetadata, deaths_near
from poc_data.i18n import N_, _, percent
from poc_data.i18n import number as n


@dataclass(frozen=True)
class Measure:
    """A kind of civilian deaths the layer shades by: UCDP's columns summed, and its low and high if it gives them."""

    best: tuple[str, ...]
    low: str | None = None
    high: str | None = None
    about: str = ""


# The choices of the layer, by the label a link keeps (the page shows it translated). UCDP counts every death in
# one-sided violence as a civilian's; in state-based and non-state conflict it counts civilians apart from the
# parties' dead, with no low or high estimate of them.
MEASURES: dict[str, Measure] = {
    N_("One-sided violence"): Measure(
        ("os_total_deaths_best_cy",),
        "os_total_deaths_low_cy",
        "os_total_deaths_high_cy",
        N_("civilians killed deliberately by a government or an organised group (UCDP's one-sided violence)"),
    ),
    N_("One-sided, by governments"): Measure(
        ("os_any_govt_killings_best_cy",),
        "os_any_govt_killings_low_cy",
        "os_any_govt_killings_high_cy",
        N_("civilians killed deliberately by governments"),
    ),
    N_("One-sided, by non-state groups"): Measure(
        ("os_nsgroup_killings_best_cy",),
        "os_nsgroup_killings_low_cy",
        "os_nsgroup_killings_high_cy",
        N_("civilians killed deliberately by non-state organised groups"),
    ),
    N_("In conflict (state-based and non-state)"): Measure(
        ("sb_deaths_civilians_cy", "ns_deaths_civilians_cy"),
        about=N_("civilians killed in fighting between armed parties (UCDP's state-based and non-state conflict)"),
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
    return "; ".join(f"{row.country} ({row.iso3}) {n(int(row.deaths))}" for row in missing.itertuples(index=False))


# UCDP's where_prec: how precisely an event's place is known. From 3 on, the coordinates are an area's centre.
WHERE_PRECISION = {
    1: N_("the exact place"),
    2: N_("within about 25 km of the place"),
    3: N_("only its district (second-order division): drawn at the district's centre"),
    4: N_("only its region (first-order division): drawn at the region's centre"),
    5: N_("only a line or area (a road, a border, a zone): drawn at its centre"),
    6: N_("only the country: drawn at the country's centre"),
    7: N_("only international waters or airspace"),
}
PRECISE_PLACES = (1, 2)
NEAR_RADII_KM = (25, 50)
# The columns of the deployments dataset that the events map reads, for a page without that dataset.
NO_LOCATIONS = pd.DataFrame(
    {
        "lat": pd.Series(dtype="float64"),
        "lon": pd.Series(dtype="float64"),
        "location": pd.Series(dtype="str"),
        "mission": pd.Series(dtype="str"),
        "troops": pd.Series(dtype="Int64"),
        "source_id": pd.Series(dtype="str"),
    }
)


def deployed_in(deployments: pd.DataFrame, iso3: str, year: int) -> pd.DataFrame:
    """The Geo-PKO deployment locations of `year` in the country `iso3` (a location may name several countries)."""
    in_year = deployments[deployments["year"] == year]
    return in_year[in_year["countries"].map(lambda codes: iso3 in codes)]


def precise(events: pd.DataFrame) -> pd.DataFrame:
    """The events whose place UCDP knows to within about 25 km (where_prec 1 or 2): the only ones whose distance to
    a deployment means something."""
    return events[events["where_prec"].isin(PRECISE_PLACES)]


def events_summary(events: pd.DataFrame) -> dict[str, int]:
    """Events and civilians killed (best estimates) in all the events, and in those placed only to an area."""
    rough = events[~events["where_prec"].isin(PRECISE_PLACES)]
    return {
        "events": len(events),
        "deaths_civilians": int(events["deaths_civilians"].sum()),
        "rough_events": len(rough),
        "rough_deaths_civilians": int(rough["deaths_civilians"].sum()),
    }


def near_deployments(events: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """How many of the civilians killed in the precisely placed events (`precise`) fell within 25 and within 50 km
    of a deployment location (events.deaths_near: one row per radius, with the totals of those events)."""
    return deaths_near(precise(events), locations, radii_km=NEAR_RADII_KM)


def near_text(near: pd.DataFrame, summary: dict[str, int]) -> str:
    """The civilians killed near a deployment location in a sentence, for the foot of the events map."""
    counted = summary["deaths_civilians"] - summary["rough_deaths_civilians"]
    parts = [
        _("within {radius} km of a UN location: {share}").format(
            radius=int(row.radius_km), share=share_text(int(row.deaths_civilians), counted)
        )
        for row in near.itertuples(index=False)
    ]
    return _(
        "Civilians killed {near} of the {counted} in events placed to within about 25 km ({total} in all)."
    ).format(near="; ".join(parts), counted=n(counted), total=n(summary["deaths_civilians"]))


def share_text(part: int, whole: int) -> str:
    """`1,234 (62%)` of `whole`; the count alone when the whole is 0."""
    return n(part) + (f" ({percent(part / whole)})" if whole else "")


def events_sources(meta: EventsMetadata | None) -> pd.DataFrame:
    """The events' sources (keys of sources.yaml, from their metadata) as rows with a source_id, for the footer."""
    return pd.DataFrame({"source_id": list(meta.sources) if meta is not None else []}, dtype="str")


def event_span(countries: pd.DataFrame | None, iso3: str) -> tuple[int, int] | None:
    """The first and last year with events of a country (from events.countries_with_events); None if it has none."""
    if countries is None:
        return None
    row = countries[countries["iso3"] == iso3]
    return None if row.empty else (int(row["first_year"].iloc[0]), int(row["last_year"].iloc[0]))
