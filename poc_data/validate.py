"""Check a whole data directory: every dataset's own rules, then every reference between datasets."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from poc_data.events import events_problems
from poc_data.load import (
    WHOLE_FILE,
    Parsed,
    dataset_sizes,
    read_and_cache,
    read_dataset,
    resolve_data_dir,
    to_frame,
)
from poc_data.problems import Code, Problem, display_path
from poc_data.schema import PUBLISHER_CLASSES, REFUSED_BECAUSE, ForeignKey, resolution_parts
from poc_data.speed import read_in_two_processes
from poc_data.stories import STORY_DATA, story_paths, story_problems

# (dataset, start field, end field) pairs where the end may not come before the start.
PERIODS = (("missions", "start_date", "end_date"), ("civilian_harm", "period_start", "period_end"))
_URL = re.compile(r"https?://[^\s,;\"'()<>]+")


def read_all(data_dir: str | os.PathLike | None = None, *, cache: bool = False) -> dict[str, Parsed]:
    """Every dataset of a data directory, read and validated on its own (in two processes for large data); with
    `cache`, each one that has no problem of its own is also cached for `load`."""
    directory = resolve_data_dir(data_dir)
    read = read_and_cache if cache else read_dataset
    return read_in_two_processes(functools.partial(read, data_dir=directory), dataset_sizes(directory))


def check(data_dir: str | os.PathLike | None = None, *, cache: bool = False) -> list[Problem]:
    """Every problem of a data directory, sorted by file and line; an empty list when all is well. With `cache`,
    every dataset that has no problem of its own is also cached, so that `load` serves it from the cache."""
    directory = resolve_data_dir(data_dir)
    if directory.is_file():
        return [
            Problem(
                display_path(directory), 1, WHOLE_FILE, "is a file, not a data directory: give its folder", Code.FILE
            )
        ]
    if not directory.is_dir():
        return [Problem(display_path(directory), 1, WHOLE_FILE, "data directory not found", Code.FILE)]
    datasets = read_all(directory, cache=cache)
    problems = [problem for parsed in datasets.values() for problem in parsed.problems]
    problems.extend(cross_reference_problems(datasets))
    problems.extend(_story_problems(directory, datasets))
    problems.extend(events_problems(directory, _source_keys(datasets)))
    return sorted(set(problems))


def _source_keys(datasets: dict[str, Parsed]) -> set[str] | None:
    """The keys of sources.yaml, counting rejected records; None when it has none to check against."""
    sources = datasets["sources"]
    if not sources.records:
        return None
    return {record["id"] for record in sources.records} | sources.rejected_keys


def warnings(data_dir: str | os.PathLike | None = None) -> list[Problem]:
    """What is allowed but weak: every record whose only source is an encyclopedia. Not counted as problems."""
    directory = resolve_data_dir(data_dir)
    if not directory.is_dir():
        return []
    datasets = read_all(directory)
    tiers = {record["id"]: record["tier"] for record in datasets["sources"].records}
    found = encyclopedia_only({dataset_id: parsed.records for dataset_id, parsed in datasets.items()}, tiers)
    cautions = [
        _problem(
            datasets[dataset_id], index, "source_id", f"rests only on an encyclopedia ({source_id!r})", Code.WEAK_SOURCE
        )
        for dataset_id, index, source_id in found
    ]
    return sorted(cautions + deployment_warnings(datasets) + estimate_order_warnings(datasets))


def estimate_order_warnings(datasets: dict[str, Parsed]) -> list[Problem]:
    """Rows of a producer's release whose low, best and high estimates are not in that order: kept as released."""
    found = []
    for parsed in datasets.values():
        for low, best, high in getattr(parsed.spec.model, "estimates", ()):
            for index, record in enumerate(parsed.records):
                if not record[low] <= record[best] <= record[high]:
                    message = (
                        f"the producer's estimates are out of order (low {record[low]}, best {record[best]}, "
                        f"high {record[high]}); kept as released"
                    )
                    found.append(_problem(parsed, index, best, message, Code.AS_RELEASED))
    return found


def _span(years: list[int]) -> str:
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}-{last}"


def deployment_warnings(datasets: dict[str, Parsed]) -> list[Problem]:
    """Where the deployments disagree with missions: an operation missing there, or rows outside its dates."""
    deployments, missions = datasets["deployments"], datasets["missions"]
    if not deployments.records or not missions.records:
        return []
    by_acronym = {record["acronym"]: record for record in missions.records}
    rows: dict[str, list[int]] = {}
    for index, record in enumerate(deployments.records):
        rows.setdefault(record["mission"], []).append(index)
    cautions = []
    for acronym, indexes in rows.items():
        years = [deployments.records[index]["year"] for index in indexes]
        mission = by_acronym.get(acronym)
        if mission is None:
            message = f"{acronym!r} ({len(indexes)} rows, {_span(years)}) is not in missions.csv"
            cautions.append(_problem(deployments, indexes[0], "mission", message, Code.COVERAGE))
            continue
        start, end = mission["start_date"], mission["end_date"]
        early = [(i, y) for i, y in zip(indexes, years, strict=True) if start and y < int(start[:4])]
        late = [(i, y) for i, y in zip(indexes, years, strict=True) if end and y > int(end[:4])]
        for found, where, date in ((early, "before its start", start), (late, "after its end", end)):
            if found:
                message = (
                    f"{len(found)} row(s) of {acronym!r} in {_span([y for _, y in found])} fall {where} "
                    f"({date}) in missions.csv"
                )
                cautions.append(_problem(deployments, found[0][0], "year", message, Code.COVERAGE))
    return cautions


def encyclopedia_only(records: Mapping[str, Iterable[Mapping]], tiers: Mapping[str, str]) -> list[tuple[str, int, str]]:
    """(dataset, position, source_id) of every record that cites only a source of tier encyclopedia."""
    return [
        (dataset_id, index, record["source_id"])
        for dataset_id, rows in records.items()
        if dataset_id != "sources"
        for index, record in enumerate(rows)
        if tiers.get(record.get("source_id")) == "encyclopedia"
    ]


def host_of(url: str) -> str:
    """An address's host name, lower case, without `www.` or a final dot."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    return host.removeprefix("www.")


def domain_of(host: str, domains: Mapping[str, Mapping]) -> Mapping | None:
    """The entry of the domain table that covers a host: the longest domain it equals or ends with."""
    parts = host.split(".")
    for start in range(len(parts) - 1):
        entry = domains.get(".".join(parts[start:]))
        if entry is not None:
            return entry
    return None


def _refused(url: str, domains: Mapping[str, Mapping]) -> str | None:
    """Why an address may not be cited, or None when its domain is allowed."""
    host = host_of(url)
    entry = domain_of(host, domains)
    if entry is None:
        return f"{host!r} is not in source_domains.csv: add its publisher and class there first"
    if not PUBLISHER_CLASSES[entry["publisher_class"]]:
        return (
            f"{host!r} is classed {entry['publisher_class']} ({entry['publisher']}), not an allowed source "
            f"({REFUSED_BECAUSE[entry['publisher_class']]}): cite the original publisher"
        )
    return None


def source_rule_problems(datasets: dict[str, Parsed]) -> list[Problem]:
    """Every source has an address or a UN document symbol, on an allowed domain, with the tier of its domain."""
    table = datasets["source_domains"]
    if not table.records:
        return []
    domains = {record["domain"]: record for record in table.records}
    sources = datasets["sources"]
    problems = []
    for index, record in enumerate(sources.records):
        url, tier = record["url"], record["tier"]
        if url is None:
            if record["symbol"] is None:
                message = "give the address (url) or the UN document symbol"
                problems.append(_problem(sources, index, "url", message, Code.CITATION))
            elif tier != "official":
                message = f"{tier!r}, but a UN document is 'official'"
                problems.append(_problem(sources, index, "tier", message, Code.CITATION))
            continue
        refused = _refused(url, domains)
        if refused:
            problems.append(_problem(sources, index, "url", refused, Code.CITATION))
            continue
        entry = domain_of(host_of(url), domains)
        allowed = PUBLISHER_CLASSES[entry["publisher_class"]]
        if tier not in allowed:
            problems.append(
                _problem(
                    sources,
                    index,
                    "tier",
                    f"{tier!r}, but {host_of(url)!r} is classed {entry['publisher_class']}: "
                    f"the tier is {' or '.join(map(repr, allowed))}",
                    Code.CITATION,
                )
            )
    for parsed in datasets.values():
        if "source_detail" not in parsed.spec.model.model_fields:
            continue
        for index, detail in _values(parsed, "source_detail"):
            for url in _URL.findall(detail or ""):
                refused = _refused(url, domains)
                if refused:
                    problems.append(_problem(parsed, index, "source_detail", refused, Code.CITATION))
    return problems


def _story_problems(directory: Path, datasets: dict[str, Parsed]) -> list[Problem]:
    """The guided stories in data/stories/, checked against the datasets' values and sources."""
    if not story_paths(directory):
        return []
    frames = {dataset_id: to_frame(parsed) for dataset_id, parsed in datasets.items() if dataset_id in STORY_DATA}
    source_ids = {record["id"] for record in datasets["sources"].records} | datasets["sources"].rejected_keys
    return story_problems(directory, data=frames, source_ids=source_ids)


def _problem(parsed: Parsed, index: int, field: str, message: str, code: Code) -> Problem:
    return Problem(parsed.shown(parsed.data_path), parsed.line_of(index, field), field, message, code)


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


def foreign_key_problems(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """Every value of a field that refers to another dataset (schema.DatasetSpec.foreign_keys) is a key there.
    Nothing is checked against a dataset that has no records (its own problems say why), and the keys of records
    that failed validation count as known, so that one bad record is not reported again by every reference to it."""
    known: dict[tuple[str, str], set] = {}
    for parsed in datasets.values():
        for reference in parsed.spec.foreign_keys:
            target = datasets[reference.resource]
            if not target.records:
                continue
            if (reference.resource, reference.key) not in known:
                known[reference.resource, reference.key] = _known(target, reference.key)
            yield from _dangling(parsed, reference, known[reference.resource, reference.key])


def _dangling(parsed: Parsed, reference: ForeignKey, keys: set) -> Iterator[Problem]:
    for index, record in enumerate(parsed.records):
        if reference.when is not None and record[reference.when[0]] != reference.when[1]:
            continue
        for value in _items(record[reference.field]):
            if value not in keys:
                yield _problem(parsed, index, reference.field, reference.message.format(value), Code.FOREIGN_KEY)


def metadata_sources(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """Each metadata lists exactly the sources its records cite, and only sources of sources.yaml."""
    sources = datasets["sources"]
    if not sources.records:
        return
    tiers = _tiers(datasets)
    for dataset_id, parsed in datasets.items():
        if dataset_id != "sources":
            cited = "source_id" in parsed.spec.model.model_fields
            used = {source_id for _, source_id in _values(parsed, "source_id")} if cited else set()
            yield from _metadata_source_problems(parsed, used, tiers)


def resolution_numbers(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """A resolution's number and adoption year agree with its symbol."""
    mandates = datasets["mandates"]
    for index, record in enumerate(mandates.records):
        number, year = resolution_parts(record["resolution"])
        if number != record["number"]:
            message = f"{record['number']} but the resolution says {number}"
            yield _problem(mandates, index, "number", message, Code.ROW_CONSTRAINT)
        if record["date"] is not None and record["date"].year != year:
            message = f"{record['date']} but the resolution says {year}"
            yield _problem(mandates, index, "date", message, Code.ROW_CONSTRAINT)


def periods(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """No period ends before it starts; partial dates compare by the whole period they name."""
    for dataset_id, start_field, end_field in PERIODS:
        parsed = datasets[dataset_id]
        for index, record in enumerate(parsed.records):
            start, end = record[start_field], record[end_field]
            if start and end and _period_bounds(end)[1] < _period_bounds(start)[0]:
                message = f"{end} is before {start_field} {start}"
                yield _problem(parsed, index, end_field, message, Code.ROW_CONSTRAINT)


def harm_ranges(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """A figure's high value is not below its low value."""
    harm = datasets["civilian_harm"]
    for index, record in enumerate(harm.records):
        low, high = record["value_low"], record["value_high"]
        if high is not None and low > high:
            yield _problem(harm, index, "value_high", f"{high} is less than value_low {low}", Code.ROW_CONSTRAINT)


def harm_tiers(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """A figure's source_tier is its source's tier."""
    tiers = _tiers(datasets)
    harm = datasets["civilian_harm"]
    for index, record in enumerate(harm.records):
        expected = tiers.get(record["source_id"])
        if expected and record["source_tier"] != expected:
            message = f"{record['source_tier']!r} but the source's tier is {expected!r}"
            yield _problem(harm, index, "source_tier", message, Code.ROW_CONSTRAINT)


def mission_status(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """An ongoing operation has no end date."""
    missions = datasets["missions"]
    for index, record in enumerate(missions.records):
        if record["status"] == "ongoing" and record["end_date"] is not None:
            yield _problem(missions, index, "status", "ongoing, but an end_date is given", Code.ROW_CONSTRAINT)


def mission_headquarters(datasets: dict[str, Parsed]) -> Iterator[Problem]:
    """Headquarters have both coordinates or neither."""
    missions = datasets["missions"]
    for index, record in enumerate(missions.records):
        if (record["hq_lat"] is None) != (record["hq_lon"] is None):
            message = "give both hq_lat and hq_lon, or neither"
            yield _problem(missions, index, "hq_lat", message, Code.ROW_CONSTRAINT)


# The rules across datasets and across the fields of one record, one function each: (datasets) -> problems.
RULES: tuple[Callable[[dict[str, Parsed]], Iterator[Problem]], ...] = (
    foreign_key_problems,
    metadata_sources,
    resolution_numbers,
    periods,
    harm_ranges,
    harm_tiers,
    mission_status,
    mission_headquarters,
    source_rule_problems,
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
        Problem(path, line, "sources", f"metadata lists unknown source {source_id!r}", Code.FOREIGN_KEY)
        for source_id in sorted(listed - set(tiers))
    ]
    problems.extend(
        Problem(path, line, "sources", f"records cite {source_id!r}, which the metadata does not list", Code.METADATA)
        for source_id in sorted(used - listed)
        if source_id in tiers
    )
    return problems


def _period_bounds(value: str) -> tuple[str, str]:
    """The first and last day of a partial date, as sortable ISO strings."""
    return (value + "-01-01"[len(value) - 4 :], value + "-12-31"[len(value) - 4 :])
