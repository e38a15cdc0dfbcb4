"""The speed code keeps results the same: two reading processes find what one finds; the collector comes back on."""

from __future__ import annotations

import gc
import sys
import threading
import time
import types

import pandas as pd
import pytest

from poc_data import speed, validate
from poc_data.load import load_with_metadata
from poc_data.problems import Code, Problem
from poc_data.schema import DATASETS
from poc_data.validate import check, read_all
from tests.conftest import VALID, data_copy


@pytest.fixture
def always_two_processes(monkeypatch):
    monkeypatch.setattr(speed, "PARALLEL_BYTES", 0)  # (on Linux; elsewhere one process reads all, as in the app)


@pytest.mark.parametrize("bad_case", [None, "python_tag", "unknown_source"])
def test_two_reading_processes_find_the_same_problems_as_one(bad_case, tmp_path, monkeypatch, always_two_processes):
    directory = data_copy(tmp_path, bad_case)
    in_two = check(directory)
    monkeypatch.setattr(speed, "PARALLEL_BYTES", 10**12)
    assert check(directory) == in_two
    assert bool(in_two) == (bad_case is not None)


def test_two_reading_processes_give_the_same_records_and_lines(tmp_path, monkeypatch, always_two_processes):
    directory = data_copy(tmp_path)
    pools = []
    real_pool = speed.ProcessPoolExecutor
    monkeypatch.setattr(speed, "ProcessPoolExecutor", lambda **options: pools.append(options) or real_pool(**options))
    in_two = read_all(directory)
    assert [options["max_workers"] for options in pools] == [2]
    monkeypatch.setattr(speed, "PARALLEL_BYTES", 10**12)
    in_one = read_all(directory)
    assert list(in_two) == list(in_one)
    for dataset_id, parsed in in_one.items():
        assert in_two[dataset_id].records == parsed.records
        assert in_two[dataset_id].lines == parsed.lines
        assert in_two[dataset_id].meta == parsed.meta


def test_small_data_is_read_in_this_process(tmp_path, monkeypatch):
    def no_pool(*_args, **_kwargs):
        raise AssertionError("a process pool was started for small data")

    monkeypatch.setattr(speed, "ProcessPoolExecutor", no_pool)
    assert set(validate.read_all(data_copy(tmp_path))) == set(DATASETS)


def test_the_collector_is_paused_and_comes_back_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(ValueError), speed.without_cyclic_gc():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with speed.without_cyclic_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def _then_yield(call):
    def yielding():
        result = call()
        time.sleep(0)  # lets another thread run here, where a server's threads would switch only now and then
        return result

    return yielding


@pytest.fixture
def threads_switching_often(monkeypatch):
    """Threads switch every microsecond and at every call to the collector, so that pauses interleave every way."""
    collector = types.SimpleNamespace(
        **{name: _then_yield(getattr(gc, name)) for name in ("isenabled", "disable", "enable")}
    )
    monkeypatch.setattr(speed, "gc", collector)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)
    gc.enable()  # so that a failure here leaves the next tests as they expect


def _at_once(work, threads: int = 4) -> None:
    start = threading.Barrier(threads)
    errors = []

    def run():
        start.wait()
        try:
            work()
        except Exception as error:  # reported to the test in its own thread, where pytest sees it
            errors.append(error)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []


def test_pauses_from_many_threads_at_once_leave_the_collector_on(threads_switching_often):
    def pause_often():
        for _ in range(50):
            with speed.without_cyclic_gc():
                assert not gc.isenabled()

    for _trial in range(20):
        _at_once(pause_often)
        assert gc.isenabled()


def test_datasets_loaded_from_many_threads_at_once_leave_the_collector_on(threads_switching_often, tmp_path):
    directory = data_copy(tmp_path)
    expected = {dataset_id: load_with_metadata(dataset_id, directory)[0] for dataset_id in DATASETS}

    def load_every_dataset():
        for dataset_id in DATASETS:
            pd.testing.assert_frame_equal(load_with_metadata(dataset_id, directory)[0], expected[dataset_id])

    for _trial in range(5):
        _at_once(load_every_dataset)
        assert gc.isenabled()


def test_a_frame_is_fingerprinted_by_content_once(monkeypatch):
    frame = pd.DataFrame({"a": [[1], [2]]})
    same = pd.DataFrame({"a": [[1], [2]]})
    other = pd.DataFrame({"a": [[1], [3]]})
    assert speed.frame_fingerprint(frame) == speed.frame_fingerprint(same) != speed.frame_fingerprint(other)
    monkeypatch.setattr(speed.pickle, "dumps", lambda *_a, **_k: pytest.fail("hashed again"))
    speed.frame_fingerprint(frame)


URLS = [
    "https://www.un.org/press/en/2000/20000224.sc6809.doc.html",
    "http://user:secret@Example.ORG:8080/a?b=c#d",
    "https://a@b@host.example/x",
    "https://host.example?x=1",
    "https://host.example#top",
    "https://HOST.example:443",
    "http:///no-host",
    "http://:80/",
    "http://@/",
    "https://user@:1/",
    "https://x.example/path@with/at",
    "https://x.example:port-is-not-checked/",
    "https://bücher.example/",
    "https://%41.example/",
]


@pytest.mark.parametrize("url", URLS)
def test_the_hosts_fast_path_agrees_with_urlsplit(url):
    from urllib.parse import urlsplit

    from poc_data.schema import _ascii_host, is_link_safe

    if url.isascii():
        assert _ascii_host(url) == (urlsplit(url).hostname or "")
    assert is_link_safe(url) == bool(urlsplit(url).hostname)


def test_the_hosts_fast_path_agrees_with_urlsplit_on_every_shipped_source():
    from urllib.parse import urlsplit

    from poc_data.load import read_dataset
    from poc_data.schema import _ascii_host

    urls = [record["url"] for record in read_dataset("sources").records if record["url"]]
    assert len(urls) > 300
    assert [_ascii_host(url) for url in urls if url.isascii()] == [
        urlsplit(url).hostname for url in urls if url.isascii()
    ]


def test_a_check_child_that_does_not_finish_is_a_problem(monkeypatch):
    monkeypatch.setattr(speed, "CHECK_SECONDS", 0.01)
    assert speed.check_in_child(VALID) == [
        Problem(speed.DATA_DIRECTORY, 1, "(check)", "the data check did not finish within 0.01 s", Code.CHECK)
    ]
