"""Every page through AppTest with hostile links and a hostile data directory: no exception, a notice for what the
link asked that cannot be, and every outside value shown as plain text (escaped Markdown, escaped plotly text)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import tomllib

import pytest

from poc_data import ui
from poc_data.safe_text import markdown_text
from poc_data.ui import data
from tests.apptest import open_page
from tests.conftest import REPO, VALID, data_copy
from tests.hostile import (
    HUGE_NUMBER,
    LONG_SEARCH,
    MARKUP,
    NOT_DATA,
    RAW_MARKDOWN,
    RAW_PLOTLY,
    SECRET_LINE,
    hostile_data,
    links_for,
)

PAGES = [info.path for info in ui.PAGES]
TIMELINE = "pages/1_Timeline.py"
# The loader module, not the function of the same name that `poc_data` exports.
load_module = importlib.import_module("poc_data.load")
TEXT_ELEMENTS = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader", "code")


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    return hostile_data(tmp_path_factory.mktemp("hostile"))


def shown_texts(at) -> list[str]:
    """Every text the page sends as Markdown: elements, metric labels and values, expander labels."""
    parts = [str(element.value) for kind in TEXT_ELEMENTS for element in getattr(at, kind)]
    parts += [part for metric in at.metric for part in (metric.label, str(metric.value))]
    parts += [expander.label for expander in at.expander]
    return parts


def chart_specs(at) -> list[str]:
    """Each chart's figure as plain JSON text (Streamlit's own encoding escapes `<` and `&`)."""
    return [json.dumps(json.loads(element.proto.spec), ensure_ascii=False) for element in at.get("plotly_chart")]


def assert_plain(at) -> None:
    for text in shown_texts(at):
        for pattern in RAW_MARKDOWN:
            assert not pattern.search(text), (pattern.pattern, text[:300])
        assert SECRET_LINE not in text
    for spec in chart_specs(at):
        for raw in RAW_PLOTLY:
            assert raw not in spec, raw


@pytest.mark.parametrize("page", PAGES)
def test_hostile_links_give_notices_and_plain_text(page, monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))
    at = open_page(page, query=links_for(page))
    assert not at.exception, [e.message for e in at.exception]
    notices = [warning.value for warning in at.warning]
    # The home page reads the presentation switch; the other pages are reached from it, as a link opens them.
    expected = 1 if page == "app.py" else len(links_for(page)) // 2
    assert len(notices) >= expected, notices
    for notice in notices:
        assert len(notice) < 400  # short: values are cut, at most three are listed
    assert_plain(at)


@pytest.mark.parametrize("page", PAGES)
def test_hostile_data_shows_as_written_and_leaks_nothing(page, monkeypatch, hostile_dir):
    monkeypatch.setenv("POC_DATA_DIR", str(hostile_dir))
    # The Timeline's overlay labels its bars with the operations' acronyms.
    at = open_page(page, query={"tl_ops": "true"} if page == TIMELINE else None)
    assert not at.exception, [e.message for e in at.exception]
    assert_plain(at)
    assert str(hostile_dir) not in "\n".join(shown_texts(at))  # no server path


def test_markup_in_key_figures_and_licences_is_escaped(monkeypatch, hostile_dir):
    monkeypatch.setenv("POC_DATA_DIR", str(hostile_dir))
    at = open_page("app.py")
    # The card's value is the number alone; its label says the year and the unit (here the same markup).
    assert at.metric[0].label == markdown_text("In 1999: " + MARKUP)
    assert any(markdown_text("CC-BY-4.0 " + MARKUP) in caption.value for caption in at.caption)


def test_markup_in_legends_ticks_and_hover_is_escaped(monkeypatch, hostile_dir):
    monkeypatch.setenv("POC_DATA_DIR", str(hostile_dir))
    at = open_page("pages/4_Missions_and_mandates.py")
    gantt = next(json.loads(spec) for spec in chart_specs(at) if "mm_gantt" in spec or "KFOR" in spec)
    ticks = {tick for trace in gantt["data"] for tick in (trace.get("y") or [])}
    assert "&lt;b&gt;KFOR&lt;/b&gt;" in ticks and "<b>KFOR</b>" not in ticks


def test_the_sources_page_lists_the_refused_files(monkeypatch, hostile_dir):
    monkeypatch.setenv("POC_DATA_DIR", str(hostile_dir))
    at = open_page("pages/7_Sources_and_data.py")
    problems = at.dataframe[1].value
    located = set(zip(problems["file"], problems["message"], strict=True))
    assert set(NOT_DATA) <= located
    assert any(file == "comparisons.yaml" and "anchors (&name)" in message for file, message in located)


@pytest.mark.parametrize(
    ("query", "reason", "check"),
    [
        (
            {"tl_years": ["2020", "1995"]},
            "the range is reversed",
            lambda at: at.slider(key="tl_years").value[0] == 1994,
        ),
        (
            {"tl_years": ["1995", "1996", "1997"]},
            "a range takes two values",
            lambda at: at.slider(key="tl_years").value[0] == 1994,
        ),
        ({"tl_ops": "TRUE"}, "a switch is true or false", lambda at: at.toggle(key="tl_ops").value is False),
        ({"tl_res": "zzz"}, "a switch is true or false", lambda at: at.toggle(key="tl_res").value is False),
        (
            {"tl_step": "true", "tl_year": ["1999", "2000"]},
            "it takes one value",
            lambda at: at.selectbox(key="tl_year").value == 1994,
        ),
        (
            {"tl_page": HUGE_NUMBER},
            "there are pages 1",
            lambda at: any(caption.value.startswith("Milestones 1–30 of") for caption in at.caption),
        ),
        ({"tl_org": MARKUP}, "not among the choices here", lambda at: len(at.multiselect(key="tl_org").value) == 4),
    ],
)
def test_each_bad_link_value_gets_the_default_and_a_notice(query, reason, check, monkeypatch):
    monkeypatch.delenv("POC_DATA_DIR", raising=False)  # the shipped data: enough milestones for several pages
    at = open_page(TIMELINE, query=query)
    assert not at.exception, [e.message for e in at.exception]
    assert any(reason in warning.value for warning in at.warning), [w.value for w in at.warning]
    assert check(at)
    assert_plain(at)


def test_presentation_mode_from_a_bad_link_is_off_with_a_notice(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))
    at = open_page("app.py", query={"present": "zzz"})
    assert any("presentation mode value 'zzz'" in warning.value for warning in at.warning)
    assert at.toggle(key="present_toggle").value is False
    assert "present" not in at.query_params


def test_a_long_search_link_is_cut_and_its_words_counted_once(monkeypatch):
    monkeypatch.delenv("POC_DATA_DIR", raising=False)
    at = open_page(TIMELINE, query={"tl_q": LONG_SEARCH})
    assert not at.exception
    assert any("longer than 200 characters" in warning.value for warning in at.warning)
    assert len(at.text_input(key="tl_q").value) == 200


def test_an_edit_that_keeps_size_and_modification_time_is_shown(tmp_path, monkeypatch):
    directory = data_copy(tmp_path)
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page("app.py")
    assert at.metric[0].label.endswith("Allied Force civilian casualties")
    path = directory / "key_figures.yaml"
    before = path.stat()
    # As `cp -p` or `rsync -t` leave it: other bytes, the same size and modification time.
    path.write_text(path.read_text().replace("Allied Force civilian", "Allied Force CIVILIAN"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    at.run()
    assert at.metric[0].label.endswith("Allied Force CIVILIAN casualties")


def test_a_check_that_does_not_finish_is_a_problem_not_an_exception(tmp_path, monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path)))  # a new directory: nothing cached

    def never_finishes(command, **options):
        raise subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(subprocess, "run", never_finishes)
    at = open_page("pages/7_Sources_and_data.py")
    assert not at.exception
    problems = at.dataframe[1].value
    assert problems["file"].tolist() == ["(data directory)"]
    assert "did not finish within" in problems["message"].iloc[0]


def test_a_data_directory_that_is_a_file_is_named_as_such_and_no_page_breaks(tmp_path, monkeypatch):
    path = tmp_path / "data.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setenv("POC_DATA_DIR", str(path))
    at = open_page("pages/7_Sources_and_data.py")
    assert not at.exception
    problems = at.dataframe[-1].value
    assert problems[["file", "message"]].values.tolist() == [
        ["(data directory)", "is a file, not a data directory: give its folder"]
    ]
    assert str(tmp_path) not in "\n".join(shown_texts(at))


def test_errors_served_to_a_room_show_no_traceback_or_server_path():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # "type": the error's type and a generic message in the browser; the traceback goes to the server's console.
    assert config["client"]["showErrorDetails"] in ("type", "none")
    assert config["server"]["address"] == "localhost"


def test_a_file_edited_while_it_is_read_is_not_cached_under_its_old_content(tmp_path, monkeypatch):
    directory = data_copy(tmp_path)
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    path = directory / "key_figures.yaml"
    original = path.read_text(encoding="utf-8")
    edited = original.replace("Allied Force civilian", "Allied Force CIVILIAN")
    monkeypatch.setenv("POC_CACHE_DIR", str(tmp_path / "cache"))  # an empty cache: the dataset is read
    real_read = load_module.read_dataset
    edits = [edited]

    def edited_meanwhile(dataset_id, data_dir=None):
        if dataset_id == "key_figures" and edits:
            path.write_text(edits.pop(), encoding="utf-8")  # saved by an editor just as the app reads it
        return real_read(dataset_id, data_dir)

    monkeypatch.setattr(load_module, "read_dataset", edited_meanwhile)
    at = open_page("app.py")
    assert at.metric[0].label.endswith("Allied Force CIVILIAN casualties")
    path.write_text(original, encoding="utf-8")  # the edit undone: the first content again
    at.run()
    assert at.metric[0].label.endswith("Allied Force civilian casualties")


def test_metadata_edited_while_it_is_read_is_not_cached_under_its_old_content(tmp_path, monkeypatch):
    directory = data_copy(tmp_path)
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    path = directory / "missions.meta.yaml"
    original = path.read_text(encoding="utf-8")
    edited = original.replace("title: Operations", "title: OPERATIONS")
    real_metadata = data.metadata
    edits = [edited]

    def edited_meanwhile(dataset_id, data_dir=None):
        if dataset_id == "missions" and edits:
            path.write_text(edits.pop(), encoding="utf-8")
        return real_metadata(dataset_id, data_dir)

    monkeypatch.setattr(data, "metadata", edited_meanwhile)
    at = open_page("app.py")
    titles = at.dataframe[-1].value.set_index("Dataset")["Title"]
    assert titles["missions"].startswith("OPERATIONS")
    path.write_text(original, encoding="utf-8")
    at.run()
    assert at.dataframe[-1].value.set_index("Dataset")["Title"]["missions"].startswith("Operations")


def test_a_file_that_keeps_changing_gets_a_notice_not_a_stale_view(tmp_path, monkeypatch):
    directory = data_copy(tmp_path)
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    path = directory / "key_figures.yaml"
    real_read = load_module.read_file_bytes

    def always_edited(file, directory, *arguments):
        if file.name == "key_figures.yaml":
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return real_read(file, directory, *arguments)

    monkeypatch.setattr(load_module, "read_file_bytes", always_edited)
    at = open_page("app.py")
    assert not at.exception
    assert any("key_figures files kept changing" in warning.value for warning in at.warning)
    assert not at.metric
