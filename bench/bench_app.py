"""Benchmark the app against a bare Streamlit page: server-side page runs, start-up, first render, peak memory.

Run from the repository root: `python bench/bench_app.py` (bench/run.py runs it with the load benchmark and writes
bench/results.md). Every number is a median over repeated runs, and every ratio compares runs made in this same
process on this same machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from poc_data.ui.page import PAGES  # noqa: E402
from tests.browser.server import CHROMIUM_FLAGS, FOOTER, start_server, stop_server, wait_rendered  # noqa: E402

BARE = REPO / "bench" / "bare_app.py"
CHROMIUM = "/usr/bin/chromium"


def url_path(script: str) -> str:
    if script == "app.py":
        return ""
    name = script.removeprefix("pages/").removesuffix(".py")
    return name.split("_", 1)[1]


def synthesize(scale: int, root: Path) -> Path:
    """A data directory `scale` times the shipped one, made by `python -m poc_data synth`."""
    out = root / f"x{scale}"
    subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-m", "poc_data", "synth", "--scale", str(scale), "--from", str(REPO / "data"), str(out)],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    return out


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def page_runs(data_dir: Path, repeats: int) -> dict[str, float]:
    """Median warm server-side run time (ms) of each page, and of the bare page, with AppTest; and, under
    `charts: <label>`, how many charts each page draws (for the browser measurements)."""
    from streamlit.testing.v1 import AppTest

    os.environ["POC_DATA_DIR"] = str(data_dir)
    results = {}
    for info in PAGES:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
        at.run()
        if info.path != "app.py":
            at.switch_page(info.path)
        at.run()
        if at.exception:
            raise RuntimeError(f"{info.path} raised: {at.exception[0].message}")
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - started)
        results[info.label] = median_ms(samples)
        results[f"charts: {info.label}"] = len(at.get("plotly_chart"))
    bare = AppTest.from_file(str(BARE), default_timeout=300)
    bare.run()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        bare.run()
        samples.append(time.perf_counter() - started)
    results["bare page"] = median_ms(samples)
    return results


def startup(app: Path, data_dir: Path | None, repeats: int) -> float:
    """Median time (ms) from starting `streamlit run` to a healthy server."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        process, _base = start_server(data_dir, app)
        samples.append(time.perf_counter() - started)
        stop_server(process)
    return median_ms(samples)


def first_renders(
    base: str, paths: list[str], repeats: int, expect: str | None = FOOTER, charts: dict[str, int] | None = None
) -> dict[str, float]:
    """Median time (ms) from navigation to a fully drawn page (its end shown, `charts[path]` charts drawn), each in
    a fresh browser context. Without chart counts it waits for the network to be idle, which adds half a second."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        for path in paths:
            samples = []
            for _ in range(repeats):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                started = time.perf_counter()
                page.goto(f"{base}/{path}")
                if charts is None:
                    wait_rendered(page, expect, timeout_ms=180_000)
                else:
                    wait_rendered(page, expect, timeout_ms=180_000, charts=charts[path], network_idle=False)
                samples.append(time.perf_counter() - started)
                context.close()
            results[path] = median_ms(samples)
        browser.close()
    return results


def peak_rss_mb(pid: int) -> float:
    """The peak resident set size of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def visit_all(base: str) -> None:
    first_renders(base, [url_path(info.path) for info in PAGES], repeats=1)


def run(scales: list[int], repeats: int, browser_repeats: int) -> str:
    """Run every measurement and return the results as Markdown."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="poc-bench-") as temporary:
        root = Path(temporary)
        directories = {scale: (REPO / "data" if scale == 1 else synthesize(scale, root)) for scale in scales}

        lines += ["## Server-side run time of each page (AppTest, warm, median ms)", ""]
        runs = {scale: page_runs(directories[scale], repeats) for scale in scales}
        header = "| page | " + " | ".join(f"{s}x ms | {s}x ratio to bare" for s in scales) + " |"
        lines += [header, "|---|" + "---:|---:|" * len(scales)]
        for name in [info.label for info in PAGES] + ["bare page"]:
            cells = []
            for scale in scales:
                value, bare = runs[scale][name], runs[scale]["bare page"]
                cells.append(f"{value:.0f} | {value / bare:.2f}")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")

        lines += ["", "## Start-up and first render in headless Chromium (median ms)", ""]
        app_start = startup(REPO / "app.py", directories[scales[0]], browser_repeats)
        bare_start = startup(BARE, None, browser_repeats)
        lines += ["| measure | app | bare app | ratio |", "|---|---:|---:|---:|"]
        lines.append(f"| server start to health | {app_start:.0f} | {bare_start:.0f} | {app_start / bare_start:.2f} |")
        process, base = start_server(directories[scales[0]])
        try:
            visit_all(base)
            chart_counts = {url_path(info.path): int(runs[scales[0]][f"charts: {info.label}"]) for info in PAGES}
            renders = first_renders(base, list(chart_counts), browser_repeats, charts=chart_counts)
        finally:
            stop_server(process)
        process, bare_base = start_server(None, BARE)
        try:
            bare_render = first_renders(bare_base, [""], browser_repeats, expect="Bare page", charts={"": 3})[""]
        finally:
            stop_server(process)
        for info in PAGES:
            value = renders[url_path(info.path)]
            ratio = value / bare_render
            lines.append(f"| first render: {info.label} | {value:.0f} | {bare_render:.0f} | {ratio:.2f} |")

        largest = max(scales)
        process, base = start_server(directories[largest])
        try:
            visit_all(base)
            rss = peak_rss_mb(process.pid)
        finally:
            stop_server(process)
        lines += ["", f"## Peak memory of the server after visiting every page at {largest}x", ""]
        lines += [f"Peak RSS (VmHWM): **{rss:.0f} MB**."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repeats", type=int, default=7, help="runs per page for the server-side medians")
    parser.add_argument("--browser-repeats", type=int, default=5, help="runs per page in the browser")
    arguments = parser.parse_args()
    print(run(arguments.scales, arguments.repeats, arguments.browser_repeats))


if __name__ == "__main__":
    main()
