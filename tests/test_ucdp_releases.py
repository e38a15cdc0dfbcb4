"""The UCDP releases in data/: the producer's files as released, every country coded, and bad copies reported."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter

import pytest

from poc_data.countries import UCDP_NAMES, ucdp_alpha3, ucdp_alpha3_list, ucdp_row_code
from poc_data.load import load, load_with_metadata, read_dataset
from poc_data.problems import Code
from poc_data.schema import iso3_codes
from poc_data.validate import estimate_order_warnings, read_all
from tests.conftest import REPO, VALID, data_copy

DATA = REPO / "data"
RELEASES = {
    # dataset: (rows, first year, last year, country column, year column)
    "organized_violence": (6936, 1989, 2024, "country_cy", "year_cy"),
    "one_sided_violence": (1191, 1989, 2022, "location", "year"),
}


def producer_rows(path):
    """The release read with the csv module alone, as a second reader to compare the loader with."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@pytest.mark.parametrize("dataset_id", list(RELEASES))
def test_the_shipped_file_is_the_release_its_metadata_names(dataset_id):
    frame, meta = load_with_metadata(dataset_id)
    raw = (DATA / f"{dataset_id}.csv").read_bytes()
    assert hashlib.md5(raw, usedforsecurity=False).hexdigest() == meta.release.md5
    rows, first, last, _, year = RELEASES[dataset_id]
    assert (len(frame), meta.release.rows, len(raw)) == (rows, rows, meta.release.bytes)
    assert (frame[year].min(), frame[year].max()) == (first, last)
    assert set(frame["version"]) == {meta.release.version}
    assert meta.license == "CC-BY-4.0" and meta.release.citation


@pytest.mark.parametrize(
    ("dataset_id", "measure"),
    [
        ("organized_violence", "os_total_deaths_best_cy"),
        ("organized_violence", "os_any_govt_killings_low_cy"),
        ("organized_violence", "sb_deaths_civilians_cy"),
        ("one_sided_violence", "best_fatality_estimate"),
        ("one_sided_violence", "high_fatality_estimate"),
    ],
)
def test_totals_per_year_and_rows_per_country_equal_the_producers(dataset_id, measure):
    frame = load(dataset_id)
    _, _, _, country, year = RELEASES[dataset_id]
    rows = producer_rows(DATA / f"{dataset_id}.csv")
    per_year = Counter()
    for row in rows:
        per_year[int(row[year])] += int(row[measure])
    assert frame.groupby(year)[measure].sum().to_dict() == dict(per_year)
    assert frame[country].value_counts().to_dict() == dict(Counter(row[country] for row in rows))


def test_the_2024_total_matches_the_producers_article():
    # Davies et al. (2025): "almost 160,000 deaths in organized violence in 2024": the release's three kinds, added.
    frame = load("organized_violence")
    year = frame[frame["year_cy"] == 2024]
    total = year[["sb_total_deaths_best_cy", "ns_total_deaths_best_cy", "os_total_deaths_best_cy"]].sum().sum()
    assert 155_000 < total < 165_000


@pytest.mark.parametrize("dataset_id", list(RELEASES))
def test_every_country_has_an_iso3_code(dataset_id):
    frame = load(dataset_id)
    codes = frame["iso3"].explode() if dataset_id == "one_sided_violence" else frame["iso3"]
    withdrawn = {"DDR", "CSK", "YMD"}
    assert set(codes) <= iso3_codes() | withdrawn
    if dataset_id == "one_sided_violence":
        counted = frame["location"].str.count(",") + 1
        assert (frame["iso3"].map(len) == counted).all()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("DR Congo (Zaire)", "COD"),
        ("Serbia (Yugoslavia)", "SRB"),
        ("Yemen (North Yemen)", "YEM"),
        ("Yemen (South Yemen)", "YMD"),
        ("Russia (Soviet Union)", "RUS"),
        ("Myanmar (Burma)", "MMR"),
        ("Cambodia (Kampuchea)", "KHM"),
        ("Kingdom of eSwatini (Swaziland)", "SWZ"),
        ("German Democratic Republic", "DDR"),
        ("Czechoslovakia", "CSK"),
        ("Ivory Coast", "CIV"),
        ("Kosovo", "XKX"),
        ("Central African Republic", "CAF"),
        ("Mali", "MLI"),
        ("Atlantis", None),
    ],
)
def test_ucdp_names_map_to_iso3(name, code):
    assert ucdp_alpha3(name) == code


def test_every_exception_has_a_reason_and_a_list_maps_each_country():
    assert all(code and reason for code, reason in UCDP_NAMES.values())
    assert ucdp_alpha3_list("DR Congo (Zaire), Rwanda, Uganda") == ["COD", "RWA", "UGA"]


def test_each_row_says_its_release_line():
    frame = load("one_sided_violence")
    rows = producer_rows(DATA / "one_sided_violence.csv")
    assert frame["source_detail"].iloc[0] == "OneSided_v23_1.csv, line 2"
    # Two rows of the release span two lines: the line is each row's first, as the csv module counts them.
    text = (DATA / "one_sided_violence.csv").read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    starts, previous = [], reader.line_num
    for _row in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    assert frame["source_detail"].tolist() == [f"OneSided_v23_1.csv, line {line}" for line in starts]
    assert len(rows) == len(frame)


def test_the_releases_join_the_deployments_by_country_and_year():
    violence = load("organized_violence")
    deployments = load("deployments").explode("countries")
    keys = set(zip(violence["iso3"], violence["year_cy"], strict=True))
    deployed = {(ucdp_row_code(c, y), y) for c, y in zip(deployments["countries"], deployments["year"], strict=True)}
    # Every country-year with UN peacekeepers deployed up to 2024 has a row of UCDP's; a territory UCDP counts within
    # another state (Western Sahara, Kosovo before 2008) joins that state's row.
    assert {(c, y) for c, y in deployed if y <= 2024} - keys == set()
    assert ("CAF", 2014) in keys & deployed


def test_the_producers_out_of_order_estimates_are_warnings_not_problems():
    datasets = read_all(DATA)
    assert datasets["organized_violence"].problems == []
    found = estimate_order_warnings(datasets)
    assert len([w for w in found if w.path == "one_sided_violence.csv"]) == 5
    assert all("kept as released" in w.message and w.code == Code.AS_RELEASED for w in found)


def _edit(tmp_path, dataset_id, edit):
    directory = data_copy(tmp_path)
    path = directory / f"{dataset_id}.csv"
    path.write_bytes(edit(path.read_bytes()))
    return read_dataset(dataset_id, directory).problems


def test_a_changed_byte_is_not_the_release(tmp_path):
    problems = _edit(tmp_path, "organized_violence", lambda raw: raw.replace(b"Sierra Leone", b"Sierra Leonf", 1))
    release = [p for p in problems if p.field == "release"]
    assert release and release[0].path == "organized_violence.meta.yaml"
    assert "is not the release the metadata names" in release[0].message
    assert any(p.field == "country_cy" and "no ISO 3166-1 code" in p.message for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (b",Sierra Leone,", b",Atlantis,", "country_cy", "no ISO 3166-1 code"),
        (b",Africa,", b",,", "region_cy", "required, but empty"),
    ],
)
def test_bad_rows_are_reported_on_their_line_and_field(tmp_path, old, new, field, words):
    raw = (VALID / "organized_violence.csv").read_bytes()
    line = raw[: raw.index(old)].count(b"\n") + 1
    problems = _edit(tmp_path, "organized_violence", lambda raw: raw.replace(old, new, 1))
    located = [(p.path, p.line, p.field) for p in problems if words in p.message]
    assert ("organized_violence.csv", line, field) in located


def test_a_count_that_is_not_a_number_is_reported(tmp_path):
    def edit(raw):
        rows = list(csv.reader(io.StringIO(raw.decode(), newline="")))
        rows[1][rows[0].index("os_total_deaths_best_cy")] = "many"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue().encode()

    problems = _edit(tmp_path, "organized_violence", edit)
    assert any((p.line, p.field) == (2, "os_total_deaths_best_cy") for p in problems)


def test_a_release_without_its_release_block_is_refused(tmp_path):
    directory = data_copy(tmp_path)
    meta = directory / "one_sided_violence.meta.yaml"
    text = meta.read_text(encoding="utf-8")
    start, end = text.index("release:"), text.index("fields:")
    meta.write_text(text[:start] + text[end:], encoding="utf-8")
    problems = read_dataset("one_sided_violence", directory).problems
    assert [p.field for p in problems] == ["release"]
    assert "needs a `release` block" in problems[0].message


def test_a_missing_column_of_the_release_is_named(tmp_path):
    problems = _edit(tmp_path, "one_sided_violence", lambda raw: raw.replace(b'"actor_name",', b'"actorname",', 1))
    assert any((p.line, p.field) == (1, "actor_name") and "missing field" in p.message for p in problems)
