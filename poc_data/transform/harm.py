"""Transforms for the Civilian harm page: filters, the figures table, disagreeing sources, the UNAMA annual series."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from poc_data import i18n
from poc_data.i18n import N_, _
from poc_data.schema import Metadata, country_name
from poc_data.text import md
from poc_data.transform.common import any_in, source_titles

TABLE_PAGE_SIZE = 50
# More rows than this make the comparison chart unreadable; the table under it lists them all.
COMPARE_CAP = 30
UNAMA_ANNUAL = "UNAMA annual civilian casualties"
ANNUAL_MEASURES = ("killed", "injured")
# attributed_to values that mean "everyone": such a row is a total, not a party's share.
TOTAL_ATTRIBUTIONS = ("all parties", "all actors", "all belligerents")
# The dataset's notes ask to prefer these rows for a single line where a year has several values.
REVISION_SUFFIXES = ("-revised", "-later-report")
REMAINDER = N_("rest of the total (not split by party)")
WHOLE_TOTAL = N_("total (all parties)")
OTHER_REPORT = N_("other report of the total")
GAP = N_("no figure (unknown)")
# Where a party's figure is a part of another party's (Taliban within AGE), the notes say so at a sentence start.
_PART_OF = re.compile(r"(?:^|[.;:]\s+)Part of\b")
# Shares are in the notes as "shares: AGE 72%; PGF 14% (ANSF 12%, IMF 2%); unattributed 10%." (see the metadata).
_SHARES = re.compile(r"\bshares:\s*(.+?)(?:\.(?=\s|$)|$)")

COMPARE_RULE = N_(
    "Figures are set side by side when at least two sources give one for the same event, places, measure and "
    "party held responsible, over periods that start and end in the same months. Rows may still count different "
    "victims or use different methods: read the labels and the notes."
)
ANNUAL_RULE = N_(
    "Each bar is the total for all parties. Where the data hold figures for named parties, the bar is split into "
    "those parties and the rest of the total. A party's figure that is part of another's (as the notes say, e.g. "
    "the Taliban within anti-government elements) is left out of the split, and where the parties would add up to "
    "more than the total the bar stays whole; every party's figure is in the table of figures. Where reports give "
    "several totals for one year (a first report and a revision, or two outlets), the bar shows the revised one, "
    "else the first listed, and a diamond marks each other figure. A year without a figure is a gap: unknown, not "
    "zero."
)

# The tables' headers, in English; shown in the session's language.
HARM_TABLE_COLUMNS = [
    N_("Event or series"),
    N_("Place"),
    N_("Period"),
    N_("Measure"),
    N_("Victims"),
    N_("Figure"),
    N_("Attributed to"),
    N_("Counted by"),
    N_("Source"),
    N_("Tier"),
    N_("Notes"),
]
COMPARE_COLUMNS = [
    "group",
    "id",
    "source",
    "source_id",
    "source_tier",
    "counted_by",
    "qualifier",
    "value_low",
    "value_high",
    "figure",
    "victims",
    "period",
    "place_detail",
    "measure",
]
MEASURE_AXIS = {
    "killed": N_("people killed"),
    "died": N_("people who died"),
    "injured": N_("people injured"),
    "casualties": N_("casualties (killed + injured)"),
    "raped": N_("people raped"),
    "displaced": N_("people displaced"),
    "sheltered": N_("people sheltering"),
    "abducted": N_("people abducted"),
}
# The fields whose descriptions define what a figure means, in the order a reader needs them.
DEFINED_FIELDS = (
    "measure",
    "victims",
    "qualifier",
    "value_low",
    "value_high",
    "attributed_to",
    "counted_by",
    "source_tier",
)
GROUP_TABLE_COLUMNS = [
    N_("Source"),
    N_("Tier"),
    N_("Counted by"),
    N_("Figure"),
    N_("Victims"),
    N_("Period"),
    N_("Place detail"),
]
ANNUAL_COLUMNS = ["year", "measure", "kind", "label", "value", "total", "counted_by", "source", "shares"]
SHARES_COLUMNS = [
    N_("Year"),
    N_("Measure of the row"),
    N_("Shares as the source states them"),
    N_("Source"),
    N_("Tier"),
]


def country_options(codes_column: pd.Series) -> dict[str, str]:
    """Country name -> ISO3 code for every code in a list column, sorted by name (names are what the URL holds)."""
    codes = sorted({code for items in codes_column for code in items})
    return dict(sorted((country_name(code), code) for code in codes))


def value_text(qualifier, low, high) -> str:
    """A figure as the source qualifies it: `about 500`, `400–600`, `more than 8,000`."""
    high = low if high is None or pd.isna(high) else high
    number = i18n.number(low) if low == high else f"{i18n.number(low)}–{i18n.number(high)}"
    if qualifier in ("exact", "range"):
        return number
    return _("{qualifier} {number}").format(qualifier=_(qualifier), number=number)


def period_text(start_text, end_text) -> str:
    """A period as written: `1999-03-24 to 1999-06-10`, or one date when it is a point or a single period."""
    if pd.isna(end_text) or end_text == start_text:
        return str(start_text)
    return _("{start} to {end}").format(start=start_text, end=end_text)


def place_text(codes: Sequence[str], detail) -> str:
    """Countries by name, with the source's detail: `Serbia, Montenegro, Kosovo (FRY)`; `global` if no country."""
    names = ", ".join(map(country_name, codes))
    detail = None if pd.isna(detail) else str(detail)
    if names and detail:
        return f"{names} ({detail})"
    return names or detail or _("no country given")


def counted_by_options(harm: pd.DataFrame) -> list[str]:
    """The counting bodies, alphabetically."""
    return sorted(harm["counted_by"].dropna().unique(), key=str.casefold)


def filter_harm(
    harm: pd.DataFrame,
    *,
    places: Sequence[str],
    measures: Sequence[str],
    tiers: Sequence[str],
    counted_by: Sequence[str],
) -> pd.DataFrame:
    """The figures of the chosen measures and source tiers; no places or counting bodies chosen means all."""
    mask = harm["measure"].isin(measures) & harm["source_tier"].isin(tiers)
    if places:
        mask &= any_in(harm["place"], places)
    if counted_by:
        mask &= harm["counted_by"].isin(counted_by)
    return harm[mask]


def harm_in_country(harm: pd.DataFrame, country: str) -> pd.DataFrame:
    """The figures whose place includes `country`, oldest period first (the Map's view of a country)."""
    found = harm[any_in(harm["place"], [country]).astype(bool)]
    return found.sort_values(["period_start", "id"], kind="stable")


def _what(harm: pd.DataFrame) -> pd.Series:
    return harm["event"].fillna(harm["series"]).fillna(_("unnamed event"))


def _event_or_series(harm: pd.DataFrame) -> pd.Series:
    """The event, followed by its series when it belongs to one: `Armed conflict in Afghanistan — UNAMA ...`."""
    named = [
        " — ".join(str(part) for part in (event, series) if pd.notna(part)) or _("unnamed event")
        for event, series in zip(harm["event"], harm["series"], strict=True)
    ]
    return pd.Series(named, index=harm.index, dtype="str")


def harm_table(harm: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The figures as every page shows them: who counted what, where and when, with the source's title and tier."""
    titles = source_titles(sources)
    return pd.DataFrame(
        {
            "Event or series": _event_or_series(harm),
            "Place": [place_text(p, d) for p, d in zip(harm["place"], harm["place_detail"], strict=True)],
            "Period": [
                period_text(s, e) for s, e in zip(harm["period_start_text"], harm["period_end_text"], strict=True)
            ],
            "Measure": harm["measure"].astype(str).map(_),
            "Victims": harm["victims"],
            "Figure": [
                value_text(q, lo, hi)
                for q, lo, hi in zip(harm["qualifier"], harm["value_low"], harm["value_high"], strict=True)
            ],
            "Attributed to": harm["attributed_to"],
            "Counted by": harm["counted_by"],
            "Source": harm["source_id"].map(lambda source_id: titles.get(source_id, source_id)),
            "Tier": harm["source_tier"].astype(str).map(_),
            "Notes": harm["notes"],
        },
        columns=HARM_TABLE_COLUMNS,
    ).rename(columns=_)


def disagreements(harm: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The figures that several sources give for the same thing (COMPARE_RULE), one row per figure.

    `group` names what is compared; the chart labels each figure by `counted_by` and `source`.
    """
    if harm.empty:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    titles = source_titles(sources)
    start_month = harm["period_start"].dt.strftime("%Y-%m")
    end_month = harm["period_end"].fillna(harm["period_start"]).dt.strftime("%Y-%m")
    period = [
        start if start == end else _("{start} to {end}").format(start=start, end=end)
        for start, end in zip(start_month, end_month, strict=True)
    ]
    places = harm["place"].map(lambda codes: ", ".join(map(country_name, codes)) or _("no country"))
    attributed = harm["attributed_to"].fillna(_("no one named"))
    group = [
        _("{what} · {places} · {measure} · {period} · attributed to {party}").format(
            what=what, places=place, measure=_(measure), period=months, party=party
        )
        for what, place, measure, months, party in zip(
            _what(harm), places, harm["measure"].astype(str), period, attributed, strict=True
        )
    ]
    frame = pd.DataFrame(
        {
            "group": group,
            "id": harm["id"],
            "source": harm["source_id"].map(lambda source_id: titles.get(source_id, source_id)),
            "source_id": harm["source_id"],
            "source_tier": harm["source_tier"].astype(str),
            "counted_by": harm["counted_by"],
            "qualifier": harm["qualifier"].astype(str),
            "value_low": harm["value_low"].astype("int64"),
            "value_high": harm["value_high"].fillna(harm["value_low"]).astype("int64"),
            "victims": harm["victims"],
            "period": [
                period_text(s, e) for s, e in zip(harm["period_start_text"], harm["period_end_text"], strict=True)
            ],
            "place_detail": harm["place_detail"],
            "measure": harm["measure"].astype(str),
        }
    )
    frame["figure"] = [
        value_text(q, lo, hi)
        for q, lo, hi in zip(frame["qualifier"], frame["value_low"], frame["value_high"], strict=True)
    ]
    sources_per_group = frame.groupby("group")["source_id"].transform("nunique")
    frame = frame[sources_per_group >= 2]
    if frame.empty:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    return frame[COMPARE_COLUMNS].reset_index(drop=True)


def disagreement_groups(compared: pd.DataFrame) -> list[str]:
    """The groups of disagreeing figures, those with the most sources first."""
    if compared.empty:
        return []
    counts = compared.groupby("group")["source_id"].nunique()
    return sorted(counts.index, key=lambda name: (-counts[name], name))


def group_rows(compared: pd.DataFrame, group: str) -> pd.DataFrame:
    """The figures of one group of disagreeing figures."""
    return compared[compared["group"] == group]


def capped(rows: pd.DataFrame, cap: int = COMPARE_CAP) -> tuple[pd.DataFrame, str | None]:
    """At most `cap` rows for a chart, and a note saying what was left out (None when nothing was)."""
    if len(rows) <= cap:
        return rows, None
    return rows.head(cap), _(
        "Summarised: the chart shows the first {cap} of {count} figures; the table lists all."
    ).format(cap=i18n.number(cap), count=i18n.number(len(rows)))


def group_axis_title(rows: pd.DataFrame) -> str:
    """The value axis of a group's chart, from its measure."""
    measures = rows["measure"].unique() if not rows.empty else []
    return _(MEASURE_AXIS.get(measures[0], str(measures[0]))) if len(measures) == 1 else _("figure")


def group_table(rows: pd.DataFrame) -> pd.DataFrame:
    """A group's figures as a table, for reading without hovering."""
    return pd.DataFrame(
        {
            "Source": rows["source"],
            "Tier": rows["source_tier"].map(_),
            "Counted by": rows["counted_by"],
            "Figure": rows["figure"],
            "Victims": rows["victims"],
            "Period": rows["period"],
            "Place detail": rows["place_detail"],
        },
        columns=GROUP_TABLE_COLUMNS,
    ).rename(columns=_)


def headers_shown(table: pd.DataFrame) -> pd.DataFrame:
    """A table with its (English) column headers in the session's language, for display or download."""
    return table.rename(columns=_)


def shares_text(notes) -> str | None:
    """The attribution shares a row's notes state (`shares: ...`), verbatim, or None."""
    if not isinstance(notes, str):
        return None
    match = _SHARES.search(notes)
    return match.group(1).strip() if match else None


def series_rows(harm: pd.DataFrame, series: str = UNAMA_ANNUAL) -> pd.DataFrame:
    """The rows of one series (by default the UNAMA annual civilian casualties)."""
    return harm[harm["series"] == series]


def attribution_shares(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The shares by party stated in the notes of the rows, as written, with their year and source."""
    titles = source_titles(sources)
    shares = rows["notes"].map(shares_text)
    found = rows[shares.notna()]
    return pd.DataFrame(
        {
            "Year": found["period_start"].dt.year.astype("Int64"),
            "Measure of the row": found["measure"].astype(str),
            "Shares as the source states them": shares[shares.notna()],
            "Source": found["source_id"].map(lambda source_id: titles.get(source_id, source_id)),
            "Tier": found["source_tier"].astype(str),
        },
        columns=SHARES_COLUMNS,
    ).sort_values(["Year", "Measure of the row"], kind="stable")


def _is_total(attributed_to: pd.Series) -> pd.Series:
    return attributed_to.isna() | attributed_to.isin(TOTAL_ATTRIBUTIONS)


def _preferred_total(totals: pd.DataFrame) -> pd.Series:
    revised = totals[totals["id"].str.endswith(REVISION_SUFFIXES)]
    return (revised if not revised.empty else totals).iloc[0]


def _stackable_parties(parties: pd.DataFrame, total: int | None) -> pd.DataFrame | None:
    """The party rows that can split the bar, or None when they cannot without double counting."""
    part_of_another = parties["notes"].fillna("").str.contains(_PART_OF)
    if part_of_another.any() and not part_of_another.all():
        parties = parties[~part_of_another]
    if total is not None and parties["value_low"].sum() > total:
        return None
    return parties


def _cite(row: pd.Series, titles: Mapping[str, str]) -> str:
    """A row's source as a hover names it: `title (tier)`."""
    return f"{titles.get(row['source_id'], row['source_id'])} ({row['source_tier']})"


def _annual_row(year, measure, kind: str, label: str, value: int, **about) -> dict:
    """One row of the annual series; `about` gives `total`, `counted_by`, `source` and `shares` where they apply."""
    return {"year": year, "measure": measure, "kind": kind, "label": label, "value": value, **about}


def _bar_segments(year, measure, group: pd.DataFrame, titles: Mapping[str, str], shares: str | None) -> list[dict]:
    """The segments of one year's bar for one measure: the parties and the rest of the total, or the whole total.

    Then a row for each further report of the total (one not chosen by `_preferred_total`).
    """
    totals = group[_is_total(group["attributed_to"])]
    parties = group[~_is_total(group["attributed_to"])]
    total = _preferred_total(totals) if not totals.empty else None
    total_value = None if total is None else int(total["value_low"])
    stack = _stackable_parties(parties, total_value) if not parties.empty else None
    about_total = {} if total is None else {"total": total_value, "source": _cite(total, titles), "shares": shares}
    if total is not None and stack is None:
        whole = _annual_row(year, measure, "segment", WHOLE_TOTAL, total_value, counted_by=total["counted_by"])
        segments = [whole | about_total]
    else:
        segments = [
            _annual_row(
                year,
                measure,
                "segment",
                str(party["attributed_to"]),
                int(party["value_low"]),
                total=total_value,
                source=_cite(party, titles),
                shares=shares,
            )
            for _index, party in (stack if stack is not None else parties).iterrows()
        ]
        rest = None if total is None else total_value - int(stack["value_low"].sum())
        if rest is not None and rest > 0:
            segments.append(_annual_row(year, measure, "segment", REMAINDER, rest) | about_total)
    if total is not None:
        segments += [
            _annual_row(
                year,
                measure,
                "other report",
                OTHER_REPORT,
                int(other["value_low"]),
                total=total_value,
                source=_cite(other, titles),
            )
            for _index, other in totals[totals["id"] != total["id"]].iterrows()
        ]
    return segments


def _gaps(years: range, known: set[tuple]) -> pd.DataFrame:
    """A row for every year and measure without a figure: unknown, not zero."""
    gaps = [
        _annual_row(year, measure, "gap", GAP, 0)
        for year in years
        for measure in ANNUAL_MEASURES
        if (year, measure) not in known
    ]
    return pd.DataFrame(gaps, columns=ANNUAL_COLUMNS)


def annual_series(harm: pd.DataFrame, sources: pd.DataFrame, *, series: str = UNAMA_ANNUAL) -> pd.DataFrame:
    """The annual series as bars per year and measure (killed, injured), by ANNUAL_RULE.

    `kind` is `segment` (a part of a bar: a party, the rest of the total, or the whole total), `other report` (a
    further total given for that year) or `gap` (no figure: unknown). For the hover, `total` is the bar's total,
    `source` the figure's source and tier, `counted_by` who counted a whole total, `shares` the shares by party
    the notes state for the year.
    """
    rows = series_rows(harm, series)
    rows = rows[rows["measure"].isin(ANNUAL_MEASURES)]
    if rows.empty:
        return pd.DataFrame(columns=ANNUAL_COLUMNS)
    titles = source_titles(sources)
    years = rows["period_start"].dt.year
    stated = attribution_shares(series_rows(harm, series), sources)
    shares = stated.groupby("Year")["Shares as the source states them"].agg(" | ".join).to_dict()
    segments = [
        segment
        for (year, measure), group in rows.groupby([years, rows["measure"].astype(str)], sort=True)
        for segment in _bar_segments(year, measure, group, titles, shares.get(year))
    ]
    frame = pd.DataFrame(segments, columns=ANNUAL_COLUMNS)
    known = set(zip(frame["year"], frame["measure"], strict=True))
    gaps = _gaps(range(int(years.min()), int(years.max()) + 1), known)
    return pd.concat([frame, gaps], ignore_index=True).astype({"total": "Int64"})


def gap_years(annual: pd.DataFrame) -> dict[str, list[int]]:
    """Measure -> the years the series has no figure for."""
    gaps = annual[annual["kind"] == "gap"]
    return {measure: sorted(gaps.loc[gaps["measure"] == measure, "year"]) for measure in ANNUAL_MEASURES}


def gaps_text(annual: pd.DataFrame) -> str:
    """The years without a figure, said to be unknown."""
    gaps = {measure: years for measure, years in gap_years(annual).items() if years}
    if not gaps:
        return _("Every year of the span shown has a figure for both killed and injured.")
    listed = "; ".join(f"{_(measure)}: {', '.join(map(str, years))}" for measure, years in gaps.items())
    return _("No figure in these data (unknown, not zero) for {listed}.").format(listed=listed)


def field_definitions(meta: Metadata) -> str:
    """What the fields that define a figure mean, from the dataset's metadata, as an escaped Markdown list."""
    described = {field.name: field.description for field in meta.fields}
    return "\n".join(f"- **{md(name)}**: {md(described[name])}" for name in DEFINED_FIELDS if name in described)
