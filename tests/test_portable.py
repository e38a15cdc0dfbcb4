"""The data path as it runs on Windows: without Unix's `os` attributes and modules, through reparse points, with
Windows paths (`ntpath`), and with change times that are creation times."""

from __future__ import annotations

import ast
import os
import stat
import sys
from pathlib import Path, PureWindowsPath
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

import poc_data
from poc_data import speed, workshop
from poc_data.load import FileRefused, leads_inside, read_dataset, read_file_bytes
from poc_data.schema import DATASETS
from poc_data.ui import data as ui_data
from tests.apptest import open_page
from tests.conftest import REPO, data_copy

# What Python's `os` has on Unix only (none of it on Windows): the data path must not need any of it.
UNIX_ONLY_OS = (
    "O_NONBLOCK",
    "O_NOFOLLOW",
    "O_NOCTTY",
    "O_CLOEXEC",
    "O_DIRECTORY",
    "mkfifo",
    "mknod",
    "fork",
    "forkpty",
    "getuid",
    "geteuid",
    "getpgid",
    "killpg",
    "setsid",
    "sysconf",
    "statvfs",
)
# Modules Python has on Unix only.
UNIX_ONLY_MODULES = {"resource", "fcntl", "termios", "pwd", "grp", "pty", "tty", "posix", "crypt", "syslog", "nis"}
USER_CODE = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "poc_data").rglob("*.py"))]


@pytest.fixture
def as_on_windows(monkeypatch):
    """`os` without what only Unix has."""
    for name in UNIX_ONLY_OS:
        if hasattr(os, name):
            monkeypatch.delattr(os, name)


def test_every_dataset_and_story_reads_without_unix_only_os_attributes(as_on_windows, tmp_path, monkeypatch):
    monkeypatch.setenv("POC_CACHE_DIR", str(tmp_path / "cache"))
    directory = data_copy(tmp_path)
    for dataset_id in DATASETS:
        assert read_dataset(dataset_id, directory).problems == []
        poc_data.load(dataset_id, directory)  # read, validated and cached
        poc_data.load(dataset_id, directory)  # served from the cache
    assert poc_data.check(directory) == []


def test_the_shipped_data_and_its_stories_check_without_unix_only_os_attributes(as_on_windows):
    assert (REPO / "data" / "stories").is_dir()
    assert poc_data.check(REPO / "data") == []


@pytest.mark.parametrize("page", ["app.py", "pages/1_Timeline.py", "pages/7_Sources_and_data.py"])
def test_pages_run_without_unix_only_os_attributes(as_on_windows, page, tmp_path, monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path)))
    at = open_page(page)
    assert not at.exception
    assert not at.error


def test_without_unix_only_os_attributes_the_reader_still_refuses_what_is_not_data(as_on_windows, tmp_path):
    directory = tmp_path / "data"
    (directory / "folder.csv").mkdir(parents=True)
    with pytest.raises(FileRefused, match="a directory, not a regular file"):
        read_file_bytes(directory / "folder.csv", directory)
    (directory / "big.csv").write_bytes(b"x" * 11)
    with pytest.raises(FileRefused, match="larger than"):
        read_file_bytes(directory / "big.csv", directory, limit=10)
    (directory / "ok.csv").write_bytes(b"a,b\r\n1,2\r\n")
    assert read_file_bytes(directory / "ok.csv", directory) == b"a,b\r\n1,2\r\n"  # bytes as written: no newline change


def _as_a_windows_reparse_point(monkeypatch, path: Path) -> None:
    """The reader's `os.lstat` of `path` as Windows gives it for a reparse point that is not a symbolic link to
    Python (a junction, a mount point): a regular file's mode, with the reparse point attribute. (Resolving it still
    follows the link, as Windows' own resolving does.)"""
    real_lstat = os.lstat

    def lstat(target, *args, **kwargs):
        status = real_lstat(target, *args, **kwargs)
        if Path(target) != path or sys._getframe(1).f_globals["__name__"] != "poc_data.load":
            return status
        return SimpleNamespace(
            st_mode=stat.S_IFREG | 0o644,
            st_size=status.st_size,
            st_file_attributes=stat.FILE_ATTRIBUTE_REPARSE_POINT,
        )

    monkeypatch.setattr(os, "lstat", lstat)


def test_a_reparse_point_that_leads_outside_the_data_directory_is_refused(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    directory.mkdir()
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET\n", encoding="utf-8")
    (directory / "mandates.csv").symlink_to(secret)
    _as_a_windows_reparse_point(monkeypatch, directory / "mandates.csv")
    with pytest.raises(FileRefused, match="outside the data directory"):
        read_file_bytes(directory / "mandates.csv", directory)


def test_a_reparse_point_inside_the_data_directory_is_read(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    (directory / "kept").mkdir(parents=True)
    (directory / "kept" / "missions.csv").write_text("a\n1\n", encoding="utf-8")
    (directory / "missions.csv").symlink_to(directory / "kept" / "missions.csv")
    _as_a_windows_reparse_point(monkeypatch, directory / "missions.csv")
    assert read_file_bytes(directory / "missions.csv", directory) == b"a\n1\n"


@pytest.mark.parametrize(
    ("target", "directory", "inside"),
    [
        (r"C:\Users\trainer\data\missions.csv", r"C:\Users\trainer\data", True),
        (r"c:\users\TRAINER\Data\stories\intro.yaml", r"C:\Users\trainer\data", True),
        ("C:/Users/trainer/data/missions.csv", r"C:\Users\trainer\data", True),
        (r"C:\Users\trainer\data-old\missions.csv", r"C:\Users\trainer\data", False),
        (r"D:\Users\trainer\data\missions.csv", r"C:\Users\trainer\data", False),
        (r"C:\Windows\System32\drivers\etc\hosts", r"C:\Users\trainer\data", False),
        (r"\\server\share\data\missions.csv", r"\\server\share\data", True),
        (r"\\other\share\data\missions.csv", r"\\server\share\data", False),
    ],
)
def test_leading_inside_the_data_directory_follows_windows_path_rules(target, directory, inside):
    assert leads_inside(PureWindowsPath(target), PureWindowsPath(directory)) is inside


def test_the_default_workshop_database_url_keeps_a_windows_path(monkeypatch):
    import platformdirs

    folder = PureWindowsPath(r"C:\Users\Zoé Trainer\AppData\Local\poc-explorer")
    monkeypatch.delenv(workshop.DB_VARIABLE, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_path", lambda *args, **kwargs: folder)
    url = sa.make_url(workshop.default_url())
    assert url.get_backend_name() == "sqlite"
    assert PureWindowsPath(url.database) == folder / workshop.DB_FILE_NAME


def _same_status(monkeypatch, path: Path) -> None:
    """`path.stat()` as it was, whatever is written to the file: as on Windows after an edit that keeps the size and
    modification time, where st_ctime is the creation time and does not move either."""
    status = path.stat()
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kwargs: status if self == path else real_stat(self, **kwargs))


@pytest.mark.parametrize(("change_time_known", "edit_seen"), [(False, True), (True, False)])
def test_where_no_time_tells_an_edit_the_content_does(change_time_known, edit_seen, tmp_path, monkeypatch):
    monkeypatch.setattr(ui_data, "CHANGE_TIME_KNOWN", change_time_known)
    monkeypatch.setattr(ui_data, "_digests", {})
    path = tmp_path / "key_figures.yaml"
    path.write_text("value: 500\n", encoding="utf-8")
    before = ui_data.file_digest(path, tmp_path)
    _same_status(monkeypatch, path)
    path.write_text("value: 600\n", encoding="utf-8")
    # On Unix the times would show the edit (the change time moves); here they are frozen, so only the content can.
    assert (ui_data.file_digest(path, tmp_path) != before) is edit_seen


def test_on_windows_nothing_is_read_in_forked_processes(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert not speed.two_processes_pay(10 * speed.PARALLEL_BYTES)
    monkeypatch.setattr(speed, "ProcessPoolExecutor", None)  # would fail if used
    assert speed.read_in_two_processes(str.upper, {"a": speed.PARALLEL_BYTES, "b": speed.PARALLEL_BYTES}) == {
        "a": "A",
        "b": "B",
    }


def _unix_only_uses(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] in UNIX_ONLY_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNIX_ONLY_MODULES:
            found.append(node.module)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
            if node.attr in UNIX_ONLY_OS:
                found.append(f"os.{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg == "preexec_fn":
            found.append("preexec_fn")
    return found


def test_no_unix_only_module_or_call_on_a_users_path():
    """The app, its pages and the package use what Windows has too (what exists only on some systems is looked up
    with getattr and a default, as the reader's open flags are)."""
    assert USER_CODE
    found = {str(path.relative_to(REPO)): _unix_only_uses(path.read_text(encoding="utf-8")) for path in USER_CODE}
    assert {path: uses for path, uses in found.items() if uses} == {}


def test_the_scan_finds_unix_only_uses():
    sample = (
        "import resource\nfrom fcntl import flock\nimport os\nos.open('x', os.O_NONBLOCK)\nos.fork()\n"
        "subprocess.run([], preexec_fn=None)\nflags = getattr(os, 'O_NOFOLLOW', 0)\n"
    )
    assert sorted(_unix_only_uses(sample)) == ["fcntl", "os.O_NONBLOCK", "os.fork", "preexec_fn", "resource"]
