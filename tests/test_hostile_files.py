"""Hostile data directories: every case is a clear `file:line: field: message`, fast, in bounded memory, never a trace.

Each case is built in tmp_path at test time from the valid fixture (FIFOs and symbolic links cannot live in git).
`python -m poc_data check` runs in a child process limited to 20 seconds and, where the system can limit it (Unix's
setrlimit), 512 MiB of address space. The cases that need what only Unix has (a FIFO, /dev/zero) or symbolic links
(on Windows, Developer Mode) skip where it is missing, saying why; every other case runs everywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import poc_data
from poc_data.load import MAX_FILE_BYTES, FileRefused, read_file_bytes
from tests.conftest import REPO, data_copy
from tests.hostile import FIFOS, NO_FIFOS, NO_SYMLINKS, SYMLINKS

try:
    import resource
except ImportError:  # Windows: no setrlimit; the child is bounded in time only
    resource = None

MEMORY_LIMIT = 512 * 1024 * 1024
TIME_LIMIT = 20
FAST = 10


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_check(*arguments: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - this interpreter, this package
        [sys.executable, "-m", "poc_data", "check", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory if resource else None,  # noqa: PLW1509 - the test starts no threads that matter
        check=False,
    )
    return result, time.monotonic() - started


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def billion_laughs(directory: Path) -> None:
    levels = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, 10)]
    edit(directory / "key_figures.yaml", "primary_key: id\n", "primary_key: id\n" + "\n".join(levels) + "\n")


def an_anchor(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "primary_key: id\n", "primary_key: &key id\n")


def an_alias(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "primary_key: id\n", "primary_key: id\nx: *nowhere\n")


def a_python_tag(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "primary_key: id\n", "primary_key: !!python/object/apply:os.getpid []\n")


def a_harmless_tag(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "primary_key: id\n", "primary_key: !!str id\n")


def a_merge_key(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "primary_key: id\n", "primary_key: id\nx: {<<: {a: 1}}\n")


def a_second_document(directory: Path) -> None:
    path = directory / "key_figures.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "---\nid: x\n", encoding="utf-8")


def impossible_metadata_date(directory: Path) -> None:
    edit(directory / "comparisons.yaml", "updated: 2026-11-22", "updated: 2026-11-31")


def impossible_record_date(directory: Path) -> None:
    edit(directory / "sources.yaml", "date: 1999-09-17", "date: 1999-10-32")


def complex_key(directory: Path) -> None:
    edit(directory / "recommendations.yaml", "primary_key: id\n", "primary_key: id\n? [a, b]\n: x\n")


def huge_integer_yaml(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "year: 1999", "year: " + "9" * 5000)


def huge_integer_csv(directory: Path) -> None:
    edit(directory / "mandates.csv", "(1999),1244,", "(1999)," + "9" * 5000 + ",")


def infinite_yaml(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "value: 500", "value: 1e999")


def inf_yaml(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "value: 500", "value: .inf")


def nan_yaml(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "value: 500", "value: .nan")


def infinite_csv(directory: Path) -> None:
    path = directory / "missions.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    cells = first.split(",")
    cells[header.split(",").index("hq_lat")] = "1e999"
    path.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")


def utf16(directory: Path) -> None:
    path = directory / "missions.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def deep_nesting(directory: Path) -> None:
    edit(directory / "key_figures.yaml", "primary_key: id\n", f"primary_key: id\nx: {'[' * 900}{']' * 900}\n")


def markup_url(directory: Path) -> None:
    edit(directory / "sources.yaml", "url: https://www.refworld.org/", "url: https://www.refworld.org/<img src=x>")


def script_url(directory: Path) -> None:
    edit(directory / "sources.yaml", "url: https://www.refworld.org/", "url: javascript:alert(1)//")


def fifo(directory: Path) -> None:
    (directory / "missions.csv").unlink()
    os.mkfifo(directory / "missions.csv")


def link_outside(directory: Path) -> None:
    secret = directory.parent / "secret.csv"
    secret.write_text("resolution,number\nTOP-SECRET-LINE,1\n", encoding="utf-8")
    (directory / "mandates.csv").unlink()
    (directory / "mandates.csv").symlink_to(secret)


def link_to_system_file(directory: Path) -> None:
    (directory / "mandates.csv").unlink()
    (directory / "mandates.csv").symlink_to("/etc/passwd")


def link_to_device(directory: Path) -> None:
    (directory / "milestones.yaml").unlink()
    (directory / "milestones.yaml").symlink_to("/dev/zero")


def link_loop(directory: Path) -> None:
    (directory / "civilian_harm.meta.yaml").unlink()
    (directory / "civilian_harm.meta.yaml").symlink_to("civilian_harm.meta.yaml")


def directory_in_place_of_a_file(directory: Path) -> None:
    (directory / "missions.meta.yaml").unlink()
    (directory / "missions.meta.yaml").mkdir()


def huge_file(directory: Path) -> None:
    with open(directory / "comparisons.yaml", "ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk is used, and nothing is read


# (case, the file named, the field, a part of the message)
CASES: list[tuple[Callable[[Path], None], str, str, str]] = [
    (billion_laughs, "key_figures.yaml", "(file)", "anchors (&name) are not allowed in data files"),
    (an_anchor, "key_figures.yaml", "(file)", "anchors (&name) are not allowed in data files"),
    (an_alias, "key_figures.yaml", "(file)", "aliases (*name) are not allowed in data files"),
    (a_python_tag, "key_figures.yaml", "(file)", "unsupported YAML tag, not loaded (tag:yaml.org,2002:python/"),
    (a_harmless_tag, "key_figures.yaml", "(file)", "unsupported YAML tag, not loaded (tag:yaml.org,2002:str)"),
    (a_merge_key, "key_figures.yaml", "(file)", "merge keys (<<) are not allowed in data files"),
    (a_second_document, "key_figures.yaml", "(file)", "a data file holds one YAML document"),
    (impossible_metadata_date, "comparisons.yaml", "updated", "day value is outside expected range"),
    (impossible_record_date, "sources.yaml", "date", "'1999-10-32' is not a real date"),
    (complex_key, "recommendations.yaml", "(file)", "a key must be a name, not a list or a mapping"),
    (huge_integer_yaml, "key_figures.yaml", "year", "exceeded maximum size"),
    (huge_integer_csv, "mandates.csv", "number", "exceeded maximum size"),
    (infinite_yaml, "key_figures.yaml", "value", "finite number"),
    (inf_yaml, "key_figures.yaml", "value", "finite number"),
    (nan_yaml, "key_figures.yaml", "value", "finite number"),
    (infinite_csv, "missions.csv", "hq_lat", "finite number"),
    (utf16, "missions.csv", "(file)", "not UTF-8"),
    (deep_nesting, "key_figures.yaml", "(file)", "nested more than 100 levels deep"),
    (markup_url, "sources.yaml", "url", "a URL may not contain"),
    (script_url, "sources.yaml", "url", "must start with http:// or https://"),
    (fifo, "missions.csv", "(file)", "a named pipe (FIFO), not a regular file; not read"),
    (link_outside, "mandates.csv", "(file)", "a symbolic link to a file outside the data directory; not read"),
    (link_to_system_file, "mandates.csv", "(file)", "a symbolic link to a file outside the data directory; not read"),
    (link_to_device, "milestones.yaml", "(file)", "a symbolic link to a file outside the data directory; not read"),
    (link_loop, "civilian_harm.meta.yaml", "(file)", "a symbolic link that leads nowhere"),
    (directory_in_place_of_a_file, "missions.meta.yaml", "(file)", "a directory, not a regular file"),
    (huge_file, "comparisons.yaml", "(file)", f"larger than 32 MiB ({MAX_FILE_BYTES + 1:,} bytes); not read"),
]


NEEDS_FIFOS = pytest.mark.skipif(not FIFOS, reason=NO_FIFOS)
NEEDS_SYMLINKS = pytest.mark.skipif(not SYMLINKS, reason=NO_SYMLINKS)


def _needs_file(path: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not Path(path).exists(), reason=f"{path} exists on Unix only")


# What a case needs that not every system has; without it the case skips and says why.
NEEDS = {
    fifo: [NEEDS_FIFOS],
    link_outside: [NEEDS_SYMLINKS],
    link_to_system_file: [NEEDS_SYMLINKS, _needs_file("/etc/passwd")],
    link_to_device: [NEEDS_SYMLINKS, _needs_file("/dev/zero")],
    link_loop: [NEEDS_SYMLINKS],
}


@pytest.fixture(params=[pytest.param(case, marks=NEEDS.get(case[0], ()), id=case[0].__name__) for case in CASES])
def hostile(request, tmp_path) -> tuple[Path, str, str, str]:
    make, file, field, message = request.param
    directory = data_copy(tmp_path)
    make(directory)
    return directory, file, field, message


def test_check_reports_the_case_quickly_in_bounded_memory(hostile):
    directory, file, field, message = hostile
    result, seconds = run_check(str(directory))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    located = [line for line in result.stdout.splitlines() if line.startswith(f"{file}:") and f": {field}: " in line]
    assert any(message in line for line in located), result.stdout
    assert seconds < FAST


def test_check_json_reports_the_case(hostile):
    directory, file, field, message = hostile
    result, seconds = run_check("--json", str(directory))
    assert result.returncode == 1, result.stderr
    problems = json.loads(result.stdout)
    assert any(p["path"] == file and p["field"] == field and message in p["message"] for p in problems), problems
    assert seconds < FAST


@NEEDS_SYMLINKS
def test_a_file_outside_the_directory_is_never_quoted(tmp_path):
    directory = data_copy(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("resolution,number\nTOP-SECRET-LINE,1\n", encoding="utf-8")
    (directory / "mandates.csv").unlink()
    (directory / "mandates.csv").symlink_to(secret)
    result, _ = run_check(str(directory))
    assert "TOP-SECRET-LINE" not in result.stdout
    *problem_lines, _summary = result.stdout.splitlines()
    assert not any(str(tmp_path) in line for line in problem_lines)
    assert "mandates.csv:1: (file): a symbolic link to a file outside the data directory" in result.stdout


@NEEDS_SYMLINKS
def test_a_link_to_a_file_inside_the_directory_is_read(tmp_path):
    directory = data_copy(tmp_path)
    (directory / "kept").mkdir()
    (directory / "missions.csv").rename(directory / "kept" / "missions.csv")
    (directory / "missions.csv").symlink_to(Path("kept") / "missions.csv")
    assert poc_data.check(directory) == []


def test_problems_name_files_relative_to_the_data_directory(tmp_path):
    directory = data_copy(tmp_path)
    directory_in_place_of_a_file(directory)
    problems = poc_data.check(directory)
    assert [problem.path for problem in problems] == ["missions.meta.yaml"]


def test_a_data_directory_that_is_a_file_says_so(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    result, _ = run_check(str(path))
    assert result.returncode == 1
    assert "is a file, not a data directory" in result.stdout


def test_the_reader_reads_no_more_than_its_limit_whatever_the_size_said(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 101)
    assert read_file_bytes(path, tmp_path, limit=101) == b"x" * 101
    real_lstat = os.lstat
    # A file that grows between its size check and its reading (or a file system that says 0, as /proc does).
    monkeypatch.setattr(
        os, "lstat", lambda target: os.stat_result((*real_lstat(target)[:6], 0, *real_lstat(target)[7:]))
    )
    with pytest.raises(FileRefused, match="larger than"):
        read_file_bytes(path, tmp_path, limit=100)


SWAPPED_FIFO = """
import os, sys
from pathlib import Path
from poc_data.load import FileRefused, read_file_bytes
directory = Path(sys.argv[1])
regular = directory / "regular.txt"
regular.write_text("x")
os.mkfifo(directory / "pipe.csv")
status = os.lstat(regular)
os.lstat = lambda path: status  # the FIFO passes the check, as if swapped in just after it
try:
    read_file_bytes(directory / "pipe.csv", directory)
except FileRefused as refused:
    print(refused)
"""


@NEEDS_FIFOS
def test_a_fifo_swapped_in_after_the_check_does_not_hang_the_reader(tmp_path):
    result = subprocess.run(  # noqa: S603 - this interpreter, this package
        [sys.executable, "-c", SWAPPED_FIFO, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=TIME_LIMIT,
        check=False,
    )
    assert result.stdout.strip() == "not a regular file; not read", result.stderr
