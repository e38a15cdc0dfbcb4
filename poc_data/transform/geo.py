"""Transforms for the Map page: operations active in a year per host country, headquarters, a country's record."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from poc_data.i18n import _, ngettext
from poc_data.i18n import number as n
from poc_data.paths import TOPOJSON_DIR
from poc_data.schema import country_name
from poc_data.style import style_of
from poc_data.transform.common import active_years, any_in, cited_sources, source_titles

MAP_RESOLUTIONS = (110, 50)


@cache
def mapped_countries(resolution: int = 110) -> frozenset[str]:
    """The ISO-3 ids of the countries drawn in the offline world map at this resolution (1:110m or 1:50m).

    Small states and Kosovo have no shape at some scales; they are listed under the map instead of silently vanishing.
    A missing map file means nothing is drawn, so then no country counts as mapped.
    """
    try:
        topology = json.loads((TOPOJSON_DIR / f"world_{resolution}m.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    geometries = topology.get("objects", {}).get("countries", {}).get("geometries", [])
    return frozenset(shape["id"] for shape in geometries if shape.get("id"))


def filter_missions(
    missions: pd.DataFrame, *, organizations: Iterable[str], types: Iterable[str], mandates: Iterable[str]
) -> pd.DataFrame:
    """Operations of the chosen organizations, types and POC mandates."""
    keep = (
        missions["organization"].isin(list(organizations))
        & missions["type"].isin(list(types))
        & missions["poc_mandate"].isin(list(mandates))
    )
    return missions[keep]


def present_values(column: pd.Series) -> list[str]:
    """The values that occur in a column, in vocabulary order for a categorical, else sorted."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(value) for value in column.cat.categories if (column == value).any()]
    return sorted(column.dropna().astype(str).unique())


def filter_options(missions: pd.DataFrame) -> dict[str, list[str]]:
    """The choices of the organization, type and POC mandate filters: the values found in the whole dataset."""
    return {name: present_values(missions[name]) for name in ("organization", "type", "poc_mandate")}


def _end_unknown(missions: pd.DataFrame) -> pd.Series:
    """Operations with no end date that are not said to be ongoing: the end is simply not stated."""
    return missions["end_date"].isna() & (missions["status"].astype(str) != "ongoing")


def spans(missions: pd.DataFrame, this_year: int) -> pd.DataFrame:
    """First and last year each operation was active; a partial date counts for every year it touches.

    An ongoing operation (no end date) is active until `this_year`. One whose end is not stated counts only in its
    start year, the one year it is known to have been active. An unknown start leaves it out of every year.
    """
    return active_years(missions, this_year)


def year_bounds(missions: pd.DataFrame, this_year: int) -> tuple[int, int] | None:
    """The slider's range: the first year an operation starts, to this year; None when no operation has a start."""
    first = missions["start_date"].dt.year.min()
    if pd.isna(first):
        return None
    return min(int(first), this_year - 1), this_year


def default_year(missions: pd.DataFrame, bounds: tuple[int, int]) -> int:
    """The latest year the data records something (a start, an end, a confirmed status), within `bounds`.

    Ongoing operations are extended to this year, but whether they still run is only known to the latest record.
    """
    years = pd.concat(
        [missions[name].dt.year for name in ("start_date", "end_date", "status_as_of") if name in missions.columns]
    )
    latest = years.max()
    if pd.isna(latest):
        return bounds[1]
    return max(bounds[0], min(int(latest), bounds[1]))


def active_in(missions: pd.DataFrame, year: int, this_year: int) -> pd.DataFrame:
    """The operations active at some time in `year`."""
    span = spans(missions, this_year)
    keep = (span["first"] <= year) & (span["last"] >= year)
    return missions[keep.fillna(False).astype(bool)]


def undated_count(missions: pd.DataFrame) -> int:
    """How many operations have no known start, and so are on no year's map."""
    return int(missions["start_date"].isna().sum())


def end_unknown_count(missions: pd.DataFrame) -> int:
    """How many dated operations have an end that is not stated, and so count in their start year only."""
    return int((_end_unknown(missions) & missions["start_date"].notna()).sum())


def dating_notes(missions: pd.DataFrame) -> list[str]:
    """What the map cannot show of these operations: those with no known start, those whose end is not stated."""
    notes = []
    undated = undated_count(missions)
    if undated:
        notes.append(
            ngettext(
                "{count} matching operation has no known start date and is on no year's map.",
                "{count} matching operations have no known start date and are on no year's map.",
                undated,
            ).format(count=n(undated))
        )
    end_unknown = end_unknown_count(missions)
    if end_unknown:
        notes.append(
            ngettext(
                "{count} matching operation has no stated end and is not known to be ongoing: it counts in its start "
                "year only.",
                "{count} matching operations have no stated end and are not known to be ongoing: each counts in its "
                "start year only.",
                end_unknown,
            ).format(count=n(end_unknown))
        )
    return notes


def _hosts(missions: pd.DataFrame) -> pd.DataFrame:
    """One row per operation and host country, with the operation's dates."""
    columns = ["acronym", "organization", "start_date", "end_date", "host_countries"]
    if "status" in missions.columns:
        columns.append("status")
    hosts = missions[columns].explode("host_countries").rename(columns={"host_countries": "country"})
    hosts = hosts.dropna(subset=["country"]).reset_index(drop=True)
    return hosts.assign(organization=hosts["organization"].astype(str))


def _per_year(frame: pd.DataFrame, span: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Each row repeated for every year of its span (aligned by position) that is in `years`, with a `year` column."""
    wanted = sorted(set(years))
    if frame.empty or not wanted:
        return frame.iloc[0:0].assign(year=pd.Series(dtype="int64"))
    first = span["first"].fillna(wanted[-1] + 1).astype("int64").clip(lower=wanted[0]).to_numpy()
    last = span["last"].fillna(wanted[0] - 1).astype("int64").clip(upper=wanted[-1]).to_numpy()
    length = np.clip(last - first + 1, 0, None)
    positions = np.repeat(np.arange(len(frame)), length)
    offsets = np.arange(len(positions)) - np.repeat(np.cumsum(length) - length, length)
    repeated = frame.iloc[positions].assign(year=np.repeat(first, length) + offsets)
    return repeated[repeated["year"].isin(wanted)].reset_index(drop=True)


def _grouped(frame: pd.DataFrame, keys: list[str], lists: Mapping[str, str]) -> pd.DataFrame:
    """One row per group of `keys`, sorted, with its size as `operations` and each `lists` column gathered in a list.

    Slicing the sorted columns is far faster than pandas' `agg(list)`, which matters at a hundred times the data.
    """
    ordered = frame.sort_values(keys, kind="stable")
    result = ordered.groupby(keys, sort=False).size().rename("operations").reset_index()
    ends = np.cumsum(result["operations"].to_numpy())
    starts = ends - result["operations"].to_numpy()
    for name, column in lists.items():
        values = ordered[column].tolist()
        result[name] = [values[start:end] for start, end in zip(starts, ends, strict=True)]
    return result


COUNT_COLUMNS = ["year", "country", "country_name", "operations", "acronyms", "organizations"]


def country_counts_by_year(missions: pd.DataFrame, years: Iterable[int], this_year: int) -> pd.DataFrame:
    """For each year and host country: how many operations were active, their acronyms and organizations."""
    hosts = _hosts(missions)
    per_year = _per_year(hosts, spans(hosts, this_year), years)
    if per_year.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    counts = _grouped(per_year, ["year", "country"], {"acronyms": "acronym", "organizations": "organization"})
    counts.insert(2, "country_name", counts["country"].map(country_name))
    return counts[COUNT_COLUMNS]


def in_year(by_year: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of a per-year table (counts or headquarters) for one year."""
    return by_year[by_year["year"] == year].reset_index(drop=True)


def year_counts(missions: pd.DataFrame, year: int, this_year: int) -> pd.DataFrame:
    """The rows of `country_counts_by_year` for one year, without the table of every year (12 MB at 100 times the
    shipped data, too much to read back from a cache on every rerun)."""
    return in_year(country_counts_by_year(missions, [year], this_year), year)


def max_count(missions: pd.DataFrame, years: Iterable[int], this_year: int) -> int:
    """`shared_zmax` of the counts of every year in `years`."""
    return shared_zmax(country_counts_by_year(missions, years, this_year))


HQ_COLUMNS = ["year", "group", "hq_city", "hq_lat", "hq_lon", "operations", "labels"]
# Markers of different organizations in one city would hide each other; each further one moves this far east.
SIDE_BY_SIDE_DEGREES = 0.35


def headquarters_by_year(missions: pd.DataFrame, years: Iterable[int], this_year: int) -> pd.DataFrame:
    """For each year, one marker per headquarters city and organization group, with the operations based there.

    Operations in the same city share one marker (at their mean position, should the coordinates differ slightly),
    so the map stays readable however many operations there are; a place without a city name is grouped by its
    coordinates rounded to a degree. Markers of several organizations in one city are set side by side.
    """
    columns = ["acronym", "name", "organization", "hq_city", "hq_lat", "hq_lon", "start_date", "end_date"]
    if "status" in missions.columns:
        columns.append("status")
    located = missions["hq_lat"].notna() & missions["hq_lon"].notna()
    known = missions.loc[located, columns].reset_index(drop=True)
    per_year = _per_year(known, spans(known, this_year), years)
    if per_year.empty:
        return pd.DataFrame(columns=HQ_COLUMNS)
    rounded = (
        per_year["hq_lat"].round().astype(int).astype(str) + ", " + per_year["hq_lon"].round().astype(int).astype(str)
    )
    per_year = per_year.assign(
        group=per_year["organization"].astype(str).map(lambda organization: style_of(organization).label),
        hq_city=per_year["hq_city"].fillna("city unknown, near " + rounded),
        label=per_year["acronym"] + ": " + per_year["name"] + " (" + per_year["organization"].astype(str) + ")",
    )
    keys = ["year", "group", "hq_city"]
    places = _grouped(per_year, keys, {"labels": "label"})
    positions = per_year.groupby(keys, sort=True)[["hq_lat", "hq_lon"]].mean().reset_index()
    places = places.merge(positions, on=keys, how="left", validate="one_to_one")
    neighbours = places.groupby(["year", places["hq_lat"].round(1), places["hq_lon"].round(1)]).cumcount()
    return places.assign(hq_lon=places["hq_lon"] + neighbours * SIDE_BY_SIDE_DEGREES)[HQ_COLUMNS]


def headquarters(missions: pd.DataFrame, year: int, this_year: int) -> pd.DataFrame:
    """The headquarters markers of the operations active in `year`."""
    return headquarters_by_year(missions, [year], this_year)


def shared_zmax(counts_by_year: pd.DataFrame) -> int:
    """The top of the colour scale: the most operations in one country in any year, so that years compare."""
    if counts_by_year.empty:
        return 1
    return max(1, int(counts_by_year["operations"].max()))


def not_on_map(
    counts: pd.DataFrame, mapped: frozenset[str], *, countries_listed: int = 10, operations_listed: int = 5
) -> str:
    """The host countries without a shape on the map, with their operations: 'Kosovo (XKX): UNMIK, KFOR'.

    Long lists are cut, saying how many more there are; the year's download lists every operation.
    """
    missing = counts[~counts["country"].isin(mapped)]
    parts = []
    for row in missing.head(countries_listed).itertuples(index=False):
        acronyms = list(row.acronyms)
        shown = ", ".join(acronyms[:operations_listed])
        if len(acronyms) > operations_listed:
            shown += " " + _("and {count} more").format(count=n(len(acronyms) - operations_listed))
        parts.append(f"{row.country_name} ({row.country}): {shown}")
    text = "; ".join(parts)
    if len(missing) > countries_listed:
        text += "; " + _("and {count} more countries").format(count=n(len(missing) - countries_listed))
    return text


def host_country_choices(missions: pd.DataFrame) -> dict[str, str]:
    """Every country that hosts an operation: its display name (the choice, and the link's value) -> ISO-3 code.

    Names are the choices because a URL-bound selectbox writes the shown label into the link; two countries that
    share a name get their codes added.
    """
    codes = set(_hosts(missions)["country"])
    names = {code: country_name(code) for code in codes}
    shared = {name for name, times in Counter(names.values()).items() if times > 1}
    labels = {f"{name} ({code})" if name in shared else name: code for code, name in names.items()}
    return dict(sorted(labels.items(), key=lambda item: (item[0].casefold(), item[1])))


def country_from_selection(selection: Mapping[str, Any] | None, options: Iterable[str]) -> str | None:
    """The country clicked on the map: the `location` of the first selected choropleth point, if it is an option.

    Streamlit passes plotly's selection event on: `{"selection": {"points": [{"location": "SRB", "z": 2, ...}]}}`;
    points of the headquarters markers carry lat/lon and no location, and are ignored.
    """
    if not selection:
        return None
    points = (selection.get("selection") or {}).get("points") or []
    allowed = set(options)
    for point in points:
        location = point.get("location") if isinstance(point, Mapping) else None
        if location in allowed:
            return location
    return None


def hosted_in(missions: pd.DataFrame, country: str) -> pd.DataFrame:
    """The operations with `country` among their hosts."""
    return missions[any_in(missions["host_countries"], [country]).astype(bool)]


def _as_written(text: pd.Series, missing: str) -> pd.Series:
    return text.where(text.notna(), missing).astype(str)


def _source_column(frame: pd.DataFrame, titles: Mapping[str, str]) -> pd.Series:
    return frame["source_id"].map(lambda source_id: titles.get(source_id, source_id))


def operations_table(
    missions: pd.DataFrame,
    *,
    year: int,
    this_year: int,
    titles: Mapping[str, str] | None = None,
    sources: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Operations as shown: dates as written, an empty end said to be ongoing, and whether active in `year`.

    The Source column names each source by its title, from `titles` (id -> title) or else from the bibliography
    `sources`."""
    if titles is None and sources is not None:
        titles = source_titles(cited_sources(sources, missions))
    span = spans(missions, this_year)
    active = ((span["first"] <= year) & (span["last"] >= year)).fillna(False).astype(bool)
    table = pd.DataFrame(
        {
            _("Acronym"): missions["acronym"],
            _("Name"): missions["name"],
            _("Organization"): missions["organization"].astype(str).map(_),
            _("Type"): missions["type"].astype(str).map(_),
            _("Host countries"): missions["host_countries"].map(lambda codes: ", ".join(map(country_name, codes))),
            _("Start"): _as_written(missions["start_date_text"], _("unknown")),
            _("End"): _as_written(missions["end_date_text"], _("ongoing")).where(
                ~_end_unknown(missions), _("not stated")
            ),
            _("POC mandate"): missions["poc_mandate"].astype(str).map(_),
            _("First POC resolution"): _as_written(missions["first_poc_resolution"], ""),
            _("Active in {year}").format(year=year): active,
            _("Source"): _source_column(missions, titles or {}),
        }
    )
    order = missions["start_date"].rank(method="first", na_option="bottom")
    return table.loc[order.sort_values().index].reset_index(drop=True)


def milestones_mentioning(milestones: pd.DataFrame, operations: pd.DataFrame) -> pd.DataFrame:
    """The milestones that name any of the operations, oldest first, in file order within a year."""
    mentioned = milestones[any_in(milestones["missions"], operations["acronym"]).astype(bool)]
    return mentioned.sort_values("year", kind="stable")
