"""The interface's message catalogues, kept with Babel: `python -m poc_data.catalogue` extracts the messages of the
code into messages.pot, brings each language's .po up to date with it and compiles the .mo the app reads;
`problems(code)` says what a language's catalogue lacks against the code (tests/test_catalogue.py runs it).

After changing text in the code: run it, write the new translations into poc_data/locales/fr/LC_MESSAGES/messages.po
(every entry with an empty msgstr), and run it again to compile; it exits with 1 while something is missing.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from poc_data.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, LOCALES_DIR

ROOT = LOCALES_DIR.parent.parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
# Where the interface's text is: the entrypoint, the pages and the package (tests and benchmarks are not shown).
SOURCES = ("app.py", "pages", "poc_data")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
TRANSLATED = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sd]")


def catalogue_path(code: str, suffix: str = ".po") -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def code_messages() -> Catalog:
    """Every message the code marks for translation (`_`, `N_`, `ngettext`, `pgettext`)."""
    catalogue = Catalog(project="PoC Explorer", fuzzy=False)
    for source in SOURCES:
        path = ROOT / source
        if path.is_file():
            found = [(source, *item) for item in extract_from_file("python", str(path), keywords=KEYWORDS)]
        else:
            found = extract_from_dir(str(path), method_map=[("**.py", "python")], keywords=KEYWORDS)
        for _file, _line, message, comments, context in found:
            catalogue.add(message, None, auto_comments=comments, context=context)
    return catalogue


def refresh() -> None:
    """Write the template, bring every translated language's catalogue up to date (new messages empty, removed ones
    dropped; a missing catalogue created) and compile each."""
    template = code_messages()
    TEMPLATE.write_bytes(_po_bytes(template, omit_header=True))
    for code in TRANSLATED:
        catalogue = _read(code) or Catalog(
            locale=code,
            project="PoC Explorer",
            copyright_holder="PoC Explorer's authors",
            last_translator="PoC Explorer's authors",
            language_team=f"{LANGUAGES[code]}: PoC Explorer's authors",
            fuzzy=False,
        )
        # The header keeps its date, so that two branches adding messages change only their own entries.
        template.creation_date = catalogue.creation_date
        catalogue.update(template, no_fuzzy_matching=True)
        path = catalogue_path(code)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(catalogue))
        catalogue_path(code, ".mo").write_bytes(_mo_bytes(catalogue))


def _read(code: str) -> Catalog | None:
    path = catalogue_path(code)
    if not path.exists():
        return None
    with path.open("rb") as file:
        return read_po(file, locale=code)


def _po_bytes(catalogue: Catalog, *, omit_header: bool = False) -> bytes:
    written = io.BytesIO()
    write_po(
        written, catalogue, width=0, no_location=True, omit_header=omit_header, sort_output=True, ignore_obsolete=True
    )
    return written.getvalue()


def _mo_bytes(catalogue: Catalog) -> bytes:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    return compiled.getvalue()


def placeholders(text: str) -> list[str]:
    """The placeholders of a message ({name}, %(name)s, %s), sorted: a translation must keep the same."""
    return sorted(_PLACEHOLDER.findall(text))


def problems(code: str) -> list[str]:
    """What the catalogue of `code` lacks against the code: every message translated, none fuzzy or stale, the same
    placeholders as the English, and the compiled .mo made from this .po."""
    catalogue = _read(code)
    if catalogue is None:
        return [f"{catalogue_path(code).relative_to(ROOT)} is missing: run python -m poc_data.catalogue"]
    wanted = {message.id for message in code_messages() if message.id}
    have = {message.id for message in catalogue if message.id}
    found = [f"not in the {code} catalogue: {_shown(mid)}" for mid in sorted(wanted - have, key=str)]
    found += [f"in the {code} catalogue but not in the code: {_shown(mid)}" for mid in sorted(have - wanted, key=str)]
    for message in catalogue:
        if message.id:
            found += _message_problems(code, message)
    mo = catalogue_path(code, ".mo")
    if not mo.exists() or mo.read_bytes() != _mo_bytes(catalogue):
        found.append(f"{mo.relative_to(ROOT)} is not compiled from its .po: run python -m poc_data.catalogue")
    return found


def _message_problems(code: str, message) -> list[str]:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy:
        return [f"fuzzy (to be checked): {_shown(message.id)}"]
    if not all(strings):
        return [f"no {code} translation: {_shown(message.id)}"]
    english = message.id if isinstance(message.id, tuple) else (message.id,)
    expected = placeholders(english[-1])
    return [
        f"placeholders differ ({expected} in English, {placeholders(string)} here): {_shown(message.id)}"
        for string in strings
        if placeholders(string) != expected
    ]


def _shown(message_id: str | tuple) -> str:
    return repr(message_id if isinstance(message_id, str) else message_id[0])


if __name__ == "__main__":
    refresh()
    left = [problem for code in TRANSLATED for problem in problems(code)]
    sys.stdout.write("".join(f"{problem}\n" for problem in left))
    sys.exit(1 if left else 0)
