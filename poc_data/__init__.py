"""PoC Explorer's data package: curated POC datasets, their schemas, loaders and validator (no Streamlit here)."""

from poc_data.load import fill_cache, load, metadata, read_dataset, resolve_data_dir
from poc_data.problems import DataError, Problem
from poc_data.schema import DATASETS
from poc_data.validate import check

__all__ = [
    "DATASETS",
    "DataError",
    "Problem",
    "check",
    "fill_cache",
    "load",
    "metadata",
    "read_dataset",
    "resolve_data_dir",
]
