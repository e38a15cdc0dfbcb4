"""Benchmark the app against a bare Streamlit page: server-side page runs, start-up, first render, peak memory.

Run from the repository root: `python bench/bench_app.py` (bench/run.py runs it with the load benchmark and writes
bench/results.md). Every number is a median over repeated runs, and every ratio compares runs made in this same
process on this same machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from poc_data.stories import STORIES_DIR  # noqa: E402
from poc_data.ui.page import PAGES  # noqa: E402
from poc_data.ui.stories import STEP_KEY, STORY_KEY  # noqa: E402
from tests.browser.server import CHROMIUM_FLAGS, FOOTER, start_server, stop_server, wait_rendered  # noqa: E402

BARE = REPO / "bench" / "bare_app.py"
CHROMIUM = "/usr/bin/chromium"


def url_path(script: str) -> str:
    if script == "app.py":
        return ""
    name = script.removeprefix("pages/").removesuffix(".py")
    return name.split("_", 1)[1]


@dataclass(frozen=True)
class PageRun:
    """A page as measured: its menu label (or a label of its own), its script and the link's query parameters."""

    label: str
    path: str
    query: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The page's address below the server's base, with its query."""
        return url_path(self.path) + (f"?{urlencode(self.query)}" if self.query else "")


# A story whose step 4 draws a chart (the map of operations in 1999), by the title its link names it with.
STORY = "Twenty-five years of POC policy in the UN, the EU and NATO"
# Every page of the menu as it opens, then views that draw more than a page's default: the Map with the UN's
# deployments of a year inside the Geo-PKO years, and a story's step with its chart.
PAGE_RUNS: tuple[PageRun, ...] = (
    *(PageRun(info.label, info.path) for info in PAGES),
    PageRun("Map, deployments", "pages/2_Map.py", {"map_year": "2024"}),
    PageRun("Stories, a step with a chart", "pages/8_Stories.py", {STORY_KEY: STORY, STEP_KEY: "4"}),
)


def synthesize(scale: int, root: Path) -> Path:
    """A data directory `scale` times the shipped one, made by `python -m poc_data synth`, with the shipped stories
    (which `synth` does not write) so that the Stories page has them to check and show."""
    out = root / f"x{scale}"
    subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-m", "poc_data", "synth", "--scale", str(scale), "--from", str(REPO / "data"), str(out)],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    if not (out / STORIES_DIR).exists():
        shutil.copytree(REPO / "data" / STORIES_DIR, out / STORIES_DIR)
    return out


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def page_runs(data_dir: Path, repeats: int, runs: tuple[PageRun, ...] = PAGE_RUNS) -> dict[str, float]:
    """Median warm server-side run time (ms) of each page run (`runs`), and of the bare page, with AppTest;
    and, under `charts: <label>`, how many charts each draws (for the browser measurements). Every page is run once
    first, then all are timed in rounds, one run of each per round, so that a busy moment of the machine hits them
    all alike."""
    from streamlit.testing.v1 import AppTest

    os.environ["POC_DATA_DIR"] = str(data_dir)
    tests = {}
    for page in runs:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
        for key, value in page.query.items():
            at.query_params[key] = value
        at.run()
        if page.path != "app.py":
            at.switch_page(page.path)
        at.run()
        if at.exception:
            raise RuntimeError(f"{page.label} raised: {at.exception[0].message}")
        tests[page.label] = at
    bare = AppTest.from_file(str(BARE), default_timeout=300)
    bare.run()
    tests["bare page"] = bare
    samples: dict[str, list[float]] = {name: [] for name in tests}
    for _ in range(repeats):
        for name, at in tests.items():
            started = time.perf_counter()
            at.run()
            samples[name].append(time.perf_counter() - started)
    results: dict[str, float] = {name: median_ms(values) for name, values in samples.items()}
    for page in runs:
        results[f"charts: {page.label}"] = len(tests[page.label].get("plotly_chart"))
    return results


def page_table(runs: dict[int, dict[str, float]], scales: list[int]) -> list[str]:
    """The page runs as Markdown table lines: median ms and ratio to the bare page, per scale."""
    header = "| page | " + " | ".join(f"{s}x ms | {s}x ratio to bare" for s in scales) + " |"
    lines = [header, "|---|" + "---:|---:|" * len(scales)]
    for name in [page.label for page in PAGE_RUNS] + ["bare page"]:
        cells = []
        for scale in scales:
            value, bare = runs[scale][name], runs[scale]["bare page"]
            cells.append(f"{value:.0f} | {value / bare:.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


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
    first_renders(base, [page.url for page in PAGE_RUNS], repeats=1)


def run(scales: list[int], repeats: int, browser_repeats: int, *, only: str = "all") -> str:
    """Run every measurement (`only="pages"`: only the server-side page runs) and return the results as Markdown."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="poc-bench-") as temporary:
        root = Path(temporary)
        # The Workshop page opens its database: a fresh one here, not the user's.
        os.environ["POC_WORKSHOP_DB"] = f"sqlite+pysqlite:///{root / 'workshop.sqlite'}"
        directories = {scale: (REPO / "data" if scale == 1 else synthesize(scale, root)) for scale in scales}

        lines += ["## Server-side run time of each page (AppTest, warm, median ms)", ""]
        runs = {scale: page_runs(directories[scale], repeats) for scale in scales}
        lines += page_table(runs, scales)
        if only == "pages":
            return "\n".join(lines) + "\n"

        lines += ["", "## Start-up and first render in headless Chromium (median ms)", ""]
        app_start = startup(REPO / "app.py", directories[scales[0]], browser_repeats)
        bare_start = startup(BARE, None, browser_repeats)
        lines += ["| measure | app | bare app | ratio |", "|---|---:|---:|---:|"]
        lines.append(f"| server start to health | {app_start:.0f} | {bare_start:.0f} | {app_start / bare_start:.2f} |")
        process, base = start_server(directories[scales[0]])
        try:
            visit_all(base)
            chart_counts = {page.url: int(runs[scales[0]][f"charts: {page.label}"]) for page in PAGE_RUNS}
            renders = first_renders(base, list(chart_counts), browser_repeats, charts=chart_counts)
        finally:
            stop_server(process)
        process, bare_base = start_server(None, BARE)
        try:
            bare_render = first_renders(bare_base, [""], browser_repeats, expect="Bare page", charts={"": 3})[""]
        finally:
            stop_server(process)
        for page in PAGE_RUNS:
            value = renders[page.url]
            ratio = value / bare_render
            lines.append(f"| first render: {page.label} | {value:.0f} | {bare_render:.0f} | {ratio:.2f} |")

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


def scale_list(text: str) -> list[int]:
    """`1,100` (or `1 100` as separate arguments) as scales."""
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=scale_list, nargs="+", default=[[1, 100]], help="e.g. 1,100 (default)")
    parser.add_argument("--repeats", "--repeat", type=int, default=7, help="runs per page for the server-side medians")
    parser.add_argument("--browser-repeats", type=int, default=5, help="runs per page in the browser")
    parser.add_argument(
        "--only", choices=["all", "pages"], default="all", help="pages: only the server-side page runs (no browser)"
    )
    arguments = parser.parse_args()
    scales = [scale for group in arguments.scales for scale in group]
    print(run(scales, arguments.repeats, arguments.browser_repeats, only=arguments.only))


if __name__ == "__main__":
    main()
