"""UCDP's Georeferenced Event Dataset (GED) as the `violence_events` dataset: import, checks and queries (DuckDB)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pycountry
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from poc_data.countries import UCDP_NAMES, ucdp_alpha3
from poc_data.load import WHOLE_FILE, FileRefused, error_code, load_yaml, read_file_bytes, regular_file
from poc_data.problems import Code, DataError, Problem, display_path
from poc_data.schema import FieldMeta, Release, ReleaseCopy, iso3_codes

DATASET_ID = "violence_events"
DATA_FILE = f"{DATASET_ID}.parquet"
META_FILE = f"{DATASET_ID}.meta.yaml"
# The full GED release is about 250 MB of CSV; its Parquet about a fifth of that.
MAX_RELEASE_BYTES = 2 * 1024**3
MAX_PARQUET_BYTES = 512 * 1024**2
# Rows with problems listed one by one; the rest are counted.
MAX_LISTED = 200
COMPRESSION = "zstd, COMPRESSION_LEVEL 1"
# Rows of the slower second pass that looks for the lines of bad rows, taken at a time.
CHUNK_ROWS = 50_000
EARTH_RADIUS_KM = 6371.0088  # the mean Earth radius (IUGG)
FIRST_GED_YEAR = 1989
RELEASE_NAME = re.compile(r"GEDEvent_v(\d+)_(\d+)", re.IGNORECASE)
PRODUCER = "Uppsala Conflict Data Program (UCDP), Department of Peace and Conflict Research, Uppsala University"
PRODUCER_URL = "https://ucdp.uu.se/downloads/"
LICENSE = "CC BY 4.0"
CITATION = (
    "Sundberg, Ralph and Erik Melander (2013). Introducing the UCDP Georeferenced Event Dataset. Journal of Peace "
    "Research 50(4): 523-532. For version 23.1: Davies, Shawn, Therése Pettersson and Magnus Öberg (2023). Organized "
    "violence 1989–2022, and the return of conflict between states. Journal of Peace Research 60(4)."
)

# The columns of a GED release CSV (GEDEvent_vXX_X.csv), in the producer's order.
GED_COLUMNS = (
    "id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id conflict_name "
    "dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a side_b_dset_id side_b_new_id side_b "
    "number_of_sources source_article source_office source_date source_headline source_original where_prec "
    "where_coordinates where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country country_id "
    "region event_clarity date_prec date_start date_end deaths_a deaths_b deaths_civilians deaths_unknown best high "
    "low gwnoa gwnob"
).split()


@dataclass(frozen=True)
class Column:
    """One field of the dataset: its type in Parquet and in the metadata, whether it may be empty, its range."""

    name: str
    sql_type: str
    description: str
    required: bool = True
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    # A value the producer writes for "not known", stored as empty.
    unknown_code: int | None = None

    @property
    def meta_type(self) -> str:
        return _META_TYPES[self.sql_type]


_META_TYPES = {
    "BIGINT": "integer",
    "INTEGER": "integer",
    "DOUBLE": "number",
    "VARCHAR": "string",
    "DATE": "date",
    "BOOLEAN": "boolean",
}
_THIS_YEAR = dt.date.today().year
_DEATHS = "deaths"
COLUMNS: tuple[Column, ...] = (
    Column("id", "BIGINT", "UCDP's identifier of the event, stable across GED releases.", low=1),
    Column(
        "relid",
        "VARCHAR",
        "UCDP's release identifier of the event (country, year, type and number). Empty where the copy lost it.",
        required=False,
    ),
    Column("year", "INTEGER", "The year of the event.", low=FIRST_GED_YEAR, high=_THIS_YEAR),
    Column(
        "active_year",
        "BOOLEAN",
        "True when the event belongs to a conflict, dyad or actor that reached UCDP's threshold of 25 deaths in the "
        "year (UCDP's active_year).",
    ),
    Column(
        "type_of_violence",
        "INTEGER",
        "UCDP's type of violence: 1 state-based conflict, 2 non-state conflict, 3 one-sided violence (against "
        "civilians).",
        low=1,
        high=3,
    ),
    Column("conflict_new_id", "INTEGER", "UCDP's identifier of the conflict (or one-sided actor).", low=1),
    Column("conflict_name", "VARCHAR", "The conflict's name as UCDP gives it."),
    Column("dyad_new_id", "INTEGER", "UCDP's identifier of the dyad.", low=1),
    Column("dyad_name", "VARCHAR", "The dyad's name as UCDP gives it (side A - side B)."),
    Column(
        "side_a_new_id",
        "INTEGER",
        "UCDP's actor identifier of side A (for one-sided violence, the perpetrator: the One-sided Violence "
        "Dataset's actor_id).",
        low=1,
    ),
    Column("side_a", "VARCHAR", "Side A as UCDP names it (a government, or the perpetrator of one-sided violence)."),
    Column("side_b_new_id", "INTEGER", "UCDP's actor identifier of side B.", low=1),
    Column("side_b", "VARCHAR", "Side B as UCDP names it (Civilians for one-sided violence)."),
    Column(
        "number_of_sources",
        "INTEGER",
        "The number of source documents UCDP used for the event; empty where UCDP did not record it (-1 in the "
        "release).",
        required=False,
        low=0,
        unknown_code=-1,
    ),
    Column("source_article", "VARCHAR", "The sources UCDP cites for the event, as it writes them.", required=False),
    Column(
        "where_prec",
        "INTEGER",
        "How precisely the place is known: 1 exact location, 2 within 25 km, 3 second-order administrative division, "
        "4 first-order division, 5 a linear feature or an area between divisions, 6 the country only, 7 "
        "international waters or airspace. The coordinates of 3 and above stand for an area, not the place.",
        low=1,
        high=7,
    ),
    Column("where_description", "VARCHAR", "The place as UCDP describes it.", required=False),
    Column("adm_1", "VARCHAR", "First-order administrative division, as UCDP gives it.", required=False),
    Column("adm_2", "VARCHAR", "Second-order administrative division, as UCDP gives it.", required=False),
    Column("latitude", "DOUBLE", "Latitude of the place (WGS 84), as UCDP gives it.", low=-90, high=90, unit="degrees"),
    Column(
        "longitude", "DOUBLE", "Longitude of the place (WGS 84), as UCDP gives it.", low=-180, high=180, unit="degrees"
    ),
    Column("country", "VARCHAR", "The country of the event as UCDP names it."),
    Column("country_id", "INTEGER", "The country's Gleditsch and Ward number, as UCDP gives it.", low=1),
    Column(
        "iso3",
        "VARCHAR",
        "ISO 3166-1 alpha-3 code of the country (poc_data.countries.ucdp_alpha3; the metadata lists the mapping).",
    ),
    Column("date_start", "DATE", "The earliest date the event may have taken place."),
    Column("date_end", "DATE", "The latest date the event may have taken place."),
    Column(
        "date_prec",
        "INTEGER",
        "How precisely the date is known: 1 the day, 2 within 2-6 days, 3 the month, 4 within 2-6 months, 5 the "
        "year or more.",
        low=1,
        high=5,
    ),
    Column("deaths_a", "INTEGER", "Deaths of side A (best estimate).", low=0, unit=_DEATHS),
    Column("deaths_b", "INTEGER", "Deaths of side B (best estimate).", low=0, unit=_DEATHS),
    Column("deaths_civilians", "INTEGER", "Civilians killed (best estimate).", low=0, unit=_DEATHS),
    Column("deaths_unknown", "INTEGER", "Deaths whose affiliation is unknown (best estimate).", low=0, unit=_DEATHS),
    Column("best", "INTEGER", "UCDP's best estimate of all deaths in the event.", low=0, unit=_DEATHS),
    Column("low", "INTEGER", "UCDP's low estimate of all deaths in the event.", low=0, unit=_DEATHS),
    Column("high", "INTEGER", "UCDP's high estimate of all deaths in the event.", low=0, unit=_DEATHS),
    Column(
        "event_clarity",
        "INTEGER",
        "1 when the sources describe a clear event, 2 when the event is an aggregate of reports (UCDP's "
        "event_clarity).",
        low=1,
        high=2,
    ),
)
BY_NAME = {column.name: column for column in COLUMNS}
# Columns of the release the dataset does not keep (what they hold is in UCDP's codebook).
DROPPED_COLUMNS = tuple(name for name in GED_COLUMNS if name not in BY_NAME)
# Columns the importer needs from the release: every kept column but iso3, which it derives.
NEEDED_COLUMNS = tuple(column.name for column in COLUMNS if column.name != "iso3")
# How DuckDB's CSV reader reads each type of column: whole numbers as DOUBLE, so that 3.5 is seen and refused (its
# casts to an integer type would round it), and dates as TIMESTAMP (GED writes 2009-02-20 00:00:00.000).
_READ_AS = {"BIGINT": "DOUBLE", "INTEGER": "DOUBLE", "BOOLEAN": "DOUBLE", "DOUBLE": "DOUBLE", "DATE": "TIMESTAMP"}
_WHAT = {"BIGINT": "a whole number", "INTEGER": "a whole number", "DOUBLE": "a number", "DATE": "a date"}


class ReleaseError(Exception):
    """A release that is not converted: the file cannot be read, or some rows do not convert; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "cannot convert the release")


@dataclass(frozen=True)
class Rule:
    """A check of the converted rows: an SQL condition that is true on a bad row, the field it is about, the value
    shown and the message. A `warning` is reported and counted in the metadata, and the row is kept: UCDP's own
    releases have such rows."""

    field: str
    condition: str
    shown: str
    message: str
    warning: bool = False
    code: str = ""


def _q(name: str) -> str:
    return f'"{name}"'


def _range_text(column: Column) -> str:
    if column.high is None:
        return f"below {column.low:g}"
    return f"outside {column.low:g} to {column.high:g}"


def _rules() -> tuple[Rule, ...]:
    """Every check of a converted row, declared once: the importer, its second pass and `events_problems` use it."""
    rules = []
    for column in COLUMNS:
        name = _q(column.name)
        if column.required:
            rules.append(Rule(column.name, f"{name} IS NULL", "''", "required, but empty", code="required"))
        if column.low is not None:
            bad = f"{name} < {column.low}" + ("" if column.high is None else f" OR {name} > {column.high}")
            rules.append(
                Rule(column.name, bad, f"CAST({name} AS VARCHAR)", f"{{}} is {_range_text(column)}", code="range")
            )
    rules += [
        Rule(
            "date_end",
            '"date_end" < "date_start"',
            'CAST("date_end" AS VARCHAR) || \' is before date_start \' || CAST("date_start" AS VARCHAR)',
            "{}",
            code="dates",
        ),
        Rule(
            "iso3",
            '"iso3" IS NOT NULL AND TRY_CAST("iso3" AS iso3_code) IS NULL',
            '"iso3"',
            "{!r} is not an ISO 3166-1 alpha-3 code",
            code="iso3",
        ),
        Rule(
            "low",
            '"low" > "best" OR "best" > "high"',
            'format(\'low {}, best {}, high {}\', "low", "best", "high")',
            "estimates out of order ({}), as UCDP released them; kept",
            warning=True,
            code="estimates_out_of_order",
        ),
        Rule(
            "best",
            '"deaths_a" + "deaths_b" + "deaths_civilians" + "deaths_unknown" <> "best"',
            'format(\'{} + {} + {} + {} against best {}\', "deaths_a", "deaths_b", "deaths_civilians", '
            '"deaths_unknown", "best")',
            "the deaths by side do not add up to best ({}), as UCDP released them; kept",
            warning=True,
            code="deaths_not_best",
        ),
        Rule(
            "year",
            '"year" <> year("date_start")',
            'CAST("year" AS VARCHAR) || \', date_start \' || CAST("date_start" AS VARCHAR)',
            "the year is not that of date_start ({}), as UCDP released it; kept",
            warning=True,
            code="year_not_date_start",
        ),
    ]
    return tuple(rules)


RULES = _rules()
# The code of the problems each rule that is not a warning reports.
RULE_PROBLEM_CODES = {
    "required": Code.CONSTRAINT,
    "range": Code.CONSTRAINT,
    "dates": Code.ROW_CONSTRAINT,
    "iso3": Code.CONSTRAINT,
}
WARNING_CODES = tuple(rule.code for rule in RULES if rule.warning)


def _typed(column: Column, read: str) -> tuple[str, str]:
    """SQL of a column's value converted from what the CSV reader read (numbers as DOUBLE, dates as TIMESTAMP, text
    as VARCHAR), and of the same before the producer's code for "not known" is made empty. Where a value was read
    but does not convert (3.5 or nan for a whole number, 2 for a boolean), the converted value is NULL."""
    kind = column.sql_type
    if kind == "VARCHAR":
        converted = f"nullif({read}, '')"  # kept as UCDP wrote it
    elif kind == "DATE":
        converted = f"CAST({read} AS DATE)"
    elif kind == "DOUBLE":
        converted = f"CASE WHEN isfinite({read}) THEN {read} END"
    elif kind == "BOOLEAN":
        converted = f"CASE {read} WHEN 1 THEN true WHEN 0 THEN false END"
    else:
        limit = 2**53 if kind == "BIGINT" else 2**31 - 1
        converted = f"CASE WHEN {read} = trunc({read}) AND abs({read}) <= {limit} THEN CAST({read} AS {kind}) END"
    if column.unknown_code is None:
        return converted, converted
    return f"nullif({converted}, {column.unknown_code})", converted


def _text(name: str) -> str:
    return f"nullif(trim({_q(name)}), '')"


def _unconverted_message(column: Column) -> str:
    if column.sql_type == "BOOLEAN":
        return "{!r} is not 0 or 1"
    return f"{{!r}} is not {_WHAT[column.sql_type]}"


def _reader_columns(header: list[str]) -> str:
    """The `columns` argument of read_csv: each column of the header with the type it is read as."""
    types = {name: _READ_AS.get(BY_NAME[name].sql_type, "VARCHAR") if name in BY_NAME else "VARCHAR" for name in header}
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in types.items()) + "}"


def _converted_select(source: str, *, text: bool) -> str:
    """SELECT of the converted columns (iso3 apart) and a flag `unconverted` for a row with a value of an optional
    column that does not convert. From DuckDB's CSV reader (`text` false), which has read each column as its type
    already; from rows of text (`text`: the slow pass and the GeoJSON), read as the CSV reader would, with the line,
    the text of each typed column (raw_<name>) and a flag for each that does not convert (bad_<name>)."""
    parts, flags = [], []
    for name in NEEDED_COLUMNS:
        column = BY_NAME[name]
        kind = _READ_AS.get(column.sql_type)
        read = f"TRY_CAST({_text(name)} AS {kind})" if text and kind else _q(name)
        value, converted = _typed(column, read)
        parts.append(f"{value} AS {_q(name)}")
        if kind and (text or column.sql_type != "DATE"):
            flags.append((name, f"({_text(name) if text else read} IS NOT NULL AND ({converted}) IS NULL)"))
    if text:
        parts = ["line", *parts]
        parts += [f"{_q(name)} AS {_q('raw_' + name)}" for name, _ in flags]
        parts += [f"{failed} AS {_q('bad_' + name)}" for name, failed in flags]
    # A value of a required column that does not convert is NULL, which its rule "required" refuses already.
    optional = [failed for name, failed in flags if not BY_NAME[name].required]
    parts.append(f"({' OR '.join(optional) or 'false'}) AS unconverted")
    return f"SELECT {', '.join(parts)} FROM {source}"


def _connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(config={"preserve_insertion_order": False})
    connection.execute("SET enable_progress_bar = false")
    # An ENUM of the known codes: a cast to it is one hash look-up a row (a list of them is searched through).
    codes = ", ".join("'" + code.replace("'", "''") + "'" for code in sorted(_known_codes()))
    connection.execute(f"CREATE TYPE iso3_code AS ENUM ({codes})")
    connection.create_function(
        "ucdp_iso3", _iso3_codes, ["VARCHAR"], "VARCHAR", type="arrow", null_handling="special", side_effects=False
    )
    return connection


def _known_codes() -> frozenset[str]:
    """The codes an event's iso3 may have: ISO 3166-1's, the project's user-assigned ones, and the withdrawn codes
    countries.UCDP_NAMES gives the states that ended (DDR, CSK, YMD)."""
    return iso3_codes() | {code for code, _ in UCDP_NAMES.values()}


def _iso3_codes(names: pa.Array) -> pa.Array:
    """countries.ucdp_alpha3 of a column of country names, one look-up per distinct name (DuckDB calls it on
    chunks of rows)."""
    distinct = pc.unique(names)
    codes = pa.array([None if name is None else ucdp_alpha3(name) for name in distinct.to_pylist()], pa.string())
    return pc.take(codes, pc.index_in(names, distinct))


def release_version(path: Path, name_in_data: str | None = None) -> str | None:
    """The GED release (`23.1`) from the file name (GEDEvent_v23_1.csv) or the name the file gives itself."""
    for candidate in (path.name, name_in_data or ""):
        match = RELEASE_NAME.search(candidate)
        if match:
            return f"{int(match.group(1))}.{int(match.group(2))}"
    return None


def source_id_of(version: str) -> str:
    """The key in sources.yaml of a GED release: `ucdp-2023-ged-23-1` (release 23.1 came out in 2023)."""
    major, minor = version.split(".")
    return f"ucdp-{2000 + int(major)}-ged-{major}-{minor}"


@dataclass
class Imported:
    """What an import wrote: where, how many events, of which release, and the warnings (rows kept as UCDP released
    them, counted in the metadata)."""

    target: Path
    rows: int
    version: str
    warnings: list[str] = field(default_factory=list)


def import_ged(path: str | os.PathLike, data_dir: str | os.PathLike, *, version: str | None = None) -> Imported:
    """Convert a GED release (the producer's CSV, or the GeoJSON copy of GED 23.1) into violence_events.parquet and
    its metadata in `data_dir`. Nothing is written unless every row converts: raises ReleaseError listing each bad
    row as `file:line: field: message`. The release (`23.1`) is read from the file's name unless `version` is given.
    The metadata's release block keeps `copy_of` and `verified` from the metadata there when it is of the same file."""
    path, directory = Path(path), Path(data_dir)
    shown = display_path(path)
    try:
        regular_file(path, limit=MAX_RELEASE_BYTES)
    except FileRefused as refused:
        raise ReleaseError([Problem(shown, 1, WHOLE_FILE, str(refused), Code.FILE)]) from None
    if not directory.is_dir():
        raise ReleaseError([Problem(display_path(directory), 1, WHOLE_FILE, "data directory not found", Code.FILE)])
    with path.open("rb") as file:
        head = file.read(4096)
    if head.startswith(b"PK\x03\x04"):
        raise ReleaseError(
            [Problem(shown, 1, WHOLE_FILE, "a zip archive: unzip it and give the CSV file inside", Code.FORMAT)]
        )
    geojson = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    hashing, digest = _md5_in_background(path)
    connection = _connect()
    try:
        if geojson:
            name_in_data, source = _register_geojson(connection, path, shown), "raw_rows"
        else:
            name_in_data, source = None, _csv_source(path, shown)
        target = directory / DATA_FILE
        partial = directory / f".{DATA_FILE}.{os.getpid()}.part"
        columns = ", ".join(_q(column.name) for column in COLUMNS)
        try:
            # One pass: read, convert, check (a bad row stops it) and write. Not sorted: sorting by country and
            # year costs a sixth of the import and saves a query of one country-year 60 ms at 400,000 events.
            try:
                connection.execute(
                    f"COPY (SELECT {columns} FROM {_events(source, text=geojson)} WHERE {_GUARD}) "
                    f"TO '{_sql_path(partial)}' (FORMAT parquet, COMPRESSION {COMPRESSION})"
                )
                written = f"read_parquet('{_sql_path(partial)}')"
                repeated = connection.execute(f"SELECT count(id) - count(DISTINCT id) FROM {written}").fetchone()[0]
            except duckdb.Error as error:
                repeated, reason = None, (str(error).strip().splitlines() or ["unknown error"])[0][:300]
            if repeated != 0:
                # Something is wrong: find where, in a second and slower pass.
                problems = _located_problems(path, shown, geojson)
                if not problems and repeated is None and _BAD_ROW not in reason:
                    problems = [Problem(shown, 1, WHOLE_FILE, f"cannot be read as CSV: {reason}", Code.FORMAT)]
                raise ReleaseError(problems or [Problem(shown, 1, WHOLE_FILE, _BAD_ROW, Code.CONSTRAINT)])
            version = version or release_version(path, name_in_data)
            if version is None:
                message = (
                    "cannot tell the GED release from the file name: name it GEDEvent_vXX_X.csv or give the version"
                )
                raise ReleaseError([Problem(shown, 1, WHOLE_FILE, message, Code.RELEASE)])
            written_hashing, written_digest = _md5_in_background(partial)
            content = _content(connection, written)
            written_hashing.join()
            hashing.join()
            content["md5"], content["bytes"] = written_digest["md5"], written_digest["bytes"]
            meta = _dump_yaml(_metadata(directory, version, {"file": path.name, **digest}, content, geojson=geojson))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        _write_text_atomically(directory / META_FILE, meta)
        warnings = [
            f"{shown}: {entry['count']} event(s) {WARNING_TEXT[entry['code']]}, kept as UCDP released them "
            f"(ids {', '.join(map(str, entry['ids'][:10]))}{', ...' if entry['count'] > 10 else ''}; "
            f"the metadata lists them)"
            for entry in content["warnings"]
        ]
        return Imported(target, content["rows"], version, warnings)
    finally:
        connection.close()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _file_md5(path: Path) -> tuple[str, int]:
    digest, size = hashlib.md5(usedforsecurity=False), 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _md5_in_background(path: Path) -> tuple[threading.Thread, dict[str, Any]]:
    """The md5 and size of a file, computed in a thread while DuckDB works (hashlib lets go of the GIL)."""
    result: dict[str, Any] = {}

    def run() -> None:
        result["md5"], result["bytes"] = _file_md5(path)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def _write_text_atomically(target: Path, text: str) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        partial.write_text(text, encoding="utf-8", newline="\n")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _header(path: Path, shown: str) -> list[str]:
    """The release's column names; raises ReleaseError when it is not a GED CSV or lacks a column."""
    with path.open("rb") as file:
        first = file.readline(1 << 16)
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReleaseError(
            [Problem(shown, 1, WHOLE_FILE, "not UTF-8 text, so not a GED release CSV", Code.ENCODING)]
        ) from None
    header = [name.strip() for name in next(csv.reader([text]), [])]
    missing = [name for name in NEEDED_COLUMNS if name not in header]
    if len(missing) == len(NEEDED_COLUMNS):
        raise ReleaseError(
            [Problem(shown, 1, WHOLE_FILE, "not a GED release CSV: line 1 names none of its columns", Code.FORMAT)]
        )
    if missing:
        raise ReleaseError(
            [Problem(shown, 1, name, "missing column of the GED release", Code.MISSING_FIELD) for name in missing]
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ReleaseError([Problem(shown, 1, name, "column given twice", Code.DUPLICATE_KEY) for name in repeated])
    return header


def _csv_source(path: Path, shown: str) -> str:
    """DuckDB's CSV reader of the release, each column read as its type. The dialect and the columns are given, so
    the reader does not sniff them (which reads the first 20,480 rows once more)."""
    columns = _reader_columns(_header(path, shown))
    return (
        f"read_csv('{_sql_path(path)}', header = true, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {columns}, strict_mode = true, encoding = 'utf-8', auto_detect = false)"
    )


Rows = Iterator[tuple[int, dict[str, str | None]]]


def _geojson_rows(path: Path, shown: str) -> tuple[str | None, Rows]:
    """The name the GeoJSON gives itself, and its features as text rows in the release's columns with the line each
    starts on. The GeoJSON copy of GED 23.1 has latitude and longitude in its geometry, no geom_wkt, and relid 0
    everywhere (its converter read UCDP's text identifiers as numbers): relid is left empty."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", 1)
        raise ReleaseError([Problem(shown, line, WHOLE_FILE, f"not a GeoJSON file: {error}", Code.FORMAT)]) from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ReleaseError([Problem(shown, 1, WHOLE_FILE, "not a GeoJSON FeatureCollection", Code.FORMAT)])
    # ogr2ogr writes one feature a line.
    starts = [number for number, line in enumerate(text.splitlines(), 1) if line.startswith('{ "type": "Feature"')]
    if len(starts) != len(features):
        starts = [1] * len(features)

    def rows() -> Rows:
        for line, feature in zip(starts, features, strict=True):
            feature = feature if isinstance(feature, dict) else {}
            properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
            geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else {}
            coordinates = geometry.get("coordinates")
            if not (isinstance(coordinates, list) and len(coordinates) == 2):
                coordinates = [None, None]
            row = {name: _as_text(properties.get(name)) for name in NEEDED_COLUMNS}
            row["longitude"], row["latitude"] = (_as_text(value) for value in coordinates)
            if row["relid"] == "0":
                row["relid"] = None
            yield line, row

    name = document.get("name")
    return (name if isinstance(name, str) else None), rows()


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _decoded_lines(file: Any, shown: str) -> Iterator[str]:
    """The lines of a file opened as bytes, decoded one by one, so that a byte that is not UTF-8 is found on its
    line."""
    for number, raw in enumerate(file, 1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            message = f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded"
            raise ReleaseError([Problem(shown, number, WHOLE_FILE, message, Code.ENCODING)]) from None


def _csv_rows(path: Path, shown: str) -> Rows:
    """The release's rows with the line each starts on (Python's CSV reader knows the lines), for the slow pass."""
    header = _header(path, shown)
    needed = [(name, header.index(name)) for name in NEEDED_COLUMNS]
    with path.open("rb") as file:
        reader = csv.reader(_decoded_lines(file, shown), strict=True)
        next(reader)
        previous_end = reader.line_num
        try:
            for values in reader:
                line = previous_end + 1
                if len(values) != len(header):
                    message = f"{len(values)} values, but the header has {len(header)}"
                    raise ReleaseError([Problem(shown, line, WHOLE_FILE, message, Code.FORMAT)])
                yield line, {name: values[index] for name, index in needed}
                previous_end = reader.line_num
        except csv.Error as error:
            raise ReleaseError(
                [Problem(shown, reader.line_num, WHOLE_FILE, f"invalid CSV: {error}", Code.FORMAT)]
            ) from None


def _chunks(rows: Rows) -> Iterator[pa.Table]:
    batch: list[tuple[int, dict[str, str | None]]] = []
    for item in rows:
        batch.append(item)
        if len(batch) == CHUNK_ROWS:
            yield _chunk_table(batch)
            batch = []
    yield _chunk_table(batch)


def _chunk_table(batch: list[tuple[int, dict[str, str | None]]]) -> pa.Table:
    columns: dict[str, pa.Array] = {"line": pa.array([line for line, _ in batch], pa.int64())}
    for name in NEEDED_COLUMNS:
        columns[name] = pa.array([row.get(name) for _, row in batch], pa.string())
    return pa.table(columns)


def _register_geojson(connection: duckdb.DuckDBPyConnection, path: Path, shown: str) -> str | None:
    """The GeoJSON's features as the text table `raw_rows` (the file is small); returns the name it gives itself."""
    name, rows = _geojson_rows(path, shown)
    connection.register("raw_rows", pa.concat_tables(_chunks(rows)))
    return name


def _events(source: str, *, text: bool) -> str:
    """The converted rows of a source with their ISO3 code."""
    return f"(SELECT *, ucdp_iso3(country) AS iso3 FROM ({_converted_select(source, text=text)}))"


_BAD_ROW = "a row does not convert or breaks a rule"
# True for every good row; an error for the first bad one, which stops the import's one pass. A country without a
# code breaks iso3's rule "required"; one coalesce for all the rules (a rule on an empty value is NULL).
_GUARD = (
    "CASE WHEN coalesce(unconverted OR "
    + " OR ".join(f"({rule.condition})" for rule in RULES if not rule.warning)
    + f", false) THEN error('{_BAD_ROW}') ELSE true END"
)


def _located_problems(path: Path, shown: str, geojson: bool) -> list[Problem]:
    """The second, slower pass: every problem of the release with its line, the first MAX_LISTED of them listed."""
    rows = _geojson_rows(path, shown)[1] if geojson else _csv_rows(path, shown)
    connection = _connect()
    problems: list[Problem] = []
    count = 0
    first_line: dict[int, int] = {}
    flagged = [name for name in NEEDED_COLUMNS if BY_NAME[name].sql_type != "VARCHAR"]
    try:
        for chunk in _chunks(rows):
            connection.register("raw_rows", chunk)
            connection.execute(f"CREATE OR REPLACE TEMP TABLE located AS {_converted_select('raw_rows', text=True)}")
            events = "(SELECT *, ucdp_iso3(country) AS iso3 FROM located)"
            found: list[Problem] = []
            for name in flagged:
                message = _unconverted_message(BY_NAME[name])
                for line, value in connection.execute(
                    f"SELECT line, {_q('raw_' + name)} FROM located WHERE {_q('bad_' + name)}"
                ).fetchall():
                    found.append(Problem(shown, line, name, message.format(value), Code.TYPE))
            for line, country in connection.execute(
                f"SELECT line, country FROM {events} WHERE country IS NOT NULL AND iso3 IS NULL"
            ).fetchall():
                message = f"{country!r} is a country neither ISO 3166 (pycountry) nor countries.UCDP_NAMES knows"
                found.append(Problem(shown, line, "country", message, Code.CONSTRAINT))
            for rule in RULES:
                if rule.warning or (rule.code, rule.field) == ("required", "iso3"):  # the country's problem says it
                    continue
                condition = rule.condition
                if rule.code == "required" and rule.field in flagged:
                    condition += f" AND NOT {_q('bad_' + rule.field)}"  # reported as not converting
                for line, value in connection.execute(
                    f"SELECT line, {rule.shown} FROM {events} WHERE {condition}"
                ).fetchall():
                    found.append(
                        Problem(shown, line, rule.field, rule.message.format(value), RULE_PROBLEM_CODES[rule.code])
                    )
            for line, event_id in connection.execute("SELECT line, id FROM located WHERE id IS NOT NULL").fetchall():
                if event_id in first_line:
                    found.append(
                        Problem(
                            shown, line, "id", f"{event_id} is also the id on line {first_line[event_id]}", Code.UNIQUE
                        )
                    )
                else:
                    first_line[event_id] = line
            count += len(found)
            problems = sorted(problems + found)[:MAX_LISTED]
            connection.unregister("raw_rows")
    finally:
        connection.close()
    if count > len(problems):
        problems.append(
            Problem(shown, problems[-1].line, WHOLE_FILE, f"and {count - len(problems)} more problems", Code.CHECK)
        )
    return problems


WARNING_TEXT = {
    "estimates_out_of_order": "with estimates out of order (low above best, or best above high)",
    "deaths_not_best": "whose deaths by side do not add up to the best estimate",
    "year_not_date_start": "whose year is not that of date_start",
}


def _content(connection: duckdb.DuckDBPyConnection, relation: str) -> dict[str, Any]:
    """What the metadata records of the converted events: rows, years, countries, totals per year, warnings."""
    rows, first, last, relids = connection.execute(
        f"SELECT count(*), min(year), max(year), count(relid) FROM {relation}"
    ).fetchone()
    countries = [
        {"name": name, "country_id": gw, "iso3": iso3, "events": events, "mapping": _mapping_reason(name)}
        for name, gw, iso3, events in connection.execute(
            f"SELECT country, min(country_id), min(iso3), count(*) FROM {relation} GROUP BY country ORDER BY country"
        ).fetchall()
    ]
    return {
        "rows": rows,
        "md5": "",
        "bytes": 0,
        "first_year": first,
        "last_year": last,
        "relid_known": relids > 0,
        "countries": countries,
        "by_year": _totals_by_year(connection, relation),
        "warnings": _warning_counts(connection, relation),
    }


def _totals_by_year(connection: duckdb.DuckDBPyConnection, relation: str) -> list[dict[str, int]]:
    names = ("year", "events", "deaths_civilians", "best", "low", "high")
    return [
        _Row(zip(names, row, strict=True))
        for row in connection.execute(
            "SELECT year, count(*), sum(deaths_civilians)::BIGINT, sum(best)::BIGINT, sum(low)::BIGINT, "
            f"sum(high)::BIGINT FROM {relation} GROUP BY year ORDER BY year"
        ).fetchall()
    ]


def _warning_counts(connection: duckdb.DuckDBPyConnection, relation: str) -> list[dict[str, Any]]:
    counts = []
    for rule in RULES:
        if not rule.warning:
            continue
        ids = [
            row[0]
            for row in connection.execute(f"SELECT id FROM {relation} WHERE {rule.condition} ORDER BY id").fetchall()
        ]
        if ids:
            counts.append({"code": rule.code, "count": len(ids), "ids": _Ids(ids[:MAX_LISTED])})
    return counts


def _mapping_reason(name: str) -> str:
    """How countries.ucdp_alpha3 maps a UCDP country name."""
    if name in UCDP_NAMES:
        return UCDP_NAMES[name][1]
    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return "ISO 3166's name (pycountry) once UCDP's former name in brackets is dropped"
    return "ISO 3166's name (pycountry)"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Md5 = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
Count = Annotated[int, Field(ge=0)]


class EventsRelease(Release):
    """The release the events were made from (schema.Release). A release imported from the producer's own download
    has no `copy_of`, and `verified` says what was checked by hand, once someone has."""

    copy_of: ReleaseCopy | None = None
    verified: str | None = None


class CountryCount(_Strict):
    name: str
    country_id: int
    iso3: str
    events: Count
    mapping: str


class YearTotals(_Strict):
    year: int
    events: Count
    deaths_civilians: Count
    best: Count
    low: Count
    high: Count


class WarningCount(_Strict):
    code: str
    count: Count
    ids: list[int]


class Content(_Strict):
    """What the Parquet file holds, recorded at import and checked by events_problems."""

    rows: Count
    md5: Md5
    bytes: Count
    first_year: int | None
    last_year: int | None
    relid_known: bool
    countries: list[CountryCount]
    by_year: list[YearTotals]
    warnings: list[WarningCount] = []


class EventsMetadata(_Strict):
    """violence_events.meta.yaml: what the dataset is, the release it was made from, what the file holds."""

    id: str
    title: str
    description: str
    license: str
    license_note: str | None = None
    updated: dt.date
    sources: list[str]
    notes: str | None = None
    primary_key: str
    release: EventsRelease
    content: Content
    dropped_columns: list[str]
    fields: Annotated[list[FieldMeta], Field(min_length=1)]


def _previous(directory: Path) -> dict[str, Any]:
    """The metadata the data directory has now, if it can be read; {} otherwise."""
    try:
        document = load_yaml(read_file_bytes(directory / META_FILE, directory).decode("utf-8"))
    except (FileRefused, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return document if isinstance(document, dict) else {}


def _metadata(
    directory: Path, version: str, release: dict[str, Any], content: dict[str, Any], *, geojson: bool
) -> dict[str, Any]:
    """The metadata of an import. Where a copy came from and what was checked by hand (`copy_of`, `verified`) are
    kept from the metadata already there when it describes the same release file (same md5): they are about it."""
    previous = _previous(directory).get("release")
    same_file = isinstance(previous, dict) and previous.get("md5") == release["md5"]
    copy_of = _plain(previous.get("copy_of")) if same_file else None
    verified = previous.get("verified") if same_file else None
    countries = ", ".join(f"{c['name']} ({c['iso3']})" for c in content["countries"][:5])
    if len(content["countries"]) > 5:
        countries += f" and {len(content['countries']) - 5} more"
    span = f"{content['first_year']}-{content['last_year']}" if content["rows"] else "no years"
    relid = (
        "relid is kept as UCDP gives it."
        if content["relid_known"]
        else "relid is empty: the file the import read does not have UCDP's release identifiers (the GeoJSON copy of "
        "GED 23.1 turned them into 0)."
    )
    notes = (
        "Made by `python -m poc_data import ucdp-ged FILE` (poc_data/events.py) from the release named in release. "
        "Each row is an event of UCDP's GED: one incident of lethal organised violence (state-based conflict, "
        "non-state conflict or one-sided violence against civilians) at a place and date, with at least one "
        "death. The fields below are kept, converted to their types and checked (ranges, dates, precision codes, "
        "known country); the others are dropped (dropped_columns). The country is coded to ISO 3166-1 alpha-3 by "
        "poc_data.countries.ucdp_alpha3, as content.countries lists. number_of_sources -1 (not recorded) is "
        f"stored as empty. {relid} Where UCDP's own estimates are out of order (low above best, or best above high) "
        "or the deaths by side do not add up to best, the event is kept as released and listed in "
        "content.warnings. content records the rows, the Parquet file's md5 and the totals per year; "
        "`python -m poc_data check` checks the file against them."
    )
    if geojson:
        notes += (
            " The file read is a GeoJSON copy of the release: latitude and longitude come from each feature's point "
            "geometry; its converter dropped geom_wkt."
        )
    return {
        "id": DATASET_ID,
        "title": "Events of organised violence (UCDP Georeferenced Event Dataset)",
        "description": (
            f"Events of organised violence from the UCDP Georeferenced Event Dataset (GED), version {version}: "
            f"{content['rows']:,} events, {span}, in {countries}. For each event: date and its precision, place, "
            "coordinates and their precision, type of violence, the sides, the deaths of each side and of civilians, "
            "and UCDP's best, low and high estimates. UCDP counts only deaths it can attribute to an organised "
            "actor; a conflict or actor enters its yearly datasets once it reaches 25 deaths in a year (active_year)."
        ),
        "license": "CC-BY-4.0",
        "license_note": (
            f"UCDP releases its datasets under {LICENSE}. Cite: {CITATION} Producer's page: {PRODUCER_URL}"
        ),
        "updated": dt.date.today(),
        "sources": [source_id_of(version)],
        "notes": notes,
        "primary_key": "id",
        "release": {
            "producer": PRODUCER,
            "title": f"UCDP Georeferenced Event Dataset (GED) Global version {version}",
            "version": version,
            "citation": CITATION,
            "url": PRODUCER_URL,
            "file": release["file"],
            "md5": release["md5"],
            "bytes": release["bytes"],
            "rows": content["rows"],
            "accessed": dt.date.today(),
            "copy_of": copy_of,
            "verified": verified,
        },
        "content": content,
        "dropped_columns": list(DROPPED_COLUMNS),
        "fields": [_field_meta(column) for column in COLUMNS],
    }


def _plain(value: Any) -> Any:
    """A value read by load_yaml with plain dicts for its LineDicts, for the YAML writer."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _field_meta(column: Column) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": column.name, "type": column.meta_type, "description": column.description}
    if column.required:
        entry["required"] = True
    if column.unit:
        entry["unit"] = column.unit
    return entry


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors or aliases, which the project's reader refuses."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class _Row(dict):
    """A mapping written on one line (a year's totals)."""


class _Ids(list):
    """A list written on one line (event ids)."""


_Dumper.add_representer(
    _Row, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)
_Dumper.add_representer(
    _Ids, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def _dump_yaml(document: dict[str, Any]) -> str:
    header = (
        "# Written by `python -m poc_data import ucdp-ged`; release.copy_of and release.verified are kept while the\n"
        "# release file is the same.\n"
    )
    return header + yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=118)


def has_events(data_dir: str | os.PathLike) -> bool:
    """Whether the data directory has the events dataset's Parquet file."""
    return (Path(data_dir) / DATA_FILE).is_file()


def events_problems(data_dir: str | os.PathLike, source_ids: set[str] | None = None) -> list[Problem]:
    """Every problem of the events dataset of a data directory: its metadata, and its Parquet file against it
    (columns and types, rows, md5, values in range, totals per year, the country mapping, the sources when
    `source_ids` is given). No file and no metadata is no problem: the dataset is optional."""
    directory = Path(data_dir)
    data_path, meta_path = directory / DATA_FILE, directory / META_FILE
    if not os.path.lexists(meta_path):
        if os.path.lexists(data_path):
            return [Problem(DATA_FILE, 1, WHOLE_FILE, f"no {META_FILE} beside it: import the release again", Code.FILE)]
        return []
    meta, lines, problems = _read_meta(directory)
    if meta is None:
        return problems

    def at(key: str, field_name: str, message: str, code: Code) -> Problem:
        return Problem(META_FILE, lines.get(key, 1), field_name, message, code)

    problems += _meta_problems(meta, at, source_ids)
    try:
        target = regular_file(data_path, directory, MAX_PARQUET_BYTES)
    except FileRefused as refused:
        return [*problems, Problem(DATA_FILE, 1, WHOLE_FILE, f"{refused} (the metadata describes it)", Code.FILE)]
    md5, _ = _file_md5(target)
    if md5 != meta.content.md5:
        problems.append(
            Problem(
                DATA_FILE,
                1,
                WHOLE_FILE,
                f"md5 {md5}, but the metadata records {meta.content.md5}: changed since its import",
                Code.RELEASE,
            )
        )
    connection = _connect()
    try:
        relation = f"read_parquet('{_sql_path(target)}')"
        try:
            described = connection.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        except duckdb.Error as error:
            reason = (str(error).strip().splitlines() or ["unknown error"])[0][:200]
            return [
                *problems,
                Problem(DATA_FILE, 1, WHOLE_FILE, f"not a Parquet file DuckDB can read: {reason}", Code.FORMAT),
            ]
        columns = [(name, kind) for name, kind, *_ in described]
        expected = [(column.name, column.sql_type) for column in COLUMNS]
        if columns != expected:
            have = dict(columns)
            for name, kind in expected:
                if name not in have:
                    problems.append(Problem(DATA_FILE, 1, name, "missing column", Code.MISSING_FIELD))
                elif have[name] != kind:
                    problems.append(Problem(DATA_FILE, 1, name, f"of type {have[name]}, expected {kind}", Code.TYPE))
            for name, _ in columns:
                if name not in BY_NAME:
                    problems.append(
                        Problem(DATA_FILE, 1, name, "a column the dataset does not have", Code.UNKNOWN_FIELD)
                    )
            if not problems or any(p.path == DATA_FILE and p.field != WHOLE_FILE for p in problems):
                problems.append(
                    Problem(DATA_FILE, 1, WHOLE_FILE, "columns differ from the dataset's (see above)", Code.FORMAT)
                )
            return problems
        problems += _content_problems(connection, relation, meta, at)
    finally:
        connection.close()
    return problems


def read_metadata(data_dir: str | os.PathLike) -> EventsMetadata | None:
    """The events dataset's metadata (its release, citation, licence and sources), or None when it cannot be read
    (`events_problems` says why)."""
    return _read_meta(Path(data_dir))[0]


def _read_meta(directory: Path) -> tuple[EventsMetadata | None, dict[str, int], list[Problem]]:
    try:
        raw = read_file_bytes(directory / META_FILE, directory)
        document = load_yaml(raw.decode("utf-8-sig"))
    except FileRefused as refused:
        return None, {}, [Problem(META_FILE, 1, WHOLE_FILE, str(refused), Code.FILE)]
    except UnicodeDecodeError as error:
        return None, {}, [Problem(META_FILE, 1, WHOLE_FILE, f"not UTF-8: {error.reason}", Code.ENCODING)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part)
        return (
            None,
            {},
            [Problem(META_FILE, mark.line + 1 if mark else 1, WHOLE_FILE, f"invalid YAML: {message}", Code.FORMAT)],
        )
    except yaml.YAMLError as error:
        return None, {}, [Problem(META_FILE, 1, WHOLE_FILE, f"invalid YAML: {error}", Code.FORMAT)]
    if not isinstance(document, dict):
        return None, {}, [Problem(META_FILE, 1, WHOLE_FILE, "expected a mapping of metadata keys", Code.FORMAT)]
    lines = {str(key): line for key, line in getattr(document, "key_lines", {}).items()}
    try:
        return EventsMetadata.model_validate(dict(document)), lines, []
    except ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            location = [str(part) for part in detail["loc"]]
            name = location[0] if location else WHOLE_FILE
            where = ".".join(location) or WHOLE_FILE
            message = detail["msg"].removeprefix("Value error, ")
            problems.append(
                Problem(META_FILE, lines.get(name, 1), name, f"metadata: {where}: {message}", error_code(detail))
            )
        return None, lines, problems


def _meta_problems(meta: EventsMetadata, at, source_ids: set[str] | None) -> list[Problem]:
    problems = []
    if meta.id != DATASET_ID:
        problems.append(at("id", "id", f"is {meta.id!r}, expected {DATASET_ID!r}", Code.METADATA))
    if meta.primary_key != "id":
        problems.append(at("primary_key", "primary_key", f"is {meta.primary_key!r}, expected 'id'", Code.METADATA))
    described = [(entry.name, entry.type, entry.required) for entry in meta.fields]
    expected = [(column.name, column.meta_type, column.required) for column in COLUMNS]
    if described != expected:
        problems.append(
            at(
                "fields",
                "fields",
                "do not describe the dataset's columns (name, type and required, in order)",
                Code.METADATA,
            )
        )
    if source_ids is not None:
        for source_id in meta.sources:
            if source_id not in source_ids:
                problems.append(
                    at("sources", "sources", f"metadata lists unknown source {source_id!r}", Code.FOREIGN_KEY)
                )
    return problems


def _content_problems(connection: duckdb.DuckDBPyConnection, relation: str, meta: EventsMetadata, at) -> list[Problem]:
    """The Parquet file's values against the rules and against what the metadata records."""
    problems = []
    recorded = meta.content
    content = _content(connection, relation)
    if content["rows"] != recorded.rows:
        problems.append(
            at("content", "content", f"records {recorded.rows} rows, the file has {content['rows']}", Code.METADATA)
        )
    for rule in RULES:
        if rule.warning:
            continue
        found = connection.execute(
            f"SELECT count(*), min(id), arg_min({rule.shown}, id) FROM {relation} WHERE {rule.condition}"
        ).fetchone()
        if found[0]:
            message = f"{found[0]} row(s), the first event {found[1]}: {rule.message.format(found[2])}"
            problems.append(Problem(DATA_FILE, 1, rule.field, message, RULE_PROBLEM_CODES[rule.code]))
    ids, distinct = connection.execute(f"SELECT count(id), count(DISTINCT id) FROM {relation}").fetchone()
    if ids != distinct:
        problems.append(Problem(DATA_FILE, 1, "id", f"{ids - distinct} repeated event id(s)", Code.UNIQUE))
    if not recorded.relid_known and content["relid_known"]:
        problems.append(
            at("content", "relid", "the metadata says relid is unknown, but the file has some", Code.METADATA)
        )
    for entry in content["countries"]:
        code = ucdp_alpha3(entry["name"])
        if entry["iso3"] != code:
            message = f"{entry['name']!r} has iso3 {entry['iso3']!r}, but countries.ucdp_alpha3 gives {code!r}"
            problems.append(Problem(DATA_FILE, 1, "iso3", message, Code.CONSTRAINT))
    for key, label in (("countries", "events per country"), ("by_year", "totals per year"), ("warnings", "warnings")):
        have = [_comparable(item) for item in content[key]]
        want = [_comparable(item.model_dump()) for item in getattr(recorded, key)]
        if have != want:
            problems.append(
                at(
                    "content",
                    "content",
                    f"{label} differ from the file's: {_first_difference(want, have)}",
                    Code.METADATA,
                )
            )
    return problems


def _comparable(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "mapping"}


def _first_difference(recorded: list[dict], found: list[dict]) -> str:
    for want, have in zip(recorded, found, strict=False):
        if want != have:
            return f"records {want}, the file gives {have}"
    return f"records {len(recorded)} entries, the file gives {len(found)}"


# Queries. Each opens the Parquet file with DuckDB and reads only the columns and row groups it needs.


def _parquet(data_dir: str | os.PathLike) -> str:
    directory = Path(data_dir)
    try:
        target = regular_file(directory / DATA_FILE, directory, MAX_PARQUET_BYTES)
    except FileRefused as refused:
        raise DataError(DATASET_ID, [Problem(DATA_FILE, 1, WHOLE_FILE, str(refused), Code.FILE)]) from None
    return f"read_parquet('{_sql_path(target)}')"


def _query(data_dir: str | os.PathLike, sql: str, parameters: Sequence[Any] = ()) -> pd.DataFrame:
    relation = _parquet(data_dir)
    with duckdb.connect() as connection:
        return connection.execute(sql.format(events=relation), list(parameters)).df()


def event_years(data_dir: str | os.PathLike) -> list[int]:
    """The years that have events, in order."""
    frame = _query(data_dir, "SELECT DISTINCT year FROM {events} ORDER BY year")
    return [int(year) for year in frame["year"]]


def countries_with_events(data_dir: str | os.PathLike) -> pd.DataFrame:
    """One row per country with events: iso3, country (UCDP's name), events, deaths_civilians, best, first_year,
    last_year; ordered by iso3."""
    return _query(
        data_dir,
        "SELECT iso3, min(country) AS country, count(*) AS events, "
        "sum(deaths_civilians)::BIGINT AS deaths_civilians, sum(best)::BIGINT AS best, min(year) AS first_year, "
        "max(year) AS last_year FROM {events} GROUP BY iso3 ORDER BY iso3",
    )


# The columns events_in gives: what a map of one country and year needs.
MAP_COLUMNS = (
    "id",
    "date_start",
    "date_end",
    "date_prec",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_description",
    "adm_1",
    "where_prec",
    "latitude",
    "longitude",
    "deaths_civilians",
    "best",
    "low",
    "high",
)


def events_in(data_dir: str | os.PathLike, iso3: str, year: int) -> pd.DataFrame:
    """The events of one country (ISO3) and year, in date order, with MAP_COLUMNS (dates as datetime64)."""
    columns = ", ".join(MAP_COLUMNS)
    return _query(
        data_dir,
        f"SELECT {columns} FROM {{events}} WHERE iso3 = ? AND year = ? ORDER BY date_start, id",
        [iso3, int(year)],
    )


def civilian_deaths_by_year(data_dir: str | os.PathLike, iso3: str) -> pd.DataFrame:
    """One row per year and type of violence with events in a country: year, type_of_violence (1 state-based,
    2 non-state, 3 one-sided), events, deaths_civilians (civilians killed, best estimate), best, low, high (all
    deaths of those events: UCDP gives low and high for the event, not for its civilians; for one-sided violence
    every death is a civilian's). Years without events have no row."""
    return _query(
        data_dir,
        "SELECT year, type_of_violence, count(*) AS events, sum(deaths_civilians)::BIGINT AS deaths_civilians, "
        "sum(best)::BIGINT AS best, sum(low)::BIGINT AS low, sum(high)::BIGINT AS high FROM {events} WHERE iso3 = ? "
        "GROUP BY year, type_of_violence ORDER BY year, type_of_violence",
        [iso3],
    )


def _unit_vectors(latitudes: Any, longitudes: Any) -> np.ndarray:
    lat, lon = np.radians(np.asarray(latitudes, float)), np.radians(np.asarray(longitudes, float))
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def nearest_location_km(events: pd.DataFrame, locations: pd.DataFrame) -> np.ndarray:
    """For each event (latitude, longitude), the great-circle distance in km to the nearest location (lat, lon, as
    the deployments dataset has them); infinite when there is no location. A k-d tree on unit vectors: the chord
    between two points gives their great-circle distance exactly."""
    if events.empty:
        return np.empty(0)
    if locations.empty:
        return np.full(len(events), np.inf)
    # Imported here: `check`, which imports this module on every page load of the app, never needs it (0.4 s).
    from scipy.spatial import cKDTree

    tree = cKDTree(_unit_vectors(locations["lat"], locations["lon"]))
    chord, _ = tree.query(_unit_vectors(events["latitude"], events["longitude"]), k=1)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0, 1))


def deaths_near(events: pd.DataFrame, locations: pd.DataFrame, radii_km: Sequence[float] = (25, 50)) -> pd.DataFrame:
    """How many of the events, and of their civilian deaths, fell within each radius of a location. `events` has
    latitude, longitude and deaths_civilians (as events_in gives them); `locations` has lat and lon (the deployments
    of the same country and year). One row per radius: radius_km, events, deaths_civilians, and the totals of all
    the events given (all_events, all_deaths_civilians). Events whose place is known only roughly (where_prec 3 and
    above) count at their coordinates: filter them first to count only precise places."""
    distance = nearest_location_km(events, locations)
    deaths = events["deaths_civilians"].to_numpy() if not events.empty else np.empty(0)
    rows = [
        {
            "radius_km": radius,
            "events": int((distance <= radius).sum()),
            "deaths_civilians": int(deaths[distance <= radius].sum()),
            "all_events": len(events),
            "all_deaths_civilians": int(deaths.sum()),
        }
        for radius in radii_km
    ]
    return pd.DataFrame(rows, columns=["radius_km", "events", "deaths_civilians", "all_events", "all_deaths_civilians"])
