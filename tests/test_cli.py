"""`python -m poc_data check`: one line per problem, a summary, exit 1 on problems, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from poc_data.problems import PROBLEM_CODES
from poc_data.schema import DATASETS
from tests.conftest import BAD, REPO, VALID, data_copy


def run_check(*arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "poc_data", "check", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )


def test_clean_directory_exits_0():
    result = run_check(str(VALID))
    assert result.returncode == 0
    assert result.stdout.startswith("ok: no problems")


@pytest.mark.parametrize("case", sorted(path.name for path in BAD.iterdir()))
def test_bad_directory_exits_1_with_located_lines_and_no_traceback(tmp_path, case):
    result = run_check(str(data_copy(tmp_path, case)))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    # Warnings (allowed but weak, or deployments that disagree with missions) are listed apart and do not count.
    lines = [line for line in result.stdout.strip().splitlines() if not line.startswith("warning")]
    lines = [line for line in lines if "warning(s)" not in line]
    *problem_lines, summary = lines
    assert problem_lines
    for line in problem_lines:
        path, number, field, message = line.split(":", 3)
        assert path.endswith((".csv", ".yaml")) and number.isdigit() and field.strip() and message.strip()
        assert re.fullmatch(r".+ \[([a-z-]+)\]", message).group(1) in PROBLEM_CODES, line
    assert summary.startswith(f"{len(problem_lines)} problem(s) in ")


def test_data_dir_from_the_environment(tmp_path):
    import os

    env = {**os.environ, "POC_DATA_DIR": str(data_copy(tmp_path, "unknown_theme"))}
    result = run_check(env=env)
    assert result.returncode == 1
    assert "themes: Input should be" in result.stdout and "(got 'weather') [constraint-error]" in result.stdout


@pytest.mark.parametrize(("case", "code"), [(None, 0), ("unknown_theme", 1)])
def test_json_output_lists_the_problems(tmp_path, case, code):
    import json

    result = run_check("--json", str(data_copy(tmp_path, case)))
    assert result.returncode == code
    problems = json.loads(result.stdout)
    if case is None:
        assert problems == []
    else:
        assert [(p["line"], p["field"], p["code"]) for p in problems] == [(47, "themes", "constraint-error")]
        assert set(problems[0]) == {"path", "line", "field", "message", "code"}
        assert problems[0]["path"].endswith("milestones.yaml") and "'weather'" in problems[0]["message"]


def test_warnings_are_printed_but_do_not_fail_the_check(tmp_path):
    from tests.test_validate import _cite_encyclopedia

    data_dir = data_copy(tmp_path)
    _cite_encyclopedia(data_dir)
    result = run_check(str(data_dir))
    assert result.returncode == 0
    assert "warning: " in result.stdout and "rests only on an encyclopedia" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("ok: no problems")


def test_cache_command_caches_every_dataset_and_names_those_with_problems(tmp_path):
    import os

    cache = tmp_path / "cache"
    env = {**os.environ, "POC_CACHE_DIR": str(cache)}
    run = [sys.executable, "-m", "poc_data", "cache"]
    result = subprocess.run([*run, str(data_copy(tmp_path))], capture_output=True, text=True, cwd=REPO, env=env)
    assert result.returncode == 0
    assert result.stdout.startswith(f"{len(DATASETS)} of {len(DATASETS)} datasets of ")
    assert len(list(cache.glob("*.arrow"))) == len(DATASETS)

    bad = data_copy(tmp_path / "bad", "duplicate_id")
    result = subprocess.run([*run, str(bad)], capture_output=True, text=True, cwd=REPO, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    first, summary = result.stdout.strip().splitlines()
    assert first.startswith("milestones: not cached, 1 problem(s)")
    assert summary.startswith(f"{len(DATASETS) - 1} of {len(DATASETS)} datasets of ")
    # The other ten datasets hold the same bytes as before: their entries are there already.
    assert len(list(cache.glob("*.arrow"))) == len(DATASETS)

    result = subprocess.run([*run, str(tmp_path / "nowhere")], capture_output=True, text=True, cwd=REPO, env=env)
    assert (result.returncode, result.stdout.startswith("data directory not found")) == (1, True)


@pytest.mark.parametrize(("case", "not_cached"), [(None, 0), ("duplicate_id", 1), ("unknown_source", 0)])
def test_check_with_cache_also_caches_every_dataset_without_a_problem_of_its_own(tmp_path, case, not_cached):
    import os

    cache = tmp_path / "cache"
    directory = str(data_copy(tmp_path, case))
    plain = run_check(directory)
    caching = run_check("--cache", directory, env={**os.environ, "POC_CACHE_DIR": str(cache)})
    assert (caching.returncode, caching.stdout) == (plain.returncode, plain.stdout)
    assert len(list(cache.glob("*.arrow"))) == len(DATASETS) - not_cached
