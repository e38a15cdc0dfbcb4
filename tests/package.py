"""The app as a user installs it: the wheel built from this checkout, installed into a fresh virtual environment.

The fresh environment borrows the dependencies already installed for the tests (a `.pth` file naming their
site-packages) instead of downloading them again; the package itself is a real install, by pip, from the wheel, with
pip checking every requirement against what it can import (`--no-index`: nothing is fetched).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
from dataclasses import dataclass
from pathlib import Path

from tests.browser.server import free_port
from tests.conftest import REPO

STARTUP_SECONDS = 90


@dataclass
class Installed:
    wheel: Path
    environment: Path

    @property
    def scripts(self) -> Path:
        return self.environment / ("Scripts" if os.name == "nt" else "bin")

    @property
    def command(self) -> Path:
        return self.scripts / ("poc-explorer.exe" if os.name == "nt" else "poc-explorer")

    @property
    def python(self) -> Path:
        return self.scripts / ("python.exe" if os.name == "nt" else "python")


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **options)  # noqa: S603
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def build_and_install(work: Path) -> Installed:
    """Build the wheel (with the build backend installed for the tests) and install it into a fresh venv."""
    dist = work / "dist"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(dist)]
    _run([*build, str(REPO)], cwd=work)
    (wheel,) = dist.glob("poc_explorer-*.whl")
    environment = work / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    installed = Installed(wheel, environment)
    purelib = _run(
        [str(installed.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    (Path(purelib) / "borrowed-test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    _run(
        [sys.executable, "-m", "pip", "--python", str(installed.python), "install", "--no-index", str(wheel)],
        cwd=work,
    )
    return installed


def clean_environment(**changes: str) -> dict[str, str]:
    """The environment of a user's shell: none of the test's data directory."""
    env = {key: value for key, value in os.environ.items() if key not in ("POC_DATA_DIR", "PYTHONPATH")}
    env.update(changes)
    return env


def start(installed: Installed, cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """`poc-explorer --server.port N`, started in `cwd`; waits until the server answers."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the installed command
        [str(installed.command), "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://localhost:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"poc-explorer exited with {process.returncode}:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise TimeoutError(f"poc-explorer did not answer within {STARTUP_SECONDS} s")


def stop(process: subprocess.Popen) -> str:
    """Stop the server by its process id; what it printed."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    return process.stdout.read() if process.stdout else ""
