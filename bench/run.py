"""Run every benchmark of PoC Explorer and write bench/results.md: `python bench/run.py` from the repository root."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench_app  # noqa: E402
import bench_events  # noqa: E402
import bench_load  # noqa: E402
import bench_violence  # noqa: E402

RESULTS = BENCH / "results.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7, help="runs per measurement (browser: --browser-repeats)")
    parser.add_argument("--browser-repeats", type=int, default=5)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        load_file = Path(temporary) / "load.md"
        bench_load.main(["--repeat", str(arguments.repeats), "--output", str(load_file)])
        load_part = load_file.read_text()
    app_part = bench_app.run([1, 100], arguments.repeats, arguments.browser_repeats)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"# PoC Explorer benchmarks\n\nWritten by `python bench/run.py` on {started}. Medians over repeated runs; "
        "ratios compare runs made in the same session on the same machine. See bench/README.md for method.\n\n"
        + load_part.replace("# Benchmark: load and validate the datasets", "## Load and validate the datasets", 1)
        + "\n"
        + app_part
    )
    # bench_events.py and bench_violence.py are run on their own (they take long); their sections are kept.
    previous = RESULTS.read_text() if RESULTS.exists() else ""
    for heading in (bench_events.SECTION, bench_violence.SECTION):
        kept = bench_events.section_of(previous, heading)
        if kept:
            text = bench_events.replace_section(text, kept, heading)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
