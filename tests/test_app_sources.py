"""The Sources and data page through AppTest."""

from __future__ import annotations

import json

import pytest

import poc_data
from poc_data.load import load
from poc_data.text import md
from tests.apptest import open_page, texts
from tests.conftest import VALID, data_copy
from tests.test_app_home import english_left, interface_strings

PAGE = "pages/7_Sources_and_data.py"


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


def bibliography_ids(at):
    return at.dataframe[0].value["id"].tolist()


def test_page_shows_bibliography_validation_and_every_dataset():
    at = open_page(PAGE)
    assert not at.exception
    assert bibliography_ids(at) == load("sources", VALID)["id"].tolist()
    assert any("found no problems" in s.value for s in at.success)
    assert len(at.expander) >= 8


def test_tier_filter_changes_the_bibliography():
    at = open_page(PAGE)
    at.multiselect(key="src_tier").set_value(["NGO"]).run()
    assert bibliography_ids(at) == ["hrw-2000-allied-force"]


def test_query_params_restore_the_view():
    at = open_page(PAGE, query={"src_tier": ["official"], "src_q": "1265"})
    assert at.multiselect(key="src_tier").value == ["official"]
    assert bibliography_ids(at) == ["un-press-1999-1265"]


def test_invalid_query_param_gives_a_notice():
    at = open_page(PAGE, query={"src_tier": ["gossip"]})
    assert not at.exception
    assert any("'gossip' is not available" in w.value for w in at.warning)


def test_no_match_shows_the_empty_state():
    at = open_page(PAGE, query={"src_q": "no such words anywhere"})
    assert "Nothing matches" in texts(at)


def test_broken_data_shows_the_problems_and_the_rest(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, "unknown_country")))
    at = open_page(PAGE)
    assert not at.exception
    assert any("The data check found" in e.value and "problem" in e.value for e in at.error)
    problems = at.dataframe[1].value
    assert {"file", "line", "field", "message"} <= set(problems.columns)
    assert (problems["field"] == "host_countries").any()
    assert bibliography_ids(at)


def test_records_resting_only_on_an_encyclopedia_are_listed_as_a_warning(tmp_path, monkeypatch):
    from tests.test_validate import _cite_encyclopedia

    data_dir = data_copy(tmp_path)
    _cite_encyclopedia(data_dir)
    monkeypatch.setenv("POC_DATA_DIR", str(data_dir))
    at = open_page(PAGE)
    assert not at.exception
    assert any("found no problems" in s.value for s in at.success)
    assert any("1 record rests only on an encyclopedia" in w.value for w in at.warning)
    weak = next(frame.value for frame in at.dataframe if "source_id" in frame.value.columns)
    assert weak.to_dict("records") == [
        {
            "dataset": "missions",
            "record": "Allied Force",
            "source_id": "wikipedia-nd-allied-force",
            "source": "Operation Allied Force",
        }
    ]


def test_no_warning_when_every_record_has_a_better_source():
    at = open_page(PAGE)
    assert not any("encyclopedia" in w.value for w in at.warning)


def test_the_page_in_french_has_no_english_interface_text_left():
    """Every string the French run shows that is the same in English is the datasets' own metadata (titles,
    descriptions, notes), which stays as its authors wrote it."""
    metadata = [poc_data.metadata(dataset_id, VALID) for dataset_id in poc_data.DATASETS]
    written = [md(text) for meta in metadata for text in (meta.title, meta.description, meta.notes, meta.license_note)]
    data = {text for text in interface_strings(open_page(PAGE)) if any(part and part in text for part in written)}
    assert english_left(PAGE, data) == []


def test_the_page_in_french_names_its_parts_and_counts_in_french():
    at = open_page(PAGE, query={"lang": "fr"})
    assert [header.value for header in at.header][:3] == ["Bibliographie", "Vérification", "Jeux de données"]
    assert at.multiselect(key="src_tier").label == "Niveaux des sources"
    assert "officielle" in at.multiselect(key="src_tier").options
    assert any(caption.value.endswith("sources.") and " sur " in caption.value for caption in at.caption)


def test_the_tables_headings_are_in_french_and_the_columns_keep_their_names():
    at = open_page(PAGE, query={"lang": "fr"})
    headings = json.loads(at.dataframe[0].proto.columns)
    assert headings["authors"]["label"] == "auteurs" and headings["url"]["label"] == "adresse"
    assert headings["url"]["type_config"]["type"] == "link"
    assert "authors" in at.dataframe[0].value.columns
