"""Check a whole data directory: every dataset's own rules, then every reference between datasets."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

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
    if not directory.is_dir():
        return [Problem(display_path(directory), 1, WHOLE_FILE, "data directory not found")]
    datasets = read_all(directory)
    problems = [problem for parsed in datasets.values() for problem in parsed.problems]
    problems.extend(cross_reference_problems(datasets))
    return sorted(set(problems))


def _problem(parsed: Parsed, index: int, field: str, message: str) -> Problem:
    return Problem(display_path(parsed.data_path), parsed.line_of(index, field), field, message)


def _values(parsed: Parsed, field: str) -> Iterator[tuple[int, object]]:
    for index, record in enumerate(parsed.records):
        yield index, record[field]


def _items(value: object) -> Iterable:
    if value is None:
        return ()
    return value if isinstance(value, list) else (value,)


def cross_reference_problems(datasets: dict[str, Parsed]) -> list[Problem]:
    """References between datasets and rules across fields of one record."""
    problems: list[Problem] = []
    sources = datasets["sources"]
    tiers = {record["id"]: record["tier"] for record in sources.records}
    known_sources = set(tiers) | sources.rejected_keys
    acronyms = {record["acronym"] for record in datasets["missions"].records} | datasets["missions"].rejected_keys
    resolutions = {record["resolution"] for record in datasets["mandates"].records} | datasets["mandates"].rejected_keys

    for dataset_id, parsed in datasets.items():
        if "source_id" in parsed.spec.model.model_fields and sources.records:
            used = set()
            for index, source_id in _values(parsed, "source_id"):
                used.add(source_id)
                if source_id not in known_sources:
                    problems.append(_problem(parsed, index, "source_id", f"unknown source {source_id!r}"))
            problems.extend(_metadata_source_problems(parsed, used, tiers))
        elif dataset_id != "sources" and parsed.meta and sources.records:
            problems.extend(_metadata_source_problems(parsed, set(), tiers))

    if datasets["missions"].records:
        for dataset_id, field in MISSION_REFERENCES:
            parsed = datasets[dataset_id]
            for index, value in _values(parsed, field):
                for acronym in _items(value):
                    if acronym not in acronyms:
                        problems.append(_problem(parsed, index, field, f"unknown mission {acronym!r}"))

    if datasets["mandates"].records:
        missions = datasets["missions"]
        for index, resolution in _values(missions, "first_poc_resolution"):
            if resolution is not None and resolution not in resolutions:
                problems.append(_problem(missions, index, "first_poc_resolution", f"{resolution!r} is not in mandates"))

    mandates = datasets["mandates"]
    for index, record in enumerate(mandates.records):
        number, year = resolution_parts(record["resolution"])
        if number != record["number"]:
            problems.append(_problem(mandates, index, "number", f"{record['number']} but the resolution says {number}"))
        if record["date"] is not None and record["date"].year != year:
            problems.append(_problem(mandates, index, "date", f"{record['date']} but the resolution says {year}"))

    for dataset_id, start_field, end_field in PERIODS:
        parsed = datasets[dataset_id]
        for index, record in enumerate(parsed.records):
            start, end = record[start_field], record[end_field]
            if start and end and _period_bounds(end)[1] < _period_bounds(start)[0]:
                problems.append(_problem(parsed, index, end_field, f"{end} is before {start_field} {start}"))

    harm = datasets["civilian_harm"]
    for index, record in enumerate(harm.records):
        low, high = record["value_low"], record["value_high"]
        if high is not None and low > high:
            problems.append(_problem(harm, index, "value_high", f"{high} is less than value_low {low}"))
        expected_tier = tiers.get(record["source_id"])
        if expected_tier and record["source_tier"] != expected_tier:
            problems.append(
                _problem(
                    harm, index, "source_tier", f"{record['source_tier']!r} but the source's tier is {expected_tier!r}"
                )
            )

    missions = datasets["missions"]
    for index, record in enumerate(missions.records):
        if record["status"] == "ongoing" and record["end_date"] is not None:
            problems.append(_problem(missions, index, "status", "ongoing, but an end_date is given"))
        if (record["hq_lat"] is None) != (record["hq_lon"] is None):
            problems.append(_problem(missions, index, "hq_lat", "give both hq_lat and hq_lon, or neither"))

    problems.extend(_theme_problems(datasets))
    problems.extend(_evidence_problems(datasets))
    return problems


# For each kind of evidence link: the dataset its target is a key of, and how a problem names it.
EVIDENCE_TARGETS = {
    "milestone": ("milestones", "milestone"),
    "mission": ("missions", "mission"),
    "mandate": ("mandates", "resolution"),
    "harm_figure": ("civilian_harm", "civilian-harm figure"),
}


def _keys(parsed: Parsed) -> set:
    """The keys of a dataset's records, those that failed validation included (they are reported already)."""
    return {record[parsed.spec.primary_key] for record in parsed.records} | parsed.rejected_keys


def _evidence_problems(datasets: dict[str, Parsed]) -> list[Problem]:
    """Evidence links must name a known recommendation and a known record of their kind."""
    evidence = datasets["evidence"]
    problems: list[Problem] = []
    recommendations = datasets["recommendations"]
    if recommendations.records:
        known = _keys(recommendations)
        problems.extend(
            _problem(evidence, index, "recommendation_id", f"unknown recommendation {value!r}")
            for index, value in _values(evidence, "recommendation_id")
            if value not in known
        )
    for index, record in enumerate(evidence.records):
        dataset_id, what = EVIDENCE_TARGETS[record["kind"]]
        target = datasets[dataset_id]
        if target.records and record["target"] not in _keys(target):
            problems.append(_problem(evidence, index, "target", f"unknown {what} {record['target']!r}"))
    return problems


def _metadata_source_problems(parsed: Parsed, used: set[str], tiers: dict[str, str]) -> list[Problem]:
    if parsed.meta is None:
        return []
    path = display_path(parsed.meta_path)
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


def _theme_problems(datasets: dict[str, Parsed]) -> list[Problem]:
    """Recommendations' related themes must come from the milestones' theme vocabulary."""
    milestones_meta = datasets["milestones"].meta
    themes_field = next((f for f in milestones_meta.fields if f.name == "themes"), None) if milestones_meta else None
    if themes_field is None or not themes_field.enum:
        return []
    vocabulary = set(themes_field.enum)
    recommendations = datasets["recommendations"]
    return [
        _problem(recommendations, index, "related_themes", f"{theme!r} is not a milestone theme")
        for index, themes in _values(recommendations, "related_themes")
        for theme in themes
        if theme not in vocabulary
    ]


def _period_bounds(value: str) -> tuple[str, str]:
    """The first and last day of a partial date, as sortable ISO strings."""
    return (value + "-01-01"[len(value) - 4 :], value + "-12-31"[len(value) - 4 :])


def data_files(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """The files a data directory should hold, in dataset order."""
    directory = resolve_data_dir(data_dir)
    files: list[Path] = []
    for spec in DATASETS.values():
        for name in dict.fromkeys((spec.data_file, spec.meta_file)):
            files.append(directory / name)
    return files
