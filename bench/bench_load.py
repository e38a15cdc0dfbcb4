"""Benchmark, part 1: load and validate every dataset at 1x, 10x and 100x the shipped data.

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
from poc_data.schema import DATASETS  # noqa: E402
from poc_data.synth import SynthError, synthesize  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results-load.md"
GOAL_SECONDS = 2.0
PACKAGES = ("pandas", "numpy", "pydantic", "pydantic-core", "PyYAML", "pycountry")

# Runs in a fresh interpreter, so no cache of an earlier run (pycountry's table, pydantic adapters, the OS's
# Python-level state) helps. The imports are timed apart: they cost the same at every scale.
CHILD = """
import json, sys, time
started = time.perf_counter()
import poc_data
from poc_data.schema import DATASETS
imported = time.perf_counter()
task, data_dir = sys.argv[1], sys.argv[2]
cpu = time.process_time()
begin = time.perf_counter()
if task == "load":
    rows = sum(len(poc_data.load(dataset_id, data_dir)) for dataset_id in DATASETS)
else:
    problems = poc_data.check(data_dir)
    assert not problems, problems[:3]
seconds = time.perf_counter() - begin
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu, "imports": imported - started}))
"""

TASKS = {"load": "load every dataset (`poc_data.load`)", "check": "validate everything (`poc_data.check`)"}


def run_child(task: str, data_dir: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, task, str(data_dir)], capture_output=True, text=True, cwd=REPO, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{task} on {data_dir} failed:\n{result.stderr}")
    return json.loads(result.stdout)


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
        times: dict[tuple[str, int], list[dict[str, float]]] = {(task, scale): [] for task in TASKS for scale in scales}
        # Rounds go through every task and scale in turn, so a busy moment of the machine hits them all alike.
        for round_number in range(arguments.repeat):
            print(f"round {round_number + 1} of {arguments.repeat} ...", file=sys.stderr, flush=True)
            for task in TASKS:
                for scale in scales:
                    times[task, scale].append(run_child(task, directories[scale]))
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


def results_table(scales, records, sizes, times) -> str:
    header = ["scale", "records", "data (MB)"]
    for task in TASKS:
        header += [f"{task} median (s)", f"{task} min (s)", f"{task} CPU (s)", f"{task} / 1x"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    base = {task: statistics.median(run["seconds"] for run in times[task, scales[0]]) for task in TASKS}
    for scale in scales:
        cells = [f"{scale}x", f"{records[scale]:,}", f"{sizes[scale] / 1e6:.1f}"]
        for task in TASKS:
            runs = times[task, scale]
            median = statistics.median(run["seconds"] for run in runs)
            cells += [
                f"{median:.3f}",
                f"{min(run['seconds'] for run in runs):.3f}",
                f"{statistics.median(run['cpu'] for run in runs):.3f}",
                f"{median / base[task]:.1f}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    imports = statistics.median(run["imports"] for runs in times.values() for run in runs)
    lines += [
        "",
        f"`load`: `poc_data.load` of each of the {len(DATASETS)} datasets (read, validate, build the typed DataFrame). "
        "`check`: `poc_data.check` (read and validate every dataset, then every cross reference). Columns: wall-clock "
        "time of the call (median and minimum over the runs), CPU time of the process (median; less disturbed by other "
        f"work on the machine), and the median as a multiple of the {scales[0]}x median measured in the same run. "
        f"Importing `poc_data` (pandas, pydantic, PyYAML, pycountry) takes a further {imports:.2f} s (median) at every "
        "scale and is not included.",
    ]
    return "\n".join(lines)


def goal_lines(scale: int, times) -> list[str]:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"Goal (issue 5): load and validate all datasets at 100x within {GOAL_SECONDS:.0f} s on this 2-core machine. "
        f"Load average when the runs ended: {load}.",
    ]
    for task in TASKS:
        median = statistics.median(run["seconds"] for run in times[task, scale])
        cpu = statistics.median(run["cpu"] for run in times[task, scale])
        verdict = "met" if median <= GOAL_SECONDS else "NOT met"
        lines.append(f"- {task} at {scale}x: {median:.2f} s median wall-clock ({cpu:.2f} s CPU): {verdict}.")
    lines.append("\nWhere the time goes, what was changed and what is left: bench/README.md.")
    return lines


if __name__ == "__main__":
    sys.exit(main())
