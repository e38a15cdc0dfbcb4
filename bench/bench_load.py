"""Benchmark, part 1: load and validate every dataset at 1x, 10x and 100x the shipped data, against plain PyYAML.

Run from the repository root: `.venv/bin/python bench/bench_load.py` (see bench/README.md). It writes synthetic data
directories into a temporary directory, times each task in a fresh Python process, prints a Markdown table and writes
it to bench/results-load.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from poc_data.load import resolve_data_dir  # noqa: E402 - the repository must be importable first
from poc_data.problems import display_path  # noqa: E402
from poc_data.synth import SynthError, synthesize  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results-load.md"
# Issue 12: at 100x, cold load and check at most 0.35 times the baseline, warm load at most 0.07 times.
GOALS = {"cold load": 0.35, "check": 0.35, "warm load": 0.07}
PACKAGES = ("pandas", "numpy", "pyarrow", "pydantic", "pydantic-core", "PyYAML", "pycountry")

# Runs in a fresh interpreter, so nothing of an earlier run (pycountry's table, pydantic adapters, Python-level
# caches) helps; only the dataset cache, where a task uses it. The imports are timed apart: they cost the same at
# every scale.
CHILD = """
import glob, json, os, sys, time
started = time.perf_counter()
import pandas, yaml
import poc_data
from poc_data.schema import DATASETS
imported = time.perf_counter()
task, data_dir = sys.argv[1], sys.argv[2]
names = {name for spec in DATASETS.values() for name in (spec.data_file, spec.meta_file)}
files = sorted(os.path.join(data_dir, name) for name in names)
cpu = time.process_time()
begin = time.perf_counter()
if task == "baseline":
    for path in files:
        if path.endswith(".csv"):
            pandas.read_csv(path)
        else:
            with open(path, encoding="utf-8") as file:
                yaml.load(file.read(), Loader=yaml.CSafeLoader)
elif task == "check":
    problems = poc_data.check(data_dir)
    assert not problems, problems[:3]
else:
    if task == "cold load":
        assert poc_data.fill_cache(data_dir) == {}
    rows = sum(len(poc_data.load(dataset_id, data_dir)) for dataset_id in DATASETS)
seconds = time.perf_counter() - begin
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "imports": imported - started}))
"""

TASKS = {
    "baseline": "plain PyYAML (`yaml.load` with `CSafeLoader`) and `pandas.read_csv` of the same files",
    "cold load": (
        "with an empty cache, `poc_data.fill_cache` (read, validate, type and cache every dataset, in two processes "
        "for large data, as `python -m poc_data cache` does), then `poc_data.load` of every dataset"
    ),
    "cold load, one by one": (
        "with an empty cache, `poc_data.load` of every dataset in turn, in this process: read, validate, type, cache"
    ),
    "warm load": "`poc_data.load` of every dataset, served from the cache (the files unchanged since the last load)",
    "check": "`poc_data.check`: read and validate every dataset, then every cross reference (the cache is not used)",
}


def run_child(task: str, data_dir: Path, cache_dir: Path) -> dict[str, float]:
    environment = {**os.environ, "POC_CACHE_DIR": str(cache_dir)}
    result = subprocess.run(  # noqa: S603 - this interpreter, the script above
        [sys.executable, "-c", CHILD, task, str(data_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{task} on {data_dir} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def timed(task: str, data_dir: Path, caches: Path) -> dict[str, float]:
    """One run of `task`: a cold load gets an empty cache directory of its own, a warm load the one filled before."""
    if task.startswith("cold load"):
        cache_dir = Path(tempfile.mkdtemp(dir=caches))
    else:
        cache_dir = caches / f"warm-{data_dir.name}"
    return run_child(task, data_dir, cache_dir)


def directory_size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.iterdir())


def machine_facts() -> list[str]:
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in PACKAGES)
    try:
        import yaml

        libyaml = "with libyaml" if yaml.__with_libyaml__ else "without libyaml"
    except ImportError:
        libyaml = ""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return [
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {versions} ({libyaml})",
        f"- Load average when the runs started (1, 5, 15 min): {load}",
    ]


def profile(data_dir: Path) -> None:
    """Print where the time of `check` goes, for the next round of optimisation."""
    import cProfile
    import pstats

    import poc_data

    profiler = cProfile.Profile()
    profiler.runcall(poc_data.check, data_dir)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source_dir", help="data directory to scale (default: $POC_DATA_DIR or data/)")
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales (default: 1,10,100)")
    parser.add_argument("--repeat", type=int, default=7, help="runs per task and scale (default: 7)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"Markdown file (default: {RESULTS.name})")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of `check` at the largest scale")
    arguments = parser.parse_args(argv)
    scales = [int(scale) for scale in arguments.scales.split(",")]
    source = resolve_data_dir(arguments.source_dir)

    with tempfile.TemporaryDirectory(prefix="poc-bench-") as temporary:
        directories, records, sizes = {}, {}, {}
        for scale in scales:
            directories[scale] = Path(temporary) / f"{scale}x"
            print(f"writing {scale}x synthetic data ...", file=sys.stderr, flush=True)
            try:
                records[scale] = sum(synthesize(directories[scale], scale, source).values())
            except SynthError as error:
                raise SystemExit(f"cannot write the synthetic data: {error}") from None
            sizes[scale] = directory_size(directories[scale])

        facts = machine_facts()
        caches = Path(temporary) / "caches"
        caches.mkdir()
        for scale in scales:  # fill the warm cache
            run_child("warm load", directories[scale], caches / f"warm-{directories[scale].name}")
        times: dict[tuple[str, int], list[dict[str, float]]] = {(task, scale): [] for task in TASKS for scale in scales}
        # Rounds go through every task and scale in turn, so a busy moment of the machine hits them all alike.
        for round_number in range(arguments.repeat):
            print(f"round {round_number + 1} of {arguments.repeat} ...", file=sys.stderr, flush=True)
            for task in TASKS:
                for scale in scales:
                    times[task, scale].append(timed(task, directories[scale], caches))
        if arguments.profile:
            profile(directories[max(scales)])

    table = results_table(scales, records, sizes, times)
    goal = goal_lines(max(scales), times)
    text = "\n".join(
        [
            "# Benchmark: load and validate the datasets",
            "",
            f"Command: `.venv/bin/python bench/bench_load.py` (synthetic data from {display_path(source)}, "
            f"{arguments.repeat} runs per cell, each in a fresh Python process; imports not included).",
            "",
            *facts,
            "",
            table,
            "",
            *goal,
            "",
        ]
    )
    arguments.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


def median(runs: list[dict[str, float]], what: str = "seconds") -> float:
    return statistics.median(run[what] for run in runs)


def results_table(scales, records, sizes, times) -> str:
    header = ["scale", "records", "data (MB)"]
    for task in TASKS:
        header += [f"{task} median (s)", f"{task} CPU (s)"] + ([] if task == "baseline" else [f"{task} / baseline"])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for scale in scales:
        cells = [f"{scale}x", f"{records[scale]:,}", f"{sizes[scale] / 1e6:.1f}"]
        baseline = median(times["baseline", scale])
        for task in TASKS:
            runs = times[task, scale]
            cells += [f"{median(runs):.3f}", f"{median(runs, 'cpu'):.3f}"]
            if task != "baseline":
                cells.append(f"{median(runs) / baseline:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    imports = statistics.median(run["imports"] for runs in times.values() for run in runs)
    lines += [""]
    lines += [f"- `{task}`: {what}." for task, what in TASKS.items()]
    lines += [
        "",
        "Columns: wall-clock time of the call (median over the runs), CPU time of the process (median; less disturbed "
        "by other work on the machine; for `cold load` and `check` of large data, this process's only, not that of "
        "its two reading processes), and the median as a multiple of the baseline's median at the same scale in the "
        "same run. "
        "Importing `poc_data` (pandas, pyarrow, pydantic, PyYAML, pycountry) takes a further "
        f"{imports:.2f} s (median) at every scale and is not included.",
    ]
    return "\n".join(lines)


def goal_lines(scale: int, times) -> list[str]:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    baseline = median(times["baseline", scale])
    lines = [
        f"Goals (issue 12), at {scale}x against the baseline of the same run ({baseline:.2f} s). "
        f"Load average when the runs ended: {load}.",
    ]
    for task, goal in GOALS.items():
        ratio = median(times[task, scale]) / baseline
        verdict = "met" if ratio <= goal else "NOT met"
        lines.append(f"- {task}: {ratio:.3f}x the baseline (goal at most {goal}x): {verdict}.")
    lines.append("\nWhere the time goes, what was changed and what is left: bench/README.md.")
    return lines


if __name__ == "__main__":
    sys.exit(main())
