"""Convert a release of the Geo-PKO front-map file (FrontMap_v.X.csv) into the `deployments` dataset."""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry

from poc_data.problems import Code, Problem, display_path
from poc_data.schema import DATASETS

SOURCE_ID = "geopko-2025-frontmap-v2-3"
# The columns of the producers' front-map file that the dataset uses (data_wrangling_v.2.3.R writes them).
REQUIRED_COLUMNS = ("mission", "year", "country", "location", "latitude", "longitude", "hq", "UNPOL", "UNMO")
TROOPS_COLUMN = "ave.no.troops"
# Country names of the file that pycountry does not know, with the reason for each code.
COUNTRY_FIXES: dict[str, tuple[str, ...]] = {
    "DRC": ("COD",),  # the Democratic Republic of the Congo
    "Ivory Coast": ("CIV",),  # ISO's name is Côte d'Ivoire
    "Kosovo": ("XKX",),  # no ISO code; the user-assigned code this project uses (schema.USER_ASSIGNED_COUNTRIES)
    "Ethiopia/Eritrea": ("ETH", "ERI"),  # locations in the border area, coded to both countries by Geo-PKO
}
MAX_FILE_BYTES = 50_000_000


class ReleaseError(Exception):
    """The release cannot be read at all (no file, not CSV, columns missing); `problems` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "cannot read the release")


@dataclass
class Converted:
    """The dataset's records made from a release, and every problem found in its rows."""

    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def country_codes(name: str) -> tuple[str, ...] | None:
    """ISO 3166-1 alpha-3 code(s) of a country name of the file; None when neither pycountry nor the fixes know it."""
    if name in COUNTRY_FIXES:
        return COUNTRY_FIXES[name]
    try:
        return (pycountry.countries.lookup(name).alpha_3,)
    except LookupError:
        return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def _number(text: str) -> float | None:
    """A number of the file; empty and `NA` mean unknown."""
    text = text.strip()
    if text in ("", "NA"):
        return None
    value = float(text)
    if math.isnan(value):
        return None
    return value


def read_release(path: str | Path) -> tuple[list[dict[str, str]], list[int]]:
    """The rows of a front-map CSV with the line each starts on; raises ReleaseError naming what is wrong."""
    path = Path(path)
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReleaseError([Problem(shown, 1, "(file)", f"cannot be read: {error.strerror}", Code.FILE)]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ReleaseError([Problem(shown, 1, "(file)", f"larger than {MAX_FILE_BYTES // 1_000_000} MB", Code.FILE)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReleaseError([Problem(shown, 1, "(file)", "not UTF-8", Code.ENCODING)]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [name for name in (*REQUIRED_COLUMNS, TROOPS_COLUMN) if name not in header]
    if missing:
        raise ReleaseError(
            [
                Problem(shown, 1, name, "missing column of the Geo-PKO front-map file", Code.MISSING_FIELD)
                for name in missing
            ]
        )
    rows, lines = [], []
    previous_end = reader.line_num
    try:
        for row in reader:
            rows.append(row)
            lines.append(previous_end + 1)
            previous_end = reader.line_num
    except csv.Error as error:
        raise ReleaseError([Problem(shown, reader.line_num, "(file)", f"invalid CSV: {error}", Code.FORMAT)]) from None
    return rows, lines


def convert(rows: list[dict[str, str]], lines: list[int], path: str, *, source_id: str = SOURCE_ID) -> Converted:
    """One record per mission, year, country, location and coordinates.

    The file has a row per source map; the producers' `ave.no.troops` is already the yearly average over a location's
    maps, and UNPOL and UNMO are 0/1 flags of police and military observers present. So the troops are taken as they
    are, and a location counts police, observers or a headquarters if any of its rows does.
    """
    out = Converted()
    groups: dict[tuple, dict[str, Any]] = {}
    for row, line in zip(rows, lines, strict=True):

        def problem(name: str, message: str, code: Code, line: int = line) -> None:
            out.problems.append(Problem(path, line, name, message, code))

        numbers = {}
        for name in ("year", "latitude", "longitude", "hq", "UNPOL", "UNMO", TROOPS_COLUMN):
            try:
                numbers[name] = _number(row[name] or "")
            except ValueError:
                problem(name, f"{row[name]!r} is not a number", Code.TYPE)
        if len(numbers) < 7:
            continue
        if numbers["year"] is None or not numbers["year"].is_integer():
            problem("year", f"{row['year']!r} is not a year", Code.TYPE)
            continue
        year = int(numbers["year"])
        lat, lon, troops = numbers["latitude"], numbers["longitude"], numbers[TROOPS_COLUMN]
        hq, police, observers = (int(numbers[name] or 0) for name in ("hq", "UNPOL", "UNMO"))
        if lat is None or lon is None:
            problem("latitude", "no coordinates", Code.CONSTRAINT)
            continue
        if troops is not None and not troops.is_integer():
            problem(TROOPS_COLUMN, f"{troops} is not a whole number of troops", Code.TYPE)
            continue
        codes = country_codes(row["country"].strip())
        if codes is None:
            message = f"{row['country']!r} is neither known to pycountry nor in geopko.COUNTRY_FIXES"
            problem("country", message, Code.CONSTRAINT)
            continue
        key = (row["mission"].strip(), year, row["country"].strip(), row["location"].strip(), lat, lon)
        group = groups.get(key)
        if group is None:
            groups[key] = {
                "mission": key[0],
                "year": year,
                "country": key[2],
                "countries": ";".join(codes),
                "location": key[3],
                "lat": lat,
                "lon": lon,
                "troops": None if troops is None else int(troops),
                "police": police > 0,
                "observers": observers > 0,
                "hq": hq,
                "line": line,
            }
            continue
        if (None if troops is None else int(troops)) != group["troops"]:
            message = f"{troops} differs from {group['troops']} on line {group['line']} (same location)"
            problem(TROOPS_COLUMN, message, Code.ROW_CONSTRAINT)
        group["police"] |= police > 0
        group["observers"] |= observers > 0
        group["hq"] = max(group["hq"], hq)
    taken: dict[str, int] = defaultdict(int)
    for group in sorted(groups.values(), key=lambda g: (g["mission"], g["year"], g["location"], g["lat"], g["lon"])):
        base = f"{_slug(group['mission'])}-{group['year']}-{_slug(group['location'])}"
        taken[base] += 1
        line = group.pop("line")
        out.records.append(
            {
                "id": base if taken[base] == 1 else f"{base}-{taken[base]}",
                **group,
                "source_id": source_id,
                "source_detail": f"{Path(path).name}, line {line}",
            }
        )
    return out


def write_csv(records: list[dict[str, Any]], target: Path) -> None:
    """The records as the dataset's CSV, in the schema's column order."""
    fields = list(DATASETS["deployments"].model.model_fields)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({name: _cell(record.get(name)) for name in fields})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
