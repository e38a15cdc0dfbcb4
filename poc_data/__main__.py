"""Command line for the data.

`python -m poc_data check [--json] [DATA_DIR]` prints one line per problem and exits 1 if there are any, then the
warnings (records resting only on an encyclopedia), which do not fail the check;
`python -m poc_data synth --scale N OUT_DIR` writes a valid synthetic data directory N times the size of a real one.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from poc_data.load import resolve_data_dir
from poc_data.problems import display_path
from poc_data.synth import SEED, SynthError, synthesize
from poc_data.validate import check, warnings


def _scale(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"the scale must be 1 or more, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m poc_data", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_command = commands.add_parser("check", help="validate a data directory (default: $POC_DATA_DIR or data/)")
    check_command.add_argument("data_dir", nargs="?", help="the data directory to check")
    check_command.add_argument(
        "--json", action="store_true", help="print the problems as a JSON list of {path, line, field, message}"
    )
    synth_command = commands.add_parser("synth", help="write a synthetic data directory N times the size of a real one")
    synth_command.add_argument("--scale", type=_scale, required=True, metavar="N", help="records per source record")
    synth_command.add_argument(
        "--from", dest="source_dir", metavar="DIR", help="the data directory to scale (default: $POC_DATA_DIR or data/)"
    )
    synth_command.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    synth_command.add_argument(
        "--force", action="store_true", help="write into OUT_DIR even if it is not empty (its data files are replaced)"
    )
    synth_command.add_argument("out_dir", metavar="OUT_DIR", help="where to write the data files")
    arguments = parser.parse_args(argv)
    if arguments.command == "synth":
        return _synth(arguments)

    directory = resolve_data_dir(arguments.data_dir)
    problems = check(directory)
    if arguments.json:
        print(json.dumps([dataclasses.asdict(problem) for problem in problems], ensure_ascii=False))
        return 1 if problems else 0
    for problem in problems:
        print(problem)
    cautions = warnings(directory)
    for caution in cautions:
        print(f"warning: {caution}")
    if cautions:
        print(f"{len(cautions)} warning(s): allowed, but weak; see above")
    if problems:
        files = len({problem.path for problem in problems})
        print(f"{len(problems)} problem(s) in {files} file(s) of {display_path(directory)}")
        return 1
    print(f"ok: no problems in {display_path(directory)}")
    return 0


def _synth(arguments: argparse.Namespace) -> int:
    source = resolve_data_dir(arguments.source_dir)
    try:
        counts = synthesize(arguments.out_dir, arguments.scale, source, seed=arguments.seed, force=arguments.force)
    except SynthError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{count} {dataset_id}" for dataset_id, count in counts.items())
    print(f"ok: wrote {summary} ({arguments.scale}x {display_path(source)}) to {arguments.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
