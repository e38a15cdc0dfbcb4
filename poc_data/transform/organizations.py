"""Transforms for the Organizations page: the comparison tables, milestones and operations of the UN, EU and NATO."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from poc_data import i18n
from poc_data.i18n import N_, _
from poc_data.schema import COMPARISON_ORGANIZATIONS, MISSION_TYPES, POC_MANDATES
from poc_data.transform.common import active_years, page_count

ORGANIZATIONS = COMPARISON_ORGANIZATIONS
INTERORGANIZATIONAL = "Interorganizational"

# The paper's own titles of its comparison tables (IPI 2022, quoted in English); the control shows the short name,
# translated (the link keeps the English one).
GRID_TABLES = {
    N_("Table 1"): ("table1", "Comparative overview of mandates, approaches, and political priorities"),
    N_("Table 2"): ("table2", "Summary of comparative advantages and weaknesses of UN, EU, and NATO approaches to POC"),
}

COMPARISON_COLUMNS = ["id", "table", "dimension", "organization", "points", "document", "year", "source_id"]
PER_YEAR_COLUMNS = ["year", "organization", "milestones", "cumulative"]
OPERATIONS_COLUMNS = ["year", "organization", "type", "operations"]
TOTALS_COLUMNS = ["year", "organization", "operations", "by_type"]
MANDATE_COLUMNS = ["organization", "poc_mandate", "operations", "total", "share"]


def in_order(organizations: Sequence[str]) -> list[str]:
    """The chosen organizations in the usual order (UN, EU, NATO), however they were picked."""
    return [organization for organization in ORGANIZATIONS if organization in set(organizations)]


def short_source_names(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> a short name for citations beside the text: `Koops and Patz (2022)`.

    Authors' last names where the bibliography gives authors (three or more: the first, "et al."), else the
    publisher, else the title; the year where the date gives one. The footer has the full entries.
    """
    names = {}
    for source in sources.to_dict("records"):
        authors = source.get("authors") if isinstance(source.get("authors"), list) else []
        last_names = [author.split()[-1] for author in authors if author.strip()]
        if len(last_names) > 2:
            who = f"{last_names[0]} et al."
        elif len(last_names) == 2:
            who = _("{items} and {last}").format(items=last_names[0], last=last_names[1])
        elif last_names:
            who = last_names[0]
        else:
            publisher = source.get("publisher")
            who = publisher if isinstance(publisher, str) and publisher else str(source.get("title"))
        date = source.get("date_text")
        year = date[:4] if isinstance(date, str) and date[:4].isdigit() else None
        names[source["id"]] = f"{who} ({year})" if year else who
    return names


def with_citation(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """A copy with a short `citation` column: the source's short name and where in it (`source_detail`)."""
    # Only the cited sources are named: the bibliography may be far longer than the rows shown.
    names = short_source_names(sources[sources["id"].isin(set(frame["source_id"]))])
    out = frame.copy()
    name = out["source_id"].map(lambda source_id: names.get(source_id, source_id))
    detail = out["source_detail"] if "source_detail" in out.columns else pd.Series(pd.NA, index=out.index)
    out["citation"] = [
        f"{who}, {where}" if isinstance(where, str) and where else str(who)
        for who, where in zip(name, detail, strict=True)
    ]
    return out


def definitions(comparisons: pd.DataFrame, organizations: Sequence[str]) -> pd.DataFrame:
    """Annex 1: each chosen organization's defining documents with their verbatim points, oldest first.

    `heading` is the document as the table names it (the row heading where no document is given), and `rank` the
    position of the document within its organization, so that pages can show the same number per organization.
    """
    rows = comparisons[(comparisons["table"] == "annex1") & comparisons["organization"].isin(list(organizations))]
    rows = rows.sort_values(["organization", "year"], kind="stable", na_position="last")
    rows = rows.assign(heading=rows["document"].fillna(rows["dimension"]))
    return rows.assign(rank=rows.groupby("organization", observed=True).cumcount())


def definitions_page(definitions_frame: pd.DataFrame, page: int, per_organization: int) -> pd.DataFrame:
    """The documents of one page: up to `per_organization` of each organization (page is 1-based)."""
    start = (max(1, page) - 1) * per_organization
    rank = definitions_frame["rank"]
    return definitions_frame[(rank >= start) & (rank < start + per_organization)]


def definitions_pages(definitions_frame: pd.DataFrame, per_organization: int) -> int:
    """How many pages the definitions fill when each page shows `per_organization` documents per organization."""
    longest = int(definitions_frame["rank"].max()) + 1 if not definitions_frame.empty else 0
    return page_count(longest, per_organization)


def comparison_cells(comparisons: pd.DataFrame, table: str, organizations: Sequence[str]) -> pd.DataFrame:
    """The cells of one comparison table for the chosen organizations, in the table's own row order."""
    return comparisons[(comparisons["table"] == table) & comparisons["organization"].isin(list(organizations))]


def comparison_grid(cells: pd.DataFrame, organizations: Sequence[str]) -> pd.DataFrame:
    """One row per dimension (in table order) and one column per organization holding its list of points.

    A dimension that an organization's column leaves empty gets an empty list; should a cell appear twice, its
    points are shown together rather than one of them dropped.
    """
    grid = pd.DataFrame({"dimension": pd.unique(cells["dimension"])})
    for organization in organizations:
        own = cells[cells["organization"] == organization]
        points = own.groupby("dimension", sort=False)["points"].agg(lambda cell: [p for items in cell for p in items])
        grid[organization] = grid["dimension"].map(points).map(lambda v: v if isinstance(v, list) else [])
    return grid


def of_organizations(frame: pd.DataFrame, organizations: Sequence[str]) -> pd.DataFrame:
    """The rows (milestones, definitions ...) of the chosen organizations."""
    return frame[frame["organization"].isin(list(organizations))]


def year_range(milestones: pd.DataFrame) -> str:
    """The years the milestones span, as `1994-2021` (one year alone if they share it)."""
    if milestones.empty:
        return _("no years")
    return i18n.year_span(int(milestones["year"].min()), int(milestones["year"].max()))


def milestones_per_year(milestones: pd.DataFrame, organizations: Sequence[str]) -> pd.DataFrame:
    """Milestones per year and organization, with the running total; years without milestones count 0.

    Every chosen organization that has milestones gets every year of the span, so stacked bars and cumulative
    lines are drawn without gaps.
    """
    rows = of_organizations(milestones, organizations)
    if rows.empty:
        return pd.DataFrame(columns=PER_YEAR_COLUMNS)
    present = [o for o in organizations if o in set(rows["organization"].astype(str))]
    years = range(int(rows["year"].min()), int(rows["year"].max()) + 1)
    counts = rows.assign(organization=rows["organization"].astype(str)).groupby(["year", "organization"]).size()
    full = pd.MultiIndex.from_product([years, present], names=["year", "organization"])
    frame = counts.reindex(full, fill_value=0).rename("milestones").reset_index()
    frame["year"] = frame["year"].astype(int)
    frame["cumulative"] = frame.groupby("organization", sort=False)["milestones"].cumsum()
    return frame[PER_YEAR_COLUMNS]


def missions_of(missions: pd.DataFrame, organizations: Sequence[str], types: Sequence[str]) -> pd.DataFrame:
    """The operations of the chosen organizations and types."""
    return missions[missions["organization"].isin(list(organizations)) & missions["type"].isin(list(types))]


def undated(missions: pd.DataFrame) -> pd.DataFrame:
    """Operations without a known start date, which cannot be placed in time."""
    return missions[missions["start_date"].isna()]


def operations_per_year(missions: pd.DataFrame, ongoing_until: int | None = None) -> pd.DataFrame:
    """How many operations were active in each year, per organization and type.

    An operation counts in every year from its start to its end, both included; an ongoing one counts up to
    `ongoing_until` (default: this year), one whose end is not stated only in its start year. Operations without a
    start date are left out (see `undated`).
    """
    dated = missions[missions["start_date"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=OPERATIONS_COLUMNS)
    until = ongoing_until if ongoing_until is not None else dt.date.today().year
    span = active_years(dated, until)
    years = [
        list(range(int(first), max(int(first), int(last)) + 1))
        for first, last in zip(span["first"], span["last"], strict=True)
    ]
    active = pd.DataFrame(
        {"year": years, "organization": dated["organization"].astype(str), "type": dated["type"].astype(str)}
    ).explode("year")
    active["year"] = active["year"].astype(int)
    counts = active.groupby(["year", "organization", "type"]).size().rename("operations").reset_index()
    return counts[OPERATIONS_COLUMNS]


def operations_totals(per_year_type: pd.DataFrame, organizations: Sequence[str]) -> pd.DataFrame:
    """Operations active per year and organization, with the count per type as text for hover and CSV.

    Every organization present gets every year of the span (0 where none was active), so lines drop to zero
    instead of skipping a gap.
    """
    if per_year_type.empty:
        return pd.DataFrame(columns=TOTALS_COLUMNS)
    # Types in the vocabulary's order, so the hover text reads the same way in every year.
    ordered = per_year_type.assign(type=pd.Categorical(per_year_type["type"], categories=MISSION_TYPES))
    ordered = ordered.sort_values(["year", "organization", "type"])
    by_type = ordered.groupby(["year", "organization"])[["type", "operations"]].apply(
        lambda group: ", ".join(
            f"{kind} {count}" for kind, count in zip(group["type"], group["operations"], strict=True)
        )
    )
    totals = ordered.groupby(["year", "organization"])["operations"].sum()
    present = [o for o in organizations if o in set(per_year_type["organization"])]
    years = range(int(per_year_type["year"].min()), int(per_year_type["year"].max()) + 1)
    full = pd.MultiIndex.from_product([years, present], names=["year", "organization"])
    frame = pd.DataFrame(
        {"operations": totals.reindex(full, fill_value=0), "by_type": by_type.reindex(full, fill_value="none")}
    ).reset_index()
    return frame[TOTALS_COLUMNS]


def operations_by_type(per_year_type: pd.DataFrame, organizations: Sequence[str]) -> pd.DataFrame:
    """Operations active per year, organization and type, with 0 for every year of the span without one."""
    if per_year_type.empty:
        return pd.DataFrame(columns=OPERATIONS_COLUMNS)
    present = [o for o in organizations if o in set(per_year_type["organization"])]
    types = [kind for kind in MISSION_TYPES if kind in set(per_year_type["type"])]
    years = range(int(per_year_type["year"].min()), int(per_year_type["year"].max()) + 1)
    full = pd.MultiIndex.from_product([years, present, types], names=["year", "organization", "type"])
    counts = per_year_type.set_index(["year", "organization", "type"])["operations"]
    return counts.reindex(full, fill_value=0).reset_index()[OPERATIONS_COLUMNS]


def source_label(frame: pd.DataFrame, sources: pd.DataFrame, limit: int = 2) -> str:
    """The titles of the sources a frame cites, for a chart's hover: the first `limit`, then how many more."""
    cited = list(dict.fromkeys(frame["source_id"].dropna().astype(str))) if "source_id" in frame.columns else []
    titles = dict(zip(sources["id"], sources["title"], strict=False)) if not sources.empty else {}
    named = [titles.get(source_id, source_id) for source_id in cited[:limit]]
    more = len(cited) - limit
    return "; ".join(named) + (_("; and {count} more (see the sources below)").format(count=more) if more > 0 else "")


def poc_mandate_counts(missions: pd.DataFrame, organizations: Sequence[str]) -> pd.DataFrame:
    """Per organization, the operations by POC mandate (explicit, partial, none, unknown), with the share in %.

    Every category is listed for every organization that has operations, with 0 where none; `total` is the
    organization's number of operations.
    """
    if missions.empty:
        return pd.DataFrame(columns=MANDATE_COLUMNS)
    present = [o for o in organizations if o in set(missions["organization"].astype(str))]
    counts = (
        missions.assign(
            organization=missions["organization"].astype(str), poc_mandate=missions["poc_mandate"].astype(str)
        )
        .groupby(["organization", "poc_mandate"])
        .size()
    )
    full = pd.MultiIndex.from_product([present, list(POC_MANDATES)], names=["organization", "poc_mandate"])
    frame = counts.reindex(full, fill_value=0).rename("operations").reset_index()
    frame["total"] = frame.groupby("organization", sort=False)["operations"].transform("sum")
    frame["share"] = (100 * frame["operations"] / frame["total"]).round(1)
    return frame[MANDATE_COLUMNS]


def interorganizational_milestones(milestones: pd.DataFrame) -> pd.DataFrame:
    """The milestones of the interorganizational column, oldest first."""
    rows = milestones[milestones["organization"] == INTERORGANIZATIONAL]
    return rows.sort_values(["year", "id"], kind="stable")


def csv_of_definitions(definitions_frame: pd.DataFrame) -> pd.DataFrame:
    """The definitions as downloaded: one row per document with its points, as in the dataset."""
    return definitions_frame[[*COMPARISON_COLUMNS, "source_detail"]]


def csv_of_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """The grid's cells as downloaded: one row per dimension and organization with its points, as in the dataset."""
    return cells[["id", "table", "dimension", "organization", "points", "source_id", "source_detail"]]
