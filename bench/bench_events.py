"""Benchmark of the UCDP events: import of a synthetic GED release against pandas.read_csv, and the queries.

`python bench/bench_events.py [--events 400000] [--repeat 5]` from the repository root writes a deterministic
GED-format CSV into a temporary directory, then times, each in a fresh Python process (imports timed apart):
`pandas.read_csv` of the file, `python -m poc_data import ucdp-ged`'s conversion (poc_data.events.import_ged), and
the queries a page makes for one country and year (events_in, civilian_deaths_by_year, deaths_near). It replaces
its own section of bench/results.md and keeps the rest of the file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from poc_data.events import GED_COLUMNS  # noqa: E402

RESULTS = BENCH / "results.md"
SECTION = "## UCDP events (bench/bench_events.py)"
SEED = 1989
# UCDP's names of some countries with many events (their GW numbers), the historical names among them.
COUNTRIES = (
    ("Central African Republic", 482, "Africa"),
    ("DR Congo (Zaire)", 490, "Africa"),
    ("Mali", 432, "Africa"),
    ("South Sudan", 626, "Africa"),
    ("Somalia", 520, "Africa"),
    ("Nigeria", 475, "Africa"),
    ("Afghanistan", 700, "Asia"),
    ("Myanmar (Burma)", 775, "Asia"),
    ("Syria", 652, "Middle East"),
    ("Yemen (North Yemen)", 678, "Middle East"),
    ("Russia (Soviet Union)", 365, "Europe"),
    ("Colombia", 100, "Americas"),
)
WORDS = "forces attacked village reported killed rebels militia government civilians market road near town".split()


def write_release(path: Path, events: int, seed: int = SEED) -> None:
    """A GED-format CSV of `events` events, the same bytes for the same seed, valid for the importer."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(GED_COLUMNS)
        for number in range(1, events + 1):
            country, gw, region = COUNTRIES[rng.randrange(len(COUNTRIES))]
            year = rng.randint(1989, 2024)
            start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(358))
            end = start + dt.timedelta(days=rng.choice((0, 0, 0, 1, 6)))
            kind = rng.choice((1, 2, 3))
            deaths = [rng.choice((0, 0, 1, 2, 5)) for _ in range(4)]
            if kind == 3:
                deaths = [0, 0, rng.randint(1, 40), 0]
            best = sum(deaths)
            low, high = max(0, best - rng.randint(0, 2)), best + rng.randint(0, 10)
            lat, lon = round(rng.uniform(-10, 40), 6), round(rng.uniform(-20, 100), 6)
            conflict = rng.randint(200, 16000)
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
            row = {
                "id": number,
                "relid": f"X-{year}-{kind}-{conflict}-{number}",
                "year": year,
                "active_year": rng.choice((0, 1, 1)),
                "code_status": "Clear",
                "type_of_violence": kind,
                "conflict_dset_id": conflict,
                "conflict_new_id": conflict,
                "conflict_name": f"{country}: Government",
                "dyad_dset_id": conflict + 1,
                "dyad_new_id": conflict + 1,
                "dyad_name": f"Government of {country} - Group {conflict}",
                "side_a_dset_id": gw,
                "side_a_new_id": gw,
                "side_a": f"Government of {country}",
                "side_b_dset_id": conflict,
                "side_b_new_id": 1 if kind == 3 else conflict,
                "side_b": "Civilians" if kind == 3 else f"Group {conflict}",
                "number_of_sources": rng.choice((-1, 1, 2, 3)),
                "source_article": f'"{text}", Agency {rng.randint(1, 99)}/{rng.randint(1, 12)}-{year % 100:02d}',
                "source_office": "",
                "source_date": "",
                "source_headline": text[:60],
                "source_original": rng.choice(("", "local sources", "a witness")),
                "where_prec": rng.randint(1, 7),
                "where_coordinates": f"Place {rng.randint(1, 5000)} town",
                "where_description": f"Place {rng.randint(1, 5000)} town, {text[:30]}",
                "adm_1": f"Province {rng.randint(1, 20)}",
                "adm_2": f"District {rng.randint(1, 200)}",
                "latitude": lat,
                "longitude": lon,
                "geom_wkt": f"POINT ({lon} {lat})",
                "priogrid_gid": rng.randint(1, 259200),
                "country": country,
                "country_id": gw,
                "region": region,
                "event_clarity": rng.choice((1, 1, 2)),
                "date_prec": rng.randint(1, 5),
                "date_start": f"{start.isoformat()} 00:00:00.000",
                "date_end": f"{end.isoformat()} 00:00:00.000",
                "deaths_a": deaths[0],
                "deaths_b": deaths[1],
                "deaths_civilians": deaths[2],
                "deaths_unknown": deaths[3],
                "best": best,
                "high": high,
                "low": low,
                "gwnoa": gw,
                "gwnob": "",
            }
            writer.writerow([row[name] for name in GED_COLUMNS])


# Each task runs in a fresh process and prints {"seconds": ..., "peak_mb": ...}; imports are done before the clock.
TASKS = {
    "pandas.read_csv": """
import pandas as pd
start, cpu_start = clock(), cpu()
frame = pd.read_csv(RELEASE, low_memory=False)
seconds = clock() - start
""",
    "import_ged": """
from poc_data import events
start, cpu_start = clock(), cpu()
events.import_ged(RELEASE, DATA_DIR, version="99.1")
seconds = clock() - start
""",
    "events_in (one country-year)": """
from poc_data import events
events.event_years(DATA_DIR)
start, cpu_start = clock(), cpu()
frame = events.events_in(DATA_DIR, "COD", 2014)
seconds = clock() - start
""",
    "civilian_deaths_by_year (one country)": """
from poc_data import events
events.event_years(DATA_DIR)
start, cpu_start = clock(), cpu()
frame = events.civilian_deaths_by_year(DATA_DIR, "COD")
seconds = clock() - start
""",
    "deaths_near (one country-year, 200 locations)": """
import numpy as np, pandas as pd
from poc_data import events
frame = events.events_in(DATA_DIR, "COD", 2014)
generator = np.random.default_rng(1)
locations = pd.DataFrame({"lat": generator.uniform(-10, 40, 200), "lon": generator.uniform(-20, 100, 200)})
events.deaths_near(frame.head(1), locations)
start, cpu_start = clock(), cpu()
events.deaths_near(frame, locations)
seconds = clock() - start
""",
    "events_problems (the check)": """
from poc_data import events
start, cpu_start = clock(), cpu()
events.events_problems(DATA_DIR)
seconds = clock() - start
""",
}
PRELUDE = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
clock = time.perf_counter
RELEASE, DATA_DIR = {release!r}, {data_dir!r}
"""
CODA = """
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu() - cpu_start, "peak_mb": peak}))
"""


def run_task(name: str, release: Path, data_dir: Path) -> dict[str, float]:
    code = PRELUDE.format(repo=str(REPO), release=str(release), data_dir=str(data_dir)) + TASKS[name] + CODA
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(events: int, repeat: int) -> str:
    with tempfile.TemporaryDirectory() as temporary:
        release = Path(temporary) / "GEDEvent_v99_1.csv"
        data_dir = Path(temporary) / "data"
        data_dir.mkdir()
        write_release(release, events)
        size_mb = release.stat().st_size / 1e6
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in TASKS}
        for _ in range(repeat):
            for name in TASKS:  # rounds through every task, so that a busy moment hits them all alike
                samples[name].append(run_task(name, release, data_dir))
        parquet_mb = (data_dir / "violence_events.parquet").stat().st_size / 1e6
    medians = {name: statistics.median(s["seconds"] for s in found) for name, found in samples.items()}
    peaks = {name: statistics.median(s["peak_mb"] for s in found) for name, found in samples.items()}
    cpus = {name: statistics.median(s["cpu"] for s in found) for name, found in samples.items()}
    baseline = medians["pandas.read_csv"]
    lines = [
        SECTION,
        "",
        f"Written by `python bench/bench_events.py --events {events} --repeat {repeat}` on "
        f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}: a synthetic GED-format CSV of {events:,} events "
        f"({size_mb:.0f} MB; its Parquet {parquet_mb:.1f} MB). Median of {repeat} runs, each in a fresh process "
        "(imports not timed); CPU is the process's user and system time over the same span (DuckDB works on every "
        f"core, pandas on one; this machine has {os.cpu_count()}, and its load average was {os.getloadavg()[0]:.1f} "
        "at the end); peak memory is the process's maximum resident size.",
        "",
        "| task | median (s) | vs pandas.read_csv | CPU (s) | peak memory (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in TASKS:
        lines.append(
            f"| {name} | {medians[name]:.3f} | {medians[name] / baseline:.2f}x | {cpus[name]:.2f} | {peaks[name]:.0f} |"
        )
    ratio = medians["import_ged"] / baseline
    lines += [
        "",
        f"Import against pandas.read_csv: {ratio:.2f}x (goal: at most 1.5x) - {'met' if ratio <= 1.5 else 'NOT met'}. "
        "Where the import's time goes, and how the load changes the ratio: bench/README.md, section UCDP events.",
        "",
    ]
    return "\n".join(lines)


def section_of(text: str, heading: str = SECTION) -> str | None:
    """A benchmark's section of a results file (this one's by default), if it has one."""
    start = text.find(heading)
    if start < 0:
        return None
    following = text.find("\n## ", start + len(heading))
    return text[start:] if following < 0 else text[start : following + 1]


def replace_section(text: str, section: str, heading: str = SECTION) -> str:
    """The results file with a benchmark's section (this one's by default) replaced, or added at the end; the rest
    kept."""
    start = text.find(heading)
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    following = text.find("\n## ", start + len(heading))
    rest = "" if following < 0 else text[following + 1 :]
    return text[:start] + section + ("\n" + rest if rest else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS)
    arguments = parser.parse_args(argv)
    section = measure(arguments.events, arguments.repeat)
    existing = arguments.output.read_text() if arguments.output.exists() else ""
    arguments.output.write_text(replace_section(existing, section))
    print(section)


if __name__ == "__main__":
    main()
