"""Shared fixtures: the small valid data directory, and copies of it with one bad file laid over."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
BAD = FIXTURES / "bad"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory):
    """Every test (and every app server a test starts) caches datasets in a directory of its own, never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POC_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def data_copy(tmp_path: Path, bad_case: str | None = None) -> Path:
    """A writable copy of the valid fixture with the files of one bad case laid over it."""
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    if bad_case:
        for path in (BAD / bad_case).iterdir():
            shutil.copy(path, target / path.name)
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file's bytes, to prove nothing was written."""
    return {str(path.relative_to(directory)): path.read_bytes() for path in sorted(directory.rglob("*"))}


@pytest.fixture
def valid_dir(tmp_path: Path) -> Path:
    return data_copy(tmp_path)


@pytest.fixture(scope="session")
def installed_app(tmp_path_factory):
    """The wheel of this checkout installed into a fresh virtual environment (tests/package.py)."""
    from tests.package import build_and_install

    return build_and_install(tmp_path_factory.mktemp("installed"))
