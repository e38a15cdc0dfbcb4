"""The Geo-PKO importer: a small release in the producers' format converts, merges its maps and is checked."""

from __future__ import annotations

import subprocess
import sys

import pytest

import poc_data
from poc_data import geopko, validate
from poc_data.problems import Code
from tests.conftest import FIXTURES, REPO, data_copy, snapshot

RELEASES = FIXTURES / "geopko"
SMALL = RELEASES / "FrontMap_small.csv"


def run_import(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "poc_data", "import", "geo-pko", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def converted():
    rows, lines = geopko.read_release(SMALL)
    return geopko.convert(rows, lines, "FrontMap_small.csv")


def test_rows_of_the_same_location_and_year_merge_into_one_record():
    result = converted()
    assert result.problems == []
    by_id = {record["id"]: record for record in result.records}
    assert len(by_id) == 6
    sarajevo = by_id["unprofor-1994-sarajevo"]
    # Two maps: the producers' yearly average is kept; police on one map, observers on the other, a sector HQ on one.
    assert (sarajevo["troops"], sarajevo["police"], sarajevo["observers"], sarajevo["hq"]) == (700, True, True, 2)
    assert sarajevo["source_detail"] == "FrontMap_small.csv, line 3"


@pytest.mark.parametrize(
    ("record_id", "countries", "troops"),
    [
        ("unmik-2000-pristina", "XKX", 0),  # Kosovo: the user-assigned code, fixed in the importer
        ("unprofor-1995-tuzla", "BIH", None),  # NA troops: unknown, not 0
        ("unamsil-2000-freetown", "SLE", 825),
        ("unamsil-2000-freetown-2", "SLE", 100),  # the same name at other coordinates gets a numbered id
    ],
)
def test_countries_troops_and_ids(record_id, countries, troops):
    record = next(record for record in converted().records if record["id"] == record_id)
    assert (record["countries"], record["troops"]) == (countries, troops)


@pytest.mark.parametrize(
    ("name", "codes"),
    [("DRC", ("COD",)), ("Ivory Coast", ("CIV",)), ("Ethiopia/Eritrea", ("ETH", "ERI")), ("Mali", ("MLI",))],
)
def test_country_names_the_file_uses(name, codes):
    assert geopko.country_codes(name) == codes


def test_import_writes_the_dataset_and_it_passes_the_check(tmp_path):
    data_dir = data_copy(tmp_path)
    (data_dir / "deployments.csv").unlink()
    result = run_import(str(SMALL), str(data_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("wrote 6 deployments from 7 rows")
    assert (data_dir / "deployments.csv").read_text() == (FIXTURES / "valid" / "deployments.csv").read_text()
    assert poc_data.check(data_dir) == []
    assert len(poc_data.load("deployments", data_dir)) == 6


@pytest.mark.parametrize(
    ("release", "lines"),
    [
        (
            "bad_rows.csv",
            [
                "bad_rows.csv:3: country: 'Ethiopia/Eritria' is neither known to pycountry nor in "
                "geopko.COUNTRY_FIXES [constraint-error]",
                "bad_rows.csv:4: ave.no.troops: 'many' is not a number [type-error]",
            ],
        ),
        (
            "missing_column.csv",
            ["missing_column.csv:1: ave.no.troops: missing column of the Geo-PKO front-map file [missing-field]"],
        ),
    ],
)
def test_a_bad_release_is_reported_by_line_and_column_and_nothing_is_written(tmp_path, release, lines):
    data_dir = data_copy(tmp_path)
    before = snapshot(data_dir)
    result = run_import(str(RELEASES / release), str(data_dir))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for line in lines:
        assert line in result.stderr
    assert snapshot(data_dir) == before


def test_deployments_that_disagree_with_missions_are_warnings_not_problems(valid_dir):
    assert validate.warnings(valid_dir) == []
    deployments = valid_dir / "deployments.csv"
    source = "geopko-2025-frontmap-v2-3"
    deployments.write_text(
        deployments.read_text()
        + f"untso-1996-jerusalem,UNTSO,1996,Israel,ISR,Jerusalem,31.77,35.21,0,false,true,3,{source},\n"
        + f"unprofor-1996-zagreb,UNPROFOR,1996,Croatia,HRV,Zagreb,45.815,15.9819,0,false,false,3,{source},\n"
    )
    assert poc_data.check(valid_dir) == []
    messages = [(w.line, w.field, w.code, w.message) for w in validate.warnings(valid_dir)]
    assert messages == [
        (8, "mission", Code.COVERAGE, "'UNTSO' (1 rows, 1996) is not in missions.csv"),
        (9, "year", Code.COVERAGE, "1 row(s) of 'UNPROFOR' in 1996 fall after its end (1995-03-31) in missions.csv"),
    ]
