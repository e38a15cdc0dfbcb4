"""The UCDP events: the GED importer on good and bad releases, the checks of the shipped file, queries, distances."""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
import sys
import zipfile

import duckdb
import pandas as pd
import pytest

import poc_data
from poc_data import events
from tests.conftest import FIXTURES, REPO, data_copy, snapshot

RELEASES = FIXTURES / "ucdp"
SMALL = RELEASES / "GEDEvent_v23_1.csv"


def run_import(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "poc_data", "import", "ucdp-ged", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


@pytest.fixture
def imported(tmp_path):
    """A data directory with the small release imported."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    events.import_ged(SMALL, data_dir)
    return data_dir


def parquet_rows(data_dir) -> pd.DataFrame:
    with duckdb.connect() as connection:
        return connection.execute(f"SELECT * FROM read_parquet('{data_dir / events.DATA_FILE}') ORDER BY id").df()


def test_a_release_converts_with_its_types_and_metadata(imported):
    frame = parquet_rows(imported)
    assert list(frame.columns) == [column.name for column in events.COLUMNS]
    assert len(frame) == 7
    first = frame.set_index("id").loc[36210]
    assert (first["latitude"], first["longitude"], first["iso3"]) == (5.399784, 26.486881, "CAF")
    assert str(first["date_start"].date()) == "2009-02-20"
    assert pd.isna(first["number_of_sources"])  # -1 in the release: not recorded
    assert first["relid"] is None
    meta = events.EventsMetadata.model_validate(events._previous(imported))
    assert (meta.release.version, meta.release.file, meta.content.rows) == ("23.1", "GEDEvent_v23_1.csv", 7)
    assert meta.sources == ["ucdp-2023-ged-23-1"]
    assert [(c.name, c.iso3, c.events) for c in meta.content.countries] == [("Central African Republic", "CAF", 7)]
    # The one event UCDP released with its estimates out of order (low 8, best 8, high 4) is kept and listed.
    assert [(w.code, w.ids) for w in meta.content.warnings] == [("estimates_out_of_order", [30272])]
    assert events.events_problems(imported) == []


def test_the_rows_are_those_of_the_csv_with_a_text_over_two_lines(imported):
    with SMALL.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any("\n" in row["source_original"] for row in rows)  # event 149666, a column not kept
    frame = parquet_rows(imported)
    expected = sorted((int(row["id"]), row["source_article"], int(row["best"])) for row in rows)
    assert list(zip(frame["id"], frame["source_article"], frame["best"], strict=True)) == expected


@pytest.mark.parametrize(
    ("release", "lines"),
    [
        ("bad_type.csv", ["bad_type.csv:3: best: 'many' is not a whole number [type-error]"]),
        ("bad_coordinate.csv", ["bad_coordinate.csv:4: latitude: 95.1 is outside -90 to 90 [constraint-error]"]),
        (
            "unknown_country.csv",
            [
                "unknown_country.csv:2: country: 'Central African Republik' is a country neither ISO 3166 "
                "(pycountry) nor countries.UCDP_NAMES knows [constraint-error]"
            ],
        ),
        (
            "missing_column.csv",
            ["missing_column.csv:1: deaths_civilians: missing column of the GED release [missing-field]"],
        ),
        (
            "not_csv.csv",
            ["not_csv.csv:1: (file): not a GED release CSV: line 1 names none of its columns [format-error]"],
        ),
        (
            "bad_rows.csv",
            [
                "bad_rows.csv:2: date_end: 2009-02-19 is before date_start 2009-02-20 [row-constraint-error]",
                "bad_rows.csv:3: where_prec: 9 is outside 1 to 7 [constraint-error]",
                "bad_rows.csv:7: deaths_civilians: -2 is below 0 [constraint-error]",
                "bad_rows.csv:8: id: 36210 is also the id on line 2 [unique-error]",
                "bad_rows.csv:9: date_start: '2014-02-30 00:00:00.000' is not a date [type-error]",
            ],
        ),
    ],
)
def test_a_bad_release_is_reported_by_line_and_field_and_nothing_is_written(tmp_path, release, lines):
    data_dir = data_copy(tmp_path)
    before = snapshot(data_dir)
    result = run_import(str(RELEASES / release), str(data_dir), "--release", "23.1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    reported = [line.removeprefix("tests/fixtures/ucdp/") for line in result.stderr.splitlines()]
    assert reported == [*lines, "error: the release cannot be converted; nothing was written"]
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("best", "3.5", "'3.5' is not a whole number"),  # DuckDB's own cast would round it to 4
        ("latitude", "nan", "'nan' is not a number"),
        ("active_year", "2", "'2' is not 0 or 1"),
        ("id", "0x10", "'0x10' is not a whole number"),
        ("type_of_violence", "4", "4 is outside 1 to 3"),
        ("low", "-1", "-1 is below 0"),
        ("date_prec", "", "required, but empty"),
        ("number_of_sources", "2.5", "'2.5' is not a whole number"),  # may be empty, but not this
    ],
)
def test_values_the_casts_would_take_are_refused(tmp_path, cell, value, message):
    lines = SMALL.read_text().split("\n")
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index(cell)] = value
    release = tmp_path / "GEDEvent_v23_1.csv"
    release.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]))
    with pytest.raises(events.ReleaseError) as raised:
        events.import_ged(release, tmp_path)
    assert [str(p).split(": ", 1)[1] for p in raised.value.problems] == [f"{cell}: {message}"]
    assert not (tmp_path / events.DATA_FILE).exists()


def test_the_geojson_copy_converts_with_coordinates_from_its_geometry_and_no_relid(tmp_path):
    imported = events.import_ged(RELEASES / "GEDEvent_v23_1_sample.geojson", tmp_path)
    assert (imported.rows, imported.version) == (2, "23.1")
    frame = parquet_rows(tmp_path)
    assert list(frame["id"]) == [33542, 36210]
    assert frame["relid"].isna().all()
    assert (frame.loc[1, "latitude"], frame.loc[1, "longitude"]) == (5.399784, 26.486881)
    meta = events.EventsMetadata.model_validate(events._previous(tmp_path))
    assert meta.content.relid_known is False
    assert "point geometry" in meta.notes
    assert events.events_problems(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("DR Congo (Zaire)", "COD"),
        ("Serbia (Yugoslavia)", "SRB"),
        ("Yemen (North Yemen)", "YEM"),
        ("Yemen (South Yemen)", "YMD"),  # ended in 1990: its withdrawn ISO code
        ("Russia (Soviet Union)", "RUS"),
        ("Kosovo", "XKX"),
        ("Myanmar (Burma)", "MMR"),
    ],
)
def test_ucdp_country_names_get_their_iso3_code(tmp_path, name, code):
    lines = SMALL.read_text().split("\n")
    release = tmp_path / "GEDEvent_v23_1.csv"
    release.write_text("\n".join([lines[0], lines[1].replace("Central African Republic", name), *lines[2:]]))
    events.import_ged(release, tmp_path)
    frame = parquet_rows(tmp_path).set_index("id")
    assert (frame.loc[36210, "country"], frame.loc[36210, "iso3"]) == (name, code)
    meta = events.EventsMetadata.model_validate(events._previous(tmp_path))
    assert {(entry.name, entry.iso3) for entry in meta.content.countries} >= {(name, code)}
    assert events.events_problems(tmp_path) == []


def test_low_above_best_is_kept_with_a_warning_as_ucdp_releases_such_events(tmp_path):
    data_dir = data_copy(tmp_path)
    shutil.copy(RELEASES / "low_above_best.csv", tmp_path / "GEDEvent_v23_1.csv")
    result = run_import(str(tmp_path / "GEDEvent_v23_1.csv"), str(data_dir))
    assert "2 event(s) with estimates out of order" in result.stdout
    assert "ids 30272, 36210" in result.stdout
    meta = events.EventsMetadata.model_validate(events._previous(data_dir))
    assert meta.content.warnings[0].ids == [30272, 36210]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda lines: [*lines[:3], lines[3] + b",extra", *lines[4:]], "4: (file): 50 values, but the header has 49"),
        (lambda lines: [*lines[:3], b"1,2,3", *lines[4:]], "4: (file): 3 values, but the header has 49"),
        (
            lambda lines: [*lines[:2], lines[2].replace(b"Uganda", b"Ug\xe9anda"), *lines[3:]],
            "3: (file): not UTF-8: byte 0xe9 cannot be decoded",
        ),
        (lambda lines: [line.rstrip(b"\r") + b"\r" for line in lines], None),  # CRLF: a good file
    ],
)
def test_malformed_rows_and_bytes_are_found_on_their_line(tmp_path, change, message):
    release = tmp_path / "GEDEvent_v23_1.csv"
    release.write_bytes(b"\n".join(change(SMALL.read_bytes().split(b"\n"))))
    if message is None:
        assert events.import_ged(release, tmp_path).rows == 7
        return
    with pytest.raises(events.ReleaseError) as raised:
        events.import_ged(release, tmp_path)
    assert [str(problem) for problem in raised.value.problems] == [f"{release}:{message}"]
    assert not (tmp_path / events.DATA_FILE).exists()


def test_a_zip_and_a_file_without_a_release_name_are_refused(tmp_path):
    archive = tmp_path / "ged231-csv.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(SMALL, SMALL.name)
    with pytest.raises(events.ReleaseError, match="a zip archive: unzip it"):
        events.import_ged(archive, tmp_path)
    unnamed = tmp_path / "events.csv"
    shutil.copy(SMALL, unnamed)
    with pytest.raises(events.ReleaseError, match="cannot tell the GED release"):
        events.import_ged(unnamed, tmp_path)
    assert events.import_ged(unnamed, tmp_path, version="23.1").rows == 7


def test_the_cli_writes_the_events_and_says_the_source_is_missing(tmp_path):
    data_dir = data_copy(tmp_path)
    result = run_import(str(SMALL), str(data_dir))
    assert "wrote 7 events of GED 23.1" in result.stdout
    if "ucdp-2023-ged-23-1" in (data_dir / "sources.yaml").read_text():
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        assert result.returncode == 1
        assert "metadata lists unknown source 'ucdp-2023-ged-23-1'" in result.stdout


def test_check_reports_a_broken_events_file_and_the_other_datasets_still_load(tmp_path):
    data_dir = data_copy(tmp_path)
    events.import_ged(SMALL, data_dir)
    (data_dir / events.DATA_FILE).write_bytes(b"PAR1 this is not parquet PAR1")
    problems = [str(problem) for problem in poc_data.check(data_dir)]
    assert any(line.startswith("violence_events.parquet:1: (file): md5 ") for line in problems)
    assert any("not a Parquet file DuckDB can read" in line for line in problems)
    assert len(poc_data.load("missions", data_dir)) > 0


def test_no_events_file_is_fine_but_metadata_without_it_is_not(tmp_path, imported):
    assert events.events_problems(tmp_path / "nothing") == []
    (imported / events.DATA_FILE).unlink()
    assert [p.message for p in events.events_problems(imported)] == ["file not found (the metadata describes it)"]


def rewrite(data_dir, sql: str) -> None:
    """Change the events file with SQL, as a hand edit would."""
    path = data_dir / events.DATA_FILE
    with duckdb.connect() as connection:
        query = sql.format(events=f"read_parquet('{path}')")
        connection.execute(f"COPY ({query}) TO '{path}.new' (FORMAT parquet)")
    (data_dir / f"{events.DATA_FILE}.new").replace(path)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT * REPLACE (CASE WHEN id = 36210 THEN 95.5 ELSE latitude END AS latitude) FROM {events}",
            "violence_events.parquet:1: latitude: 1 row(s), the first event 36210: 95.5 is outside -90 to 90",
        ),
        (
            "SELECT * REPLACE (CASE WHEN id = 36210 THEN 'ZZZ' ELSE iso3 END AS iso3) FROM {events}",
            "violence_events.parquet:1: iso3: 1 row(s), the first event 36210: 'ZZZ' is not an ISO 3166-1 alpha-3 code",
        ),
        ("SELECT * FROM {events} WHERE id <> 36210", "records 7 rows, the file has 6"),
        ("SELECT * EXCLUDE (adm_2) FROM {events}", "violence_events.parquet:1: adm_2: missing column"),
        (
            "SELECT * REPLACE (CAST(year AS VARCHAR) AS year) FROM {events}",
            "violence_events.parquet:1: year: of type VARCHAR, expected INTEGER",
        ),
        (
            "SELECT * REPLACE (CASE WHEN id = 36210 THEN 4 ELSE deaths_civilians END AS deaths_civilians) "
            "FROM {events}",
            "totals per year differ from the file's: records {'year': 2009",
        ),
    ],
)
def test_events_problems_find_a_changed_file(imported, sql, expected):
    rewrite(imported, sql)
    found = [str(problem) for problem in events.events_problems(imported)]
    assert any(expected in line for line in found), found
    assert any("changed since its import" in line for line in found)


def test_the_metadata_is_checked(imported):
    meta = imported / events.META_FILE
    meta.write_text(meta.read_text().replace("content:\n  rows: 7\n", "content:\n  rows: seven\n"))
    (problem,) = events.events_problems(imported)
    assert problem.path == "violence_events.meta.yaml" and problem.field == "content"
    meta.write_text(meta.read_text().replace("rows: seven\n", "rows: 7\n") + "unknown_key: 1\n")
    assert "Extra inputs are not permitted" in str(events.events_problems(imported))


def test_queries(imported):
    assert events.event_years(imported) == [2009, 2011, 2014, 2017]
    countries = events.countries_with_events(imported)
    assert countries.to_dict("records") == [
        {
            "iso3": "CAF",
            "country": "Central African Republic",
            "events": 7,
            "deaths_civilians": int(parquet_rows(imported)["deaths_civilians"].sum()),
            "best": int(parquet_rows(imported)["best"].sum()),
            "first_year": 2009,
            "last_year": 2017,
        }
    ]
    in_2009 = events.events_in(imported, "CAF", 2009)
    assert list(in_2009.columns) == list(events.MAP_COLUMNS)
    assert list(in_2009["id"]) == [36210, 36367]
    assert events.events_in(imported, "MLI", 2009).empty
    by_year = events.civilian_deaths_by_year(imported, "CAF")
    frame = parquet_rows(imported)
    expected = frame.groupby(["year", "type_of_violence"]).agg(
        events=("id", "size"), deaths_civilians=("deaths_civilians", "sum"), low=("low", "sum"), high=("high", "sum")
    )
    got = by_year.set_index(["year", "type_of_violence"])[["events", "deaths_civilians", "low", "high"]]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_queries_on_a_missing_file_raise_a_data_error(tmp_path):
    with pytest.raises(poc_data.DataError):
        events.events_in(tmp_path, "CAF", 2014)


# One degree of a great circle on the mean Earth (6371.0088 km) is 111.19508 km.
DEGREE_KM = math.pi * events.EARTH_RADIUS_KM / 180


@pytest.mark.parametrize(
    ("event", "location", "km"),
    [
        ((0.0, 0.0), (0.0, 1.0), DEGREE_KM),  # along the equator
        ((10.0, 20.0), (11.0, 20.0), DEGREE_KM),  # along a meridian
        ((60.0, 0.0), (60.0, 180.0), 60 * DEGREE_KM),  # over the pole
        ((0.0, 179.5), (0.0, -179.5), DEGREE_KM),  # across the date line
        ((4.3612, 18.5550), (4.3612, 18.5550), 0.0),  # the same point (Bangui)
        ((0.0, 0.0), (0.0, 180.0), 180 * DEGREE_KM),  # antipodes
    ],
)
def test_nearest_location_km_is_the_great_circle_distance(event, location, km):
    events_frame = pd.DataFrame({"latitude": [event[0]], "longitude": [event[1]]})
    locations = pd.DataFrame({"lat": [location[0]], "lon": [location[1]]})
    assert events.nearest_location_km(events_frame, locations)[0] == pytest.approx(km, abs=1e-6)


def test_deaths_near_counts_within_each_radius():
    # A location on the equator; events 24.9, 25.1, 49.9 and 60 km east of it, and one at 10 km from a second one.
    kilometre = 1 / DEGREE_KM
    frame = pd.DataFrame(
        {
            "latitude": [0.0, 0.0, 0.0, 0.0, 10.0],
            "longitude": [24.9 * kilometre, 25.1 * kilometre, 49.9 * kilometre, 60 * kilometre, 30 + 10 * kilometre],
            "deaths_civilians": [1, 10, 100, 1000, 5],
        }
    )
    locations = pd.DataFrame({"lat": [0.0, 10.0], "lon": [0.0, 30.0]})
    near = events.deaths_near(frame, locations)
    assert near.to_dict("records") == [
        {"radius_km": 25, "events": 2, "deaths_civilians": 6, "all_events": 5, "all_deaths_civilians": 1116},
        {"radius_km": 50, "events": 4, "deaths_civilians": 116, "all_events": 5, "all_deaths_civilians": 1116},
    ]
    assert events.deaths_near(frame, locations.iloc[0:0])["events"].tolist() == [0, 0]
    assert events.deaths_near(frame.iloc[0:0], locations)["all_events"].tolist() == [0, 0]


SHIPPED = REPO / "data"


def test_the_shipped_events_pass_their_checks():
    assert events.events_problems(SHIPPED, source_ids=None) == []
    meta = events.EventsMetadata.model_validate(events._previous(SHIPPED))
    assert (meta.release.version, meta.release.md5) == ("23.1", "1bb2843e9fabdd020a15122f085f860b")
    assert meta.release.copy_of.repository == "optgeo/ucdp-23.1-482"
    assert (meta.content.rows, meta.content.first_year, meta.content.last_year) == (1848, 1991, 2022)
    assert meta.content.relid_known is False


def test_the_shipped_events_equal_the_producers_copy_year_by_year():
    """Totals per year against those computed from the GeoJSON copy with Python's json module (the fixture)."""
    with (RELEASES / "ged231_car_by_year.csv").open(newline="") as handle:
        expected = [{name: int(value) for name, value in row.items()} for row in csv.DictReader(handle)]
    frame = parquet_rows(SHIPPED)
    found = (
        frame.groupby("year")
        .agg(
            events=("id", "size"),
            deaths_civilians=("deaths_civilians", "sum"),
            best=("best", "sum"),
            low=("low", "sum"),
            high=("high", "sum"),
        )
        .reset_index()
    )
    assert [{k: int(v) for k, v in row.items()} for row in found.to_dict("records")] == expected
    assert sum(row["events"] for row in expected) == 1848
    assert set(frame["iso3"]) == {"CAF"}


def test_the_shipped_one_sided_events_add_up_to_ucdps_one_sided_dataset():
    """Each actor-year of UCDP's One-sided Violence Dataset 23.1 located in the Central African Republic alone is the
    sum of the GED 23.1 one-sided events of that actor and year."""
    with (RELEASES / "onesided_v23_1_car_only.csv").open(newline="", encoding="utf-8") as handle:
        published = list(csv.DictReader(handle))
    frame = parquet_rows(SHIPPED)
    sums = frame[frame["type_of_violence"] == 3].groupby(["side_a_new_id", "year"])[["best", "low", "high"]].sum()
    assert len(published) == 38
    for row in published:
        key = (int(row["actor_id"]), int(row["year"]))
        estimates = [int(row[f"{name}_fatality_estimate"]) for name in ("best", "low", "high")]
        assert sums.loc[key].tolist() == estimates, row["actor_name"]


def test_the_shipped_events_join_the_deployments_by_country_and_year():
    deployments = poc_data.load("deployments", SHIPPED)
    minusca = deployments[(deployments["mission"] == "MINUSCA") & (deployments["year"] == 2017)]
    assert not minusca.empty and all("CAF" in countries for countries in minusca["countries"])
    near = events.deaths_near(events.events_in(SHIPPED, "CAF", 2017), minusca)
    assert near["all_events"].tolist() == [220, 220]
    assert 0 < near.loc[0, "deaths_civilians"] <= near.loc[1, "deaths_civilians"] <= near.loc[0, "all_deaths_civilians"]


def test_every_column_is_documented():
    section = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8").split("### violence_events", 1)[1]
    section = " ".join(section.split("\n### ", 1)[0].split())
    assert [column.name for column in events.COLUMNS if f"`{column.name}`" not in section] == []


def test_the_apps_check_is_done_again_when_the_events_change(monkeypatch, tmp_path):
    from poc_data.ui import data as ui_data

    data_dir = data_copy(tmp_path)
    monkeypatch.setenv("POC_DATA_DIR", str(data_dir))
    without = ui_data._stamp()
    events.import_ged(SMALL, data_dir)
    imported = ui_data._stamp()
    meta = data_dir / events.META_FILE
    meta.write_text(meta.read_text().replace("rows: 7", "rows: 8", 1))
    assert len({without, imported, ui_data._stamp()}) == 3
    assert ui_data._stamp("missions") == ui_data._stamp("missions")
