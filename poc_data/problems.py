"""The problem report shared by the readers, the validator and the app: file, line, field, message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data file, located as precisely as the file allows (line 1 for whole-file problems)."""

    path: str
    line: int
    field: str
    message: str

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
