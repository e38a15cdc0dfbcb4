"""Check a whole data directory: every dataset's own rules, then every reference between datasets."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from poc_data.load import WHOLE_FILE, Parsed, read_dataset, resolve_data_dir
from poc_data.problems import Problem, display_path
from poc_data.schema import DATASETS, resolution_parts

# (dataset, field) pairs that hold mission acronyms.
MISSION_REFERENCES = (("milestones", "missions"), ("mandates", "missions"))
# (dataset, start field, end field) pairs where the end may not come before the start.
PERIODS = (("missions", "start_date", "end_date"), ("civilian_harm", "period_start", "period_end"))


def read_all(data_dir: str | os.PathLike | None = None) -> dict[str, Parsed]:
    """Every dataset of a data directory, read and validated on its own."""
    directory = resolve_data_dir(data_dir)
    return {dataset_id: read_dataset(dataset_id, directory) for dataset_id in DATASETS}


def check(data_dir: str | os.PathLike | None = None) -> list[Problem]:
    """Every problem of a data directory, sorted by file and line; an empty list when all is well."""
    directory = resolve_data_dir(data_dir)
    if directory.is_file():
        return [Problem(display_path(directory), 1, WHOLE_FILE, "is a file, not a data directory: give its folder")]
    if not directory.is_dir():
        return [Problem(display_path(directory), 1, WHOLE_FILE, "data directory not found")]
    datasets = read_all(directory)
    problems = [problem for parsed in datasets.values() for problem in parsed.problems]
    problems.extend(cross_reference_problems(datasets))
    return sorted(set(problems))


def _problem(parsed: Parsed, index: int, field: str, message: str) -> Problem:
    return Problem(parsed.shown(parsed.data_path), parsed.line_of(index, field), field, message)


def _values(parsed: Parsed, field: str) -> Iterator[tuple[int, object]]:
    for index, record in enumerate(parsed.records):
        yield index, record[field]


def _items(value: object) -> Iterable:
    if value is None:
        return ()
    return value if isinstance(value, list) else (value,)


def _known(parsed: Parsed, key: str) -> set:
    """The keys of a dataset's records, counting rejected records so they are not reported again as unknown."""
    return {record[key] for record in parsed.records} | parsed.rejected_keys


def _tiers(datasets: dict[str, Parsed]) -> dict[str, str]:
    return {record["id"]: record["tier"] for record in datasets["sources"].records}


def source_references(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """Every record's source_id is a source, and each metadata lists exactly the sources its records cite."""
    sources = datasets["sources"]
    if not sources.records:
        return
    tiers = _tiers(datasets)
    known = set(tiers) | sources.rejected_keys
    for dataset_id, parsed in datasets.items():
        used = set()
        if "source_id" in parsed.spec.model.model_fields:
            for index, source_id in _values(parsed, "source_id"):
                used.add(source_id)
                if source_id not in known:
                    yield _problem(parsed, index, "source_id", f"unknown source {source_id!r}")
        elif dataset_id == "sources":
            continue
        yield from _metadata_source_problems(parsed, used, tiers)


def mission_references(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """Acronyms named by milestones and mandates are operations in missions."""
    if not datasets["missions"].records:
        return
    acronyms = _known(datasets["missions"], "acronym")
    for dataset_id, field in MISSION_REFERENCES:
        parsed = datasets[dataset_id]
        for index, value in _values(parsed, field):
            for acronym in _items(value):
                if acronym not in acronyms:
                    yield _problem(parsed, index, field, f"unknown mission {acronym!r}")


def resolution_references(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """An operation's first POC resolution is in mandates."""
    if not datasets["mandates"].records:
        return
    resolutions = _known(datasets["mandates"], "resolution")
    missions = datasets["missions"]
    for index, resolution in _values(missions, "first_poc_resolution"):
        if resolution is not None and resolution not in resolutions:
            yield _problem(missions, index, "first_poc_resolution", f"{resolution!r} is not in mandates")


def resolution_numbers(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """A resolution's number and adoption year agree with its symbol."""
    mandates = datasets["mandates"]
    for index, record in enumerate(mandates.records):
        number, year = resolution_parts(record["resolution"])
        if number != record["number"]:
            yield _problem(mandates, index, "number", f"{record['number']} but the resolution says {number}")
        if record["date"] is not None and record["date"].year != year:
            yield _problem(mandates, index, "date", f"{record['date']} but the resolution says {year}")


def periods(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """No period ends before it starts; partial dates compare by the whole period they name."""
    for dataset_id, start_field, end_field in PERIODS:
        parsed = datasets[dataset_id]
        for index, record in enumerate(parsed.records):
            start, end = record[start_field], record[end_field]
            if start and end and _period_bounds(end)[1] < _period_bounds(start)[0]:
                yield _problem(parsed, index, end_field, f"{end} is before {start_field} {start}")


def harm_ranges(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """A figure's high value is not below its low value."""
    harm = datasets["civilian_harm"]
    for index, record in enumerate(harm.records):
        low, high = record["value_low"], record["value_high"]
        if high is not None and low > high:
            yield _problem(harm, index, "value_high", f"{high} is less than value_low {low}")


def harm_tiers(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """A figure's source_tier is its source's tier."""
    tiers = _tiers(datasets)
    harm = datasets["civilian_harm"]
    for index, record in enumerate(harm.records):
        expected = tiers.get(record["source_id"])
        if expected and record["source_tier"] != expected:
            message = f"{record['source_tier']!r} but the source's tier is {expected!r}"
            yield _problem(harm, index, "source_tier", message)


def mission_status(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """An ongoing operation has no end date."""
    missions = datasets["missions"]
    for index, record in enumerate(missions.records):
        if record["status"] == "ongoing" and record["end_date"] is not None:
            yield _problem(missions, index, "status", "ongoing, but an end_date is given")


def mission_headquarters(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """Headquarters have both coordinates or neither."""
    missions = datasets["missions"]
    for index, record in enumerate(missions.records):
        if (record["hq_lat"] is None) != (record["hq_lon"] is None):
            yield _problem(missions, index, "hq_lat", "give both hq_lat and hq_lon, or neither")


# For each kind of evidence link: the dataset its target is a key of, its key field, and how a problem names it.
EVIDENCE_TARGETS = {
    "milestone": ("milestones", "id", "milestone"),
    "mission": ("missions", "acronym", "mission"),
    "mandate": ("mandates", "resolution", "resolution"),
    "harm_figure": ("civilian_harm", "id", "civilian-harm figure"),
}


def evidence_references(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """Evidence links name a known recommendation and a known record of their kind."""
    evidence = datasets["evidence"]
    recommendations = datasets["recommendations"]
    if recommendations.records:
        known = _known(recommendations, "id")
        for index, value in _values(evidence, "recommendation_id"):
            if value not in known:
                yield _problem(evidence, index, "recommendation_id", f"unknown recommendation {value!r}")
    for index, record in enumerate(evidence.records):
        dataset_id, key, what = EVIDENCE_TARGETS[record["kind"]]
        target = datasets[dataset_id]
        if target.records and record["target"] not in _known(target, key):
            yield _problem(evidence, index, "target", f"unknown {what} {record['target']!r}")


# The rules across datasets and across the fields of one record, one function each: (datasets) -> problems.
RULES: tuple[Callable[[dict[str, Parsed]], Iterator[Problem]], ...] = (
    source_references,
    mission_references,
    resolution_references,
    resolution_numbers,
    periods,
    harm_ranges,
    harm_tiers,
    mission_status,
    mission_headquarters,
    evidence_references,
)


def cross_reference_problems(datasets: dict[str, Parsed]) -> list[Problem]:
    """References between datasets and rules across fields of one record."""
    return [problem for rule in RULES for problem in rule(datasets)]


def _metadata_source_problems(parsed: Parsed, used: set[str], tiers: dict[str, str]) -> list[Problem]:
    if parsed.meta is None:
        return []
    path = parsed.shown(parsed.meta_path)
    line = parsed.meta_lines.get("sources", 1)
    listed = set(parsed.meta.sources)
    problems = [
        Problem(path, line, "sources", f"metadata lists unknown source {source_id!r}")
        for source_id in sorted(listed - set(tiers))
    ]
    problems.extend(
        Problem(path, line, "sources", f"records cite {source_id!r}, which the metadata does not list")
        for source_id in sorted(used - listed)
        if source_id in tiers
    )
    return problems


def _period_bounds(value: str) -> tuple[str, str]:
    """The first and last day of a partial date, as sortable ISO strings."""
    return (value + "-01-01"[len(value) - 4 :], value + "-12-31"[len(value) - 4 :])

