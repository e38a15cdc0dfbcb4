"""Transforms for the Missions and mandates page: filters, the Gantt rows, the mission brief, the resolutions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from poc_data import i18n
from poc_data.i18n import N_, _
from poc_data.schema import FIRST_YEAR, MISSION_ORGANIZATIONS, country_name, resolution_parts
from poc_data.text import md, present, source_citation
from poc_data.transform.common import active_years, any_in, cited_sources, known_end, source_titles
from poc_data.transform.harm import period_text, value_text

GANTT_CAP = 60
GANTT_ORDERS = (N_("most recent"), N_("longest"))
BRIEF_HARM_CAP = 20

HARM_RULE = N_(
    "A harm figure is linked to an operation when it concerns one of the operation's host countries during its "
    "active period (to today if it is ongoing), or when its event or the party it is attributed to names the "
    "operation (its acronym or full name)."
)

# The tables' headers, in English; shown in the session's language.
MISSION_TABLE_COLUMNS = [
    N_("Acronym"),
    N_("Name"),
    N_("Organization"),
    N_("Type"),
    N_("Hosts"),
    N_("Start"),
    N_("End"),
    N_("POC mandate"),
    N_("First POC resolution"),
    N_("Headquarters"),
]
RESOLUTION_TABLE_COLUMNS = [
    N_("Resolution"),
    N_("Date"),
    N_("Kind"),
    N_("Operations"),
    N_("Subject"),
    N_("POC language"),
    N_("Source"),
]


def countries_text(codes: Sequence[str]) -> str:
    """`['HRV', 'BIH']` -> 'Croatia (HRV), Bosnia and Herzegovina (BIH)'."""
    return ", ".join(f"{country_name(code)} ({code})" for code in codes) or _("unknown")


def mission_choices(missions: pd.DataFrame | None) -> list[str]:
    """Every operation's acronym, alphabetically, so that a link to any brief works whatever the filters."""
    return [] if missions is None else sorted(missions["acronym"], key=str.casefold)


def period_bounds(missions: pd.DataFrame | None, mandates: pd.DataFrame | None, today: dt.date) -> tuple[int, int]:
    """The years the period slider spans: from the first operation or resolution to this year."""
    firsts = []
    if missions is not None:
        firsts.append(missions["start_date"].dt.year.min())
    if mandates is not None and not mandates.empty:
        firsts.append(mandates["resolution"].map(resolution_year).min())
    known = [int(year) for year in firsts if not pd.isna(year)]
    first = min(known, default=FIRST_YEAR)
    # A slider needs two different ends.
    return min(first, today.year - 1), today.year


def file_slug(text: str) -> str:
    """A name fit for a file: `Allied Force` -> `allied-force`."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "operation"


def filter_missions(
    missions: pd.DataFrame,
    *,
    organizations: Sequence[str],
    types: Sequence[str],
    hosts: Sequence[str],
    poc_mandates: Sequence[str],
    years: tuple[int, int],
    today: dt.date,
) -> pd.DataFrame:
    """The operations of the chosen organizations, types and POC mandates, active at some time in `years`.

    No host countries chosen means every host. An operation with no known start is kept when it had not ended
    before the period; an ongoing one counts as active until today, one whose end is not stated only at its start.
    """
    span = active_years(missions, today.year)
    first, last = years
    active = (span["first"].isna() | (span["first"] <= last)) & (span["last"] >= first)
    mask = (
        missions["organization"].isin(organizations)
        & missions["type"].isin(types)
        & missions["poc_mandate"].isin(poc_mandates)
        & active.fillna(False).astype(bool)
    )
    if hosts:
        mask &= any_in(missions["host_countries"], hosts)
    return missions[mask]


def dates_text(start_text, end_text, status_as_of=None, status: str = "ongoing") -> str:
    """The active period as the source writes it: `1999-10-22 to 2005`, `since 1999-06-10 (ongoing)`."""
    start = present(start_text, _("an unknown date"))
    if pd.isna(end_text):
        if status != "ongoing":
            return _("from {start} (end not stated)").format(start=start)
        if status_as_of is None or pd.isna(status_as_of):
            return _("since {start} (ongoing: no end date given)").format(start=start)
        return _("since {start} (ongoing as of {date})").format(start=start, date=f"{status_as_of:%Y-%m-%d}")
    return _("{start} to {end}").format(start=start, end=end_text)


def _partial_note(start_text, end_text) -> str:
    """Says how a partial date is drawn, so `2005` is not read as 1 January 2005."""
    notes = []
    if isinstance(start_text, str) and len(start_text) < 10:
        notes.append(_("drawn from the start of {date}").format(date=start_text))
    if isinstance(end_text, str) and len(end_text) < 10:
        notes.append(_("drawn to the end of {date}").format(date=end_text))
    return "; ".join(notes)


@dataclass(frozen=True)
class GanttView:
    """What the Gantt draws: its rows, how many operations matched, and how many have no known start."""

    rows: pd.DataFrame
    matching: int
    undated: int

    @property
    def capped(self) -> bool:
        """Whether the chart leaves out operations that match (it draws at most the cap)."""
        return len(self.rows) < self.matching - self.undated


def gantt_rows(
    missions: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    today: dt.date,
    cap: int = GANTT_CAP,
    order: str = GANTT_ORDERS[0],
) -> GanttView:
    """One bar per operation from its start to its end, or to today if ongoing, at most `cap` of them.

    When more match, `order` keeps the most recent (latest start) or the longest. Bars are listed by organization,
    then by start. Operations without a known start cannot be drawn and are only counted.
    """
    dated = missions[missions["start_date"].notna()]
    titles = source_titles(sources)
    today_stamp = pd.Timestamp(today)
    bar_end = known_end(dated, today_stamp)
    rows = pd.DataFrame(
        {
            "acronym": dated["acronym"],
            "name": shown_names(dated),
            "organization": dated["organization"].astype(str),
            "type": dated["type"].astype(str),
            "poc_mandate": dated["poc_mandate"].astype(str),
            "bar_start": dated["start_date"],
            "bar_end": bar_end,
            "ongoing": dated["status"].astype(str) == "ongoing",
            "days": (bar_end - dated["start_date"]).dt.days,
            "dates_text": [
                dates_text(start, end, as_of, str(status))
                for start, end, as_of, status in zip(
                    dated["start_date_text"],
                    dated["end_date_text"],
                    dated["status_as_of"],
                    dated["status"],
                    strict=True,
                )
            ],
            "partial_note": [
                _partial_note(start, end)
                for start, end in zip(dated["start_date_text"], dated["end_date_text"], strict=True)
            ],
            "hosts_text": dated["host_countries"].map(countries_text),
            "source": dated["source_id"].map(lambda source_id: titles.get(source_id, source_id)),
        }
    )
    if len(rows) > cap:
        key = "bar_start" if order == GANTT_ORDERS[0] else "days"
        rows = rows.sort_values([key, "acronym"], ascending=[False, True]).head(cap)
    rank = {organization: position for position, organization in enumerate(MISSION_ORGANIZATIONS)}
    rows = rows.assign(_rank=rows["organization"].map(rank)).sort_values(["_rank", "bar_start", "acronym"])
    return GanttView(rows.drop(columns="_rank").reset_index(drop=True), len(missions), len(missions) - len(dated))


def gantt_caption(view: GanttView, order: str) -> str:
    """How to read the Gantt, and what it leaves out."""
    parts = [
        _(
            "Bars run from start to end as the source gives them; an ongoing operation runs to today (▶; the dotted "
            "line). A date given only as a month or a year is drawn over the whole month or year; hover shows it as "
            "written."
        )
    ]
    if view.capped:
        parts.append(
            _(
                "Summarised: the chart draws the {drawn} {order} of the {matching} operations that match (change this "
                "in the filters); the table below lists them all."
            ).format(
                drawn=i18n.number(len(view.rows)), order=_(order), matching=i18n.number(view.matching - view.undated)
            )
        )
    if view.undated:
        parts.append(
            _("{count} operation(s) with no known start are in the table only.").format(count=i18n.number(view.undated))
        )
    return " ".join(parts)


def kind_counts_text(resolutions: pd.DataFrame) -> str:
    """`3 resolution(s): 2 mission mandate, 1 thematic.`"""
    counts = resolutions["kind"].astype(str).value_counts()
    detail = ", ".join(
        _("{count} {kind}").format(count=i18n.number(count), kind=_(kind)) for kind, count in counts.items()
    )
    return _("{count} resolution(s): {detail}.").format(count=i18n.number(len(resolutions)), detail=detail)


def missions_table(missions: pd.DataFrame) -> pd.DataFrame:
    """The operations for display: dates as written, hosts by name, vocabulary and headers in the session's language
    (an operation's official French name in French, where the data has one)."""
    return pd.DataFrame(
        {
            "Acronym": missions["acronym"],
            "Name": shown_names(missions),
            "Organization": missions["organization"].astype(str).map(_),
            "Type": missions["type"].astype(str).map(_),
            "Hosts": missions["host_countries"].map(lambda codes: ", ".join(map(country_name, codes))),
            "Start": missions["start_date_text"].fillna(_("unknown")),
            "End": missions["end_date_text"].fillna(
                missions["status"].astype(str).map({"ongoing": _("ongoing")}).fillna(_("not stated"))
            ),
            "POC mandate": missions["poc_mandate"].astype(str).map(_),
            "First POC resolution": missions["first_poc_resolution"],
            "Headquarters": missions["hq_city"],
        },
        columns=MISSION_TABLE_COLUMNS,
    ).rename(columns=_)


def shown_names(missions: pd.DataFrame) -> pd.Series:
    """The operations' names as the session's language shows them: in French, the official French name (`name_fr`)
    where the data has one, else the name."""
    if i18n.current_language() != "fr" or "name_fr" not in missions:
        return missions["name"]
    return missions["name_fr"].where(missions["name_fr"].notna(), missions["name"])


def resolution_year(resolution: str) -> int:
    """The year in a resolution's symbol: `S/RES/1270 (1999)` -> 1999."""
    return resolution_parts(resolution)[1]


def filter_resolutions(mandates: pd.DataFrame, *, kinds: Sequence[str], years: tuple[int, int]) -> pd.DataFrame:
    """The resolutions of the chosen kinds adopted in `years` (the year in the symbol), oldest first."""
    year = mandates["resolution"].map(resolution_year)
    mask = mandates["kind"].isin(kinds) & year.between(*years)
    return mandates[mask].sort_values(["number"])


def resolutions_table(mandates: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The resolutions for display, with the POC language verbatim and the source's title."""
    titles = source_titles(sources)
    return pd.DataFrame(
        {
            "Resolution": mandates["resolution"],
            "Date": mandates["date"].dt.strftime("%Y-%m-%d"),
            "Kind": mandates["kind"].astype(str).map(_),
            "Operations": mandates["missions"].map(", ".join),
            "Subject": mandates["subject"],
            "POC language": mandates["poc_language"],
            "Source": mandates["source_id"].map(lambda source_id: titles.get(source_id, source_id)),
        },
        columns=RESOLUTION_TABLE_COLUMNS,
    ).rename(columns=_)


def _names_pattern(mission: pd.Series) -> Callable[[object], bool]:
    """Whether a text names the operation: its acronym (case as written) or its full name (any case)."""
    acronym = re.compile(rf"(?<!\w){re.escape(mission['acronym'])}(?!\w)")
    name = re.compile(rf"(?<!\w){re.escape(mission['name'])}(?!\w)", re.IGNORECASE)
    return lambda text: isinstance(text, str) and bool(acronym.search(text) or name.search(text))


def linked_harm(mission: pd.Series, harm: pd.DataFrame, *, today: dt.date) -> pd.DataFrame:
    """The harm figures linked to an operation by HARM_RULE, in date order."""
    names_it = _names_pattern(mission)
    named = harm["event"].map(names_it) | harm["attributed_to"].map(names_it)
    start = mission["start_date"]
    in_place_and_time = pd.Series(False, index=harm.index)
    if pd.notna(start):
        end = known_end(mission.to_frame().T, pd.Timestamp(today)).iloc[0]  # one row: the same rule as the Gantt
        harm_end = harm["period_end"].fillna(harm["period_start"])
        overlaps = (harm["period_start"] <= end) & (harm_end >= start)
        in_place_and_time = any_in(harm["place"], mission["host_countries"]) & overlaps
    return harm[named | in_place_and_time].sort_values(["period_start", "id"])


@dataclass
class MissionBrief:
    """Everything the one-page brief of an operation shows; a dataset that could not be loaded is None."""

    mission: pd.Series
    resolutions: pd.DataFrame | None
    milestones: pd.DataFrame | None
    harm: pd.DataFrame | None
    cited: pd.DataFrame = field(default_factory=pd.DataFrame)

    def frames(self) -> list[pd.DataFrame]:
        """What the brief cites, for the sources footer."""
        parts = [self.mission.to_frame().T, self.resolutions, self.milestones, self.harm]
        return [part for part in parts if part is not None]


def mission_brief(
    acronym: str,
    missions: pd.DataFrame,
    *,
    mandates: pd.DataFrame | None,
    milestones: pd.DataFrame | None,
    harm: pd.DataFrame | None,
    sources: pd.DataFrame,
    today: dt.date,
) -> MissionBrief | None:
    """The brief of one operation: its facts, the resolutions that list it, linked milestones and harm figures."""
    found = missions[missions["acronym"] == acronym]
    if found.empty:
        return None
    mission = found.iloc[0]
    resolutions = None if mandates is None else mandates[any_in(mandates["missions"], [acronym])].sort_values("number")
    linked_milestones = (
        None
        if milestones is None
        else milestones[any_in(milestones["missions"], [acronym])].sort_values(["year", "id"])
    )
    linked = None if harm is None else linked_harm(mission, harm, today=today)
    brief = MissionBrief(mission, resolutions, linked_milestones, linked)
    brief.cited = cited_sources(sources, *brief.frames())
    return brief


def _citation(titles: dict[str, str], source_id, detail, escape: Callable[[object], str]) -> str:
    title = titles.get(source_id, source_id)
    where = "" if pd.isna(detail) else f", {detail}"
    return escape(f"{title}{where}")


def brief_markdown(brief: MissionBrief, sources: pd.DataFrame, *, escape: Callable[[object], str] = md) -> str:
    """The brief as Markdown, data text escaped, for the screen and for download."""
    mission = brief.mission
    titles = source_titles(sources)
    facts = [
        (_("Organization"), _(mission["organization"])),
        (_("Lead state"), None if pd.isna(mission["lead_state"]) else countries_text([mission["lead_state"]])),
        (_("Type"), _(mission["type"])),
        (
            _("Dates (as written)"),
            dates_text(
                mission["start_date_text"], mission["end_date_text"], mission["status_as_of"], str(mission["status"])
            ),
        ),
        (_("Host countries"), countries_text(mission["host_countries"])),
        (_("Headquarters"), mission["hq_city"]),
        (_("POC mandate"), _(mission["poc_mandate"])),
        (_("First POC resolution"), mission["first_poc_resolution"]),
        (_("Notes"), mission["notes"]),
        (_("Source"), _citation(titles, mission["source_id"], mission["source_detail"], lambda text: text)),
    ]
    name = shown_names(mission.to_frame().T).iloc[0]
    lines = [f"### {escape(name)} ({escape(mission['acronym'])})", ""]
    lines += [
        f"- **{label}:** {escape(present(value, _('unknown')))}"
        for label, value in facts
        if label != _("Lead state") or value
    ]
    lines += ["", "#### " + _("Mandate resolutions that list it"), ""]
    lines += _resolution_lines(brief.resolutions, titles, escape)
    lines += ["", "#### " + _("Linked milestones"), ""]
    lines += _milestone_lines(brief.milestones, titles, escape)
    lines += ["", "#### " + _("Harm figures"), "", f"*{escape(_(HARM_RULE))}*", ""]
    lines += _harm_lines(brief.harm, titles, escape)
    lines += ["", "#### " + _("Sources"), ""]
    lines += [f"- {source_citation(source._asdict())}" for source in brief.cited.itertuples(index=False)] or [
        "- " + _("The bibliography could not be loaded: the source ids are given with each item.")
    ]
    return "\n".join(lines) + "\n"


def _resolution_lines(resolutions: pd.DataFrame | None, titles: dict, escape) -> list[str]:
    if resolutions is None:
        return [escape(_("The mandates dataset could not be loaded."))]
    if resolutions.empty:
        return [escape(_("No resolution in the data lists this operation."))]
    lines = []
    for row in resolutions.itertuples(index=False):
        date = _("date unknown") if pd.isna(row.date) else f"{row.date:%Y-%m-%d}"
        subject = "" if pd.isna(row.subject) else f": {row.subject.rstrip('.')}"
        line = f"- **{escape(row.resolution)}**, {escape(date)}, {escape(_(row.kind))}{escape(subject)}."
        if not pd.isna(row.poc_language):
            line += " " + _("POC language: “{quote}”").format(quote=escape(row.poc_language))
        lines.append(line + f" ({_citation(titles, row.source_id, row.source_detail, escape)})")
    return lines


def _milestone_lines(milestones: pd.DataFrame | None, titles: dict, escape) -> list[str]:
    if milestones is None:
        return [escape(_("The milestones dataset could not be loaded."))]
    if milestones.empty:
        return [escape(_("No milestone in the data names this operation."))]
    return [
        f"- **{row.year}, {escape(row.organization)}:** {escape(row.text)} "
        f"({_citation(titles, row.source_id, row.source_detail, escape)})"
        for row in milestones.itertuples(index=False)
    ]


def _harm_lines(harm: pd.DataFrame | None, titles: dict, escape) -> list[str]:
    if harm is None:
        return [escape(_("The civilian_harm dataset could not be loaded."))]
    if harm.empty:
        return [escape(_("No harm figure in the data is linked to this operation."))]
    lines = []
    for row in harm.head(BRIEF_HARM_CAP).itertuples(index=False):
        what = row.event if isinstance(row.event, str) else row.series
        place = ", ".join(map(country_name, row.place)) or present(row.place_detail, _("unknown"))
        attributed = "" if pd.isna(row.attributed_to) else _("; attributed to {party}").format(party=row.attributed_to)
        figure = escape(value_text(row.qualifier, row.value_low, row.value_high))
        about = _("{what}{attributed}; counted by {counted_by}; {citation}, tier {tier}").format(
            what=escape(present(what, _("unknown"))),
            attributed=escape(attributed),
            counted_by=escape(row.counted_by),
            citation=_citation(titles, row.source_id, row.source_detail, escape),
            tier=escape(_(row.source_tier)),
        )
        lines.append(
            f"- {escape(period_text(row.period_start_text, row.period_end_text))}, {escape(place)}, "
            f"{escape(_(row.measure))}: **{figure}** {escape(row.victims)} ({about})"
        )
    if len(harm) > BRIEF_HARM_CAP:
        lines.append(
            "- "
            + _("... and {count} more: the Civilian harm page lists them all (filter by place).").format(
                count=i18n.number(len(harm) - BRIEF_HARM_CAP)
            )
        )
    return lines
