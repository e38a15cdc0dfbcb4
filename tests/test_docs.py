"""docs/data-format.md describes the schema as poc_data/schema.py defines it: every field and every vocabulary."""

from __future__ import annotations

import re

import pytest

from poc_data.schema import DATASETS, field_vocabulary
from tests.conftest import REPO

DOC = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")


def _section(dataset_id: str) -> str:
    match = re.search(rf"^### {re.escape(dataset_id)} \(.*?(?=^#|\Z)", DOC, flags=re.MULTILINE | re.DOTALL)
    assert match, f"docs/data-format.md has no section '### {dataset_id} (...)'"
    return " ".join(match.group(0).split())


@pytest.mark.parametrize("dataset_id", list(DATASETS))
def test_every_field_is_documented(dataset_id):
    section = _section(dataset_id)
    missing = [name for name in DATASETS[dataset_id].model.model_fields if f"`{name}`" not in section]
    assert missing == [], f"{dataset_id}: fields not described in docs/data-format.md"


@pytest.mark.parametrize("dataset_id", list(DATASETS))
def test_every_vocabulary_is_documented(dataset_id):
    section = _section(dataset_id)
    model = DATASETS[dataset_id].model
    missing = {
        name: [value for value in vocabulary if value not in section]
        for name in model.model_fields
        if (vocabulary := field_vocabulary(model, name))
    }
    assert {name: values for name, values in missing.items() if values} == {}
