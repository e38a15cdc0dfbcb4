"""The shipped evidence links: every POC20 priority is linked, each link is specific, sourced and explained."""

from __future__ import annotations

import pytest

import poc_data
from poc_data.load import BUNDLED_DATA_DIR
from poc_data.transform import roundtable as rt

# No record informs many priorities: theme-tag matching once tied one milestone to 15 of 20 questions.
MOST_ITEMS_PER_RECORD = 3


@pytest.fixture(scope="module")
def evidence():
    return poc_data.load("evidence", BUNDLED_DATA_DIR)


@pytest.fixture(scope="module")
def recommendations():
    return poc_data.load("recommendations", BUNDLED_DATA_DIR)


def test_every_poc20_priority_has_evidence(evidence, recommendations):
    poc20 = set(recommendations.loc[recommendations["source_id"] == rt.POC20, "id"])
    assert len(poc20) == 16
    assert poc20 <= set(evidence["recommendation_id"])


def test_each_link_is_made_once(evidence):
    assert not evidence.duplicated(["recommendation_id", "kind", "target"]).any()


def test_no_record_informs_many_priorities(evidence):
    spread = evidence.groupby(["kind", "target"])["recommendation_id"].nunique()
    assert spread.max() <= MOST_ITEMS_PER_RECORD, spread[spread > MOST_ITEMS_PER_RECORD]


def test_reasons_are_one_line(evidence):
    assert not evidence["reason"].str.contains("\n").any()
    assert evidence["reason"].str.len().max() <= 140


def test_every_link_resolves_to_a_record(evidence):
    records = {
        dataset_id: poc_data.load(dataset_id, BUNDLED_DATA_DIR) for dataset_id, _ in rt.EVIDENCE_DATASETS.values()
    }
    links = rt.evidence_of(evidence, evidence["recommendation_id"], records)
    assert len(links) == len(evidence)
    assert not links["label"].str.contains("not in the data").any()
