"""Command line: `python -m poc_data check [DATA_DIR]` prints one line per problem and exits 1 if there are any."""

from __future__ import annotations

import argparse
import sys

from poc_data.load import resolve_data_dir
from poc_data.problems import display_path
from poc_data.validate import check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m poc_data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_command = commands.add_parser("check", help="validate a data directory (default: $POC_DATA_DIR or data/)")
    check_command.add_argument("data_dir", nargs="?", help="the data directory to check")
    arguments = parser.parse_args(argv)

    directory = resolve_data_dir(arguments.data_dir)
    problems = check(directory)
    for problem in problems:
        print(problem)
    if problems:
        files = len({problem.path for problem in problems})
        print(f"{len(problems)} problem(s) in {files} file(s) of {display_path(directory)}")
        return 1
    print(f"ok: no problems in {display_path(directory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
