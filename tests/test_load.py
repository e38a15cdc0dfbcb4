"""The loaders: typed frames, the data directory's resolution, partial dates, errors."""

from __future__ import annotations

import pandas as pd
import pytest

import poc_data
from poc_data.load import BUNDLED_DATA_DIR, read_dataset, resolve_data_dir
from poc_data.problems import Code
from tests.conftest import VALID, data_copy


@pytest.mark.parametrize("dataset_id", list(poc_data.DATASETS))
def test_every_dataset_loads_with_the_schema_columns(dataset_id):
    frame = poc_data.load(dataset_id, VALID)
    model = poc_data.DATASETS[dataset_id].model
    assert [c for c in frame.columns if not c.endswith("_text")] == list(model.model_fields)
    assert len(frame) > 0


@pytest.mark.parametrize(
    ("dataset_id", "column", "check"),
    [
        ("milestones", "year", lambda s: s.dtype == "Int64"),
        ("milestones", "organization", lambda s: isinstance(s.dtype, pd.CategoricalDtype)),
        ("milestones", "themes", lambda s: all(isinstance(v, list) for v in s)),
        ("missions", "start_date", lambda s: pd.api.types.is_datetime64_any_dtype(s)),
        ("missions", "status_as_of", lambda s: pd.api.types.is_datetime64_any_dtype(s)),
        ("missions", "hq_lat", lambda s: s.dtype == "float64"),
        ("missions", "host_countries", lambda s: list(s.iloc[0]) == ["HRV", "BIH", "MKD"]),
        ("missions", "type", lambda s: list(s.cat.categories)[0] == "peacekeeping"),
        ("mandates", "number", lambda s: s.dtype == "Int64"),
        ("mandates", "date", lambda s: pd.api.types.is_datetime64_any_dtype(s)),
        ("civilian_harm", "value_low", lambda s: s.dtype == "Int64"),
        ("key_figures", "value", lambda s: s.dtype == "float64"),
        ("sources", "tier", lambda s: isinstance(s.dtype, pd.CategoricalDtype)),
    ],
)
def test_dtypes(dataset_id, column, check):
    assert check(poc_data.load(dataset_id, VALID)[column])


def test_partial_dates_keep_their_text_and_an_end_means_the_end_of_its_period():
    missions = poc_data.load("missions", VALID).set_index("acronym")
    assert missions.loc["UNAMSIL", "end_date"] == pd.Timestamp("2005-12-31")
    assert missions.loc["UNAMSIL", "end_date_text"] == "2005"
    assert missions.loc["UNPROFOR", "start_date"] == pd.Timestamp("1992-02-21")
    assert pd.isna(missions.loc["UNMIK", "end_date"])


def test_partial_month_end_is_the_last_day_of_the_month(tmp_path):
    data_dir = data_copy(tmp_path)
    path = data_dir / "missions.csv"
    path.write_text(path.read_text().replace("1992-02-21,1995-03-31", "1992-02,1996-02"))
    missions = poc_data.load("missions", data_dir).set_index("acronym")
    assert missions.loc["UNPROFOR", "start_date"] == pd.Timestamp("1992-02-01")
    assert missions.loc["UNPROFOR", "end_date"] == pd.Timestamp("1996-02-29")


def test_empty_cells_are_missing_values_not_empty_strings():
    missions = poc_data.load("missions", VALID).set_index("acronym")
    assert pd.isna(missions.loc["UNMIK", "first_poc_resolution"])
    assert pd.isna(missions.loc["Allied Force", "hq_lat"])
    assert missions.loc["UNMIK", "host_countries"] == ["XKX"]


def test_data_dir_defaults_to_the_environment_then_the_bundled_data(monkeypatch, tmp_path):
    monkeypatch.delenv("POC_DATA_DIR", raising=False)
    assert resolve_data_dir() == BUNDLED_DATA_DIR
    monkeypatch.setenv("POC_DATA_DIR", str(tmp_path))
    assert resolve_data_dir() == tmp_path
    assert resolve_data_dir(VALID) == VALID


def test_load_reads_the_environment_variable(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))
    assert len(poc_data.load("milestones")) == 3


def test_unknown_dataset_id_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown dataset 'weather'; known: sources, milestones"):
        poc_data.load("weather", VALID)


def test_data_error_names_the_problems(tmp_path):
    data_dir = data_copy(tmp_path, "unknown_theme")
    with pytest.raises(poc_data.DataError, match=r"milestones\.yaml:47: themes: .*got 'weather'"):
        poc_data.load("milestones", data_dir)
    assert [problem.code for problem in poc_data.check(data_dir)] == [Code.CONSTRAINT]


# A value edited in a valid file, and the code of the one problem it makes: what the schema's check says of it.
@pytest.mark.parametrize(
    ("dataset_id", "old", "new", "field", "code"),
    [
        ("mandates", "(1999),1244,", "(1999),x,", "number", Code.TYPE),
        ("mandates", "(1999),1244,", "(1999),0,", "number", Code.CONSTRAINT),
        ("mandates", "1999-06-10", "1999-06-31", "date", Code.TYPE),
        ("mandates", "1999-06-10,mission mandate", "1999-06-10,other", "kind", Code.CONSTRAINT),
        ("mandates", ",,ipi-2022,", ",,,", "source_id", Code.CONSTRAINT),
        ("missions", "1992-02-21,", "21/02/1992,", "start_date", Code.TYPE),
        ("missions", "1992-02-21,", "1992-02-30,", "start_date", Code.TYPE),
        ("missions", "1992-02-21,", "1930-02-21,", "start_date", Code.CONSTRAINT),
        ("milestones", "    year: 1994\n", "    year: 1994\n    colour: red\n", "colour", Code.UNKNOWN_FIELD),
        ("milestones", "    year: 1994\n", "", "year", Code.MISSING_FIELD),
        ("milestones", "themes: [policy and doctrine]", "themes: policy and doctrine", "themes", Code.TYPE),
        ("milestones", "  - id: 1999-nato-1\n", "  - id: 1994-un-1\n", "id", Code.UNIQUE),
        ("milestones", "\nrecords:\n", "\nid: milestones\nrecords:\n", "id", Code.DUPLICATE_KEY),
    ],
)
def test_each_kind_of_bad_value_has_its_code(tmp_path, dataset_id, old, new, field, code):
    data_dir = data_copy(tmp_path)
    spec = poc_data.DATASETS[dataset_id]
    path = data_dir / spec.data_file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    problems = read_dataset(dataset_id, data_dir).problems
    assert [(p.field, p.code) for p in problems] == [(field, code)], [str(p) for p in problems]


def test_metadata_is_returned_typed():
    meta = poc_data.metadata("missions", VALID)
    assert meta.primary_key == "acronym"
    assert [f.name for f in meta.fields][:2] == ["acronym", "name"]


def test_csv_with_a_byte_order_mark_loads(tmp_path):
    data_dir = data_copy(tmp_path)
    path = data_dir / "mandates.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(poc_data.load("mandates", data_dir)) == 3


def test_blank_lines_in_csv_are_ignored_and_lines_still_count(tmp_path):
    data_dir = data_copy(tmp_path)
    path = data_dir / "mandates.csv"
    lines = path.read_text().splitlines(keepends=True)
    lines.insert(2, "\n")
    lines[3] = lines[3].replace("1999-09-17", "1999-09-31")
    path.write_text("".join(lines))
    problems = poc_data.check(data_dir)
    assert [(p.line, p.field) for p in problems] == [(4, "date")]


def test_the_package_never_imports_streamlit():
    import subprocess
    import sys

    code = "import sys, poc_data, poc_data.validate, poc_data.load; print('streamlit' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("COD", "Democratic Republic of the Congo"),
        ("KOR", "South Korea"),
        ("BIH", "Bosnia and Herzegovina"),
        ("XKX", "Kosovo"),
        ("BES", "Bonaire, Sint Eustatius and Saba"),
        ("ZZZ", "ZZZ"),
    ],
)
def test_country_names_read_as_people_say_them(code, name):
    from poc_data.schema import country_name

    assert country_name(code) == name


def test_metadata_is_read_without_the_records(tmp_path):
    data_dir = data_copy(tmp_path, "yaml_syntax")
    assert poc_data.metadata("milestones", data_dir).id == "milestones"
    with pytest.raises(poc_data.DataError, match=r"key_figures\.yaml:5: updated"):
        poc_data.metadata("key_figures", data_copy(tmp_path / "other", "bad_metadata"))


def test_metadata_after_the_records_is_still_found(tmp_path):
    data_dir = data_copy(tmp_path)
    path = data_dir / "comparisons.yaml"
    text = path.read_text()
    header, records = text.split("records:\n", 1)
    path.write_text("records:\n" + records + header)
    assert poc_data.metadata("comparisons", data_dir).primary_key == "id"
    assert len(poc_data.load("comparisons", data_dir)) == 2
