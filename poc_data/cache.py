"""Validated datasets kept between runs, by the content of their files, in the user's cache directory.

Reading and validating a dataset costs far more than reading back the typed DataFrame it gave (at 100 times the
shipped data, seconds against a tenth of one). So a dataset that loaded without a problem is written to the user's
cache directory (`$POC_CACHE_DIR`, else the platform's: `~/.cache/poc-explorer` on Linux, `%LOCALAPPDATA%` on
Windows; never the data directory) as an Arrow IPC file with its metadata, under a key that is a digest of:

- the bytes of the dataset's files, exactly as they were read and validated;
- the code that reads, validates and types them (the source of this package's schema, load and cache modules) and
  the versions of the libraries that do part of it.

Any edit of a data file, of the schema or of a library gives another key, so an entry can never be served for data
or rules other than those it was checked with; a dataset with a problem is never written. An entry that cannot be read
(a partial write, a corrupt file) is a miss. Entries are written to a temporary file and then renamed, so a reader
never sees half of one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from importlib import metadata as package_metadata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from poc_data.schema import DatasetSpec, Metadata, field_kind

CACHE_VARIABLE = "POC_CACHE_DIR"
# Bumped when what an entry holds changes shape.
FORMAT = "poc-explorer-cache-1"
_CODE = ("schema.py", "load.py", "cache.py", "problems.py")
_LIBRARIES = ("pandas", "pyarrow", "pydantic", "pydantic-core", "pyyaml", "pycountry")
_META_KEY = b"poc_explorer_metadata"
_CORRUPT = (OSError, pa.ArrowException, ValueError, KeyError, TypeError)


def cache_dir() -> Path:
    """Where entries live: $POC_CACHE_DIR, else the user's cache directory for PoC Explorer."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_path

    return user_cache_path("poc-explorer", appauthor=False)


@cache
def _code_fingerprint() -> bytes:
    """What the code that makes an entry is: its source and the versions of the libraries it uses."""
    digest = hashlib.blake2b(FORMAT.encode(), digest_size=16)
    package = Path(__file__).resolve().parent
    for name in _CODE:
        digest.update((package / name).read_bytes())
    for library in _LIBRARIES:
        try:
            version = package_metadata.version(library)
        except package_metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"\0{library}={version}".encode())
    return digest.digest()


def key(spec: DatasetSpec, contents: list[bytes]) -> str:
    """The key of a dataset whose files held `contents` (data file first, then a separate metadata file)."""
    digest = hashlib.blake2b(_code_fingerprint(), digest_size=20)
    digest.update(spec.id.encode())
    for content in contents:
        digest.update(len(content).to_bytes(8, "little"))
        digest.update(content)
    return digest.hexdigest()


def _path(entry_key: str) -> Path:
    return cache_dir() / f"{entry_key}.arrow"


def has(entry_key: str) -> bool:
    """Whether an entry is stored under `entry_key` (whether it can be read is for `get` to find); False when the
    cache directory cannot be looked into."""
    try:
        return _path(entry_key).is_file()
    except OSError:  # a cache directory this account may not enter: no entry, as without a cache
        return False


def unwritable() -> str | None:
    """Why entries cannot be written to the cache directory (the error's name and the system's words), or None
    when they can: the directory is made if missing, and a file is made in it and removed."""
    try:
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        return f"{error.__class__.__name__}: {error.strerror or error}"
    return None


def get(spec: DatasetSpec, entry_key: str) -> tuple[pd.DataFrame, Metadata] | None:
    """The frame and metadata stored under `entry_key`, or None (no entry, or one that cannot be read)."""
    try:
        table = feather.read_table(_path(entry_key), memory_map=False)
        meta = Metadata.model_validate_json(table.schema.metadata[_META_KEY])
        lists = [name for name in spec.model.model_fields if field_kind(spec.model, name).name == "list"]
        frame = table.drop_columns(lists).to_pandas()
        for name in lists:
            # Arrow would give lists back as arrays; the loader's frames hold Python lists.
            frame.insert(table.column_names.index(name), name, pd.Series(table.column(name).to_pylist(), dtype=object))
    except _CORRUPT:  # no entry (FileNotFoundError), or one that cannot be read
        return None
    return frame, meta


def put(spec: DatasetSpec, entry_key: str, frame: pd.DataFrame, meta: Metadata) -> None:
    """Store a validated dataset under `entry_key`; a cache that cannot be written is left alone (it only saves
    time)."""
    directory = cache_dir()
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**table.schema.metadata, _META_KEY: meta.model_dump_json()})
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{spec.id}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                feather.write_feather(table, file, compression="uncompressed")
            os.replace(temporary, _path(entry_key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pa.ArrowException):
        return
