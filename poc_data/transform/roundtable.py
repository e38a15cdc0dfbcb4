"""Transforms for the Round table page: themes with their recommendations and questions, and what informs them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from poc_data.i18n import DEFAULT_LANGUAGE, N_, _, current_language, ngettext
from poc_data.transform.common import source_titles
from poc_data.transform.harm import period_text, value_text

POC20 = "civic-2019"
IPI = "ipi-2022"
ALL_THEMES = N_("All themes")
# The recommendations and questions are the reports' own text, in English: in another interface language it says so.
VERBATIM = N_("The recommendations and questions are quoted in the reports' own words, in English.")

# How each known report's section is introduced; other sources are named by their bibliography title.
SECTION_TITLES = {
    POC20: N_("POC20 (CIVIC, 2019): themes, priority recommendations and priority questions"),
    IPI: N_("IPI (2022): recommendations for an interorganizational approach"),
}
SECTION_ORDER = (POC20, IPI)

# Where each kind of evidence can be explored further.
EVIDENCE_PAGES = {
    "milestone": "pages/1_Timeline.py",
    "mission": "pages/4_Missions_and_mandates.py",
    "mandate": "pages/4_Missions_and_mandates.py",
    "harm_figure": "pages/5_Civilian_harm.py",
}
EVIDENCE_KIND_LABELS = {
    "milestone": N_("Milestone"),
    "mission": N_("Operation"),
    "mandate": N_("Resolution"),
    "harm_figure": N_("Civilian harm"),
}
# The dataset, and its key field, that each kind of evidence points into.
EVIDENCE_DATASETS = {
    "milestone": ("milestones", "id"),
    "mission": ("missions", "acronym"),
    "mandate": ("mandates", "resolution"),
    "harm_figure": ("civilian_harm", "id"),
}
EVIDENCE_COLUMNS = ["recommendation_id", "kind", "target", "label", "reason", "source_id", "source_detail", "page"]


def section_ids(recommendations: pd.DataFrame) -> list[str]:
    """The sources of the recommendations, POC20 first, then IPI, then any other in the file's order."""
    present = list(dict.fromkeys(recommendations["source_id"].astype(str)))
    return [s for s in SECTION_ORDER if s in present] + [s for s in present if s not in SECTION_ORDER]


def _titles_of(sources: pd.DataFrame, source_ids) -> dict[str, str]:
    """Source id -> title of the given sources only: the bibliography is searched once, never turned whole into a
    dict for one look-up (at 100 times the shipped data it holds 30 000 sources)."""
    if sources.empty:
        return {}
    return source_titles(sources[sources["id"].isin(list(source_ids))])


def section_title(source_id: str, sources: pd.DataFrame) -> str:
    """The heading of a source's section: its known title, else the source's title in the bibliography."""
    if source_id in SECTION_TITLES:
        return _(SECTION_TITLES[source_id])
    return _("{title}: recommendations").format(title=_titles_of(sources, [source_id]).get(source_id, source_id))


def verbatim_note() -> str | None:
    """In an interface language other than the reports', the note that their text is quoted in English; else None."""
    return None if current_language() == DEFAULT_LANGUAGE else _(VERBATIM)


def theme_index(recommendations: pd.DataFrame) -> pd.DataFrame:
    """One row per (source, theme) in reading order: sections as in `section_ids`, themes as in the file."""
    pairs = recommendations[["source_id", "theme"]].drop_duplicates().astype(str)
    order = {source_id: position for position, source_id in enumerate(section_ids(recommendations))}
    return pairs.sort_values("source_id", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def theme_options(recommendations: pd.DataFrame) -> list[str]:
    """The choices of the theme selector: all themes, then each theme once in reading order."""
    return [ALL_THEMES, *dict.fromkeys(theme_index(recommendations)["theme"])]


def items_of(recommendations: pd.DataFrame, themes: Sequence[str]) -> pd.DataFrame:
    """The recommendations and questions of the given themes, in reading order: source, theme, kind, order."""
    index = theme_index(recommendations)
    position = {(row.source_id, row.theme): number for number, row in enumerate(index.itertuples(index=False))}
    rows = recommendations[recommendations["theme"].isin(list(themes))]
    reading = [position[pair] for pair in zip(rows["source_id"].astype(str), rows["theme"].astype(str), strict=True)]
    rows = rows.assign(_reading=reading, _kind=rows["kind"].astype(str) != "recommendation")
    return rows.sort_values(["_reading", "_kind", "order", "id"], kind="stable").drop(columns=["_reading", "_kind"])


def theme_items(recommendations: pd.DataFrame, source_id: str, theme: str) -> pd.DataFrame:
    """The recommendations and questions of one source's theme (another source may use the same heading)."""
    own = recommendations[recommendations["source_id"] == source_id]
    return items_of(own, [theme])


def chosen_themes(recommendations: pd.DataFrame, choice: str) -> pd.DataFrame:
    """The (source, theme) rows to show for the selector's choice: one theme, or every theme."""
    index = theme_index(recommendations)
    return index if choice == ALL_THEMES else index[index["theme"] == choice].reset_index(drop=True)


def chosen_items(recommendations: pd.DataFrame, choice: str) -> pd.DataFrame:
    """The recommendations and questions of the selector's choice (one theme, or every theme), in reading order."""
    return items_of(recommendations, chosen_themes(recommendations, choice)["theme"])


def recommendations_by_addressee(items: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """A theme's recommendations grouped under their addressee, in the order the addressees first appear."""
    recommendations = items[items["kind"] == "recommendation"]
    addressee = recommendations["addressee"].fillna("")
    return [(name, recommendations[addressee == name]) for name in dict.fromkeys(addressee)]


def recommendations_heading(source_id: str, addressee: str, count: int) -> str:
    """The heading over a group of recommendations, in the words of the source where it has its own (POC20); the
    addressee is the source's, as written."""
    if source_id == POC20:
        if addressee:
            return ngettext(
                "Priority recommendation to {addressee}", "Priority recommendations to {addressee}", count
            ).format(addressee=addressee)
        return ngettext("Priority recommendation", "Priority recommendations", count)
    if addressee:
        return ngettext("Recommendation to {addressee}", "Recommendations to {addressee}", count).format(
            addressee=addressee
        )
    return ngettext("Recommendation", "Recommendations", count)


def questions_heading(source_id: str, addressee: str | None) -> str:
    """The heading over a theme's questions: POC20 calls them priority questions."""
    if source_id == POC20:
        return (
            _("Priority questions for {addressee}").format(addressee=addressee)
            if addressee
            else _("Priority questions")
        )
    return _("Questions for {addressee}").format(addressee=addressee) if addressee else _("Questions")


def questions_of(items: pd.DataFrame) -> pd.DataFrame:
    """A theme's questions (kept apart from its recommendations), in order."""
    return items[items["kind"] == "question"]


def shared_addressee(items: pd.DataFrame) -> str | None:
    """The addressee all the items name, or None if they name different ones or none."""
    names = set(items["addressee"])
    if len(names) != 1:
        return None
    (name,) = names
    return name if isinstance(name, str) and name else None


def theme_groups(items: pd.DataFrame, source_id: str) -> list[tuple[str, list[str]]]:
    """A theme's items as the page lists them, each group a heading and its texts verbatim: the recommendations
    under their addressees (`recommendations_by_addressee`), then the questions."""
    groups = [
        (recommendations_heading(source_id, addressee, len(group)), group["text"].tolist())
        for addressee, group in recommendations_by_addressee(items)
    ]
    questions = questions_of(items)
    if not questions.empty:
        groups.append((questions_heading(source_id, shared_addressee(questions)), questions["text"].tolist()))
    return groups


def item_labels(items: pd.DataFrame) -> dict[str, str]:
    """Each item's short name (`item_label`) by its id."""
    return {row["id"]: item_label(row) for row in items[["id", "kind", "order"]].to_dict("records")}


def discussion_prompts(items: pd.DataFrame) -> pd.DataFrame:
    """What discussion mode shows one at a time: the questions, or the recommendations where a theme has none.

    `prompt` says which it is, so the page can tell participants they are discussing a recommendation.
    """
    questions = items[items["kind"] == "question"]
    themes_with_questions = set(questions["theme"])
    rest = items[(items["kind"] == "recommendation") & ~items["theme"].isin(themes_with_questions)]
    chosen = items[items.index.isin(questions.index.union(rest.index))]
    return chosen.assign(prompt=chosen["kind"].astype(str)).reset_index(drop=True)


def prompt_at(prompts: pd.DataFrame, number: int) -> dict:
    """Prompt `number` (1-based, kept within range) as a record, with missing values as None."""
    row = prompts.iloc[[min(max(1, number), len(prompts)) - 1]]
    return {name: (None if _missing(value) else value) for name, value in row.iloc[0].items()}


def prompt_items(prompts: pd.DataFrame, number: int) -> pd.DataFrame:
    """Prompt `number` (1-based, kept within range) as a one-row frame, for what informs it."""
    return prompts.iloc[[min(max(1, number), len(prompts)) - 1]]


def _missing(value) -> bool:
    return value is None or (not isinstance(value, list) and bool(pd.isna(value)))


def _record_label(kind: str, record: dict | None) -> str:
    """The linked record in one line, from its own fields; said to be missing when its dataset has no such record."""
    if record is None:
        return _("(the linked record is not in the data)")
    if kind == "milestone":
        return f"{record['year']}, {record['organization']}: {record['text']}"
    if kind == "mission":
        return f"{record['acronym']}: {record['name']}"
    if kind == "mandate":
        subject = record.get("subject")
        return f"{record['resolution']}: {subject}" if isinstance(subject, str) and subject else record["resolution"]
    value = value_text(record["qualifier"], record["value_low"], record["value_high"])
    when = period_text(record["period_start_text"], record.get("period_end_text"))
    return _("{event}, {when}: {value} {measure} ({victims}), counted by {counted_by}").format(
        event=record["event"],
        when=when,
        value=value,
        measure=record["measure"],
        victims=record["victims"],
        counted_by=record["counted_by"],
    )


def evidence_of(
    evidence: pd.DataFrame, item_ids: Sequence[str], records: dict[str, pd.DataFrame | None]
) -> pd.DataFrame:
    """The curated evidence links of the items (in the items' order, then the file's), each with the linked record
    in one line (`label`) and the page to explore it (`page`).

    `records` maps dataset ids (milestones, missions, mandates, civilian_harm) to their frames, or None for a dataset
    that could not be loaded: its links are kept, labelled as missing.
    """
    order = {item_id: position for position, item_id in enumerate(dict.fromkeys(item_ids))}
    links = evidence[evidence["recommendation_id"].isin(list(order))]
    links = links.assign(_order=links["recommendation_id"].map(order)).sort_values("_order", kind="stable")
    lookups = {}
    for kind, (dataset_id, key) in EVIDENCE_DATASETS.items():
        frame = records.get(dataset_id)
        if frame is not None:
            # Only the linked records become dicts: the whole dataset would cost seconds at 100 times the data.
            frame = frame[frame[key].isin(links.loc[links["kind"] == kind, "target"].tolist())]
        lookups[kind] = {} if frame is None else dict(zip(frame[key], frame.to_dict("records"), strict=True))
    rows = [
        {
            "recommendation_id": link.recommendation_id,
            "kind": link.kind,
            "target": link.target,
            "label": _record_label(link.kind, lookups[link.kind].get(link.target)),
            "reason": link.reason,
            "source_id": link.source_id,
            "source_detail": link.source_detail,
            "page": EVIDENCE_PAGES[link.kind],
        }
        for link in links.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def link_citation(link, titles: Mapping[str, str]) -> str:
    """Where an evidence link comes from: its source's title (from `titles`, source id -> title) and the place in
    it, as plain text."""
    title = titles.get(link.source_id, link.source_id)
    return f"{title}, {link.source_detail}" if pd.notna(link.source_detail) else str(title)


def link_citations(links: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """Each evidence link's citation (`link_citation`), in order, the titles looked up once for all of them."""
    titles = _titles_of(sources, links["source_id"].dropna().unique().tolist())
    return [link_citation(link, titles) for link in links.itertuples(index=False)]


def item_label(item) -> str:
    """An item's short name: its kind and order, as the source numbers them within a theme."""
    if item["kind"] == "question":
        return _("Question {order}").format(order=item["order"])
    return _("Recommendation {order}").format(order=item["order"])


# Shown through `_` (the Workshop page's choice is kept by its value).
AGENDA_PRESETS = (
    N_("POC20 priority questions"),
    N_("POC20 priority recommendations"),
    N_("IPI recommendations"),
    N_("Pick my own"),
)


def reading_order(recommendations: pd.DataFrame) -> pd.DataFrame:
    """Every recommendation and question in reading order (see `items_of`)."""
    return items_of(recommendations, theme_index(recommendations)["theme"])


def agenda_preset(recommendations: pd.DataFrame, preset: str) -> list[str]:
    """The ids a workshop agenda starts from: POC20's questions or recommendations, IPI's, or none."""
    source = recommendations["source_id"].astype(str)
    kind = recommendations["kind"].astype(str)
    chosen = {
        AGENDA_PRESETS[0]: (source == POC20) & (kind == "question"),
        AGENDA_PRESETS[1]: (source == POC20) & (kind == "recommendation"),
        AGENDA_PRESETS[2]: source == IPI,
    }.get(preset)
    return [] if chosen is None else recommendations.loc[chosen, "id"].astype(str).tolist()


def csv_of_items(items: pd.DataFrame) -> pd.DataFrame:
    """The recommendations and questions as downloaded: the dataset's own columns."""
    columns = ["id", "source_id", "theme", "kind", "addressee", "text", "order", "related_themes", "source_detail"]
    return items[columns]
