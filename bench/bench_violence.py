"""Benchmark of the Map's UCDP layer and the per-operation view of violence against civilians, against a bare page.

`python bench/bench_violence.py [--events 400000] [--repeat 7]` from the repository root times, with AppTest in one
process (warm: each view run once, then timed in rounds with the bare page, as bench_app.py does), the Map with the
civilians-killed layer and one country-year's events (the Central African Republic in 2014) and the Violence against
civilians page's per-operation view (MINUSCA, its default), on the shipped data and on a copy of it whose events are
a synthetic GED release of 400,000 events (bench_events.write_release) imported with `poc_data.events.import_ged`.
It then serves each data directory, and a copy without any events file, opens both views in headless Chromium, and
reads the server's peak memory. It replaces its own section of bench/results.md and keeps the rest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench_app  # noqa: E402
import bench_events  # noqa: E402
from bench_app import PageRun  # noqa: E402

from poc_data.events import DATA_FILE, META_FILE, events_in, import_ged  # noqa: E402
from poc_data.load import load  # noqa: E402
from poc_data.transform.violence_map import deployed_in, near_deployments  # noqa: E402

REPO = BENCH.parent
RESULTS = BENCH / "results.md"
SECTION = "## UCDP layer and per-operation view (bench/bench_violence.py)"
VIEWS = (
    PageRun(
        "Map: civilians killed and the events of one country-year",
        "pages/2_Map.py",
        {"map_year": "2014", "map_ucdp": "true", "map_country": "Central African Republic"},
    ),
    PageRun("Violence against civilians: per operation (MINUSCA)", "pages/10_Violence_against_civilians.py"),
)
GOALS = {"shipped": 2.0, "synthetic": 3.0}
COUNTRY, YEAR = "CAF", 2014
MEMORY_GOAL_MB = 300


def data_copy(root: Path, name: str, release: Path | None) -> Path:
    """The shipped data without its events file, with the events of `release` imported when one is given."""
    target = root / name
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns(DATA_FILE, META_FILE))
    if release is not None:
        import_ged(release, target)
    return target


def query_ms(data_dir: Path, repeat: int) -> tuple[float, int]:
    """Median time (ms) of what the Map asks of the events for one country-year when nothing is cached: the DuckDB
    query of its events and the deaths within 25 and 50 km of the year's locations; and how many events it finds."""
    locations = deployed_in(load("deployments", REPO / "data"), COUNTRY, YEAR)
    samples, found = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        events = events_in(data_dir, COUNTRY, YEAR)
        near_deployments(events, locations)
        samples.append(time.perf_counter() - started)
        found = len(events)
    return bench_app.median_ms(samples), found


def peak_memory(data_dir: Path) -> float:
    """The server's peak resident memory (MB) after both views have been drawn in Chromium, once each."""
    process, base = bench_app.start_server(data_dir)
    try:
        bench_app.first_renders(base, [view.url for view in VIEWS], repeats=1)
        return bench_app.peak_rss_mb(process.pid)
    finally:
        bench_app.stop_server(process)


def measure(events: int, repeat: int) -> str:
    with tempfile.TemporaryDirectory(prefix="poc-bench-violence-") as temporary:
        root = Path(temporary)
        os.environ["POC_WORKSHOP_DB"] = f"sqlite+pysqlite:///{root / 'workshop.sqlite'}"
        release = root / "GEDEvent_v99_1.csv"
        bench_events.write_release(release, events)
        started = time.perf_counter()
        synthetic = data_copy(root, "synthetic", release)
        imported = time.perf_counter() - started
        release.unlink()
        runs = {
            "shipped": bench_app.page_runs(REPO / "data", repeat, VIEWS),
            "synthetic": bench_app.page_runs(synthetic, repeat, VIEWS),
        }
        queries = {"shipped": query_ms(REPO / "data", repeat), "synthetic": query_ms(synthetic, repeat)}
        memory = {"without events": peak_memory(data_copy(root, "none", None)), "with events": peak_memory(synthetic)}
    lines = [
        SECTION,
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Warm server-side run time (AppTest, median of {repeat} runs, "
        "ms) and its ratio to the bare page timed in the same rounds; shipped data (GED 23.1, 1,848 events) and the "
        f"shipped data with a synthetic GED of {events:,} events (imported in {imported:.0f} s). Goals (issue 19): "
        f"at most {GOALS['shipped']:.0f}x the bare page at shipped size, at most {GOALS['synthetic']:.0f}x with the "
        f"{events:,} events.",
        "",
        f"| view | shipped ms | shipped ratio | {events:,} events ms | {events:,} events ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for view in [*VIEWS, PageRun("bare page", "")]:
        cells = []
        for name in ("shipped", "synthetic"):
            value, bare = runs[name][view.label], runs[name]["bare page"]
            cells.append(f"{value:.0f} | {value / bare:.2f}")
        lines.append(f"| {view.label} | " + " | ".join(cells) + " |")
    extra = memory["with events"] - memory["without events"]
    lines += [
        "",
        "The warm runs answer from the page's caches (keyed by the events file's digest); uncached, the events query "
        f"of the country-year (DuckDB on the Parquet file) and the deaths within 25 and 50 km take "
        f"{queries['shipped'][0]:.0f} ms for the {queries['shipped'][1]:,} events of the shipped data and "
        f"{queries['synthetic'][0]:.0f} ms for the {queries['synthetic'][1]:,} of the synthetic data (median of "
        f"{repeat}).",
        "",
        "Peak memory of the server (VmHWM) after drawing both views once in Chromium: "
        f"{memory['without events']:.0f} MB on the shipped data without any events file, "
        f"{memory['with events']:.0f} MB with the {events:,} events: **{extra:+.0f} MB** "
        f"(goal: at most {MEMORY_GOAL_MB} MB more).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--output", type=Path, default=RESULTS)
    arguments = parser.parse_args(argv)
    section = measure(arguments.events, arguments.repeat)
    existing = arguments.output.read_text() if arguments.output.exists() else ""
    arguments.output.write_text(bench_events.replace_section(existing, section, SECTION))
    print(section)


if __name__ == "__main__":
    main()
