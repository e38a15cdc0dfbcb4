"""The problem report shared by the readers, the validator and the app: file, line, field, code, message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Code(StrEnum):
    """The kind of a problem: a stable name programs and tests use (modelled on Frictionless's error codes), with
    its meaning. People read the message; the code never changes once published."""

    meaning: str

    def __new__(cls, value: str, meaning: str) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.meaning = meaning
        return member

    FILE = "file-error", "a file or directory cannot be read: not found, too large, a link or not a regular file"
    ENCODING = "encoding-error", "a file is not UTF-8 text"
    FORMAT = "format-error", "a file is not valid YAML, CSV, GeoJSON or Parquet, is empty, or has the wrong shape"
    DUPLICATE_KEY = "duplicate-key-error", "a key of a YAML mapping, or a column of a header, is given twice"
    MISSING_FIELD = "missing-field", "a field or column the schema requires is absent"
    UNKNOWN_FIELD = "unknown-field", "a field or column the schema does not have"
    TYPE = "type-error", "a value is not of its field's type (a number, a date, a list...)"
    CONSTRAINT = "constraint-error", "a value is empty though required, or outside its vocabulary, range or pattern"
    ROW_CONSTRAINT = (
        "row-constraint-error",
        "values that must agree do not: an end before its start, a tier not its source's, two rows of one location",
    )
    UNIQUE = "unique-error", "a value that identifies a record is given to two records"
    FOREIGN_KEY = "foreign-key-error", "a value refers to a record, source or page that does not exist"
    METADATA = "metadata-error", "a dataset's metadata disagrees with its schema or with its records"
    RELEASE = "release-error", "a producer's file is not the release its metadata names, or its release is unknown"
    CITATION = "citation-error", "a source breaks the citation rules: no address, a refused domain, the wrong tier"
    CHECK = "check-error", "the check could not run to the end, or stopped listing problems (it says how many more)"
    WEAK_SOURCE = "weak-source-warning", "allowed but weak: a record rests only on an encyclopedia"
    COVERAGE = "coverage-warning", "allowed but weak: rows outside the dates, or the list, of the operations"
    AS_RELEASED = "as-released-warning", "allowed: a producer's values that look wrong, kept as released"


# The vocabulary as plain data, for the documentation and for programs reading `check --json`.
PROBLEM_CODES: dict[str, str] = {code.value: code.meaning for code in Code}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data file, located as precisely as the file allows (line 1 for whole-file problems)."""

    path: str
    line: int
    field: str
    message: str
    code: Code

    def __post_init__(self) -> None:
        # A code given as text (read back from `check --json`) becomes its Code; one outside the vocabulary is refused.
        object.__setattr__(self, "code", Code(self.code))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class DataError(Exception):
    """A dataset could not be loaded; `problems` says every reason found."""

    def __init__(self, dataset_id: str, problems: list[Problem]):
        self.dataset_id = dataset_id
        self.problems = problems
        first = problems[0] if problems else "no details"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"dataset {dataset_id!r} has problems: {first}{more}")


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
