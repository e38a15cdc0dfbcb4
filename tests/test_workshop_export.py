"""Workshop exports: CSV (BOM, neutralised formulas), Markdown report with evidence, JSON, and the command line."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest

from poc_data import i18n, workshop
from poc_data.__main__ import main
from poc_data.safe_text import FORMULA_STARTS, WORD_JOINER, markdown_text
from poc_data.transform.common import csv_bytes

QUESTION = "civic-2019-t1-q-1"
RECOMMENDATION = "civic-2019-t1-ms-1"
OTHER_RECOMMENDATION = "civic-2019-t1-un-1"


@pytest.fixture
def session(tmp_path):
    url = f"sqlite+pysqlite:///{tmp_path / 'w.sqlite3'}"
    store = workshop.WorkshopStore(url)
    code, key = store.create("Round table", [QUESTION, RECOMMENDATION])
    store.open_voting(code, key)
    ann = store.join(code, "=cmd|'/C calc'!A0")
    bob = store.join(code)
    store.vote(code, ann, QUESTION, 2)
    store.vote(code, bob, QUESTION, -1)
    store.note(code, ann, QUESTION, '=HYPERLINK("http://example.org","click")')
    store.note(code, bob, QUESTION, "@SUM(A1) and [a link](http://example.org) <b>bold</b>")
    store.advance(code, key)
    store.open_voting(code, key)
    store.vote(code, bob, RECOMMENDATION, [OTHER_RECOMMENDATION, RECOMMENDATION])
    yield url, code, store
    store.close()


def rows_of(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_holds_votes_and_notes_with_formulas_neutralised(session):
    _url, code, store = session
    rows = rows_of(workshop.export_csv(store.export(code)))
    assert [(row["item"], row["record"]) for row in rows] == [
        ("1", "vote"),
        ("1", "vote"),
        ("1", "note"),
        ("1", "note"),
        ("2", "vote"),
    ]
    assert rows[0]["name"] == "'=cmd|'/C calc'!A0"
    assert {row["vote"] for row in rows if row["record"] == "vote"} == {
        "Strongly agree",
        "Disagree",
        "Recommendation 2 > Recommendation 1",
    }
    notes = [row["note"] for row in rows if row["record"] == "note"]
    assert notes == [
        '\'=HYPERLINK("http://example.org","click")',
        "'@SUM(A1) and [a link](http://example.org) <b>bold</b>",
    ]
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row.values())


def test_markdown_report_has_items_tally_notes_and_evidence(session):
    _url, code, store = session
    exported = store.export(code)
    report = workshop.export_markdown(exported, workshop.report_evidence([item["id"] for item in exported["items"]]))
    assert report.startswith("# Round table\n")
    assert "| Strongly agree | 1 |" in report and "| Disagree | 1 |" in report
    assert "### Notes (2)" in report
    note = f"{WORD_JOINER}@SUM\\(A1\\) and \\[a link\\]\\(http\\:{WORD_JOINER}//example\\.org\\) \\<b\\>bold\\</b\\>"
    assert f"\n- {note} (Anonymous)\n" in report
    assert "<b>" not in report and "(nan)" not in report
    assert "### Evidence" in report
    assert "DPKO/DFS release UN POC policy" in report
    assert "section II, p\\. 3" in report  # as a page shows it: escaped, read as written


def test_json_export_is_the_whole_session_without_participant_ids(session):
    _url, code, store = session
    exported = json.loads(workshop.export_json(store.export(code)))
    assert set(exported) == {"session", "items", "tally", "votes", "notes"}
    assert len(exported["votes"]) == 3 and len(exported["notes"]) == 2
    assert all("participant_id" not in note for note in exported["notes"])


@pytest.mark.parametrize(("fmt", "start"), [("csv", b"\xef\xbb\xbfrecord,"), ("md", b"# Round table"), ("json", b"{")])
def test_command_line_export(session, capsysbinary, fmt, start):
    url, code, _store = session
    assert main(["workshop", "export", code.lower(), "--db", url, "--format", fmt]) == 0
    assert capsysbinary.readouterr().out.startswith(start)


def test_command_line_export_to_a_file(session, tmp_path):
    url, code, _store = session
    target = tmp_path / "out.csv"
    assert main(["workshop", "export", code, "--db", url, "--output", str(target)]) == 0
    assert len(rows_of(target.read_bytes())) == 5


def test_command_line_export_of_an_unknown_code_says_so(session, capsys):
    url, _code, _store = session
    assert main(["workshop", "export", "ZZZZZZ", "--db", url]) == 1
    assert "no session with this code" in capsys.readouterr().err


# Outside text as a participant or a data file may hold it, with whether a spreadsheet would run it as a formula and
# what a Markdown renderer would still read in it once the escapes are read (None: nothing beyond the escapes).
HOSTILE = [
    ("=cmd|'/C calc'!A0", True, None),
    ('=HYPERLINK("http://example.org","click")', True, re.compile(r"https?://")),
    ("+1+1", True, None),
    ("-2+3", True, None),
    ("@SUM(A1)", True, None),
    ("\t=1+1", True, None),
    ("\r=1+1", True, None),
    ("write to ann@example.org", False, re.compile(r"\w@")),
    ("see https://example.org or www.example.org", False, re.compile(r"https?://|www\.", re.IGNORECASE)),
    ("![x](http://example.com/track.png) [link](javascript:alert(1))", False, re.compile(r"https?://")),
    (":red[alarm] :material/warning: :smile:", False, re.compile(r":[\w/]+:")),
    ("$\\frac{1}{2}$ and $$x$$", False, None),
    ("<img src=x> &amp; &#60;b&#62;", False, None),
    ("**bold** _it_ `code` ~~gone~~ | a | b |", False, None),
    ("# not a heading", False, None),
    ("1. not a list", False, None),
    ("> not a quote", False, None),
    ("two\nlines\n===\n- and a list", False, None),
    ("Jean-Luc's note (draft): 3.5 + 2!", False, None),
]
# Every character Markdown gives a meaning to in some position, each of which must reach the report escaped.
MARKDOWN_SPECIALS = "`*_{}[]<>()#+-.!|~$:&="


def hostile_export(session, text: str) -> dict:
    """A real session's export with `text` in every place outside text reaches: the item's theme and text (from the
    data files) and a note and its author's name (from a participant), as they are before the store cleans them."""
    _url, code, store = session
    exported = store.export(code)
    exported["items"][0].update(theme=text, text=text)
    exported["notes"] = [{**exported["notes"][0], "text": text, "name": text}]
    exported["votes"] = []
    return exported


@pytest.mark.parametrize(("text", "formula", "_read"), HOSTILE)
def test_a_workshop_csv_and_a_page_download_neutralise_the_same_cells(session, text, formula, _read):
    rows = rows_of(workshop.export_csv(hostile_export(session, text)))
    (page_cell,) = [row["text"] for row in rows_of(csv_bytes(pd.DataFrame({"text": [text]})))]
    expected = "'" + text if formula else text
    assert page_cell == expected
    assert [(row["item_text"], row["name"], row["note"]) for row in rows] == [(expected, expected, expected)]


@pytest.mark.parametrize(("text", "_formula", "read"), HOSTILE)
def test_a_workshop_report_escapes_outside_text_as_the_pages_do(session, text, _formula, read):
    report = workshop.export_markdown(hostile_export(session, text))
    on_one_line = text.replace("\r", " ").replace("\n", " ")
    shown = markdown_text(on_one_line)  # what a page shows of the same text
    assert f"\n- {shown} ({shown})\n" in report
    assert f"\n## 1. {shown}\n" in report and f"\n> {shown}\n" in report
    # Each special character escaped (a backslash by another); without the escapes and the word joiners, the text.
    for special in MARKDOWN_SPECIALS:
        assert not re.search(rf"(?<!\\){re.escape(special)}", shown.replace("\\\\", "")), special
    assert re.sub(r"\\(.)", r"\1", shown.replace(WORD_JOINER, "")) == on_one_line
    if read is not None:  # links, addresses, icons and emoji are found once the escapes are read
        assert not read.search(shown.replace("\\", ""))


def test_csv_gives_rankings_by_the_labels_participants_saw(session):
    _url, code, store = session
    rows = rows_of(workshop.export_csv(store.export(code)))
    ranking = [row["vote"] for row in rows if row["record"] == "vote" and row["item_id"] == RECOMMENDATION]
    assert ranking == ["Recommendation 2 > Recommendation 1"]


def test_the_exports_framing_words_and_headers_are_in_the_sessions_language(session):
    """In French: the CSV's headers and the votes' words, the report's headings and sentences; participants' text and
    the recommendations' own text stay as they are."""
    _url, code, store = session
    exported = store.export(code)
    with i18n.language("fr"):
        rows = rows_of(workshop.export_csv(exported))
        report = workshop.export_markdown(exported, None)
    headers = ["enregistrement", "point", "id_point", "texte_point", "participant", "nom", "vote", "note", "heure"]
    assert list(rows[0]) == headers
    assert {row["vote"] for row in rows if row["vote"]} == {
        "Tout à fait d'accord",
        "Pas d'accord",
        "Recommandation 2 > Recommandation 1",
    }
    assert "### Votes (" in report and "| réponse | votes |" in report and "| Tout à fait d'accord | 1 |" in report
    assert "Séance d'atelier " in report and "Les notes sont les mots des participants" in report
    for english in ("Workshop session", "| answer |", "Strongly agree", "Source of each item", "Anonymous"):
        assert english not in report
    assert all(item["text"][:40] in report.replace("\\", "") for item in exported["items"])
