"""A locked-down computer (a school or office laptop, a read-only profile): when the workshop database or the cache
cannot be created, the page says so in plain words and how to choose another place, and every other page works.

The tests run as whoever runs them (root in CI, for whom no folder is read-only), so "permission denied" is the
system's own error raised where the folder would be made; "a file in the way" is real."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from poc_data import cache, workshop
from tests.apptest import open_page, texts
from tests.conftest import data_copy

WORKSHOP = "pages/9_Workshop.py"
DATA_PAGES = ["app.py", "pages/1_Timeline.py", "pages/7_Sources_and_data.py"]


def _refuse_folders_under(monkeypatch, folder: Path) -> None:
    """Making any folder under `folder` fails as on a profile this account may not write to."""
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self == folder or folder in self.parents:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)


@pytest.fixture(params=["permission denied", "a file in the way"])
def locked_data_folder(request, monkeypatch, tmp_path) -> str:
    """The user data folder (where the workshop database is kept by default) cannot be made."""
    monkeypatch.delenv(workshop.DB_VARIABLE, raising=False)
    if request.param == "permission denied":
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "profile"))
        _refuse_folders_under(monkeypatch, tmp_path / "profile")
        return "PermissionError"
    (tmp_path / "profile").write_text("a file where the data folder would be\n", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "profile"))
    return "NotADirectoryError"


def test_the_store_says_in_plain_words_why_and_what_to_set(locked_data_folder):
    with pytest.raises(workshop.StoreUnavailable) as raised:
        workshop.WorkshopStore()
    message = str(raised.value)
    assert locked_data_folder in message
    assert "cannot be created or opened" in message
    assert f"Set the environment variable {workshop.DB_VARIABLE}" in message
    assert "every other page works" in message


def test_the_workshop_page_says_so_instead_of_an_error(locked_data_folder):
    at = open_page(WORKSHOP)
    assert not at.exception
    (error,) = [element.value for element in at.error]
    assert locked_data_folder in error
    assert f"Set the environment variable {workshop.DB_VARIABLE} to a database in a folder you may write to" in error


@pytest.mark.parametrize("page", DATA_PAGES)
def test_every_other_page_works_without_the_workshop_database(locked_data_folder, page):
    at = open_page(page)
    assert not at.exception
    assert not at.error


def test_a_database_that_does_not_answer_names_the_variable_to_check(monkeypatch):
    monkeypatch.setenv(workshop.DB_VARIABLE, "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none?connect_timeout=2")
    at = open_page(WORKSHOP)
    assert not at.exception
    (error,) = [element.value for element in at.error]
    assert "The workshop database cannot be opened (OperationalError)" in error
    assert f"Check its address ({workshop.DB_VARIABLE})" in error


@pytest.fixture(params=["permission denied", "a file in the way"])
def locked_cache(request, monkeypatch, tmp_path) -> str:
    """The cache directory cannot be made (the data directory is a fresh copy, so nothing is cached yet)."""
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path)))
    if request.param == "permission denied":
        monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "profile" / "cache"))
        _refuse_folders_under(monkeypatch, tmp_path / "profile")
        return "PermissionError"
    (tmp_path / "profile").write_text("a file where the cache would be\n", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "profile" / "cache"))
    return "NotADirectoryError"


def test_a_cache_that_cannot_be_made_is_said_and_how_to_choose_another(locked_cache):
    assert locked_cache in cache.unwritable()
    at = open_page("app.py")
    assert not at.exception
    notices = [element.value for element in at.info]
    assert any(locked_cache in notice and cache.CACHE_VARIABLE in notice for notice in notices), notices
    # Said once per browser session, not on every page.
    at.switch_page("pages/1_Timeline.py").run()
    assert not [element.value for element in at.info if cache.CACHE_VARIABLE in element.value]


@pytest.mark.parametrize("page", DATA_PAGES)
def test_data_pages_work_without_the_cache(locked_cache, page):
    at = open_page(page)
    assert not at.exception
    assert not at.error
    if page == "pages/1_Timeline.py":
        assert "Security Council" in texts(at) or at.get("plotly_chart")


def test_a_writable_cache_says_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    assert cache.unwritable() is None
    at = open_page("app.py")
    assert not [element.value for element in at.info if cache.CACHE_VARIABLE in element.value]


def test_a_cache_directory_that_cannot_be_looked_into_has_no_entries(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(tmp_path / "cache"))

    def refused(self):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(Path, "is_file", refused)
    assert cache.has("0" * 40) is False
