"""Cached queries of the UCDP events (violence_events.parquet), made with DuckDB on the file: never the whole file in
a DataFrame. Each answer is cached under the file's content digest, so an imported release is queried afresh."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from poc_data import events
from poc_data.i18n import _
from poc_data.load import resolve_data_dir
from poc_data.problems import DataError
from poc_data.safe_text import markdown_text
from poc_data.ui.data import file_digest

MAX_ERROR_CHARS = 300


def file_state() -> tuple[str, str] | None:
    """The data directory and the events file's content digest (what a cached view of the events is keyed by); None
    when there is no events file."""
    directory = resolve_data_dir()
    path = Path(directory) / events.DATA_FILE
    if not path.is_file():
        return None
    return str(directory), file_digest(path, Path(directory))


@st.cache_data(show_spinner=False, max_entries=64)
def _events_in(directory: str, digest: str, iso3: str, year: int) -> pd.DataFrame:
    return events.events_in(directory, iso3, year)


@st.cache_data(show_spinner=False, max_entries=8)
def _countries(directory: str, digest: str) -> pd.DataFrame:
    return events.countries_with_events(directory)


@st.cache_data(show_spinner=False, max_entries=8)
def _metadata(directory: str, digest: str, meta_digest: str) -> events.EventsMetadata | None:
    return events.read_metadata(directory)


def metadata() -> events.EventsMetadata | None:
    """The events dataset's metadata (release, citation, licence, sources), or None without it or unreadable."""
    state = file_state()
    if state is None:
        return None
    directory = Path(state[0])
    return _metadata(*state, file_digest(directory / events.META_FILE, directory))


def _failed(error: Exception) -> None:
    st.error(
        _(
            "The events file ({file}) could not be read, so the events are left out: {error}. Import the release "
            "again with `python -m poc_data import ucdp-ged FILE`; the rest of the app works without it."
        ).format(file=events.DATA_FILE, error=markdown_text(error, MAX_ERROR_CHARS)),
        icon=":material/error:",
    )


def events_in(iso3: str, year: int) -> pd.DataFrame | None:
    """The events of one country and year (events.MAP_COLUMNS), or None without an events file or when it cannot be
    read (then saying why)."""
    state = file_state()
    if state is None:
        return None
    try:
        return _events_in(*state, iso3, int(year))
    except (DataError, duckdb.Error) as error:
        _failed(error)
        return None


def countries_with_events() -> pd.DataFrame | None:
    """Per country with events: iso3, UCDP's name, events, civilian deaths, first and last year; None as above."""
    state = file_state()
    if state is None:
        return None
    try:
        return _countries(*state)
    except (DataError, duckdb.Error) as error:
        _failed(error)
        return None
