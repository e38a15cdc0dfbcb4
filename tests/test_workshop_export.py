"""Workshop exports: CSV (BOM, neutralised formulas), Markdown report with evidence, JSON, and the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from poc_data import workshop
from poc_data.__main__ import main

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
    assert all(not cell.startswith(workshop.FORMULA_STARTS) for row in rows for cell in row.values())


def test_markdown_report_has_items_tally_notes_and_evidence(session):
    _url, code, store = session
    exported = store.export(code)
    report = workshop.export_markdown(exported, workshop.report_evidence([item["id"] for item in exported["items"]]))
    assert report.startswith("# Round table\n")
    assert "| Strongly agree | 1 |" in report and "| Disagree | 1 |" in report
    assert "### Notes (2)" in report
    assert "\\@SUM(A1) and \\[a link\\](http:\\/\\/example.org) \\<b\\>bold\\</b\\> (Anonymous)" in report
    assert "<b>" not in report and "(nan)" not in report
    assert "### Evidence" in report
    assert "DPKO/DFS release UN POC policy" in report
    assert "section II, p. 3" in report


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


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Jean-Luc's note (draft): 3.5 + 2!", "Jean-Luc's note (draft): 3.5 + 2!"),
        ("write to ann@example.org", "write to ann\\@example.org"),
        ("see https://example.org or www.example.org", "see https:\\/\\/example.org or www\\.example.org"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("*a* _b_ `c` [d] <e> | f ~g~ \\ h", "\\*a\\* \\_b\\_ \\`c\\` \\[d\\] \\<e\\> \\| f \\~g\\~ \\\\ h"),
        ("&amp; and & alone", "\\&amp; and & alone"),
        ("two\nlines", "two lines"),
    ],
)
def test_markdown_escapes_only_what_markdown_acts_on(text, quoted):
    assert workshop._quote(text) == quoted


def test_csv_gives_rankings_by_the_labels_participants_saw(session):
    _url, code, store = session
    rows = rows_of(workshop.export_csv(store.export(code)))
    ranking = [row["vote"] for row in rows if row["record"] == "vote" and row["item_id"] == RECOMMENDATION]
    assert ranking == ["Recommendation 2 > Recommendation 1"]
