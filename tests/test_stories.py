"""Stories: reading and checking story files (good and bad fixtures), the check command, step views, the export."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html import escape
from pathlib import Path

import pytest

from poc_data import check, i18n
from poc_data.events import events_in, has_events, read_metadata
from poc_data.export import story_html
from poc_data.load import load, metadata
from poc_data.stories import (
    MAX_STEPS,
    STORY_DATA,
    STORY_PAGES,
    Step,
    StoryModel,
    as_values,
    in_language_order,
    read_stories,
)
from poc_data.transform import violence_map as vm
from poc_data.views import VIEW_METADATA, build_view
from tests.conftest import FIXTURES, REPO, data_copy

STORIES = FIXTURES / "stories"
TODAY = dt.date(2026, 12, 1)


def frames(directory: Path) -> dict:
    """The data a story's views are built from, as the Stories page gives them (ui.stories.story_data)."""
    data = {dataset_id: load(dataset_id, directory) for dataset_id in (*STORY_DATA, "sources")}
    data["metadata"] = {dataset_id: metadata(dataset_id, directory) for dataset_id in VIEW_METADATA}
    data["violence_events"] = (str(directory), "digest") if has_events(directory) else None
    data["metadata"]["violence_events"] = read_metadata(directory) if has_events(directory) else None
    return data


def with_story(tmp_path: Path, *paths: Path) -> Path:
    """The valid fixture data with the given story files in its stories/ folder."""
    directory = data_copy(tmp_path)
    (directory / "stories").mkdir()
    for path in paths:
        shutil.copy(path, directory / "stories" / path.name)
    return directory


def read(directory: Path):
    data = frames(directory)
    return read_stories(directory, data=data, source_ids=set(data["sources"]["id"])), data


def test_a_good_story_reads_with_its_steps(tmp_path):
    directory = with_story(tmp_path, STORIES / "valid" / "two-steps.yaml")
    (story_file,), _ = read(directory)
    assert story_file.problems == []
    story = story_file.story
    assert story.id == "two-steps"
    assert [step.page for step in story.steps] == ["Timeline", "Round_table"]
    assert story.steps[0].params == {"tl_org": ["NATO", "Interorganizational"], "tl_years": ["1994", "1999"]}
    assert story.steps[0].view == "timeline"
    assert story.steps[1].source_ids == ("ipi-2022",)
    assert check(directory) == []


@pytest.mark.parametrize(
    ("case", "line", "field", "code", "message"),
    [
        ("unknown-page", 3, "steps[1].page", "foreign-key-error", "unknown page 'Dashboard'"),
        ("rejected-param", 6, "steps[1].params.tl_org", "constraint-error", "'WHO': not among the choices"),
        ("unknown-param", 6, "steps[1].params.map_year", "unknown-field", "page has no parameter 'map_year'"),
        ("unknown-source", 7, "steps[1].source_ids", "foreign-key-error", "unknown source 'nowhere-2030'"),
        ("no-steps", 3, "steps", "constraint-error", "a story needs at least one step"),
        # The YAML reader's problem, with the reader's code (None: not asserted here).
        ("python-tag", 1, "(file)", None, "unsupported YAML tag"),
        ("years-reversed", 5, "steps[1].params.tl_years", "constraint-error", "'1999', '1994': the range is reversed"),
        # A value checked against a dataset that the Stories page has and check must have too.
        ("unknown-place", 6, "steps[1].params.ch_place", "constraint-error", "'Atlantis': not among the choices"),
        ("switch-uppercase", 6, "steps[1].params.tl_ops", "constraint-error", "'TRUE': a switch is true or false"),
        ("unknown-key", 8, "steps[1].colour", "unknown-field", "unknown key; a step has page, view, params, title"),
        ("unknown-story-key", 2, "author", "unknown-field", "unknown key; a story has title, description, lang, steps"),
        ("wrong-type", 5, "steps[1].caption", "type-error", "expected text of 1 to 1200 characters, got a list"),
        ("too-long-title", 4, "steps[1].title", "constraint-error", "text of 1 to 160 characters, got 161"),
        ("missing-notes", 3, "steps[1].notes", "missing-field", "missing; a step needs page, title, caption, notes"),
        ("unknown-view", 4, "steps[1].view", "constraint-error", "unknown view 'globe' of Map; it has map, civilians"),
        ("unknown-language", 2, "lang", "constraint-error", "unknown language 'de'; a story is written in en, fr"),
    ],
)
def test_a_bad_story_names_file_line_field_code_and_message(tmp_path, case, line, field, code, message):
    directory = with_story(tmp_path, STORIES / "bad" / f"{case}.yaml")
    (story_file,), _ = read(directory)
    assert story_file.story is None
    problems = [problem for problem in check(directory) if problem.path.endswith(f"{case}.yaml")]
    assert problems == sorted(story_file.problems)
    assert any(
        (problem.line, problem.field) == (line, field) and code in (None, problem.code) and message in problem.message
        for problem in problems
    ), problems
    assert all(re.match(rf".*stories/{case}\.yaml:\d+: \S+: .+", str(problem)) for problem in problems)


def test_every_wrong_parameter_and_source_of_a_step_is_reported(tmp_path):
    directory = with_story(tmp_path, STORIES / "bad" / "every-param.yaml")
    (story_file,), _ = read(directory)
    expected = [
        (6, "steps[1].params.tl_org", "constraint-error", "the page would not use 'WHO'"),
        (7, "steps[1].params.tl_ops", "type-error", "values are text, numbers or true/false"),
        (8, "steps[1].params.map_year", "unknown-field", "the Timeline page has no parameter 'map_year'"),
        (11, "steps[1].source_ids", "foreign-key-error", "unknown source 'nowhere-2030'"),
    ]
    found = [(problem.line, problem.field, problem.code) for problem in story_file.problems]
    assert found == [row[:3] for row in expected]
    assert all(row[3] in problem.message for problem, row in zip(story_file.problems, expected, strict=True))


def test_a_step_takes_the_defaults_of_the_model(tmp_path):
    """No view: the page's first; `params:` left empty: none; one source id alone: a list of one."""
    directory = with_story(tmp_path)
    (directory / "stories" / "defaults.yaml").write_text(
        "title: '  Defaults  '\nsteps:\n  - page: Map\n    params:\n    title: The map\n"
        "    caption: Operations.\n    notes: None.\n    source_ids: ipi-2022\n"
    )
    (story_file,), _ = read(directory)
    assert story_file.problems == []
    (step,) = story_file.story.steps
    assert (step.view, step.params, step.source_ids, step.line) == ("map", {}, ("ipi-2022",), 3)
    assert (story_file.story.title, story_file.story.description) == ("Defaults", "")


def test_the_story_model_documents_every_key():
    """The docs of the story format are generated from the models: every key has a description, the pages and
    their views are listed, and the limits are the checks' own."""
    story = StoryModel.model_json_schema()
    step = story["$defs"]["StepModel"]
    assert list(story["properties"]) == ["title", "description", "lang", "steps"]
    assert story["properties"]["lang"]["enum"] == list(i18n.LANGUAGES)
    assert story["properties"]["lang"]["default"] == "en"
    assert list(step["properties"]) == ["page", "view", "params", "title", "caption", "notes", "source_ids"]
    assert all(field.get("description") for field in [*story["properties"].values(), *step["properties"].values()])
    assert step["properties"]["page"]["enum"] == list(STORY_PAGES)
    assert step["properties"]["view"]["views"]["Map"] == ["map", "civilians killed", "events"]
    assert (step["properties"]["title"]["maxLength"], step["properties"]["caption"]["maxLength"]) == (160, 1200)
    assert story["properties"]["steps"]["maxItems"] == MAX_STEPS
    assert step["required"] == ["page", "title", "caption", "notes", "source_ids"]


def test_a_bad_story_does_not_hide_the_good_ones(tmp_path):
    directory = with_story(tmp_path, STORIES / "valid" / "two-steps.yaml", STORIES / "bad" / "unknown-page.yaml")
    files, _ = read(directory)
    assert [story_file.story is not None for story_file in files] == [True, False]


def test_the_check_command_reports_a_bad_story(tmp_path, capsys):
    from poc_data.__main__ import main

    directory = with_story(tmp_path, STORIES / "bad" / "unknown-source.yaml")
    assert main(["check", str(directory)]) == 1
    output = capsys.readouterr().out
    assert "unknown-source.yaml:7: steps[1].source_ids: unknown source 'nowhere-2030'" in output


def test_the_shipped_stories_pass_the_check():
    files, _ = read(REPO / "data")
    assert len(files) >= 3
    assert [problem for story_file in files for problem in story_file.problems] == []
    assert all(len(story_file.story.steps) >= 3 for story_file in files)


@pytest.mark.parametrize(("raw", "values"), [(1999, ["1999"]), ([1994, 2021], ["1994", "2021"]), (True, ["true"])])
def test_parameter_values_are_written_as_in_a_link(raw, values):
    assert as_values(raw) == values


def test_every_step_of_the_shipped_stories_has_a_view():
    files, data = read(REPO / "data")
    for story_file in files:
        for step in story_file.story.steps:
            view = build_view(step, data, today=TODAY, presentation=True)
            assert view.figure is not None or view.blocks, (story_file.story.id, step.title)
            assert not view.empty, (story_file.story.id, step.title)
            assert any(len(records) for records in view.records)


def test_a_step_view_follows_its_filters(tmp_path):
    directory = with_story(tmp_path, STORIES / "valid" / "two-steps.yaml")
    (story_file,), data = read(directory)
    timeline, round_table = (build_view(step, data, today=TODAY) for step in story_file.story.steps)
    assert set(timeline.records[0]["organization"]) == {"NATO", "Interorganizational"}
    assert timeline.figure.layout.title.text.startswith("POC milestones of NATO and interorganizational, 1994–1999")
    assert round_table.blocks[0].lines == tuple(data["recommendations"]["text"].head(1))


def test_a_story_is_in_english_unless_it_says_otherwise(tmp_path):
    (story_file,), _ = read(with_story(tmp_path, STORIES / "valid" / "two-steps.yaml"))
    assert story_file.story.lang == "en"


FRENCH_STORY = "ce-que-demande-le-rapport-poc20"


def test_the_french_story_is_the_english_ones_steps_written_in_french():
    """The same steps, views, parameters (the pages' English labels) and sources; its own text, in French."""
    files, _ = read(REPO / "data")
    stories = {story_file.story.id: story_file.story for story_file in files}
    french, english = stories[FRENCH_STORY], stories["what-poc20-asks"]
    assert (french.lang, english.lang) == ("fr", "en")
    assert [(s.page, s.view, s.params, s.source_ids) for s in french.steps] == [
        (s.page, s.view, s.params, s.source_ids) for s in english.steps
    ]
    for mine, theirs in zip(french.steps, english.steps, strict=True):
        assert mine.title != theirs.title and mine.caption != theirs.caption and mine.notes != theirs.notes
        assert "Thème" in mine.title
    assert all(problem.path != f"stories/{FRENCH_STORY}.yaml" for problem in check(REPO / "data"))


def test_a_session_is_offered_its_languages_stories_first_then_the_others():
    files, _ = read(REPO / "data")
    stories = [story_file.story for story_file in files]
    for language in ("en", "fr"):
        ordered = list(in_language_order(stories, language).values())
        assert sorted(story.id for story in ordered) == sorted(story.id for story in stories)
        languages = [story.lang for story in ordered]
        assert languages == sorted(languages, key=lambda lang: lang != language)
        assert languages[0] == language


def test_the_story_export_in_french_frames_the_story_in_french():
    files, data = read(REPO / "data")
    story = next(f.story for f in files if f.story.id == FRENCH_STORY)
    views = [build_view(step, data, today=TODAY) for step in story.steps]
    with i18n.language("fr"):
        html = story_html(story, views, data["sources"], made=i18n.date(TODAY))
    assert '<html lang="fr">' in html
    assert "Un récit de PoC Explorer, 4 étapes, réalisé le 1 décembre 2026." in html
    assert "Étape 2 sur 4" in html and "Sources : " in html
    assert "Step 2 of 4" not in html and "A story of PoC Explorer" not in html
    assert html.count(escape(story.steps[0].caption)) == 1


def test_every_story_page_is_an_app_page():
    for page in STORY_PAGES.values():
        assert (REPO / page.script).is_file()


def test_the_story_export_is_one_file_with_every_step_and_no_request():
    files, data = read(REPO / "data")
    story = next(f.story for f in files if f.story.id == "twenty-five-years-of-poc-policy")
    views = [build_view(step, data, today=TODAY) for step in story.steps]
    html = story_html(story, views, data["sources"], made="2026-12-01")
    assert html.count("Plotly.newPlot(") == sum(view.figure is not None for view in views)
    for number, step in enumerate(story.steps, start=1):
        assert f"Step {number} of {len(story.steps)}" in html
        assert html.count(escape(step.caption)) == 1
    assert 'window.PlotlyGeoAssets = {topojson: {"world_110m"' in html
    # Nothing is fetched: no element loads from an address, and plotly.js is inline.
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html)
    assert "Koops" in html and "Annex 2" in html


def test_the_export_escapes_text_from_the_data(tmp_path):
    files, data = read(REPO / "data")
    story = files[0].story
    hostile = story.__class__(story.id, "<script>alert(1)</script>", story.description, story.steps[:1])
    html = story_html(hostile, [build_view(hostile.steps[0], data, today=TODAY)], data["sources"], made="today")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


CAR_STORY = "violence-against-civilians-and-minusca-in-car"


def test_the_car_storys_distances_are_the_views_own():
    """Each events step's caption gives the civilians killed within 25 and 50 km as the view computes them."""
    files, data = read(REPO / "data")
    story = next(f.story for f in files if f.story.id == CAR_STORY)
    steps = [step for step in story.steps if step.view == "events"]
    assert len(steps) == 4
    deployments = data["deployments"]
    for step in steps:
        year = int(step.params["map_year"][0])
        found = events_in(REPO / "data", "CAF", year)
        locations = vm.deployed_in(deployments, "CAF", year)
        summary = vm.events_summary(found)
        counted = summary["deaths_civilians"] - summary["rough_deaths_civilians"]
        assert f"{len(found):,} events" in step.caption, step.title
        near = vm.near_deployments(found, locations)
        if locations.empty:
            assert "no UN deployment location" in step.caption
            continue
        assert f"{counted:,} civilians killed" in step.caption, step.title
        for row in near.itertuples(index=False):
            assert vm.share_text(int(row.deaths_civilians), counted) in step.caption, (step.title, row.radius_km)
        view = build_view(step, data, today=TODAY, presentation=True)
        assert vm.near_text(near, summary) in " ".join(note.text for note in view.figure.layout.annotations).replace(
            "<br>", " "
        )


@pytest.mark.parametrize(
    ("year", "measure", "numbers"),
    [
        (2013, "One-sided violence", ("2,690", "2,165", "3,210", "1,375", "1,315")),
        (2014, "One-sided, by non-state groups", ("2,241", "54")),
        (2021, "In conflict (state-based and non-state)", ("225", "174", "45", "129")),
    ],
)
def test_the_car_storys_counts_are_ucdps(year, measure, numbers):
    files, data = read(REPO / "data")
    story = next(f.story for f in files if f.story.id == CAR_STORY)
    (step,) = [s for s in story.steps if s.view == "civilians killed" and s.params["map_year"] == [str(year)]]
    assert step.params["map_ucdp_kind"] == [measure]
    row = vm.civilians_killed(data["organized_violence"], year, "One-sided violence").set_index("iso3").loc["CAF"]
    values = {f"{int(value):,}" for value in row[["deaths", "low", "high", "one_sided_govt", "one_sided_nonstate"]]}
    values.add(f"{int(row.in_conflict):,}")
    for number in numbers:
        assert number in values and number in step.caption, number


@pytest.mark.parametrize(("raw", "drawn"), [("true", True), ("TRUE", False), ("1", False)])
def test_a_step_view_draws_the_operations_only_when_its_page_would(tmp_path, raw, drawn):
    data = frames(with_story(tmp_path))
    step = Step("Timeline", "timeline", {"tl_ops": [raw]}, "Operations", "A caption.", "Notes.", ("ipi-2022",))
    view = build_view(step, data, today=TODAY)
    assert (len(view.records) == 2) is drawn
