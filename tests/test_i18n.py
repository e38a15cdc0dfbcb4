"""The interface's languages: per-session choice, numbers and dates as each language writes them, the catalogues."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from poc_data import catalogue, i18n
from poc_data.transform.home import format_number


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "fr"),
        ("fr-FR", "fr"),
        ("fr_CA", "fr"),
        ("FR", "fr"),
        ("en-GB", "en"),
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_a_language_tag_gives_an_interface_language(code, expected):
    assert i18n.supported(code) == expected


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("en", lambda: i18n.number(1234567), "1,234,567"),
        ("fr", lambda: i18n.number(1234567), "1\u202f234\u202f567"),
        ("en", lambda: i18n.number(12.5, 1), "12.5"),
        ("fr", lambda: i18n.number(12.5, 1), "12,5"),
        ("en", lambda: i18n.percent(0.125, 1), "12.5%"),
        ("fr", lambda: i18n.percent(0.125, 1), "12,5\xa0%"),
        ("en", lambda: i18n.date(dt.date(1993, 10, 5)), "5 October 1993"),
        ("fr", lambda: i18n.date(dt.date(1993, 10, 5)), "5 octobre 1993"),
        ("en", lambda: i18n.year_span(1994, 2021), "1994-2021"),
        ("fr", lambda: i18n.year_span(1994, 2021), "de 1994 à 2021"),
        ("fr", lambda: i18n.year_span(2021, 2021), "2021"),
    ],
)
def test_numbers_and_dates_are_written_as_the_language_writes_them(code, value, expected):
    with i18n.language(code):
        assert value() == expected


def test_each_thread_writes_in_its_own_language():
    """Two sessions at once, one French and one English, each in its own thread: neither changes the other's."""
    seen: dict[str, list[str]] = {"fr": [], "en": []}
    start = threading.Barrier(2)

    def run(code: str) -> None:
        i18n.use_language(code)
        start.wait()
        for _round in range(200):
            seen[code].append(i18n.year_span(1994, 2021))

    threads = [threading.Thread(target=run, args=(code,)) for code in seen]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen["fr"]) == {"de 1994 à 2021"}
    assert set(seen["en"]) == {"1994-2021"}
    assert i18n.current_language() == "en"


def test_the_resolver_gives_the_language_where_none_is_set():
    i18n.set_resolver(lambda: "fr-FR")
    try:
        assert i18n.current_language() == "fr"
        with i18n.language("en"):
            assert i18n.current_language() == "en"
    finally:
        i18n.set_resolver(lambda: None)
    assert i18n.current_language() == "en"


@pytest.mark.parametrize("code", catalogue.TRANSLATED)
def test_every_message_of_the_code_is_translated(code):
    assert catalogue.problems(code) == []


def test_a_missing_empty_or_stale_translation_is_found(tmp_path, monkeypatch):
    """The catalogue check on a copy: a message the code has and the catalogue lacks, one left empty, one the code no
    longer has, one whose placeholders differ, and a .mo not compiled from its .po."""
    locales = tmp_path / "locales"
    po = locales / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    monkeypatch.setattr(catalogue, "LOCALES_DIR", locales)
    monkeypatch.setattr(catalogue, "ROOT", tmp_path)
    monkeypatch.setattr(catalogue, "SOURCES", ("shown.py",))
    (tmp_path / "shown.py").write_text(
        'from poc_data.i18n import _\n_("Years")\n_("Missions")\n_("{count} operations")\n', encoding="utf-8"
    )
    po.write_text(
        'msgid ""\nmsgstr "Language: fr\\n"\n\nmsgid "Years"\nmsgstr ""\n\nmsgid "{count} operations"\n'
        'msgstr "{nombre} opérations"\n\nmsgid "Gone"\nmsgstr "Parti"\n',
        encoding="utf-8",
    )
    found = catalogue.problems("fr")
    assert "not in the fr catalogue: 'Missions'" in found
    assert "no fr translation: 'Years'" in found
    assert "in the fr catalogue but not in the code: 'Gone'" in found
    assert any(problem.startswith("placeholders differ") for problem in found)
    assert any("is not compiled from its .po" in problem for problem in found)


def test_the_home_pages_figures_are_written_as_the_language_writes_them():
    with i18n.language("fr"):
        assert format_number(1234.0) == "1\u202f234"
        assert format_number(12.5) == "12,5"
    with i18n.language("en"):
        assert format_number(1234.0) == "1,234"
