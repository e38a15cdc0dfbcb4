"""Exports of a workshop session: what the facilitator takes home (CSV, a Markdown report, JSON), and what
`python -m poc_data workshop export` writes."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from poc_data.load import load
from poc_data.safe_text import markdown_line, spreadsheet_csv
from poc_data.workshop.base import AGREE, AGREE_LEVELS

CSV_COLUMNS = ["record", "item", "item_id", "item_text", "participant", "name", "vote", "note", "time"]


def vote_text(item: dict[str, Any], value: Any) -> str:
    """A vote in words as participants saw it: an agree level's label, or a ranking by the recommendations' labels
    (`Recommendation 2 > Recommendation 1`, numbered in the item's order of options)."""
    if item["vote_kind"] == AGREE:
        return AGREE_LEVELS.get(value, str(value))
    return " > ".join(option_label(item, option) for option in value)


def option_label(item: dict[str, Any], option: str) -> str:
    """How an option of an item is named to participants: an agree level, or "Recommendation N"."""
    if item["vote_kind"] == AGREE:
        return AGREE_LEVELS[int(option)]
    return f"Recommendation {item['options'].index(option) + 1}" if option in item["options"] else str(option)


def export_csv(exported: dict[str, Any]) -> bytes:
    """Votes and notes as one CSV (UTF-8 with a BOM, for spreadsheets); cells that could run as formulas are
    neutralised."""
    items = {item["id"]: item for item in exported["items"]}
    rows = []
    for vote in exported["votes"]:
        item = items[vote["item_id"]]
        rows.append(
            {
                "record": "vote",
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
                "record": "note",
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
    return spreadsheet_csv(pd.DataFrame(rows, columns=CSV_COLUMNS).sort_values("item", kind="stable"))


def export_json(exported: dict[str, Any]) -> bytes:
    """The whole export as JSON (UTF-8)."""
    return json.dumps(exported, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export_markdown(exported: dict[str, Any], evidence: pd.DataFrame | None = None) -> str:
    """A report: each item, its tally, the notes, and its evidence with citations.

    `evidence` holds the items' links (`recommendation_id`, `kind`, `label`, `reason`, `citation`), or is None.
    """
    session = exported["session"]
    lines = [
        f"# {markdown_line(session['title'])}",
        "",
        f"Workshop session {session['code']}, started {session['created_at']}"
        + (f", ended {session['ended_at']}" if session["ended_at"] else "")
        + f". {session['participants']} participant(s). Notes are the participants' own words, as typed.",
    ]
    for item in exported["items"]:
        lines += [
            "",
            f"## {item['position']}. {markdown_line(item['theme'])}",
            "",
            f"> {markdown_line(item['text'])}",
            "",
        ]
        lines.append(
            f"*{markdown_line(item['kind'])}*"
            + (f" to {markdown_line(item['addressee'])}" if item["addressee"] else "")
        )
        rows = [row for row in exported["tally"] if row["item_id"] == item["id"]]
        ballots = rows[0]["ballots"] if rows else 0
        lines += ["", f"### Votes ({ballots})", ""]
        if item["vote_kind"] == AGREE:
            lines += ["| answer | votes |", "|---|---|"]
            lines += [f"| {row['label']} | {row['votes']} |" for row in rows]
        else:
            lines += ["| recommendation | points | first places |", "|---|---|---|"]
            options = item.get("options_text", {})
            ranked = sorted(rows, key=lambda row: -row["points"])
            lines += [
                f"| {markdown_line(options.get(row['option'], row['option']), 200)} "
                f"| {row['points']} | {row['votes']} |"
                for row in ranked
            ]
        posted = [note for note in exported["notes"] if note["item_id"] == item["id"]]
        lines += ["", f"### Notes ({len(posted)})", ""]
        lines += [
            f"- {markdown_line(note['text'])} ({markdown_line(note['name']) if note['name'] else 'Anonymous'})"
            for note in posted
        ] or ["No notes."]
        if evidence is not None:
            links = evidence[evidence["recommendation_id"] == item["id"]]
            lines += ["", "### Evidence", ""]
            lines += [
                f"- {markdown_line(link.label)}: {markdown_line(link.reason)} (source: {markdown_line(link.citation)})"
                for link in links.itertuples(index=False)
            ] or ["No curated evidence link."]
    lines += [
        "",
        f"Source of each item: {', '.join(sorted({markdown_line(i['source_id']) for i in exported['items']}))}.",
    ]
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
