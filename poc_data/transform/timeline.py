"""Transforms for the Timeline page: milestone filters, stacking, operations' periods, POC resolutions, entries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from poc_data import i18n
from poc_data.i18n import N_, _, ngettext
from poc_data.schema import MILESTONE_ORGANIZATIONS, Metadata, resolution_parts
from poc_data.transform.common import any_in, contains_text, year_span

SEARCH_COLUMNS = ("text", "themes", "missions", "source_detail")
# Above this many milestones in one year and lane, markers no longer fit: the chart shows a count per year and lane.
MAX_STACKED_MARKERS = 12
# Above this many operations the bars are unreadable: the chart shows how many were active each year instead.
MAX_OPERATION_BARS = 150
# Above this many resolutions their labels overlap: the chart shows how many were adopted each year instead.
MAX_RESOLUTION_MARKERS = 120
# The share of the time axis that a resolution's marker and label take, to keep labels in a row apart.
RESOLUTION_LABEL_SHARE = 0.05
POC_RESOLUTION_KINDS = ("thematic", "mission mandate")

# Operations are drawn in the lane of the organization that leads them; operations of organizations without a
# milestone column of their own (AU, UN-AU, national, coalition) go with the Interorganizational lane.
OPERATION_LANES = {"UN": "UN", "EU": "EU", "NATO": "NATO"}
OTHER_OPERATIONS_LANE = "Interorganizational"

ENTRY_COLUMNS = ["id", "year", "organization", "text", "themes_text", "missions_text", "citation"]


@dataclass(frozen=True)
class TimelineFilters:
    """The page's filters. Empty themes or missions mean no restriction; empty organizations match nothing."""

    organizations: Sequence[str] = MILESTONE_ORGANIZATIONS
    years: tuple[int, int] | None = None
    themes: Sequence[str] = ()
    missions: Sequence[str] = ()
    query: str = ""


@dataclass(frozen=True)
class ChartLayer:
    """What a chart draws: `rows`, `summarised` when they are counts standing for too many records to draw one by
    one, and the underlying `records` (with `source_id`) to cite."""

    rows: pd.DataFrame
    records: pd.DataFrame
    summarised: bool = False


def year_bounds(milestones: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year with a milestone: the axis range; None when there are none."""
    years = milestones["year"].dropna()
    if years.empty:
        return None
    return int(years.min()), int(years.max())


def theme_vocabulary(meta: Metadata | None, milestones: pd.DataFrame) -> list[str]:
    """The themes in the metadata's order (its `themes` enum), else those found in the data, sorted."""
    if meta is not None:
        for field in meta.fields:
            if field.name == "themes" and field.enum:
                return list(field.enum)
    return sorted({theme for themes in milestones["themes"] for theme in themes}, key=str.casefold)


def mission_options(milestones: pd.DataFrame) -> list[str]:
    """The operations the milestones name, sorted."""
    return sorted({mission for missions in milestones["missions"] for mission in missions}, key=str.casefold)


def filter_milestones(milestones: pd.DataFrame, filters: TimelineFilters) -> pd.DataFrame:
    """The milestones matching every filter, by year, then organization (in lane order), then as in the file."""
    mask = milestones["organization"].isin(list(filters.organizations))
    if filters.years is not None:
        first, last = filters.years
        mask &= milestones["year"].between(first, last).fillna(False)
    if filters.themes:
        mask &= any_in(milestones["themes"], filters.themes)
    if filters.missions:
        mask &= any_in(milestones["missions"], filters.missions)
    mask &= contains_text(milestones, SEARCH_COLUMNS, filters.query)
    return milestones[mask].sort_values(["year", "organization"], kind="stable")


def lane_order(organizations: Iterable[str]) -> list[str]:
    """The chosen organizations in the order of the lanes (the vocabulary's), whatever order they were picked in."""
    chosen = set(organizations)
    return [organization for organization in MILESTONE_ORGANIZATIONS if organization in chosen]


def milestones_in_year(milestones: pd.DataFrame, year: int) -> pd.DataFrame:
    """The milestones of one year."""
    return milestones[milestones["year"].eq(year).fillna(False)]


def years_with_milestones(milestones: pd.DataFrame) -> list[int]:
    """The distinct years of the given milestones, ascending: the stops when presenting one year at a time."""
    return sorted(int(year) for year in milestones["year"].dropna().unique())


def neighbour_year(years: Sequence[int], current: int | None, step: int) -> int | None:
    """The year `step` stops before (-1) or after (+1) `current` in `years`; None past either end."""
    if not years:
        return None
    if current not in years:
        return years[0]
    position = list(years).index(current) + step
    return years[position] if 0 <= position < len(years) else None


def short_citation(source: Mapping[str, Any] | None, fallback: str = "") -> str:
    """`Koops and Patz (2022)`: authors' surnames and the year; the publisher or title when there are no authors."""
    if source is None:
        return fallback
    authors = source.get("authors")
    names = [_surname(author) for author in authors] if isinstance(authors, list) else []
    if len(names) > 2:
        who = f"{names[0]} et al."
    elif len(names) == 2:
        who = _("{items} and {last}").format(items=names[0], last=names[1])
    elif names:
        who = names[0]
    else:
        who = next(
            (str(source[key]) for key in ("publisher", "title") if isinstance(source.get(key), str)),
            fallback,
        )
    date = source.get("date_text")
    year = date[:4] if isinstance(date, str) and date[:4].isdigit() else _("n.d.")
    return f"{who} ({year})"


def _surname(author: str) -> str:
    """A person's surname; an organization's whole name (it has a lowercase word or many words)."""
    if "," in author:
        return author.split(",", 1)[0].strip()
    words = author.split()
    if len(words) >= 5 or any(word.islower() for word in words):
        return author
    return words[-1] if words else author


def citations(records: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """`<short citation>, <source_detail>` for each record, from its source in the bibliography."""
    needed = sources[sources["id"].isin(records["source_id"])] if not sources.empty else sources
    by_id = {source["id"]: source for source in needed.to_dict("records")}
    texts = []
    for source_id, detail in zip(records["source_id"], records["source_detail"], strict=True):
        cited = short_citation(by_id.get(source_id), fallback=str(source_id))
        texts.append(cited if pd.isna(detail) else f"{cited}, {detail}")
    return pd.Series(texts, index=records.index, dtype="str")


def stack_in_cells(frame: pd.DataFrame, cell: Sequence[str]) -> pd.DataFrame:
    """A copy with `slot` (0-based position) and `cell_size` (rows sharing the cell), to stack markers apart."""
    out = frame.copy()
    if out.empty:
        out["slot"] = pd.Series(dtype="int64")
        out["cell_size"] = pd.Series(dtype="int64")
        return out
    groups = out.groupby(list(cell), observed=True, sort=False)
    out["slot"] = groups.cumcount().astype("int64")
    out["cell_size"] = groups[cell[0]].transform("size").astype("int64")
    return out


def milestone_layer(milestones: pd.DataFrame, sources: pd.DataFrame) -> ChartLayer:
    """One marker per milestone, stacked within its year and lane; counts per year and lane when too crowded."""
    rows = stack_in_cells(milestones, ["year", "organization"])
    if not rows.empty and rows["cell_size"].max() > MAX_STACKED_MARKERS:
        counts = (
            milestones.groupby(["year", "organization"], observed=True)
            .size()
            .rename("count")
            .reset_index()
            .astype({"count": "int64"})
        )
        return ChartLayer(counts, milestones, summarised=True)
    rows["citation"] = citations(rows, sources)
    return ChartLayer(rows, milestones)


def _year_start(year: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=1, day=1)


def axis_range(years: tuple[int, int]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The chart's time axis: from the first day of the first year to the first day after the last year."""
    return _year_start(years[0]), _year_start(years[1] + 1)


def operation_lane(organization: str) -> str:
    """The timeline lane an operation's organization belongs to."""
    return OPERATION_LANES.get(organization, OTHER_OPERATIONS_LANE)


def placeable(missions: pd.DataFrame) -> pd.Series:
    """Operations that can be drawn: a start date, and an end date unless they are ongoing."""
    return missions["start_date"].notna() & (missions["end_date"].notna() | (missions["status"] == "ongoing"))


def operations_in_view(
    missions: pd.DataFrame, *, organizations: Iterable[str], years: tuple[int, int], acronyms: Iterable[str] = ()
) -> pd.DataFrame:
    """Placeable operations of the chosen lanes (and acronyms, if any) active in the years.

    Adds `lane`, `start`, `end` and `ongoing`; an ongoing operation runs to the end of the axis.
    """
    start_of_axis, end_of_axis = axis_range(years)
    lanes = missions["organization"].astype("str").map(operation_lane)
    ongoing = missions["status"] == "ongoing"
    end = missions["end_date"].where(~ongoing, end_of_axis)
    mask = lanes.isin(list(organizations)) & placeable(missions)
    mask &= (missions["start_date"] < end_of_axis) & (end >= start_of_axis)
    acronyms = list(acronyms)
    if acronyms:
        mask &= missions["acronym"].isin(acronyms)
    out = missions[mask].assign(lane=lanes[mask], start=missions["start_date"][mask], end=end[mask])
    out["ongoing"] = ongoing[mask].astype("bool")
    return out.sort_values(["start", "acronym"], kind="stable")


def unplaced_operations(missions: pd.DataFrame, *, organizations: Iterable[str], acronyms: Iterable[str] = ()) -> int:
    """How many operations of the chosen lanes (and acronyms) cannot be drawn: no start, or an unknown end."""
    mask = missions["organization"].astype("str").map(operation_lane).isin(list(organizations)) & ~placeable(missions)
    acronyms = list(acronyms)
    if acronyms:
        mask &= missions["acronym"].isin(acronyms)
    return int(mask.sum())


def free_rows(starts: pd.Series, ends: pd.Series, groups: pd.Series) -> pd.Series:
    """For each interval, the first row of its group free when it starts, so that intervals in a row never overlap.

    The inputs share one index, sorted by start; the result is 0-based row numbers on that index.
    """
    rows = pd.Series(0, index=starts.index, dtype="int64")
    row_ends: dict[object, list[pd.Timestamp]] = {}
    for index, start, end, group in zip(starts.index, starts, ends, groups, strict=True):
        in_group = row_ends.setdefault(group, [])
        free = next((number for number, row_end in enumerate(in_group) if row_end < start), None)
        if free is None:
            free = len(in_group)
            in_group.append(end)
        else:
            in_group[free] = end
        rows[index] = free
    return rows


def pack_rows(operations: pd.DataFrame) -> pd.DataFrame:
    """A copy, by start, with `row`: within each lane, bars in one row never overlap."""
    ordered = operations.sort_values(["start", "acronym"], kind="stable")
    return ordered.assign(row=free_rows(ordered["start"], ordered["end"], ordered["lane"]))


def active_operations_per_year(operations: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """How many operations of each lane were active in each year of the axis (ongoing ones to its end)."""
    span = year_span(operations["start"], operations["end"], ongoing_until=years[1])
    axis_years = list(range(years[0], years[1] + 1))
    rows = []
    for lane in dict.fromkeys(operations["lane"]):
        in_lane = span[operations["lane"] == lane]
        for year in axis_years:
            active = int(((in_lane["first"] <= year) & (in_lane["last"] >= year)).sum())
            rows.append({"lane": lane, "year": year, "count": active})
    return pd.DataFrame(rows, columns=["lane", "year", "count"]).astype({"year": "int64", "count": "int64"})


def operation_layer(
    missions: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    organizations: Iterable[str],
    years: tuple[int, int],
    acronyms: Iterable[str] = (),
) -> ChartLayer:
    """Operations' active periods as bars in rows that do not overlap; active counts per year when too many."""
    operations = operations_in_view(missions, organizations=organizations, years=years, acronyms=acronyms)
    if len(operations) > MAX_OPERATION_BARS:
        return ChartLayer(active_operations_per_year(operations, years), operations, summarised=True)
    bars = pack_rows(operations)
    bars["citation"] = citations(bars, sources)
    return ChartLayer(bars, operations)


def poc_resolutions(mandates: pd.DataFrame, *, years: tuple[int, int], acronyms: Iterable[str] = ()) -> pd.DataFrame:
    """Thematic and mission-mandate resolutions adopted in the years, with `when` (the date, else mid-year).

    With chosen acronyms, mission mandates are kept only if they concern one of them; thematic ones always stay.
    """
    mandates = mandates[mandates["kind"].isin(POC_RESOLUTION_KINDS)]
    adopted = pd.Series([resolution_parts(text)[1] for text in mandates["resolution"]], index=mandates.index)
    mid_year = pd.to_datetime(adopted.astype("str") + "-07-01")
    when = mandates["date"].astype("datetime64[s]").fillna(mid_year.astype("datetime64[s]"))
    year = when.dt.year
    mask = year.between(*years)
    acronyms = list(acronyms)
    if acronyms:
        mask &= (mandates["kind"] == "thematic") | any_in(mandates["missions"], acronyms)
    out = mandates[mask].assign(when=when[mask], year=year[mask].astype("int64"))
    return out.sort_values(["when", "number"], kind="stable")


def resolutions_per_year(resolutions: pd.DataFrame) -> pd.DataFrame:
    """How many POC resolutions were adopted each year: `count`, and one column per kind."""
    kinds = resolutions["kind"].astype("str")
    table = pd.crosstab(resolutions["year"], kinds).reindex(columns=list(POC_RESOLUTION_KINDS), fill_value=0)
    table["count"] = table.sum(axis=1)
    table = table.rename_axis(index="year", columns=None).reset_index()
    return table.astype("int64")[["year", "count", *POC_RESOLUTION_KINDS]]


def resolution_layer(
    mandates: pd.DataFrame, sources: pd.DataFrame, *, years: tuple[int, int], acronyms: Iterable[str] = ()
) -> ChartLayer:
    """POC resolutions as markers in rows (`slot`) that keep their labels apart; counts per year when too many."""
    resolutions = poc_resolutions(mandates, years=years, acronyms=acronyms)
    if len(resolutions) > MAX_RESOLUTION_MARKERS:
        return ChartLayer(resolutions_per_year(resolutions), resolutions, summarised=True)
    # A resolution whose label would touch the one before goes a row down.
    first, last = axis_range(years)
    label_span = (last - first) * RESOLUTION_LABEL_SHARE
    slots = free_rows(resolutions["when"], resolutions["when"] + label_span, pd.Series(0, index=resolutions.index))
    markers = resolutions.assign(slot=slots)
    markers["citation"] = citations(markers, sources)
    return ChartLayer(markers, resolutions)


def chart_notes(
    milestones: ChartLayer, operations: ChartLayer | None, resolutions: ChartLayer | None, *, unplaced: int = 0
) -> list[str]:
    """What a reader needs to know about the chart drawn: above all, which layers are summarised."""
    notes = []
    if milestones.summarised:
        notes.append(
            _(
                "Summarised: more than {count} milestones share a year and lane, too many for one marker each, so "
                "each lane shows how many milestones each year has, as bars; point at a bar for the number. The list "
                "below has every milestone."
            ).format(count=i18n.number(MAX_STACKED_MARKERS))
        )
    if operations is not None:
        notes.append(_layer_note(operations, **OPERATION_NOTES))
        if unplaced:
            notes.append(
                ngettext(
                    "{count} operation of the chosen organizations has no start date or an unknown end, so it is "
                    "not drawn.",
                    "{count} operations of the chosen organizations have no start date or an unknown end, so they "
                    "are not drawn.",
                    unplaced,
                ).format(count=i18n.number(unplaced))
            )
    if resolutions is not None:
        notes.append(_layer_note(resolutions, **RESOLUTION_NOTES))
    return notes


# What the note under an overlay says when it has nothing in the years, is summarised ({count} records), or drawn.
OPERATION_NOTES = {
    "empty": N_("No operation of the chosen organizations and missions was active in these years."),
    "summarised": N_(
        "Summarised: {count} operations were active in these years, too many for one bar each, so each operations "
        "lane shows how many were active in each year as a step line, on its own scale up to the peak given in its "
        "label; point at the line for the number."
    ),
    "drawn": N_(
        "Operations are drawn from their start to their end; one still ongoing runs to the end of the axis. AU, "
        "UN-AU, national and coalition operations share the lane Other operations."
    ),
}
RESOLUTION_NOTES = {
    "empty": N_("No thematic or mission-mandate POC resolution was adopted in these years."),
    "summarised": N_(
        "Summarised: {count} POC resolutions were adopted in these years, too many to label, so their lane shows how "
        "many were adopted each year, as bars; point at a bar for the kinds."
    ),
    "drawn": N_(
        "POC resolutions are the Security Council's thematic resolutions and the mission mandates in the mandates "
        "dataset, labelled with their number; one without a known date stands at mid-year."
    ),
}


def _layer_note(layer: ChartLayer, *, empty: str, summarised: str, drawn: str) -> str:
    if layer.records.empty:
        return _(empty)
    if layer.summarised:
        return _(summarised).format(count=i18n.number(len(layer.records)))
    return _(drawn)


def timeline_entries(milestones: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The milestones as entries to read: organization, text, themes, missions and citation, in the given order."""
    # Themes are the project's vocabulary, shown in the current language; missions are acronyms.
    joined = {
        "themes": milestones["themes"].map(lambda items: ", ".join(_(theme) for theme in items)),
        "missions": milestones["missions"].map(lambda items: ", ".join(items)),
    }
    out = pd.DataFrame(
        {
            "id": milestones["id"],
            "year": milestones["year"].astype("int64"),
            "organization": milestones["organization"].astype("str"),
            "text": milestones["text"],
            "themes_text": joined["themes"],
            "missions_text": joined["missions"],
            "citation": citations(milestones, sources),
        },
        columns=ENTRY_COLUMNS,
    )
    return out.reset_index(drop=True)


def by_year(entries: pd.DataFrame) -> Iterator[tuple[int, pd.DataFrame]]:
    """The entries grouped by year, in order."""
    for year, group in entries.groupby("year", sort=True):
        yield int(year), group


def milestones_for_csv(milestones: pd.DataFrame) -> pd.DataFrame:
    """The milestones shown, with the dataset's own columns only."""
    columns = ["id", "year", "organization", "text", "themes", "missions", "source_id", "source_detail"]
    return milestones[columns].reset_index(drop=True)
