"""The cache of validated datasets: the same frames as a fresh load, never stale, never unchecked, never in data/."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pandas as pd
import pytest

from poc_data import cache, speed
from poc_data.load import fill_cache, is_cached, load, load_with_metadata, read_dataset, to_frame
from poc_data.problems import DataError
from poc_data.schema import DATASETS
from poc_data.validate import check
from tests.conftest import REPO, VALID, data_copy, snapshot

# The module, not the function of the same name that `poc_data` exports.
load_module = importlib.import_module("poc_data.load")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(directory))
    return directory


def never_read(monkeypatch) -> None:
    """Make reading a dataset's records fail, so that only the cache can answer."""

    def fail(*_args, **_kwargs):
        raise AssertionError("the dataset was read, not served from the cache")

    monkeypatch.setattr(load_module, "read_dataset", fail)


def fresh(dataset_id: str, directory: Path) -> pd.DataFrame:
    return to_frame(read_dataset(dataset_id, directory))


def assert_same_frame(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    for name in expected.columns:
        if expected[name].dtype == object:  # lists stay Python lists, text stays text
            assert [type(value) for value in got[name]] == [type(value) for value in expected[name]], name


@pytest.mark.parametrize("directory", [VALID, REPO / "data"], ids=["fixtures", "shipped"])
@pytest.mark.parametrize("dataset_id", list(DATASETS))
def test_a_cached_dataset_is_the_frame_and_metadata_a_fresh_load_gives(dataset_id, directory, cache_dir, monkeypatch):
    first_frame, first_meta = load_with_metadata(dataset_id, directory)
    assert len(list(cache_dir.glob("*.arrow"))) == 1
    never_read(monkeypatch)
    frame, meta = load_with_metadata(dataset_id, directory)
    monkeypatch.undo()
    assert_same_frame(frame, fresh(dataset_id, directory))
    assert_same_frame(first_frame, frame)
    assert meta == first_meta


def test_an_edited_file_is_read_again_never_served_stale(valid_dir, cache_dir, monkeypatch):
    load("key_figures", valid_dir)
    path = valid_dir / "key_figures.yaml"
    text = path.read_text(encoding="utf-8")
    first_value = load("key_figures", valid_dir)["value"].iloc[0]
    assert first_value == 500 and "value: 500\n" in text
    path.write_text(text.replace("value: 500\n", "value: 123457\n", 1), encoding="utf-8")
    assert load("key_figures", valid_dir)["value"].iloc[0] == 123457
    assert len(list(cache_dir.glob("*.arrow"))) == 2
    # And back: the first entry serves the first content again.
    path.write_text(text, encoding="utf-8")
    never_read(monkeypatch)
    assert load("key_figures", valid_dir)["value"].iloc[0] == first_value


def _first_value(frame, _meta):
    return frame["value"].iloc[0]


def _first_longitude(frame, _meta):
    return frame["hq_lon"].iloc[0]


def _title(_frame, meta):
    return meta.title


# Edits that keep a file's size (two digits swapped, one letter for another): only its content tells them apart.
SAME_SIZE_EDITS = {
    "key_figures.yaml": ("key_figures", "value: 500\n", "value: 501\n", _first_value, 501),
    "missions.csv": ("missions", "45.8150,15.9819", "45.8150,15.9891", _first_longitude, 15.9891),
    "missions.meta.yaml": ("missions", "(test fixture)", "(test fixtura)", _title, "Operations (test fixtura)"),
}


@pytest.mark.parametrize("name", SAME_SIZE_EDITS)
def test_an_edit_that_keeps_the_size_and_the_time_of_a_file_is_read_again(name, valid_dir, cache_dir):
    dataset_id, old, new, read, expected = SAME_SIZE_EDITS[name]
    load_with_metadata(dataset_id, valid_dir)
    path = valid_dir / name
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1 and len(old) == len(new)
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert read(*load_with_metadata(dataset_id, valid_dir)) == expected


def test_an_edited_metadata_file_of_a_csv_dataset_is_read_again(valid_dir, cache_dir):
    _frame, meta = load_with_metadata("missions", valid_dir)
    path = valid_dir / "missions.meta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(meta.title, "Another title", 1), encoding="utf-8")
    assert load_with_metadata("missions", valid_dir)[1].title == "Another title"


def test_other_code_or_libraries_give_other_keys(valid_dir, cache_dir, monkeypatch):
    load("key_figures", valid_dir)
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: b"another schema")
    load("key_figures", valid_dir)
    assert len(list(cache_dir.glob("*.arrow"))) == 2


def test_the_code_fingerprint_covers_the_schema_and_the_library_versions(monkeypatch):
    before = cache._code_fingerprint()
    cache._code_fingerprint.cache_clear()
    real_version = cache.package_metadata.version
    monkeypatch.setattr(
        cache.package_metadata, "version", lambda name: "0" if name == "pydantic" else real_version(name)
    )
    try:
        assert cache._code_fingerprint() != before
    finally:
        cache._code_fingerprint.cache_clear()
    monkeypatch.undo()
    assert cache._code_fingerprint() == before
    assert "schema.py" in cache._CODE and "load.py" in cache._CODE


def test_a_dataset_with_a_problem_is_never_cached(tmp_path, cache_dir):
    directory = tmp_path / "data"
    directory.mkdir()
    for name in ("key_figures.yaml",):
        (directory / name).write_text((VALID / name).read_text(encoding="utf-8").replace("year: ", "year: x", 1))
    for _attempt in range(2):
        with pytest.raises(DataError):
            load("key_figures", directory)
    assert not list(cache_dir.glob("*.arrow"))


@pytest.mark.parametrize("damage", [b"", b"not an arrow file", None], ids=["empty", "garbage", "truncated"])
def test_a_corrupt_entry_is_a_miss_and_is_written_again(valid_dir, cache_dir, damage):
    expected = load("missions", valid_dir)
    (entry,) = cache_dir.glob("*.arrow")
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2] if damage is None else damage)
    assert_same_frame(load("missions", valid_dir), expected)
    assert cache.get(DATASETS["missions"], entry.stem) is not None


def test_the_cache_writes_nothing_into_the_data_directory_and_leaves_no_temporary_files(valid_dir, cache_dir):
    before = snapshot(valid_dir)
    for dataset_id in DATASETS:
        load(dataset_id, valid_dir)
    assert snapshot(valid_dir) == before
    assert sorted(path.suffix for path in cache_dir.iterdir()) == [".arrow"] * len(DATASETS)


def test_a_cache_that_cannot_be_written_only_costs_time(valid_dir, tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a directory"
    blocked.write_text("")
    monkeypatch.setenv(cache.CACHE_VARIABLE, str(blocked / "cache"))
    assert_same_frame(load("missions", valid_dir), fresh("missions", valid_dir))


def test_without_poc_cache_dir_the_users_cache_directory_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "poc-explorer"


@pytest.fixture(params=["two processes", "one process"])
def processes(request, monkeypatch) -> str:
    """fill_cache as on large data (two reading processes, on Linux) and as on small data (this process)."""
    monkeypatch.setattr(speed, "PARALLEL_BYTES", 0 if request.param == "two processes" else 10**12)
    return request.param


def test_fill_cache_caches_every_dataset_as_a_fresh_load_gives_it(processes, tmp_path, cache_dir, monkeypatch):
    directory = data_copy(tmp_path)
    before = snapshot(directory)
    pools = []
    real_pool = speed.ProcessPoolExecutor
    monkeypatch.setattr(speed, "ProcessPoolExecutor", lambda **options: pools.append(options) or real_pool(**options))
    assert not any(is_cached(dataset_id, directory) for dataset_id in DATASETS)
    assert fill_cache(directory) == {}
    assert len(pools) == (1 if processes == "two processes" else 0)
    assert len(list(cache_dir.glob("*.arrow"))) == len(DATASETS)
    assert all(is_cached(dataset_id, directory) for dataset_id in DATASETS)
    never_read(monkeypatch)
    served = {dataset_id: load_with_metadata(dataset_id, directory) for dataset_id in DATASETS}
    monkeypatch.undo()
    for dataset_id, (frame, meta) in served.items():
        assert_same_frame(frame, fresh(dataset_id, directory))
        assert meta == read_dataset(dataset_id, directory).meta
    assert snapshot(directory) == before


@pytest.mark.parametrize(("bad_case", "dataset_id"), [("duplicate_id", "milestones"), ("impossible_date", "missions")])
def test_fill_cache_names_the_problems_of_a_bad_dataset_and_does_not_cache_it(
    processes, bad_case, dataset_id, tmp_path, cache_dir
):
    directory = data_copy(tmp_path, bad_case)
    problems = fill_cache(directory)
    assert problems == {dataset_id: read_dataset(dataset_id, directory).problems}
    assert problems[dataset_id]
    assert [name for name in DATASETS if not is_cached(name, directory)] == [dataset_id]
    with pytest.raises(DataError) as raised:
        load(dataset_id, directory)
    assert raised.value.problems == problems[dataset_id]


def test_fill_cache_reads_only_the_datasets_whose_files_changed(tmp_path, cache_dir, monkeypatch):
    directory = data_copy(tmp_path)
    fill_cache(directory)
    read = []
    real_read = load_module.read_dataset
    monkeypatch.setattr(load_module, "read_dataset", lambda *args: read.append(args[0]) or real_read(*args))
    assert fill_cache(directory) == {}
    assert read == []
    milestones = directory / "milestones.yaml"
    milestones.write_text(milestones.read_text(encoding="utf-8") + "# an edit\n", encoding="utf-8")
    assert not is_cached("milestones", directory)
    assert fill_cache(directory) == {}
    assert read == ["milestones"]
    assert is_cached("milestones", directory)


@pytest.mark.parametrize("bad_case", [None, "duplicate_id", "unknown_source"])
def test_a_caching_check_finds_what_a_check_finds_and_caches_what_load_would(processes, bad_case, tmp_path, cache_dir):
    directory = data_copy(tmp_path, bad_case)
    before = snapshot(directory)
    problems = check(directory, cache=True)
    assert problems == check(directory)
    assert bool(problems) == (bad_case is not None)
    for dataset_id in DATASETS:
        own_problems = read_dataset(dataset_id, directory).problems
        assert is_cached(dataset_id, directory) == (not own_problems), dataset_id
        if not own_problems:
            assert_same_frame(load(dataset_id, directory), fresh(dataset_id, directory))
    # A cross reference is not a dataset's own problem: an unknown source_id leaves every dataset cached.
    assert all(is_cached(dataset_id, directory) for dataset_id in DATASETS) == (bad_case != "duplicate_id")
    assert snapshot(directory) == before


@pytest.mark.parametrize("large", [True, False], ids=["large data", "small data"])
def test_on_large_data_the_app_first_runs_the_caching_check_then_loads_from_the_cache(
    large, tmp_path, cache_dir, monkeypatch
):
    from tests.apptest import open_page

    ui_data = importlib.import_module("poc_data.ui.data")
    events = []
    real_check, real_load = ui_data.check_in_child, ui_data.load_with_metadata
    monkeypatch.setattr(ui_data, "two_processes_pay", lambda _size: large)
    monkeypatch.setattr(ui_data, "check_in_child", lambda path: events.append(("check", path)) or real_check(path))
    monkeypatch.setattr(
        ui_data, "load_with_metadata", lambda *args: events.append(("load", args[0])) or real_load(*args)
    )
    directory = data_copy(tmp_path)
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page("pages/4_Missions_and_mandates.py")  # Home first, then Missions, as a visitor goes
    assert not at.exception
    assert at.dataframe
    # One check for both pages (Home shows its count), which caches every dataset, also those no page here shows.
    assert [event for event in events if event[0] == "check"] == [("check", directory.resolve())]
    assert all(is_cached(dataset_id, directory) for dataset_id in DATASETS)
    if large:
        assert events[0][0] == "check"  # before any dataset is read
    else:
        assert events[0] == ("load", "key_figures")  # small data: read in the server, as Home needs it
