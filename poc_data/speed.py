"""Code that exists only for speed or memory, in one place, each piece with the measurement that justifies it.

Everything here keeps results the same: the tests pass with each piece removed, only slower or larger. The numbers
are from bench/ at 100 times the shipped data on the 2-core machine; bench/README.md has the method.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pandas as pd

from poc_data.problems import Code, Problem

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# The check reads every file through the guarded reader, so it ends; this only bounds what a page can wait for.
CHECK_SECONDS = 120
DATA_DIRECTORY = "(data directory)"
T = TypeVar("T")
# Below this much data, starting a second process costs more than it saves (the shipped data is under 2 MB).
PARALLEL_BYTES = 16 * 1024 * 1024


# The pauses under way in this process, and whether the collector was on before the first of them.
_pause_lock = threading.Lock()
_pauses = 0
_enabled_before_pauses = False


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a dataset's many small objects are built.

    The collector runs every few hundred new containers and its passes walk the ones still alive, so building 100 000
    records with it on takes about twice as long. Those objects hold no reference cycles, so there is nothing for it to
    free meanwhile; it runs again as soon as the dataset is built.

    The collector is one switch for the whole process, and Streamlit loads datasets from many threads at once: two
    pauses that each read the switch and set it back could leave it off for the server's life. So the pauses are
    counted under a lock: the first turns the collector off, the last to end turns it back on if it was on before the
    first. A lock rather than pausing only in the CLI's process, because the server's first loads of large data (and
    the pages' loads after a data file changed) are the ones a person waits for.
    """
    global _pauses, _enabled_before_pauses
    with _pause_lock:
        if _pauses == 0:
            _enabled_before_pauses = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before_pauses:
                gc.enable()


def _find_malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):  # no glibc (musl, for one): nothing to give back this way
        return None


_MALLOC_TRIM = _find_malloc_trim()


def give_back_memory() -> None:
    """Return the memory freed after reading a dataset to the system (glibc only).

    Reading a large dataset makes many small objects that are freed once its frame is built; glibc keeps that memory
    for the process unless asked, so a server that has read every dataset would hold the sum of their peaks.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def check_in_child(directory: Path) -> list[Problem]:
    """`python -m poc_data check --cache` of `directory`, run in a child process.

    Checking every dataset at once holds all their records: about 170 MB more at 100 times the shipped data, memory
    that a long-running server would keep from then on. A child gives it all back when it ends. Since it reads every
    dataset anyway, it also caches each one that has no problem of its own (in two processes on large data), so that
    the pages then load theirs from the cache: on large data the app has not seen, this is what its first page waits
    for, instead of reading the datasets one by one in the server and then again for the check.
    """
    resolved = str(directory.resolve())
    try:
        result = subprocess.run(  # noqa: S603 - this interpreter, this package, a path
            [sys.executable, "-m", "poc_data", "check", "--json", "--cache", resolved],
            cwd=PACKAGE_ROOT,
            capture_output=True,
            text=True,
            timeout=CHECK_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [
            Problem(DATA_DIRECTORY, 1, "(check)", f"the data check did not finish within {CHECK_SECONDS} s", Code.CHECK)
        ]
    except OSError as error:
        return [Problem(DATA_DIRECTORY, 1, "(check)", f"the data check could not start: {error.strerror}", Code.CHECK)]
    try:
        problems = [Problem(**problem) for problem in json.loads(result.stdout)]
    except (json.JSONDecodeError, TypeError):
        return [
            Problem(DATA_DIRECTORY, 1, "(check)", f"the data check failed (exit code {result.returncode})", Code.CHECK)
        ]
    # Problems with the directory itself name it as given; the page names no server path.
    return [replace(problem, path=DATA_DIRECTORY) if problem.path == resolved else problem for problem in problems]


def two_processes_pay(size: int) -> bool:
    """Whether reading `size` bytes of data files in two processes saves time here: on Linux (where a forked process
    starts at once, with everything imported), with two cores or more, and for large data."""
    return size >= PARALLEL_BYTES and (os.cpu_count() or 1) >= 2 and sys.platform.startswith("linux")


# Fingerprints of the frames seen, by object: the datasets are shared, never-modified objects, so each is hashed once
# rather than on every call of every memoized function (15 ms a time for a dataset at 100x).
_fingerprints: dict[int, tuple[weakref.ref, bytes]] = {}


def frame_fingerprint(frame: pd.DataFrame | pd.Series) -> bytes:
    """A digest of a frame's content, computed once per frame object."""
    known = _fingerprints.get(id(frame))
    if known is not None and known[0]() is frame:
        return known[1]
    # Streamlit's own DataFrame hash fails on list cells and falls back to pickling with a warning each time.
    digest = hashlib.blake2b(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).digest()
    key = id(frame)
    _fingerprints[key] = (weakref.ref(frame, lambda _dead, key=key: _fingerprints.pop(key, None)), digest)
    return digest


def read_in_two_processes(read: Callable[[str], T], sizes: dict[str, int]) -> dict[str, T]:
    """`read(name)` of every name in `sizes` (name: bytes to read), in two processes when there is much to read.

    Reading and validating is CPU-bound Python, one core's work: at 100 times the shipped data, `check` spends about
    5 s on it, and two processes (the largest datasets first, each taken by whichever process is free) take a little
    over half of that, the results coming back pickled. Only where `two_processes_pay`; otherwise this process reads
    all. `read` must be picklable (a module-level function, or a partial of one).
    """
    if not two_processes_pay(sum(sizes.values())):
        return {name: read(name) for name in sizes}
    names = sorted(sizes, key=sizes.__getitem__, reverse=True)
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {name: pool.submit(read, name) for name in names}
        return {name: futures[name].result() for name in sizes}
