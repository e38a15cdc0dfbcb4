"""Synthetic data directories N times the size of a real one, for benchmarks: valid, varied and deterministic."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from poc_data.load import Parsed, resolve_data_dir
from poc_data.problems import display_path
from poc_data.schema import DATASETS, FIRST_YEAR, field_vocabulary, iso3_codes
from poc_data.validate import cross_reference_problems, read_all

SEED = 1945
LAST_YEAR = 2025
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
# The Security Council adopted its first resolution in 1946.
FIRST_RESOLUTION_DAY = dt.date(1946, 1, 1)
ORGANIZATION_SLUGS = {"UN": "un", "EU": "eu", "NATO": "nato", "Interorganizational": "inter"}
# Share of synthetic operations left ongoing (no end date).
ONGOING_SHARE = 0.2

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SynthError(Exception):
    """The source directory or the output directory does not allow writing synthetic data."""


def synthesize(
    out_dir: str | os.PathLike,
    scale: int,
    source_dir: str | os.PathLike | None = None,
    *,
    seed: int = SEED,
    force: bool = False,
) -> dict[str, int]:
    """Write a data directory with `scale` records per record of `source_dir`; return the record count per dataset.

    Copy 0 of every record is the record itself; copies 1..scale-1 get new keys and random but plausible values,
    and cite the copies of their sources, operations and resolutions, so every reference resolves.
    """
    if scale < 1:
        raise SynthError(f"the scale must be 1 or more, got {scale}")
    source = resolve_data_dir(source_dir)
    out = Path(out_dir)
    if not source.is_dir():
        raise SynthError(f"source directory {display_path(source)} not found")
    _check_target(source, out, force)
    datasets = read_all(source)
    problems = [problem for parsed in datasets.values() for problem in parsed.problems]
    problems += cross_reference_problems(datasets)
    if problems:
        raise SynthError(
            f"{display_path(source)} has {len(problems)} problem(s), first {min(problems)}; "
            f"run `python -m poc_data check {display_path(source)}`"
        )
    records = _Synthesizer(datasets, scale, random.Random(seed)).run()  # noqa: S311 - test data, not secrets
    note = (
        f"# Synthetic data for benchmarks: {scale} record(s) per record of the source directory, written by\n"
        f"# `python -m poc_data synth --scale {scale}` (seed {seed}). Copies carry random values, not real figures.\n"
    )
    out.mkdir(parents=True, exist_ok=True)
    for dataset_id, spec in DATASETS.items():
        meta = _raw_metadata(datasets[dataset_id])
        meta["sources"] = _cited_sources(meta.get("sources") or [], records[dataset_id])
        if spec.producer_file:
            # A producer's release is read as it is, like the deployments, and is named by its checksum: copied.
            for name in (spec.data_file, spec.meta_file):
                shutil.copyfile(source / name, out / name)
        elif spec.file_format == "csv":
            _write_yaml(out / spec.meta_file, meta, note)
            _write_csv(out / spec.data_file, list(spec.model.model_fields), records[dataset_id])
        else:
            _write_yaml(out / spec.data_file, {**meta, "records": _yaml_records(records[dataset_id])}, note)
    return {dataset_id: len(rows) for dataset_id, rows in records.items()}


def _check_target(source: Path, out: Path, force: bool) -> None:
    """Never write into the source directory, and never over a user's files unless asked to."""
    if out.exists() and not out.is_dir():
        raise SynthError(f"{display_path(out)} exists and is not a directory")
    source, target = source.resolve(), out.resolve()
    if target == source or source in target.parents:
        raise SynthError(f"refusing to write into the source directory {display_path(source)}")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise SynthError(f"{display_path(out)} is not empty; pass --force to overwrite its data files")


class _Synthesizer:
    """Makes the copies of every record; one random generator, used in a fixed order, so the output is repeatable."""

    def __init__(self, datasets: dict[str, Parsed], scale: int, rng: random.Random) -> None:
        self.datasets = datasets
        self.scale = scale
        self.rng = rng
        # Sorted: a frozenset's order changes from one Python process to the next.
        self.countries = sorted(iso3_codes())
        self.used: dict[str, set] = {
            dataset_id: {record[parsed.spec.primary_key] for record in parsed.records}
            for dataset_id, parsed in datasets.items()
        }
        # (key of a record, copy number) -> key of that copy, for the datasets other records refer to.
        self.source_ids: dict[tuple[str, int], str] = {}
        self.acronyms: dict[tuple[str, int], str] = {}
        self.resolutions: dict[tuple[str, int], tuple[str, int, dt.date | None]] = {}
        self.tiers = {record["id"]: record["tier"] for record in datasets["sources"].records}
        self.milestone_numbers: dict[tuple[int, str], int] = {}

    def run(self) -> dict[str, list[dict[str, Any]]]:
        self._plan_references()
        makers: dict[str, Callable[[dict, int], dict] | None] = {
            "sources": self._source,
            # Not copied: one table of domains serves any number of sources, and the deployments are an outside
            # dataset of fixed size, read as it is.
            "source_domains": None,
            "deployments": None,
            "organized_violence": None,
            "one_sided_violence": None,
            "milestones": self._milestone,
            "missions": self._mission,
            "mandates": self._mandate,
            "civilian_harm": self._harm_figure,
            "comparisons": self._comparison,
            "recommendations": self._recommendation,
            "key_figures": self._key_figure,
            "evidence": self._evidence_link,
        }
        output = {}
        for dataset_id, make in makers.items():
            records = self.datasets[dataset_id].records
            copies = [dict(record) for record in records]
            if make is not None:
                copies += [make(dict(record), copy) for copy in range(1, self.scale) for record in records]
            output[dataset_id] = copies
        return output

    def _plan_references(self) -> None:
        """Keys of the copies that other datasets cite, chosen before any record refers to them."""
        for copy in range(1, self.scale):
            for record in self.datasets["sources"].records:
                new_id = self._fresh("sources", f"{record['id']}-s{copy}")
                self.source_ids[record["id"], copy] = new_id
                # A copy keeps its address, so it keeps the tier the address's domain gives it.
                self.tiers[new_id] = record["tier"]
            for record in self.datasets["missions"].records:
                self.acronyms[record["acronym"], copy] = self._fresh("missions", f"{record['acronym']} S{copy}")
        # Copies take the numbers after the highest in the source: unique numbers make unique resolutions.
        mandates = self.datasets["mandates"].records
        number = max((record["number"] for record in mandates), default=0)
        for copy in range(1, self.scale):
            for record in mandates:
                number += 1
                day = self._day(FIRST_RESOLUTION_DAY) if record["date"] is not None else None
                year = day.year if day else self.rng.randint(FIRST_RESOLUTION_DAY.year, LAST_YEAR)
                self.resolutions[record["resolution"], copy] = (f"S/RES/{number} ({year})", number, day)

    def _fresh(self, dataset_id: str, candidate: str) -> str:
        """A key no record of the dataset has yet (the candidate, else the candidate with a counter)."""
        used = self.used[dataset_id]
        key, counter = candidate, 1
        while key in used:
            counter += 1
            key = f"{candidate}-{counter}"
        used.add(key)
        return key

    def _day(self, first: dt.date = FIRST_DAY, last: dt.date = LAST_DAY) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def _year(self) -> int:
        return self.rng.randint(FIRST_YEAR, LAST_YEAR)

    def _pick(self, dataset_id: str, field: str) -> str:
        return self.rng.choice(field_vocabulary(DATASETS[dataset_id].model, field))

    def _some(self, items: list[str], least: int, most: int) -> list[str]:
        return self.rng.sample(items, self.rng.randint(least, min(most, len(items))))

    def _period(self, start: str | None, end: str | None, ongoing_share: float, longest_days: int) -> tuple:
        """A random period written with the precision of the original; the end never comes before the start."""
        first = self._day(last=LAST_DAY - dt.timedelta(days=365))
        last = min(first + dt.timedelta(days=self.rng.randint(0, longest_days)), LAST_DAY)
        # Cutting a date to its year or month moves a start earlier and an end (the end of that period) later.
        start_text = None if start is None else first.isoformat()[: len(start)]
        if self.rng.random() < ongoing_share:
            return start_text, None, first
        return start_text, last.isoformat()[: len(end or start or "YYYY-MM-DD")], first

    def _theme_vocabulary(self, dataset_id: str, field: str) -> list[str] | None:
        meta = self.datasets[dataset_id].meta
        entry = next((entry for entry in meta.fields if entry.name == field), None) if meta else None
        return entry.enum if entry else None

    def _source(self, record: dict, copy: int) -> dict:
        new_id = self.source_ids[record["id"], copy]
        record.update(id=new_id, title=f"{record['title']} (synthetic copy {copy})", tier=self.tiers[new_id])
        if record["date"] is not None:
            record["date"] = self._day().isoformat()[: len(record["date"])]
        return record

    def _cite(self, record: dict, copy: int) -> None:
        record["source_id"] = self.source_ids.get((record["source_id"], copy), record["source_id"])

    def _missions(self, acronyms: list[str], copy: int) -> list[str]:
        return [self.acronyms.get((acronym, copy), acronym) for acronym in acronyms]

    def _milestone(self, record: dict, copy: int) -> dict:
        year, organization = self._year(), self._pick("milestones", "organization")
        slug = ORGANIZATION_SLUGS.get(organization, organization.lower())
        number = self.milestone_numbers.get((year, organization), 0)
        new_id = f"{year}-{slug}-{number + 1}"
        while new_id in self.used["milestones"]:
            number += 1
            new_id = f"{year}-{slug}-{number + 1}"
        self.milestone_numbers[year, organization] = number + 1
        self.used["milestones"].add(new_id)
        record.update(id=new_id, year=year, organization=organization)
        themes = self._theme_vocabulary("milestones", "themes")
        if themes:
            record["themes"] = self._some(themes, 1, 3)
        record["missions"] = self._missions(record["missions"], copy)
        self._cite(record, copy)
        return record

    def _mission(self, record: dict, copy: int) -> dict:
        organization = self._pick("missions", "organization")
        start, end, first = self._period(record["start_date"], record["end_date"], ONGOING_SHARE, 20 * 365)
        record.update(
            acronym=self.acronyms[record["acronym"], copy],
            name=f"{record['name']} (synthetic copy {copy})",
            organization=organization,
            lead_state=self.rng.choice(self.countries) if organization in ("national", "coalition") else None,
            type=self._pick("missions", "type"),
            host_countries=self._some(self.countries, 1, 3),
            start_date=start,
            end_date=end,
            status_as_of=self._day(max(first, dt.date(LAST_YEAR - 2, 1, 1))) if end is None else None,
            poc_mandate=self._pick("missions", "poc_mandate"),
        )
        if "status" in record:
            record["status"] = "ongoing" if end is None else "ended"
        if record["first_poc_resolution"] is not None:
            planned = self.resolutions.get((record["first_poc_resolution"], copy))
            record["first_poc_resolution"] = planned[0] if planned else record["first_poc_resolution"]
        if record["hq_lat"] is not None and record["hq_lon"] is not None:
            record["hq_lat"] = round(min(max(record["hq_lat"] + self.rng.uniform(-2, 2), -90), 90), 4)
            record["hq_lon"] = round(min(max(record["hq_lon"] + self.rng.uniform(-2, 2), -180), 180), 4)
        self._cite(record, copy)
        return record

    def _mandate(self, record: dict, copy: int) -> dict:
        resolution, number, day = self.resolutions[record["resolution"], copy]
        record.update(resolution=resolution, number=number, date=day, kind=self._pick("mandates", "kind"))
        record["missions"] = self._missions(record["missions"], copy)
        self._cite(record, copy)
        return record

    def _harm_figure(self, record: dict, copy: int) -> dict:
        ongoing = 1.0 if record["period_end"] is None else 0.0
        start, end, _ = self._period(record["period_start"], record["period_end"], ongoing, 3 * 365)
        qualifier = self._pick("civilian_harm", "qualifier")
        low = int(10 ** self.rng.uniform(0, 5))
        high = low + self.rng.randint(1, low + 10) if qualifier == "range" else low
        record.update(
            id=self._fresh("civilian_harm", f"{record['id']}-s{copy}"),
            place=self._some(self.countries, 1, 3),
            period_start=start,
            period_end=end,
            measure=self._pick("civilian_harm", "measure"),
            qualifier=qualifier,
            value_low=low,
            value_high=None if record["value_high"] is None and qualifier != "range" else high,
        )
        self._cite(record, copy)
        record["source_tier"] = self.tiers.get(record["source_id"], record["source_tier"])
        return record

    def _comparison(self, record: dict, copy: int) -> dict:
        record.update(
            id=self._fresh("comparisons", f"{record['id']}-s{copy}"),
            organization=self._pick("comparisons", "organization"),
        )
        if record["year"] is not None:
            record["year"] = self._year()
        self._cite(record, copy)
        return record

    def _recommendation(self, record: dict, copy: int) -> dict:
        record.update(
            id=self._fresh("recommendations", f"{record['id']}-s{copy}"),
            kind=self._pick("recommendations", "kind"),
        )
        # Related themes must be milestone themes, and in the recommendations' own vocabulary if it has one.
        themes = self._theme_vocabulary("milestones", "themes")
        own = self._theme_vocabulary("recommendations", "related_themes")
        if themes:
            allowed = [theme for theme in themes if own is None or theme in own]
            record["related_themes"] = self._some(allowed, 0, 3)
        self._cite(record, copy)
        return record

    def _key_figure(self, record: dict, copy: int) -> dict:
        record.update(
            id=self._fresh("key_figures", f"{record['id']}-s{copy}"),
            value=float(round(record["value"] * self.rng.uniform(0.5, 2), 1)),
        )
        if record["year"] is not None:
            record["year"] = self._year()
        self._cite(record, copy)
        return record

    def _evidence_link(self, record: dict, copy: int) -> dict:
        # Copies link the same recommendation and record as the original: both are kept in the output.
        record.update(id=self._fresh("evidence", f"{record['id']}-s{copy}"))
        self._cite(record, copy)
        return record


def _raw_metadata(parsed: Parsed) -> dict[str, Any]:
    """The metadata keys as written in the source file (not the model's dump, which would add every default)."""
    document = yaml.load(parsed.meta_path.read_text(encoding="utf-8-sig"), Loader=_SafeLoader)  # noqa: S506 - safe
    return {key: value for key, value in document.items() if key != "records"}


def _cited_sources(listed: list[str], records: list[dict[str, Any]]) -> list[str]:
    """The sources the metadata listed, then every other source the records cite."""
    cited = {record["source_id"] for record in records if "source_id" in record}
    return list(listed) + sorted(cited - set(listed))


def _yaml_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Empty values are left out of a YAML record, as in the data files; lists are copied so that no two records
    share one, which YAML would write as an anchor and an alias."""
    return [
        {name: list(value) if isinstance(value, list) else value for name, value in record.items() if value is not None}
        for record in records
    ]


def _write_yaml(path: Path, document: dict[str, Any], note: str) -> None:
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(note + text, encoding="utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_csv(path: Path, fields: list[str], records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([_cell(record[name]) for name in fields] for record in records)
