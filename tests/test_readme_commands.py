"""The README's commands to start the app and to run the tests, for Linux and macOS (bash) and for Windows
(PowerShell): each between its markers, the same steps on both systems, and the Unix test command as .ci/run takes
it."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from tests.conftest import REPO

README = REPO / "README.md"
MARKED = re.compile(r"<!-- (?P<name>[a-z-]+) -->\n```(?P<language>\w+)\n(?P<body>.*?)\n```\n<!-- /(?P=name) -->", re.S)
COMMANDS = ["start-command", "test-command"]
WINDOWS_VENV = ".venv\\Scripts\\"


def marked_blocks(text: str) -> dict[str, tuple[str, str]]:
    """The README's marked code blocks: name -> (language, body)."""
    return {match["name"]: (match["language"], match["body"]) for match in MARKED.finditer(text)}


def unix_steps(command: str) -> list[list[str]]:
    """A bash command line of steps joined by `&&`, each step as its words."""
    return [shlex.split(step) for step in command.split("&&")]


def windows_steps(body: str) -> list[list[str]]:
    """PowerShell lines, one step each, as its words."""
    return [line.split() for line in body.splitlines() if line.strip()]


def as_unix(step: list[str]) -> list[str]:
    """A Windows step as the same step on Linux and macOS: the `py` launcher is `python3`, `.venv\\Scripts\\` is
    `.venv/bin/`."""
    program, *arguments = step
    if program == "py":
        program = "python3"
    elif program.startswith(WINDOWS_VENV):
        program = ".venv/bin/" + program.removeprefix(WINDOWS_VENV)
    return [program, *arguments]


@pytest.fixture(scope="module")
def blocks() -> dict[str, tuple[str, str]]:
    return marked_blocks(README.read_text(encoding="utf-8"))


def test_each_command_is_given_for_bash_and_for_powershell(blocks):
    for name in COMMANDS:
        assert blocks[name][0] == "bash", name
        assert blocks[f"{name}-windows"][0] == "powershell", name
        assert len(blocks[name][1].splitlines()) == 1, f"{name}: one line, as .ci/run runs it"


@pytest.mark.parametrize("name", COMMANDS)
def test_the_windows_command_takes_the_same_steps(blocks, name):
    unix = unix_steps(blocks[name][1])
    windows = windows_steps(blocks[f"{name}-windows"][1])
    assert [as_unix(step) for step in windows] == unix


@pytest.mark.parametrize("name", COMMANDS)
def test_the_windows_command_is_powershell_as_windows_has_it(blocks, name):
    body = blocks[f"{name}-windows"][1]
    # Windows PowerShell 5.1, the one every Windows has, has no `&&`; Windows paths take backslashes.
    assert "&&" not in body
    assert "/bin/" not in body and ".venv/" not in body
    for step in windows_steps(body):
        assert step[0] == "py" or step[0].startswith(WINDOWS_VENV), step


@pytest.mark.parametrize("name", COMMANDS)
def test_the_files_the_commands_name_exist(blocks, name):
    for step in unix_steps(blocks[name][1]):
        for word in step:
            if word.endswith((".txt", ".py")):
                assert (REPO / word).is_file(), word


def test_ci_runs_the_unix_test_command_of_the_readme(blocks):
    """`.ci/run` takes the command between the test-command markers with its own sed and grep: the same line."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    extraction = re.search(r"^command=\$\((.*)\)$", script, re.M)
    assert extraction, "the extraction in .ci/run"
    result = subprocess.run(  # noqa: S603 - the extraction pipeline of .ci/run, on the README
        ["bash", "-c", extraction[1]], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == blocks["test-command"][1]


def test_the_parser_finds_a_block_that_differs(blocks):
    other = README.read_text(encoding="utf-8").replace(
        ".venv\\Scripts\\pip install -r requirements-dev.txt", ".venv\\Scripts\\pip install -r requirements.txt"
    )
    changed = marked_blocks(other)
    assert [as_unix(step) for step in windows_steps(changed["test-command-windows"][1])] != unix_steps(
        blocks["test-command"][1]
    )
