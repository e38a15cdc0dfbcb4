"""Run the app (or any Streamlit script) on a free localhost port, and wait for it to be served and rendered.

Used by the browser tests and by the benchmarks.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90
# Headless, and quiet: without the background-networking flags Chromium tries to reach Google's services.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
RENDERED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
FOOTER = "Sources of what is shown"
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                      .every(chart => chart.querySelector('.main-svg'))"""
# Streamlit shows a grey placeholder (a skeleton) for an element whose code it is still loading, even with the script
# done and the network idle: page links, charts and tables can stand as skeletons for a moment, dimmed text and all.
NO_SKELETONS = """() => !document.querySelector('[data-testid="stSkeleton"]')"""
# Streamlit loads its chart and table components lazily: on a first visit a chart's frame can be on the page, with
# the app idle, before any `stPlotlyChart` is, so CHARTS_DRAWN alone holds on an empty page. Callers that know how
# many charts the page shows can ask for them.
CHARTS_PRESENT = """n => document.querySelectorAll('[data-testid="stPlotlyChart"]').length >= n"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_health(base: str, process: subprocess.Popen) -> None:
    """Poll /_stcore/health until the server answers, failing early if it exits."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise TimeoutError(f"no health answer from {base} within {STARTUP_SECONDS} s")


def start_server(data_dir: Path | None = None, app: Path = REPO / "app.py") -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free localhost port; returns the process and its base URL."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "POC_DATA_DIR"}
    if data_dir is not None:
        env["POC_DATA_DIR"] = str(data_dir)
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - fixed command
        command, cwd=app.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, process)
    except Exception:
        stop_server(process)
        raise
    return process, base


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server by its process id (and its process group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_rendered(
    page, expect: str | None = FOOTER, timeout_ms: int = 60_000, charts: int = 0, network_idle: bool = True
) -> None:
    """Wait until the script has run to its end (every page ends with its sources footer, the default `expect`),
    the app is idle, at least `charts` plotly charts are on the page, and every plotly chart has drawn its SVG."""
    page.wait_for_selector(RENDERED, timeout=timeout_ms)
    if expect:
        page.get_by_text(expect, exact=False).first.wait_for(timeout=timeout_ms)
    page.wait_for_selector(RENDERED, timeout=timeout_ms)
    # Streamlit fetches the chart component's code on first use, after the app reports idle: wait for the network
    # (or, where the number of charts is known, as in the benchmarks, for that many charts).
    if network_idle:
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    if charts:
        page.wait_for_function(CHARTS_PRESENT, arg=charts, timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)
    page.wait_for_function(NO_SKELETONS, timeout=timeout_ms)


def rerun_settled(page, changed: str, arg=None, *, charts: int = 0, timeout_ms: int = 60_000) -> None:
    """After an interaction, wait for the rerun it caused to finish and be drawn.

    `changed` is a JavaScript predicate (called with `arg`) on what the rerun must show, e.g. fewer chart markers.
    Waiting for that first makes this robust to very fast reruns, whose "running" state may never reach the DOM,
    and to the moment between the click and the rerun's start, when the app still looks idle with the old view.
    The predicate must not hold before the rerun (a changed URL, for instance, is set before the script reruns).
    """
    page.wait_for_function(changed, arg=arg, timeout=timeout_ms)
    wait_rendered(page, timeout_ms=timeout_ms, charts=charts)
