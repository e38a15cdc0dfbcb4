"""Cached access to the datasets: keyed by the files' content, errors shown instead of tracebacks."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from poc_data import cache as frame_cache
from poc_data import events, i18n
from poc_data.i18n import _
from poc_data.load import (
    FileRefused,
    dataset_sizes,
    dataset_spec,
    is_cached,
    load_with_metadata,
    metadata,
    read_file_bytes,
    resolve_data_dir,
)
from poc_data.problems import DataError, Problem
from poc_data.schema import DATASETS, Metadata
from poc_data.speed import check_in_child, frame_fingerprint, give_back_memory, two_processes_pay

MAX_PROBLEMS_SHOWN = 20


# Content digests by what the file system says of each file: a file is read and hashed again only when one of its
# inode, size, modification or change time differs. On Unix the change time cannot be set by `cp -p`, `rsync -t` or
# `touch`, so an edit that keeps the size and modification time is still read. On Windows `st_ctime` is when the file
# was created, and no time tells such an edit: there every file is read and hashed each time it is looked at.
_digests: dict[Path, tuple[tuple, str]] = {}
CHANGE_TIME_KNOWN = os.name != "nt"


def _seen(path: Path) -> tuple | None:
    """What the file system says of a file that changes with any edit, or None where it cannot say (Windows)."""
    if not CHANGE_TIME_KNOWN:
        return None
    try:
        status = path.stat()
    except (OSError, RuntimeError):
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def file_digest(path: Path, directory: Path) -> str:
    """What a data file holds, as a digest of its bytes (read through the guarded reader), or why it cannot be read."""
    seen = _seen(path)
    known = _digests.get(path)
    if seen is not None and known is not None and known[0] == seen:
        return known[1]
    try:
        digest = hashlib.blake2b(read_file_bytes(path, directory), digest_size=16).hexdigest()
    except FileRefused as refused:
        digest = f"refused: {refused}"
    if seen is not None:
        _digests[path] = (seen, digest)
    return digest


def _stamp(dataset_id: str | None = None) -> tuple:
    """What changes when a data file is edited: the data directory and each file's content digest."""
    directory = resolve_data_dir()
    specs = [dataset_spec(dataset_id)] if dataset_id else list(DATASETS.values())
    stamp = [str(directory)]
    names = [name for spec in specs for name in dict.fromkeys((spec.data_file, spec.meta_file))]
    if dataset_id is None:
        names += [events.DATA_FILE, events.META_FILE]  # checked with the rest (events.events_problems)
    for name in names:
        stamp.append((name, file_digest(directory / name, directory)))
    return tuple(stamp)


class ChangedWhileRead(Exception):
    """A data file changed while its dataset was read: what was read need not be what the stamp describes, so it
    is not cached under that stamp (exceptions are never cached) and the dataset is read again."""


READ_ATTEMPTS = 3


# cache_resource, not cache_data: a cache_data hit unpickles a fresh copy of the frame, which at 100 times the
# shipped data costs about 0.1 s per dataset on every rerun and a copy per session in memory. The frames are shared
# read-only: pages and transforms never modify their input (the transform tests check this).
@st.cache_resource(show_spinner=False, max_entries=32)
def _load(dataset_id: str, stamp: tuple) -> tuple[pd.DataFrame, Metadata]:
    directory = Path(stamp[0])
    try:
        if two_processes_pay(sum(dataset_sizes(directory).values())) and not is_cached(dataset_id, directory):
            # Large data the cache has not seen: the full check, which the app runs once per state of the data
            # anyway, reads and caches every dataset in a child, so this page and the others load from the cache.
            _check(_stamp())
        loaded = load_with_metadata(dataset_id, directory)
    finally:
        give_back_memory()
    if _stamp(dataset_id) != stamp:
        raise ChangedWhileRead(dataset_id)
    return loaded


@st.cache_data(show_spinner=False, max_entries=8)
def _check(stamp: tuple) -> list[Problem]:
    return check_in_child(Path(stamp[0]))


CACHE_NOTICE_KEY = "_cache_notice_shown"


@st.cache_resource(show_spinner=False, ttl=300, max_entries=4)
def _cache_unwritable(directory: str) -> str | None:
    # Looked at once per cache directory every few minutes, not on every rerun: it makes and removes a file.
    return frame_cache.unwritable()


def cache_notice() -> None:
    """Say, once per browser session, that datasets cannot be cached on this computer and how to choose a folder
    that can: the pages work without the cache, only slower on large data."""
    if st.session_state.get(CACHE_NOTICE_KEY):
        return
    reason = _cache_unwritable(str(frame_cache.cache_dir()))
    if reason is None:
        return
    st.session_state[CACHE_NOTICE_KEY] = True
    st.info(
        _(
            "PoC Explorer cannot keep its cache of checked datasets on this computer ({reason}), so it reads and "
            "checks the data files again each time they are needed: every page works, large data loads more slowly. "
            "To give it a folder it may write to, set the environment variable {variable} to that folder and start "
            "the app again."
        ).format(reason=reason, variable=frame_cache.CACHE_VARIABLE),
        icon=":material/info:",
    )


def _show_error(error: DataError) -> None:
    spec = DATASETS[error.dataset_id]
    st.error(
        _(
            "The {dataset} dataset could not be loaded, so what depends on it is left out. "
            "Correct {file} and reload the page; the rest of the app works without it."
        ).format(dataset=error.dataset_id, file=spec.data_file),
        icon=":material/error:",
    )
    lines = [str(problem) for problem in error.problems[:MAX_PROBLEMS_SHOWN]]
    if len(error.problems) > MAX_PROBLEMS_SHOWN:
        more = len(error.problems) - MAX_PROBLEMS_SHOWN
        lines.append(_("... and {count} more: run `python -m poc_data check`").format(count=i18n.number(more)))
    st.code("\n".join(lines), language=None, wrap_lines=True)


def _get(dataset_id: str) -> tuple[pd.DataFrame, Metadata] | None:
    for _attempt in range(READ_ATTEMPTS):
        try:
            return _load(dataset_id, _stamp(dataset_id))
        except ChangedWhileRead:
            continue
        except DataError as error:
            _show_error(error)
            return None
    st.warning(
        _("The {dataset} files kept changing while they were read; reload the page in a moment.").format(
            dataset=dataset_id
        ),
        icon=":material/sync_problem:",
    )
    return None


def dataset(dataset_id: str) -> pd.DataFrame | None:
    """A dataset as a DataFrame, or None after showing which file, line and field are wrong."""
    loaded = _get(dataset_id)
    return None if loaded is None else loaded[0]


@st.cache_data(show_spinner=False, max_entries=64)
def _metadata(dataset_id: str, stamp: tuple) -> Metadata:
    # Apart from `_load`: a page that shows only the metadata need not read all the records.
    meta = metadata(dataset_id, stamp[0])
    if _stamp(dataset_id) != stamp:
        raise ChangedWhileRead(dataset_id)
    return meta


def dataset_metadata(dataset_id: str) -> Metadata | None:
    """A dataset's metadata, or None when its metadata cannot be read (pages show data errors with `dataset`)."""
    for _attempt in range(READ_ATTEMPTS):
        try:
            return _metadata(dataset_id, _stamp(dataset_id))
        except ChangedWhileRead:
            continue
        except DataError:
            return None
    return None


HASH_FUNCS = {pd.DataFrame: frame_fingerprint, pd.Series: frame_fingerprint}


def cached_in_language(func: Callable) -> Callable:
    """`func` cached across reruns and sessions, keyed by its arguments' content and by the session's language:
    what it writes (titles, labels) is an English session's or a French one's, never handed to the other."""

    @functools.wraps(func)
    def in_language(language: str, *args, **kwargs):
        return func(*args, **kwargs)

    cached = st.cache_data(in_language, show_spinner=False, max_entries=64, hash_funcs=HASH_FUNCS)

    @functools.wraps(func)
    def call(*args, **kwargs):
        return cached(i18n.current_language(), *args, **kwargs)

    return call


def _memo(func: Callable) -> Callable:
    """`func` (a pure transform or figure builder) cached across reruns and sessions, keyed by its arguments'
    content and the session's language: a page rerun with the same data and filters does not compute it again."""
    return cached_in_language(func)


def _memo_figure(builder: Callable[..., go.Figure]) -> Callable[..., dict]:
    """A figure builder cached across reruns like `memo`, keeping the figure as a plain dict: a cached Figure object
    is validated again by plotly each time it is read back, which costs more than the cache saves."""

    @functools.wraps(builder)
    def as_dict(*args, **kwargs) -> dict:
        return builder(*args, **kwargs).to_dict()

    return cached_in_language(as_dict)


def _built_once(make: Callable[[Callable], Callable]) -> Callable[[Callable], Callable]:
    """`make` (`_memo` or `_memo_figure`) building each module function's cached version once per process.

    Building one reads and parses the function's source (0.3-1 ms), and the pages ask for the same ones on every
    rerun. A page's own or a nested function is built each time, as before, so that nothing is kept for it."""
    built: dict[Callable, Callable] = {}

    @functools.wraps(make)
    def once(func: Callable) -> Callable:
        if getattr(func, "__module__", "__main__") == "__main__" or "<" in getattr(func, "__qualname__", "<"):
            return make(func)
        if func not in built:
            built[func] = make(func)
        return built[func]

    return once


memo = _built_once(_memo)
memo_figure = _built_once(_memo_figure)


def sources() -> pd.DataFrame:
    """The bibliography; an empty frame with the right columns if it cannot be loaded."""
    frame = dataset("sources")
    if frame is None:
        return pd.DataFrame(columns=list(DATASETS["sources"].model.model_fields))
    return frame


def all_problems() -> list[Problem]:
    """The validator's full report on the data directory (cached until a file changes)."""
    return _check(_stamp())
