"""UCDP's counts of civilians killed beside the peacekeepers: an operation's host countries year by year with its
troops (Geo-PKO) and its dates, the actors of one-sided violence in a country, and UCDP's counts for the places and
years of a reported figure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from poc_data.countries import COUNTED_WITHIN, ucdp_row_code
from poc_data.i18n import N_, _, ngettext
from poc_data.i18n import date as written_date
from poc_data.i18n import number as n
from poc_data.schema import Metadata, country_name
from poc_data.transform.common import any_in
from poc_data.transform.common import full_citation as source_citation
from poc_data.transform.deployments import personnel_by_year

DEFAULT_OPERATION = "MINUSCA"
# The source of the quotations of UCDP's methodology in the captions.
METHODOLOGY_SOURCE = "ucdp-nd-methodology"
DEFAULT_COUNTRY = "CAF"
# Years shown before an operation starts, so that the chart shows what it was deployed into.
YEARS_BEFORE = 5

# The civilians-killed columns of UCDP's Country-Year Dataset, by the names used here. One-sided violence has a
# best, low and high estimate; UCDP gives the civilians killed in state-based and non-state conflict as one number.
KILLED_COLUMNS = {
    "government_best": "os_any_govt_killings_best_cy",
    "government_low": "os_any_govt_killings_low_cy",
    "government_high": "os_any_govt_killings_high_cy",
    "non_state_best": "os_nsgroup_killings_best_cy",
    "non_state_low": "os_nsgroup_killings_low_cy",
    "non_state_high": "os_nsgroup_killings_high_cy",
    "one_sided_best": "os_total_deaths_best_cy",
    "one_sided_low": "os_total_deaths_low_cy",
    "one_sided_high": "os_total_deaths_high_cy",
    "state_based": "sb_deaths_civilians_cy",
    "non_state_conflict": "ns_deaths_civilians_cy",
    "civilians_total": "cumulative_total_deaths_civilians_in_orgvio_cy",
}
KILLED_NAMES = list(KILLED_COLUMNS)
# The series with a low-high band.
BANDED = ("government", "non_state")
# On a projector the actors' chart draws the few who killed most, so that it fits the screen; all are in the table.
PRESENTED_ACTORS = 7
GEO_PKO_SCOPE = N_("Geo-PKO maps the deployments of UN peacekeeping operations only, from 1994 to 2024.")
PRESENCE_COLUMNS = ["mission", "year", "troops", "locations", "troops_unknown", "police_sites", "observer_sites"]

# The texts under the charts, shown as `_(TEXT)`. UCDP_COUNTS quotes UCDP's methodology: the quotations stay in
# English in the French text, marked as such.
UCDP_COUNTS = N_(
    "UCDP counts the deaths it could attribute to an organized actor (a government or a formally organized group) "
    "in a conflict, a non-state conflict or a campaign of one-sided violence that reached 25 deaths in a calendar "
    "year; it codes each event from news and other reports (its methodology: events \u201cresulting in at least 1 "
    "direct death\u201d, for \u201call dyads and actors that, in any calendar year, surpass the 25 deaths threshold "
    "for inclusion\u201d). Deaths it could not attribute, and violence below its thresholds, are not counted: these "
    "are lower bounds, not totals. One-sided violence is the deliberate killing of civilians; the shaded band is "
    "UCDP's low to high estimate around its best estimate, the line."
)
NOT_A_CAUSE = N_(
    "Deaths and troops drawn together show when and where both occurred; a pattern here is not a cause: it does "
    "not show that the peacekeepers' presence raised or lowered the violence, nor the other way round."
)
TROOPS_NOTE = N_(
    "Troops are summed over the operation's mapped locations in its host countries, as the Geo-PKO dataset "
    "estimates them from the UN's deployment maps (a location's average over the year's maps); they are not the "
    "UN's official strength figures. Geo-PKO records UN police and military observers as present or not, so they "
    "are counted as locations, in the table."
)
ACTORS_WARNING = N_(
    "UCDP gives an actor one figure a year for all the countries where it killed civilians, and lists a country "
    "\u201cif even one dead\u201d occurred there: where an actor's row names other countries too, its figure is "
    "not this country's alone. For a country's own count, see the chart above (UCDP's Country-Year Dataset)."
)
WHY_THEY_DIFFER = N_(
    "UCDP and the reporting bodies count different things. UCDP counts deaths only, those it could attribute to an "
    "organized actor in violence above its thresholds (25 deaths a year in a conflict, a non-state conflict or a "
    "campaign of one-sided violence), coded event by event from news and other reports, and it counts by calendar "
    "year and country. UNAMA and the other bodies here count by their own methods and definitions, often all "
    "civilian casualties (killed and injured, by all parties) over their own periods and places; a figure may also "
    "count people who are not civilians (see Victims). UCDP's counts are for "
    "whole calendar years and whole countries, even where the reported figure covers a few days or a town. Neither "
    "number corrects the other."
)
# Measures of reported figures that count deaths (casualties: killed and injured), which UCDP's deaths sit beside.
COMPARED_MEASURES = ("killed", "died", "casualties")
COMPARISON_COLUMNS = [
    N_("Place"),
    N_("Period"),
    N_("Measure"),
    N_("Reported figure"),
    N_("Counted by"),
    N_("UCDP years"),
    N_("UCDP: one-sided violence (best, low–high)"),
    N_("UCDP: in state-based conflict"),
    N_("UCDP: in non-state conflict"),
    N_("UCDP: civilians in all organized violence"),
    N_("Victims"),
    N_("Event or series"),
    N_("UCDP rows"),
]
ACTOR_COLUMNS = [
    "actor_id",
    "actor_name",
    "government",
    "best",
    "low",
    "high",
    "years_active",
    "years",
    "other_countries",
    "source_id",
]


def operation_choices(missions: pd.DataFrame | None) -> list[str]:
    """The operations with host countries, by acronym, alphabetically (a link can name any of them)."""
    if missions is None:
        return []
    hosted = missions[missions["host_countries"].map(len) > 0]
    return sorted(hosted["acronym"].astype(str), key=str.casefold)


def default_index(options: Sequence[str], preferred: str) -> int:
    """Where `preferred` is among the options; the first option when it is not."""
    return list(options).index(preferred) if preferred in options else 0


def operation(missions: pd.DataFrame, acronym: str) -> pd.Series:
    """The operation's row of missions."""
    return missions[missions["acronym"] == acronym].iloc[0]


def ucdp_years(organized_violence: pd.DataFrame) -> tuple[int, int]:
    """The first and last year UCDP's Country-Year Dataset covers."""
    return int(organized_violence["year_cy"].min()), int(organized_violence["year_cy"].max())


def default_period(mission: pd.Series, bounds: tuple[int, int], *, every_year: bool = False) -> tuple[int, int]:
    """The years shown: from a few years before the operation started to the end of the data (or a few years after
    the operation ended), within `bounds`; every year of `bounds` if `every_year`."""
    first, last = bounds
    if every_year:
        return bounds
    start, end = mission["start_date"], mission["end_date"]
    if pd.notna(start):
        first = max(first, min(last, int(start.year) - YEARS_BEFORE))
    if pd.notna(end):
        last = min(last, max(first, int(end.year) + YEARS_BEFORE))
    return first, last


@dataclass(frozen=True)
class Presence:
    """The per-operation view's data, as the page and a story step both show it."""

    mission: pd.Series
    hosts: list[str]
    years: tuple[int, int]
    killed: pd.DataFrame
    troops: pd.DataFrame
    markers: pd.DataFrame


def presence(
    missions: pd.DataFrame,
    organized_violence: pd.DataFrame,
    deployments: pd.DataFrame | None,
    mandates: pd.DataFrame | None,
    acronym: str,
    *,
    every_year: bool = False,
) -> Presence:
    """An operation's host countries year by year: UCDP's civilians killed, its Geo-PKO troops, its dates."""
    mission = operation(missions, acronym)
    hosts = list(mission["host_countries"])
    years = default_period(mission, ucdp_years(organized_violence), every_year=every_year)
    return Presence(
        mission=mission,
        hosts=hosts,
        years=years,
        killed=civilians_killed_by_year(organized_violence, hosts, years),
        troops=troops_by_year(deployments, acronym, hosts, years),
        markers=operation_markers(mission, mandates),
    )


def no_killed_text(acronym: str, period: str) -> str:
    return _("UCDP has no row for {acronym}'s host countries in {period}.").format(acronym=acronym, period=period)


def no_troops_text(acronym: str, period: str) -> str:
    return _("Geo-PKO has no deployment of {acronym} in its host countries in {period}.").format(
        acronym=acronym, period=period
    )


def ucdp_rows(organized_violence: pd.DataFrame, places: Sequence[str], years: Iterable[int]) -> pd.DataFrame:
    """The UCDP country-year rows that hold the violence of `places` in `years`: each place's row of the year (a
    territory UCDP counts within another state is in that state's row; `countries.ucdp_row_code`), each row once
    even when it holds several of the places."""
    wanted = {(ucdp_row_code(code, year), year) for code in places for year in years}
    codes = {code for code, _year in wanted}
    candidates = organized_violence[organized_violence["iso3"].isin(codes)]
    keep = [
        (code, int(year)) in wanted
        for code, year in zip(candidates["iso3"].tolist(), candidates["year_cy"].tolist(), strict=True)
    ]
    return candidates[keep]


def civilians_killed_by_year(
    organized_violence: pd.DataFrame, places: Sequence[str], years: tuple[int, int]
) -> pd.DataFrame:
    """Per year of `years` that UCDP has a row for: the civilians killed in `places` (summed over their rows), by
    governments and by non-state groups in one-sided violence (best, low, high), in all one-sided violence, and in
    state-based and non-state conflict; `rows` names the UCDP rows summed. A year UCDP has no row for is absent, not
    zero."""
    rows = ucdp_rows(organized_violence, places, range(years[0], years[1] + 1))
    if rows.empty:
        return pd.DataFrame(columns=["year", *KILLED_NAMES, "rows"])
    renamed = pd.DataFrame({name: rows[column].astype("int64") for name, column in KILLED_COLUMNS.items()})
    renamed["year"] = rows["year_cy"].astype("int64")
    summed = renamed.groupby("year", sort=True)[KILLED_NAMES].sum()
    names = rows.assign(year=rows["year_cy"].astype("int64")).groupby("year", sort=True)["country_cy"]
    summed["rows"] = names.agg(lambda countries: "; ".join(sorted(countries)))
    return summed.reset_index()[["year", *KILLED_NAMES, "rows"]]


def counted_within_note(places: Sequence[str], years: tuple[int, int]) -> str:
    """Which of `places` UCDP counts within another state's rows in `years`, in a sentence; empty when none is."""
    notes = []
    for code in places:
        if code not in COUNTED_WITHIN:
            continue
        within, until = COUNTED_WITHIN[code]
        names = {"place": country_name(code), "within": country_name(within)}
        if until is None:
            notes.append(_("{place} is counted in {within}'s rows").format(**names))
        elif years[0] <= until:
            notes.append(_("{place} is counted in {within}'s rows until {until}").format(**names, until=until))
    if not notes:
        return ""
    return _("UCDP has no row of its own for some of these places: {notes}.").format(notes="; ".join(notes))


def quoted_sources() -> pd.DataFrame:
    """The sources the captions quote, as a frame the sources footer reads."""
    return pd.DataFrame({"source_id": [METHODOLOGY_SOURCE]})


def records_nothing(killed: pd.DataFrame) -> bool:
    """Whether UCDP's rows record no civilian killed at all (every count zero)."""
    return bool(killed.empty or (killed[KILLED_NAMES].to_numpy() == 0).all())


def operation_rows(missions: pd.DataFrame, acronym: str) -> pd.DataFrame:
    """The operation's row of missions, as a frame (for the sources footer)."""
    return missions[missions["acronym"] == acronym]


def deployments_in_hosts(deployments: pd.DataFrame | None, acronym: str, hosts: Sequence[str]) -> pd.DataFrame:
    """The operation's deployment locations in its host countries, every year (none without the deployments)."""
    if deployments is None:
        return pd.DataFrame(columns=["mission", "year", "countries", "troops", "source_id"])
    own = deployments[deployments["mission"] == acronym]
    return own[any_in(own["countries"], hosts).astype(bool)]


def deployments_elsewhere(deployments: pd.DataFrame | None, acronym: str, hosts: Sequence[str]) -> pd.DataFrame:
    """The operation's deployment locations outside its host countries (liaison offices, logistics bases)."""
    if deployments is None:
        return pd.DataFrame(columns=["mission", "year", "countries", "location"])
    own = deployments[deployments["mission"] == acronym]
    return own[~any_in(own["countries"], hosts).astype(bool)]


def elsewhere_note(elsewhere: pd.DataFrame) -> str:
    """How many of the operation's locations lie outside its host countries, and where: they are left out."""
    countries = sorted({country_name(code) for items in elsewhere["countries"] for code in items})
    years = years_text(elsewhere["year"].astype(int))
    return _(
        "{count} of the operation's locations in Geo-PKO lie outside its host countries ({countries}; {years}): "
        "their troops are not counted here."
    ).format(count=n(len(elsewhere)), countries=", ".join(countries), years=years)


def troops_by_year(
    deployments: pd.DataFrame | None, acronym: str, hosts: Sequence[str], years: tuple[int, int]
) -> pd.DataFrame:
    """Per year of `years`: the operation's troops summed over its locations in the host countries, its locations,
    those without a troop number, and those with UN police or military observers (`deployments.personnel_by_year`)."""
    series = personnel_by_year(deployments_in_hosts(deployments, acronym, hosts), [acronym])
    return series[series["year"].between(years[0], years[1])].reset_index(drop=True)


def _on_date(kind: str, label: str, date, text: str) -> dict:
    return {"kind": kind, "label": label, "date": date, "text": text}


def operation_markers(mission: pd.Series, mandates: pd.DataFrame | None) -> pd.DataFrame:
    """The operation's start, first POC resolution and end, each with its date (NaT where the data do not give
    one) and a text that says it: `kind`, `label`, `date`, `text`."""
    acronym = str(mission["acronym"])
    rows = []
    start, end = _("start"), _("end")
    if pd.notna(mission["start_date"]):
        started = _("{acronym} starts: {date}").format(acronym=acronym, date=mission["start_date_text"])
        rows.append(_on_date("start", start, mission["start_date"], started))
    else:
        rows.append(
            _on_date("start", start, pd.NaT, _("{acronym}'s start date is not in the data").format(acronym=acronym))
        )
    resolution = mission["first_poc_resolution"]
    if pd.isna(resolution):
        unverified = _("no first POC resolution verified in the data")
        rows.append(_on_date("poc", _("first POC resolution"), pd.NaT, unverified))
    else:
        found = (
            mandates[mandates["resolution"] == resolution] if mandates is not None else pd.DataFrame(columns=["date"])
        )
        date = found["date"].iloc[0] if not found.empty else pd.NaT
        when = written_date(date.date(), "medium") if pd.notna(date) else _("date not in the mandates data")
        mandated = _("first POC mandate: {resolution}, {when}").format(resolution=resolution, when=when)
        label = _("first POC resolution, {resolution}").format(resolution=resolution)
        rows.append(_on_date("poc", label, date, mandated))
    if pd.notna(mission["end_date"]):
        ended = _("{acronym} ends: {date}").format(acronym=acronym, date=mission["end_date_text"])
        rows.append(_on_date("end", end, mission["end_date"], ended))
    elif str(mission["status"]) == "ongoing":
        rows.append(_on_date("end", end, pd.NaT, _("{acronym} is ongoing").format(acronym=acronym)))
    else:
        rows.append(_on_date("end", end, pd.NaT, _("{acronym}'s end date is not in the data").format(acronym=acronym)))
    return pd.DataFrame(rows, columns=["kind", "label", "date", "text"])


def markers_text(markers: pd.DataFrame) -> str:
    """The operation's dates in one sentence."""
    return "; ".join(markers["text"]) + "."


def licence_text(meta: Metadata) -> str:
    """A dataset's licence as people write it: `CC BY 4.0` for the SPDX id `CC-BY-4.0`."""
    return meta.license.replace("CC-BY-", "CC BY ")


def authors_short(authors: str) -> str:
    """`Eck, Kristine and Lisa Hultman` -> `Eck and Hultman`; three or more -> `Davies et al.`."""
    first = authors.split(",")[0].strip()
    count = authors.count(",") + authors.count(" and ")
    if count <= 1:
        return first
    if count == 2 and " and " in authors:
        return f"{first} and {authors.split()[-1]}"
    return f"{first} et al."


def short_citation(meta: Metadata | None) -> str:
    """A release's name, version, first author and year, and licence, for a chart's foot: `UCDP Country-Year
    Dataset ... 25.1 (Davies et al. 2025), CC BY 4.0`."""
    if meta is None or meta.release is None:
        return _("UCDP (see Sources and data)")
    release = meta.release
    found = re.match(r"\s*([^(]+?)\s*\((\d{4})\)", release.citation)
    who = f" ({authors_short(found.group(1))} {found.group(2)})" if found else ""
    name = release.title if release.title.startswith("UCDP") else f"UCDP {release.title}"
    # GED's title names its version already ("... Global version 23.1").
    version = "" if release.version in name else f" {release.version}"
    return f"{name}{version}{who}, {licence_text(meta)}"


def credit_line(ucdp_meta: Metadata | None, deployments_meta: Metadata | None = None) -> str:
    """The sources of a chart of UCDP's counts (and of Geo-PKO's troops, when given), as its foot says them."""
    if deployments_meta is None:
        return _("Source: {citation}.").format(citation=short_citation(ucdp_meta))
    return _("Source: {citation}; troops: Geo-PKO, {licence}.").format(
        citation=short_citation(ucdp_meta), licence=deployments_meta.license.removeprefix("Cite ")
    )


def full_citation(meta: Metadata | None) -> str:
    """A release's full citation, version and licence, for a CSV's citation column and the page's foot."""
    if meta is None or meta.release is None:
        return ""
    release = meta.release
    return f"{release.citation} {release.producer}, {release.title}, version {release.version}. {licence_text(meta)}."


def presence_citation(ucdp_meta: Metadata | None, deployments_meta: Metadata | None, sources: pd.DataFrame) -> str:
    """The citation of a table of UCDP's counts and Geo-PKO's troops: UCDP's release, then Geo-PKO's source."""
    parts = [full_citation(ucdp_meta)]
    if deployments_meta is not None and deployments_meta.sources and not sources.empty:
        found = sources[sources["id"] == deployments_meta.sources[0]]
        if not found.empty:
            parts.append(_("Troops: {citation}.").format(citation=source_citation(found.iloc[0].to_dict())))
    return " ".join(part for part in parts if part)


def presence_table(killed: pd.DataFrame, troops: pd.DataFrame, *, citation: str) -> pd.DataFrame:
    """What the chart of an operation shows, one row per year: UCDP's counts and Geo-PKO's troops and locations,
    with the citation of both."""
    years = sorted({*killed["year"].astype(int).tolist(), *troops["year"].astype(int).tolist()})
    out = pd.DataFrame({"year": years})
    out = out.astype({"year": "int64"})
    out = out.merge(killed.astype({"year": "int64"}), on="year", how="left").merge(
        troops.drop(columns=["mission"]).astype({"year": "int64"}), on="year", how="left"
    )
    out = out.rename(
        columns={
            "rows": "ucdp_rows",
            "locations": "deployment_locations",
            "troops_unknown": "locations_without_troop_number",
            "police_sites": "locations_with_un_police",
            "observer_sites": "locations_with_military_observers",
        }
    )
    counts = [*KILLED_NAMES, "troops", "deployment_locations", "locations_without_troop_number"]
    counts += ["locations_with_un_police", "locations_with_military_observers"]
    for name in counts:
        out[name] = out[name].astype("Int64")
    out["citation"] = citation
    return out


def presence_view_table(table: pd.DataFrame) -> pd.DataFrame:
    """The year rows as the page shows them: readable headings, the band as `low–high`."""

    def band(kind: str) -> list[str]:
        return [
            "" if pd.isna(low) else f"{n(int(low))}–{n(int(high))}"
            for low, high in zip(table[f"{kind}_low"], table[f"{kind}_high"], strict=True)
        ]

    return pd.DataFrame(
        {
            _("Year"): table["year"],
            _("By governments"): table["government_best"],
            _("(low–high)"): band("government"),
            _("By non-state groups"): table["non_state_best"],
            _("(low–high)") + " ": band("non_state"),
            _("In state-based conflict"): table["state_based"],
            _("In non-state conflict"): table["non_state_conflict"],
            _("Troops (Geo-PKO)"): table["troops"],
            _("Locations"): table["deployment_locations"],
            _("With UN police"): table["locations_with_un_police"],
            _("With military observers"): table["locations_with_military_observers"],
            _("UCDP rows"): table["ucdp_rows"],
        }
    )


def nothing_recorded_text(acronym: str, period: str) -> str:
    """What a chart of zeros means."""
    return _(
        "UCDP records no civilian killed in {acronym}'s host countries in {period}: none it could attribute to an "
        "organized actor in violence above its thresholds."
    ).format(acronym=acronym, period=period)


def country_label(code: str) -> str:
    """A country's name as the country choice shows it."""
    return country_name(code)


def actors_cap(presentation: bool) -> int | None:
    """How many actors the chart draws: all, or on a projector the few who killed most."""
    return PRESENTED_ACTORS if presentation else None


def actors_caption(actors: pd.DataFrame, *, presentation: bool) -> str:
    """What the actors' chart shows of the actors found."""
    cap = actors_cap(presentation)
    drawn = len(actors) if cap is None else min(cap, len(actors))
    if drawn < len(actors):
        text = _("{drawn} of {count} actors drawn, most civilians killed first; all are in the table.")
    else:
        text = ngettext(
            "{count} actor, most civilians killed first.", "{count} actors, most civilians killed first.", len(actors)
        )
    how = _(
        "Each bar is UCDP's best estimate summed over the years chosen; the whisker runs from the summed low to the "
        "summed high estimate. Governments are filled, non-state groups hatched."
    )
    return f"{text.format(drawn=n(drawn), count=n(len(actors)))} {how}"


def actor_countries(one_sided: pd.DataFrame) -> dict[str, str]:
    """Country name -> ISO3 code for every country where an actor of one-sided violence killed civilians."""
    codes = {code for items in one_sided["iso3"] for code in items if code}
    return dict(sorted((country_name(code), code) for code in codes))


def one_sided_years(one_sided: pd.DataFrame) -> tuple[int, int]:
    """The first and last year of UCDP's One-sided Violence Dataset."""
    return int(one_sided["year"].min()), int(one_sided["year"].max())


def years_text(years: Iterable[int]) -> str:
    """Years as runs: `2013–2016, 2018`."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def actors_in_country(one_sided: pd.DataFrame, country: str, years: tuple[int, int]) -> pd.DataFrame:
    """The actors of one-sided violence whose rows name `country` in `years`, most civilians killed first: their
    best, low and high estimates summed over those rows, whether they are governments, the years they were active
    there, and the other countries their rows name (whose deaths the same figures include)."""
    chosen = one_sided[one_sided["year"].between(years[0], years[1])]
    chosen = chosen[any_in(chosen["iso3"], [country]).astype(bool)]
    if chosen.empty:
        return pd.DataFrame(columns=ACTOR_COLUMNS)
    rows = []
    for actor_id, group in chosen.groupby("actor_id", sort=False):
        others = sorted({code for items in group["iso3"] for code in items if code and code != country})
        rows.append(
            {
                "actor_id": int(actor_id),
                "actor_name": str(group["actor_name"].iloc[-1]),
                "government": bool(group["is_government_actor"].astype(int).max() == 1),
                "best": int(group["best_fatality_estimate"].sum()),
                "low": int(group["low_fatality_estimate"].sum()),
                "high": int(group["high_fatality_estimate"].sum()),
                "years_active": int(group["year"].nunique()),
                "years": years_text(group["year"].astype(int)),
                "other_countries": ", ".join(country_name(code) for code in others),
                "source_id": str(group["source_id"].iloc[0]),
            }
        )
    out = pd.DataFrame(rows, columns=ACTOR_COLUMNS)
    return out.sort_values(["best", "actor_name"], ascending=[False, True], kind="stable", ignore_index=True)


def actors_table(actors: pd.DataFrame) -> pd.DataFrame:
    """The actors as the page shows them."""
    return pd.DataFrame(
        {
            _("Actor"): actors["actor_name"],
            _("Government"): actors["government"].map({True: _("government"), False: _("non-state group")}),
            _("Civilians killed (best)"): actors["best"],
            _("Low"): actors["low"],
            _("High"): actors["high"],
            _("Years active"): actors["years_active"],
            _("Years"): actors["years"],
            _("Figures include killings in"): actors["other_countries"],
        }
    )


def actors_csv(actors: pd.DataFrame, *, citation: str) -> pd.DataFrame:
    """The actors as downloaded, with the release's citation."""
    out = actors.drop(columns=["source_id"])
    out["citation"] = citation
    return out


@dataclass(frozen=True)
class Compared:
    """A reported figure beside UCDP's counts: the years UCDP covers of its period, and what UCDP counts there."""

    years: list[int]
    note: str


def _figure_years(start, end, bounds: tuple[int, int]) -> Compared:
    if pd.isna(start):
        return Compared([], "no period given")
    last = end if pd.notna(end) else start
    years = [year for year in range(int(start.year), int(last.year) + 1) if bounds[0] <= year <= bounds[1]]
    if not years:
        return Compared([], f"UCDP covers {bounds[0]}–{bounds[1]} only")
    return Compared(years, years_text(years))


def cited_release(organized_violence: pd.DataFrame) -> pd.DataFrame:
    """The release's source, as a frame the sources footer reads."""
    return organized_violence[["source_id"]].drop_duplicates()


def comparison_csv(compared: pd.DataFrame, *, citation: str) -> pd.DataFrame:
    """The figures beside UCDP's counts as downloaded, with the release's citation (each figure's own source is in
    the download of the figures)."""
    return compared.assign(ucdp_citation=citation)


def ucdp_beside_figures(figures: pd.DataFrame, organized_violence: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Each reported figure of deaths or casualties (`COMPARED_MEASURES`) with UCDP's civilians killed in the same
    countries and the calendar years its period touches; `table` is `harm.harm_table` of the same figures (the
    columns the page shows them with). Figures with no country, no period or no year UCDP covers say so."""
    bounds = ucdp_years(organized_violence)
    measured = figures["measure"].astype(str).isin(COMPARED_MEASURES).to_numpy()
    figures, table = figures[measured], table[measured]
    rows = []
    for (_index, figure), shown in zip(figures.iterrows(), table.itertuples(index=False), strict=True):
        span = _figure_years(figure["period_start"], figure["period_end"], bounds)
        counts = {"UCDP years": span.note}
        places = list(figure["place"])
        found = ucdp_rows(organized_violence, places, span.years) if places and span.years else None
        if not places:
            counts["UCDP years"] = "no country given"
        elif found is not None and not found.empty:
            sums = {name: int(found[column].astype("int64").sum()) for name, column in KILLED_COLUMNS.items()}
            counts.update(
                {
                    "UCDP: one-sided violence (best, low–high)": (
                        f"{sums['one_sided_best']:,} ({sums['one_sided_low']:,}–{sums['one_sided_high']:,})"
                    ),
                    "UCDP: in state-based conflict": f"{sums['state_based']:,}",
                    "UCDP: in non-state conflict": f"{sums['non_state_conflict']:,}",
                    "UCDP: civilians in all organized violence": f"{sums['civilians_total']:,}",
                    "UCDP rows": "; ".join(sorted(set(found["country_cy"]))),
                }
            )
        elif span.years:
            counts["UCDP rows"] = "no UCDP row for these countries"
        rows.append(
            dict.fromkeys(COMPARISON_COLUMNS, "")
            | {
                "Event or series": shown[0],
                "Place": shown[1],
                "Period": shown[2],
                "Measure": shown[3],
                "Victims": shown[4],
                "Reported figure": shown[5],
                "Counted by": shown[7],
                **counts,
            }
        )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
