"""The validator on good and bad input: every bad-input fixture is named by file, line and field."""

from __future__ import annotations

import copy
import csv

import pytest

import poc_data
from poc_data import validate
from poc_data.problems import PROBLEM_CODES, Code, DataError
from poc_data.schema import DATASETS, field_vocabulary, foreign_keys
from tests.conftest import BAD, VALID, data_copy, snapshot

# case, dataset whose own files are bad (None: a cross-dataset problem), file, line, field, code of the problem
BAD_CASES = [
    ("yaml_syntax", "milestones", "milestones.yaml", 35, "(file)", Code.FORMAT),
    ("python_tag", "milestones", "milestones.yaml", 42, "(file)", Code.FORMAT),
    ("csv_unclosed_quote", "missions", "missions.csv", 6, "(file)", Code.FORMAT),
    ("not_utf8", "mandates", "mandates.csv", 2, "(file)", Code.ENCODING),
    ("empty_file", "civilian_harm", "civilian_harm.csv", 1, "(file)", Code.FORMAT),
    ("missing_column", "missions", "missions.csv", 1, "poc_mandate", Code.MISSING_FIELD),
    ("unknown_key", "milestones", "milestones.yaml", 41, "colour", Code.UNKNOWN_FIELD),
    ("wrong_type", "mandates", "mandates.csv", 4, "number", Code.TYPE),
    ("unknown_organization", "missions", "missions.csv", 4, "organization", Code.CONSTRAINT),
    ("unknown_mission_type", "missions", "missions.csv", 3, "type", Code.CONSTRAINT),
    ("unknown_theme", "milestones", "milestones.yaml", 47, "themes", Code.CONSTRAINT),
    ("year_out_of_range", "milestones", "milestones.yaml", 24, "year", Code.CONSTRAINT),
    ("impossible_date", "missions", "missions.csv", 5, "start_date", Code.TYPE),
    ("end_before_start", None, "missions.csv", 2, "end_date", Code.ROW_CONSTRAINT),
    ("unknown_country", "missions", "missions.csv", 2, "host_countries", Code.CONSTRAINT),
    ("low_above_high", None, "civilian_harm.csv", 2, "value_high", Code.ROW_CONSTRAINT),
    ("duplicate_id", "milestones", "milestones.yaml", 43, "id", Code.UNIQUE),
    ("unknown_source", None, "mandates.csv", 3, "source_id", Code.FOREIGN_KEY),
    ("unknown_mission", None, "milestones.yaml", 48, "missions", Code.FOREIGN_KEY),
    ("unknown_resolution", None, "missions.csv", 6, "first_poc_resolution", Code.FOREIGN_KEY),
    ("missing_source", "civilian_harm", "civilian_harm.csv", 3, "source_id", Code.CONSTRAINT),
    ("undescribed_field", "missions", "missions.meta.yaml", 8, "fields", Code.METADATA),
    ("tier_mismatch", None, "civilian_harm.csv", 2, "source_tier", Code.ROW_CONSTRAINT),
    ("repeated_key", "comparisons", "comparisons.yaml", 30, "organization", Code.DUPLICATE_KEY),
    ("short_row", "mandates", "mandates.csv", 2, "(file)", Code.FORMAT),
    ("resolution_mismatch", None, "mandates.csv", 3, "date", Code.ROW_CONSTRAINT),
    ("bad_metadata", "key_figures", "key_figures.yaml", 5, "updated", Code.TYPE),
    ("records_not_list", "recommendations", "recommendations.yaml", 18, "records", Code.FORMAT),
    ("unknown_evidence_target", None, "evidence.yaml", 41, "target", Code.FOREIGN_KEY),
    ("unknown_evidence_recommendation", None, "evidence.yaml", 18, "recommendation_id", Code.FOREIGN_KEY),
    ("unknown_evidence_milestone", None, "evidence.yaml", 20, "target", Code.FOREIGN_KEY),
    ("unknown_evidence_mandate", None, "evidence.yaml", 34, "target", Code.FOREIGN_KEY),
    ("unknown_mandate_mission", None, "mandates.csv", 2, "missions", Code.FOREIGN_KEY),
    ("disallowed_domain", None, "sources.yaml", 40, "url", Code.CITATION),
    ("repost_domain", None, "sources.yaml", 40, "url", Code.CITATION),
    ("state_outlet_domain", None, "sources.yaml", 40, "url", Code.CITATION),
    ("aggregator_domain", None, "sources.yaml", 40, "url", Code.CITATION),
    ("unlisted_domain", None, "sources.yaml", 40, "url", Code.CITATION),
    ("tier_from_domain", None, "sources.yaml", 41, "tier", Code.CITATION),
    ("no_url_or_symbol", None, "sources.yaml", 36, "url", Code.CITATION),
    ("disallowed_detail_url", None, "missions.csv", 5, "source_detail", Code.CITATION),
    ("number_mismatch", None, "mandates.csv", 3, "number", Code.ROW_CONSTRAINT),
    ("primary_key_mismatch", "missions", "missions.meta.yaml", 7, "primary_key", Code.METADATA),
    ("duplicate_column", "missions", "missions.csv", 1, "notes", Code.DUPLICATE_KEY),
    ("ongoing_with_end", None, "missions.csv", 2, "status", Code.ROW_CONSTRAINT),
    ("half_headquarters", None, "missions.csv", 2, "hq_lat", Code.ROW_CONSTRAINT),
    ("required_disagrees", "missions", "missions.meta.yaml", 8, "fields", Code.METADATA),
]


def test_every_bad_fixture_has_a_case():
    assert sorted(case[0] for case in BAD_CASES) == sorted(path.name for path in BAD.iterdir())


def test_valid_fixture_has_no_problems():
    assert poc_data.check(VALID) == []


def test_an_eu_civilian_mission_is_a_type_of_its_own(valid_dir):
    path = valid_dir / "missions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows.append(
        ["EUPM", "European Union Police Mission", "", "EU", "", "civilian mission", "BIH", "2003-01", "2012-06-30"]
        + ["ended", "", "unknown", "", "Sarajevo", "", "", "ipi-2022", "", ""]
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert poc_data.check(valid_dir) == []
    assert poc_data.load("missions", valid_dir).set_index("acronym").loc["EUPM", "type"] == "civilian mission"


@pytest.mark.parametrize(("case", "dataset", "file", "line", "field", "code"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_is_named_by_file_line_field_and_code(tmp_path, case, dataset, file, line, field, code):
    data_dir = data_copy(tmp_path, case)
    problems = poc_data.check(data_dir)
    located = [p for p in problems if p.path.endswith(file) and p.line == line and p.field == field]
    assert located, f"no problem at {file}:{line}: {field}; got: {[str(p) for p in problems]}"
    assert code in [p.code for p in located], [(str(p), p.code) for p in located]
    assert all(str(p).startswith(f"{p.path}:{p.line}: {p.field}: ") for p in problems)
    assert all(p.code in PROBLEM_CODES for p in problems), [(str(p), p.code) for p in problems]


@pytest.mark.parametrize(("case", "dataset"), [(c[0], c[1]) for c in BAD_CASES if c[1]])
def test_a_bad_dataset_fails_to_load_and_the_others_still_load(tmp_path, case, dataset):
    data_dir = data_copy(tmp_path, case)
    with pytest.raises(DataError) as raised:
        poc_data.load(dataset, data_dir)
    assert raised.value.dataset_id == dataset
    assert raised.value.problems
    for other in poc_data.DATASETS:
        if other != dataset:
            assert len(poc_data.load(other, data_dir)) > 0


@pytest.mark.parametrize("case", [c[0] for c in BAD_CASES])
def test_check_never_writes_to_the_data_directory(tmp_path, case):
    data_dir = data_copy(tmp_path, case)
    before = snapshot(data_dir)
    poc_data.check(data_dir)
    assert snapshot(data_dir) == before


def test_python_tag_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    data_dir = data_copy(tmp_path)
    text = (data_dir / "milestones.yaml").read_text()
    text = text.replace(
        "    source_detail: Annex 2, pp. 26-27, 1999, NATO column",
        f'    source_detail: !!python/object/apply:os.system ["touch {marker}"]',
    )
    (data_dir / "milestones.yaml").write_text(text)
    problems = poc_data.check(data_dir)
    assert any("unsupported YAML tag" in p.message for p in problems)
    assert not marker.exists()


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    data_dir = data_copy(tmp_path)
    for case in ("unknown_country", "low_above_high", "unknown_theme"):
        for path in (BAD / case).iterdir():
            (data_dir / path.name).write_bytes(path.read_bytes())
    fields = {p.field for p in poc_data.check(data_dir)}
    assert {"host_countries", "value_high", "themes"} <= fields


def test_missing_metadata_file_is_reported(tmp_path):
    data_dir = data_copy(tmp_path)
    (data_dir / "missions.meta.yaml").unlink()
    problems = poc_data.check(data_dir)
    assert any(p.path.endswith("missions.meta.yaml") and p.message == "file not found" for p in problems)


def test_missing_data_directory_is_one_clear_problem(tmp_path):
    problems = poc_data.check(tmp_path / "nowhere")
    assert len(problems) == 1
    assert "data directory not found" in problems[0].message


def test_rejected_record_is_not_reported_again_as_an_unknown_reference(tmp_path):
    problems = poc_data.check(data_copy(tmp_path, "unknown_organization"))
    assert [p.field for p in problems] == ["organization"]


def test_missing_column_is_reported_once_not_on_every_row(tmp_path):
    problems = poc_data.check(data_copy(tmp_path, "missing_column"))
    assert [(p.line, p.field) for p in problems] == [(1, "poc_mandate")]


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (",Zagreb,45.8150,15.9819,", ",Zagreb,45.8150,,", "hq_lat", "both hq_lat and hq_lon"),
        (",Zagreb,45.8150,15.9819,", ",Zagreb,95.0,15.9819,", "hq_lat", "less than or equal to 90"),
        ("HRV;BIH;MKD", "HRV;BIH;HRV", "host_countries", "repeated item(s): HRV"),
        ("1992-02-21,1995-03-31", "1992-02,1995", None, None),
        ("1995-03-31,ended", "1995-03-31,ongoing", "status", "ongoing, but an end_date is given"),
        ("1995-03-31,ended", "1995-03-31,paused", "status", "Input should be 'ongoing', 'ended' or 'unknown'"),
        ("1992-02-21,1995-03-31", "1992-13,1995", "start_date", "not a real date"),
        ("1992-02-21,1995-03-31", "21/02/1992,1995", "start_date", "is not a date"),
    ],
)
def test_mission_rules(tmp_path, old, new, field, words):
    data_dir = data_copy(tmp_path)
    path = data_dir / "missions.csv"
    path.write_text(path.read_text().replace(old, new, 1))
    problems = poc_data.check(data_dir)
    if field is None:
        assert problems == []
    else:
        assert any(p.field == field and words in p.message and p.line == 2 for p in problems), problems


def test_metadata_enum_must_match_the_schema_vocabulary(tmp_path):
    data_dir = data_copy(tmp_path)
    path = data_dir / "missions.meta.yaml"
    path.write_text(path.read_text().replace("enum: [UN, EU, NATO, AU, UN-AU, national, coalition]", "enum: [UN, EU]"))
    problems = poc_data.check(data_dir)
    assert any(p.field == "fields" and "'organization' enum differs" in p.message for p in problems)


def test_recommendation_themes_must_be_milestone_themes(tmp_path):
    data_dir = data_copy(tmp_path)
    path = data_dir / "recommendations.yaml"
    path.write_text(path.read_text().replace("related_themes: [operations]", "related_themes: [logistics]"))
    problems = poc_data.check(data_dir)
    assert any(p.field == "related_themes" and "(got 'logistics')" in p.message for p in problems)


def test_metadata_must_list_every_cited_source(tmp_path):
    data_dir = data_copy(tmp_path)
    path = data_dir / "mandates.meta.yaml"
    path.write_text(path.read_text().replace("sources: [ipi-2022, un-press-1999-1265]", "sources: [ipi-2022, nobody]"))
    messages = [p.message for p in poc_data.check(data_dir) if p.path.endswith("mandates.meta.yaml")]
    assert "metadata lists unknown source 'nobody'" in messages
    assert "records cite 'un-press-1999-1265', which the metadata does not list" in messages


def _cite_encyclopedia(data_dir):
    sources = data_dir / "sources.yaml"
    sources.write_text(
        sources.read_text()
        + "  - id: wikipedia-nd-allied-force\n"
        + "    title: Operation Allied Force\n"
        + "    url: https://en.wikipedia.org/wiki/NATO_bombing_of_Yugoslavia\n"
        + "    tier: encyclopedia\n"
    )
    missions = data_dir / "missions.csv"
    missions.write_text(missions.read_text().replace(",hrw-2000-allied-force,,", ",wikipedia-nd-allied-force,,"))
    meta = data_dir / "missions.meta.yaml"
    listed = "sources: [ipi-2022, hrw-2000-allied-force]"
    meta.write_text(meta.read_text().replace(listed, "sources: [ipi-2022, wikipedia-nd-allied-force]"))


def test_a_record_resting_only_on_an_encyclopedia_is_a_warning_not_a_problem(valid_dir):
    assert validate.warnings(valid_dir) == []
    _cite_encyclopedia(valid_dir)
    assert poc_data.check(valid_dir) == []
    (warning,) = validate.warnings(valid_dir)
    assert warning.path.endswith("missions.csv") and warning.line == 5 and warning.field == "source_id"
    assert warning.code == Code.WEAK_SOURCE
    assert "rests only on an encyclopedia ('wikipedia-nd-allied-force')" in warning.message


def test_every_refused_publisher_class_says_why_and_only_those():
    from poc_data.schema import PUBLISHER_CLASSES, REFUSED_BECAUSE

    assert set(REFUSED_BECAUSE) == {name for name, tiers in PUBLISHER_CLASSES.items() if not tiers}


@pytest.mark.parametrize(
    ("host", "domain"),
    [("press.un.org", "un.org"), ("un.org", "un.org"), ("blog.zeit.de", "blog.zeit.de"), ("evil-un.org", None)],
)
def test_a_host_takes_the_longest_listed_domain_it_ends_with(host, domain):
    table = {name: {"domain": name} for name in ("un.org", "blog.zeit.de", "zeit.de")}
    found = validate.domain_of(host, table)
    assert (found["domain"] if found else None) == domain


# start, end, whether the end comes before the start: partial dates compare by the whole period they name.
PERIOD_EDGES = [
    ("1999-06-10", "1999", False),
    ("1999", "1999", False),
    ("1999", "1999-01", False),
    ("1999-06", "1999-06-01", False),
    ("1999-06-10", "1999-06", False),
    ("1999-06-10", "1999-06-10", False),
    ("1999-06-10", "1999-06-09", True),
    ("1999-07", "1999-06", True),
    ("1999-07-01", "1999-06", True),
    ("2000", "1999-12-31", True),
    ("2000-01", "1999", True),
]


@pytest.mark.parametrize(("start", "end", "reversed_"), PERIOD_EDGES)
@pytest.mark.parametrize(
    ("file", "start_field", "end_field"),
    [("missions.csv", "start_date", "end_date"), ("civilian_harm.csv", "period_start", "period_end")],
)
def test_periods_compare_partial_dates_by_the_period_they_name(
    tmp_path, file, start_field, end_field, start, end, reversed_
):
    data_dir = data_copy(tmp_path)
    path = data_dir / file
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0][start_field], rows[0][end_field] = start, end
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    problems = [p for p in poc_data.check(data_dir) if p.field == end_field]
    assert [(p.line, p.message) for p in problems] == (
        [(2, f"{end} is before {start_field} {start}")] if reversed_ else []
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("id: missions", "id: operations", 1, "metadata id is 'operations', expected 'missions'"),
        ("{name: lead_state, type: string,", "{name: lead_state, type: integer,", 8, "'lead_state' has type 'integer'"),
        ("{name: lead_state,", "{name: leader,", 8, "describes 'leader', which is not a field of missions"),
    ],
)
def test_metadata_must_agree_with_the_schema(tmp_path, old, new, line, words):
    data_dir = data_copy(tmp_path)
    path = data_dir / "missions.meta.yaml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    problems = [p for p in poc_data.check(data_dir) if p.path.endswith("missions.meta.yaml")]
    assert any(p.line == line and words in p.message for p in problems), [str(p) for p in problems]


@pytest.fixture(scope="module")
def bad_datasets(tmp_path_factory):
    """Every bad case, read once for the module."""
    return {case: validate.read_all(data_copy(tmp_path_factory.mktemp(case), case)) for case, *_ in BAD_CASES}


@pytest.mark.parametrize("rule", validate.RULES, ids=lambda rule: rule.__name__)
def test_every_cross_dataset_rule_has_a_bad_fixture_it_catches(bad_datasets, rule):
    caught = [case for case, datasets in bad_datasets.items() if list(rule(datasets))]
    assert caught, f"no bad fixture makes {rule.__name__} report a problem"


# Every reference declared with the schema: (dataset, the declaration).
DECLARED = [(spec.id, reference) for spec in DATASETS.values() for reference in spec.foreign_keys]


@pytest.fixture(scope="module")
def valid_datasets():
    return validate.read_all(VALID)


@pytest.mark.parametrize(
    ("dataset_id", "reference"),
    DECLARED,
    ids=[f"{d}.{r.field}" + (f"[{r.when[1]}]" if r.when else "") for d, r in DECLARED],
)
def test_every_declared_reference_is_checked(valid_datasets, dataset_id, reference):
    """Break each declared reference on one record of the valid data: the check names that record and field."""
    datasets = copy.deepcopy(valid_datasets)
    assert validate.cross_reference_problems(datasets) == []
    parsed = datasets[dataset_id]
    record = parsed.records[-1]
    if reference.when is not None:
        record[reference.when[0]] = reference.when[1]
    dangling = "no-such-key"
    record[reference.field] = [dangling] if isinstance(record[reference.field], list) else dangling
    problems = validate.cross_reference_problems(datasets)
    line = parsed.line_of(len(parsed.records) - 1, reference.field)
    assert [(p.path, p.line, p.field, p.code, p.message) for p in problems] == [
        (parsed.data_path.name, line, reference.field, Code.FOREIGN_KEY, reference.message.format(dangling))
    ]


@pytest.mark.parametrize(("dataset_id", "reference"), DECLARED)
def test_a_declared_reference_names_a_field_and_the_key_of_a_dataset(dataset_id, reference):
    model = DATASETS[dataset_id].model
    assert reference.field in model.model_fields
    assert DATASETS[reference.resource].primary_key == reference.key
    if reference.when is not None:
        assert reference.when[0] in model.model_fields
        assert reference.when[1] in field_vocabulary(model, reference.when[0])


@pytest.mark.parametrize("spec", DATASETS.values(), ids=lambda spec: spec.id)
def test_every_dataset_with_a_source_id_declares_its_reference_to_sources(spec):
    declared = {(reference.field, reference.resource) for reference in spec.foreign_keys}
    assert ("source_id" in spec.model.model_fields) == (("source_id", "sources") in declared)


def test_the_declared_references_as_frictionless_foreign_keys():
    declared = foreign_keys()
    assert declared["milestones"][1] == {
        "fields": "missions",
        "reference": {"resource": "missions", "fields": "acronym"},
    }
    assert {
        "fields": "target",
        "reference": {"resource": "mandates", "fields": "resolution"},
        "when": {"kind": "mandate"},
    } in declared["evidence"]
    assert set(declared) == {spec.id for spec in DATASETS.values() if spec.foreign_keys}
