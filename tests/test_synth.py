"""`python -m poc_data synth`: valid, N times larger, distinct keys, resolving references, repeatable, careful."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import poc_data
from poc_data.schema import iso3_codes, resolution_parts
from poc_data.synth import SynthError, synthesize
from poc_data.validate import read_all
from tests.conftest import REPO, VALID, data_copy, snapshot

SCALES = [1, 3, 10]


@pytest.fixture(scope="module")
def source():
    return read_all(VALID)


@pytest.fixture(scope="module", params=SCALES, ids=[f"{scale}x" for scale in SCALES])
def synthetic(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"synth{request.param}")
    counts = synthesize(out, request.param, VALID)
    return request.param, out, counts, read_all(out)


def test_output_passes_the_check(synthetic):
    _, out, _, _ = synthetic
    assert [str(problem) for problem in poc_data.check(out)] == []


# Copied once: one table of domains serves any number of sources; the deployments are an outside dataset.
NOT_SCALED = ("source_domains", "deployments", *(d for d, spec in poc_data.DATASETS.items() if spec.producer_file))


@pytest.mark.parametrize("dataset_id", list(poc_data.DATASETS))
def test_every_dataset_has_n_times_the_records(synthetic, source, dataset_id):
    scale, _, counts, datasets = synthetic
    expected = (1 if dataset_id in NOT_SCALED else scale) * len(source[dataset_id].records)
    assert counts[dataset_id] == len(datasets[dataset_id].records) == expected


@pytest.mark.parametrize("dataset_id", list(poc_data.DATASETS))
def test_keys_are_unique(synthetic, dataset_id):
    _, _, _, datasets = synthetic
    key = poc_data.DATASETS[dataset_id].primary_key
    keys = [record[key] for record in datasets[dataset_id].records]
    assert len(keys) == len(set(keys))


def test_references_resolve(synthetic):
    _, _, _, datasets = synthetic
    tiers = {record["id"]: record["tier"] for record in datasets["sources"].records}
    acronyms = {record["acronym"] for record in datasets["missions"].records}
    mandates = {record["resolution"]: record for record in datasets["mandates"].records}
    for dataset_id, parsed in datasets.items():
        cited = {record["source_id"] for record in parsed.records if "source_id" in record}
        assert cited <= set(tiers), dataset_id
        if dataset_id != "sources":
            assert cited <= set(parsed.meta.sources), dataset_id
    for dataset_id in ("milestones", "mandates"):
        for record in datasets[dataset_id].records:
            assert set(record["missions"]) <= acronyms
    for record in datasets["missions"].records:
        if record["first_poc_resolution"]:
            mandate = mandates[record["first_poc_resolution"]]
            number, year = resolution_parts(mandate["resolution"])
            assert mandate["number"] == number
            assert mandate["date"] is None or mandate["date"].year == year
    for record in datasets["civilian_harm"].records:
        assert record["source_tier"] == tiers[record["source_id"]]
    numbers = [record["number"] for record in datasets["mandates"].records]
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("dataset_id", list(poc_data.DATASETS))
def test_metadata_keeps_the_fields_and_vocabularies(synthetic, source, dataset_id):
    _, _, _, datasets = synthetic
    assert datasets[dataset_id].meta.fields == source[dataset_id].meta.fields
    assert datasets[dataset_id].meta.title == source[dataset_id].meta.title


def test_yaml_has_no_anchors_or_aliases(synthetic):
    _, out, _, _ = synthetic
    for path in out.glob("*.yaml"):
        assert not re.search(r"(?:: |- )[&*]id\d+", path.read_text()), path.name


def test_one_x_is_a_copy_of_the_records(source, tmp_path):
    synthesize(tmp_path / "out", 1, VALID)
    datasets = read_all(tmp_path / "out")
    for dataset_id, parsed in datasets.items():
        assert parsed.records == source[dataset_id].records, dataset_id


def test_values_vary_across_years_organizations_and_countries(tmp_path):
    synthesize(tmp_path / "out", 10, VALID)
    missions = poc_data.load("missions", tmp_path / "out")
    milestones = poc_data.load("milestones", tmp_path / "out")
    countries = {code for codes in missions["host_countries"] for code in codes}
    assert len(countries) >= 30 and countries <= iso3_codes()
    assert missions["organization"].nunique() >= 5
    assert missions["end_date"].isna().sum() >= 2, "some operations are ongoing"
    assert milestones["organization"].nunique() == 4
    assert milestones["year"].between(1945, 2025).all() and milestones["year"].nunique() >= 10


def test_same_seed_same_bytes_other_seed_other_values(tmp_path):
    synthesize(tmp_path / "a", 3, VALID)
    synthesize(tmp_path / "b", 3, VALID)
    synthesize(tmp_path / "c", 3, VALID, seed=7)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert snapshot(tmp_path / "a") != snapshot(tmp_path / "c")


def test_refuses_a_non_empty_directory_unless_forced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(SynthError, match="not empty; pass --force"):
        synthesize(out, 2, VALID)
    assert [path.name for path in out.iterdir()] == ["mine.txt"]
    synthesize(out, 2, VALID, force=True)
    assert (out / "mine.txt").read_text() == "keep me"
    assert poc_data.check(out) == []


@pytest.mark.parametrize("inside", [False, True], ids=["source", "below-source"])
def test_never_writes_into_the_source_directory(tmp_path, inside):
    data_dir = data_copy(tmp_path)
    before = snapshot(data_dir)
    with pytest.raises(SynthError, match="source directory"):
        synthesize(data_dir / "big" if inside else data_dir, 2, data_dir, force=True)
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(("scale", "words"), [(0, "1 or more"), (2, "is not a directory")])
def test_refuses_a_bad_scale_or_a_file_as_output(tmp_path, scale, words):
    (tmp_path / "file").write_text("mine")
    with pytest.raises(SynthError, match=words):
        synthesize(tmp_path / "file", scale, VALID)
    assert (tmp_path / "file").read_text() == "mine"


def test_refuses_a_source_with_problems(tmp_path):
    with pytest.raises(SynthError, match="problem"):
        synthesize(tmp_path / "out", 2, data_copy(tmp_path, "unknown_mission"))
    assert not (tmp_path / "out").exists()


def run_synth(*arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "poc_data", "synth", *arguments]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO)


@pytest.mark.parametrize(
    ("arguments", "code", "words"),
    [
        (["--scale", "3"], 0, "ok: wrote 18 sources"),
        (["--scale", "0"], 2, "the scale must be 1 or more"),
        (["--scale", "many"], 2, "not a whole number"),
    ],
)
def test_cli_exit_codes(tmp_path, arguments, code, words):
    result = run_synth(*arguments, "--from", str(VALID), str(tmp_path / "out"))
    assert result.returncode == code, result.stderr
    assert words in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_cli_refuses_a_non_empty_directory_with_exit_1(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    result = run_synth("--scale", "2", "--from", str(VALID), str(tmp_path))
    assert result.returncode == 1
    assert "error:" in result.stderr and "--force" in result.stderr
    assert run_synth("--scale", "2", "--from", str(VALID), "--force", str(tmp_path)).returncode == 0
    assert poc_data.check(tmp_path) == []
