"""Exports of a workshop session: what the facilitator takes home (CSV, a Markdown report, JSON), and what
`python -m poc_data workshop export` writes."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from poc_data.i18n import N_, _, ngettext, pgettext
from poc_data.load import load
from poc_data.safe_text import markdown_line, spreadsheet_csv
from poc_data.workshop.base import AGREE, AGREE_LEVELS

CSV_COLUMNS = ["record", "item", "item_id", "item_text", "participant", "name", "vote", "note", "time"]
# The CSV's headers, in the interface's language (the columns above are the rows' keys); its record kinds too.
CSV_HEADERS = {
    "record": N_("record"),
    "item": N_("item"),
    "item_id": N_("item_id"),
    "item_text": N_("item_text"),
    "participant": N_("participant"),
    "name": N_("name"),
    "vote": N_("vote"),
    "note": N_("note"),
    "time": N_("time"),
}


def vote_text(item: dict[str, Any], value: Any) -> str:
    """A vote in words as participants saw it: an agree level's label, or a ranking by the recommendations' labels
    (`Recommendation 2 > Recommendation 1`, numbered in the item's order of options)."""
    if item["vote_kind"] == AGREE:
        return _(AGREE_LEVELS[value]) if value in AGREE_LEVELS else str(value)
    return " > ".join(option_label(item, option) for option in value)


def option_label(item: dict[str, Any], option: str) -> str:
    """How an option of an item is named to participants: an agree level, or "Recommendation N"."""
    if item["vote_kind"] == AGREE:
        return _(AGREE_LEVELS[int(option)])
    if option not in item["options"]:
        return str(option)
    return _("Recommendation {number}").format(number=item["options"].index(option) + 1)


def export_csv(exported: dict[str, Any]) -> bytes:
    """Votes and notes as one CSV (UTF-8 with a BOM, for spreadsheets); cells that could run as formulas are
    neutralised."""
    items = {item["id"]: item for item in exported["items"]}
    rows = []
    for vote in exported["votes"]:
        item = items[vote["item_id"]]
        rows.append(
            {
                "record": pgettext("workshop export", "vote"),
                "item": item["position"],
                "item_id": vote["item_id"],
                "item_text": item["text"],
                "participant": vote["participant"],
                "name": vote["name"],
                "vote": vote_text(item, vote["value"]),
                "note": None,
                "time": vote["voted_at"],
            }
        )
    for note in exported["notes"]:
        item = items[note["item_id"]]
        rows.append(
            {
                "record": pgettext("workshop export", "note"),
                "item": item["position"],
                "item_id": note["item_id"],
                "item_text": item["text"],
                "participant": note["participant"],
                "name": note["name"],
                "vote": None,
                "note": note["text"],
                "time": note["posted_at"],
            }
        )
    # In agenda order, each item's votes then its notes.
    frame = pd.DataFrame(rows, columns=CSV_COLUMNS).sort_values("item", kind="stable")
    return spreadsheet_csv(frame.rename(columns={column: _(header) for column, header in CSV_HEADERS.items()}))


def _item_kind(kind: str) -> str:
    """An item's kind (the recommendations dataset's value), as the report names it."""
    if kind == "recommendation":
        return pgettext("item kind", "Recommendation")
    return pgettext("item kind", "Question") if kind == "question" else kind


def export_json(exported: dict[str, Any]) -> bytes:
    """The whole export as JSON (UTF-8)."""
    return json.dumps(exported, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export_markdown(exported: dict[str, Any], evidence: pd.DataFrame | None = None) -> str:
    """A report: each item, its tally, the notes, and its evidence with citations.

    `evidence` holds the items' links (`recommendation_id`, `kind`, `label`, `reason`, `citation`), or is None.
    """
    session = exported["session"]
    if session["ended_at"]:
        opening = ngettext(
            "Workshop session {code}, started {started}, ended {ended}. {count} participant. Notes are the "
            "participants' own words, as typed.",
            "Workshop session {code}, started {started}, ended {ended}. {count} participants. Notes are the "
            "participants' own words, as typed.",
            session["participants"],
        )
    else:
        opening = ngettext(
            "Workshop session {code}, started {started}. {count} participant. Notes are the participants' own "
            "words, as typed.",
            "Workshop session {code}, started {started}. {count} participants. Notes are the participants' own "
            "words, as typed.",
            session["participants"],
        )
    opening = opening.format(
        code=session["code"], started=session["created_at"], ended=session["ended_at"], count=session["participants"]
    )
    lines = [f"# {markdown_line(session['title'])}", "", opening]
    for item in exported["items"]:
        lines += [
            "",
            f"## {item['position']}. {markdown_line(item['theme'])}",
            "",
            f"> {markdown_line(item['text'])}",
            "",
        ]
        kind = _item_kind(item["kind"])
        if item["addressee"]:
            kind = _("{kind} to {addressee}").format(kind=kind, addressee=item["addressee"])
        lines.append(f"*{markdown_line(kind)}*")
        rows = [row for row in exported["tally"] if row["item_id"] == item["id"]]
        ballots = rows[0]["ballots"] if rows else 0
        lines += ["", _("### Votes ({count})").format(count=ballots), ""]
        if item["vote_kind"] == AGREE:
            lines += [_("| answer | votes |"), "|---|---|"]
            lines += [f"| {option_label(item, row['option'])} | {row['votes']} |" for row in rows]
        else:
            lines += [_("| recommendation | points | first places |"), "|---|---|---|"]
            options = item.get("options_text", {})
            ranked = sorted(rows, key=lambda row: -row["points"])
            lines += [
                f"| {markdown_line(options.get(row['option'], row['option']), 200)} "
                f"| {row['points']} | {row['votes']} |"
                for row in ranked
            ]
        posted = [note for note in exported["notes"] if note["item_id"] == item["id"]]
        lines += ["", _("### Notes ({count})").format(count=len(posted)), ""]
        anonymous = _("Anonymous")
        lines += [
            f"- {markdown_line(note['text'])} ({markdown_line(note['name']) if note['name'] else anonymous})"
            for note in posted
        ] or [_("No notes.")]
        if evidence is not None:
            links = evidence[evidence["recommendation_id"] == item["id"]]
            lines += ["", _("### Evidence"), ""]
            lines += [
                _("- {record}: {reason} (source: {citation})").format(
                    record=markdown_line(link.label),
                    reason=markdown_line(link.reason),
                    citation=markdown_line(link.citation),
                )
                for link in links.itertuples(index=False)
            ] or [_("No curated evidence link.")]
    sources = ", ".join(sorted({markdown_line(i["source_id"]) for i in exported["items"]}))
    lines += ["", _("Source of each item: {sources}.").format(sources=sources)]
    return "\n".join(lines) + "\n"


def report_evidence(item_ids: Sequence[str], data_dir: str | os.PathLike | None = None) -> pd.DataFrame | None:
    """The items' evidence links with a citation each, read from the data directory; None if it cannot be read."""
    from poc_data.problems import DataError
    from poc_data.transform import roundtable as rt

    try:
        evidence = load("evidence", data_dir)
        sources = load("sources", data_dir)
    except DataError:
        return None
    records = {}
    for dataset_id, _key in rt.EVIDENCE_DATASETS.values():
        try:
            records[dataset_id] = load(dataset_id, data_dir)
        except DataError:
            records[dataset_id] = None
    links = rt.evidence_of(evidence, list(item_ids), records)
    return links.assign(citation=rt.link_citations(links, sources))
