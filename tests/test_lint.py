"""The code passes ruff with the project's settings (pyproject.toml), so CI fails on a lint error; no function is
longer than 80 lines (ruff holds their complexity to 15)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed: pip install -r requirements-dev.txt"
    result = subprocess.run(
        [ruff, "check", "--no-cache", "--output-format", "concise", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


MAX_FUNCTION_LINES = 80
CODE = ["app.py", "poc_data", "pages", "deploy", "bench", "tests"]


def python_files() -> list[Path]:
    return [path for name in CODE for path in ([REPO / name] if name.endswith(".py") else (REPO / name).rglob("*.py"))]


def test_the_code_is_where_this_test_looks():
    assert len(python_files()) > 100 and (REPO / "app.py") in python_files()


def test_no_function_is_longer_than_80_lines():
    too_long = [
        f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in python_files()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert too_long == []
