"""Cached access to the datasets: keyed by the files' modification times, errors shown instead of tracebacks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import poc_data
from poc_data.load import dataset_spec, read_dataset, resolve_data_dir, to_frame
from poc_data.problems import DataError, Problem
from poc_data.schema import DATASETS, Metadata

MAX_PROBLEMS_SHOWN = 20


def _stamp(dataset_id: str | None = None) -> tuple:
    """What changes when a data file is edited: each file's path, modification time and size."""
    directory = resolve_data_dir()
    specs = [dataset_spec(dataset_id)] if dataset_id else list(DATASETS.values())
    stamp = [str(directory)]
    for spec in specs:
        for name in dict.fromkeys((spec.data_file, spec.meta_file)):
            path = directory / name
            try:
                status = path.stat()
                stamp.append((name, status.st_mtime_ns, status.st_size))
            except OSError:
                stamp.append((name, None, None))
    return tuple(stamp)


@st.cache_data(show_spinner=False, max_entries=64)
def _load(dataset_id: str, stamp: tuple) -> tuple[pd.DataFrame, Metadata]:
    parsed = read_dataset(dataset_id, stamp[0])
    if parsed.problems or parsed.meta is None:
        raise DataError(dataset_id, parsed.problems)
    return to_frame(parsed), parsed.meta


@st.cache_data(show_spinner=False, max_entries=8)
def _check(stamp: tuple) -> list[Problem]:
    return poc_data.check(stamp[0])


def _show_error(error: DataError) -> None:
    spec = DATASETS[error.dataset_id]
    st.error(
        f"The {error.dataset_id} dataset could not be loaded, so what depends on it is left out. "
        f"Correct {spec.data_file} and reload the page; the rest of the app works without it.",
        icon=":material/error:",
    )
    lines = [str(problem) for problem in error.problems[:MAX_PROBLEMS_SHOWN]]
    if len(error.problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"... and {len(error.problems) - MAX_PROBLEMS_SHOWN} more: run `python -m poc_data check`")
    st.code("\n".join(lines), language=None, wrap_lines=True)


def _get(dataset_id: str) -> tuple[pd.DataFrame, Metadata] | None:
    try:
        return _load(dataset_id, _stamp(dataset_id))
    except DataError as error:
        _show_error(error)
        return None


def dataset(dataset_id: str) -> pd.DataFrame | None:
    """A dataset as a DataFrame, or None after showing which file, line and field are wrong."""
    loaded = _get(dataset_id)
    return None if loaded is None else loaded[0]


@st.cache_data(show_spinner=False, max_entries=64)
def _metadata(dataset_id: str, stamp: tuple) -> Metadata:
    # Cached on its own: a hit on `_load` copies the whole frame, which a page that wants the metadata only
    # should not pay for on every rerun.
    return _load(dataset_id, stamp)[1]


def dataset_metadata(dataset_id: str) -> Metadata | None:
    """A dataset's metadata, or None (the error is shown by `dataset`)."""
    try:
        return _metadata(dataset_id, _stamp(dataset_id))
    except DataError:
        return None


def sources() -> pd.DataFrame:
    """The bibliography; an empty frame with the right columns if it cannot be loaded."""
    frame = dataset("sources")
    if frame is None:
        return pd.DataFrame(columns=list(DATASETS["sources"].model.model_fields))
    return frame


def all_problems() -> list[Problem]:
    """The validator's full report on the data directory (cached until a file changes)."""
    return _check(_stamp())
