"""Command line for the data.

`python -m poc_data check [--json] [--cache] [DATA_DIR]` prints one line per problem, ending in its code
(problems.Code), and exits 1 if there are any, then the warnings (records resting only on an encyclopedia), which do
not fail the check; `--cache` also caches every dataset that has no problem of its own;
`python -m poc_data cache [DATA_DIR]` reads and caches every dataset the cache lacks, so that a session starts from the
cache, naming those with problems, which are not cached;
`python -m poc_data synth --scale N OUT_DIR` writes a valid synthetic data directory N times the size of a real one;
`python -m poc_data import geo-pko FILE [DATA_DIR]` converts a Geo-PKO front-map release into deployments.csv and
checks it;
`python -m poc_data import ucdp-ged FILE [DATA_DIR]` converts a UCDP GED release (GEDEvent_vXX_X.csv) into
violence_events.parquet and its metadata, and checks them;
`python -m poc_data workshop export CODE [--db URL] [--format csv|md|json]` writes a workshop session's votes and notes.
Installed (`pip install .`), `poc-explorer COMMAND ...` runs the same commands.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from poc_data import events, geopko
from poc_data.cache import cache_dir
from poc_data.load import fill_cache, resolve_data_dir
from poc_data.problems import Problem, display_path
from poc_data.schema import DATASETS
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


def main(argv: list[str] | None = None, prog: str = "python -m poc_data") -> int:
    """The command line; `prog` is how it was called (`poc-explorer` runs the same commands)."""
    arguments = _parser(prog).parse_args(argv)
    if arguments.command == "synth":
        return _synth(arguments)
    if arguments.command == "import":
        return _import_ucdp_ged(arguments) if arguments.kind == "ucdp-ged" else _import_geo_pko(arguments)
    if arguments.command == "workshop":
        return _workshop_export(arguments)
    if arguments.command == "cache":
        return _cache(arguments)
    return _check(arguments)


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _add_check_and_cache(commands)
    _add_synth(commands)
    _add_import(commands)
    _add_workshop(commands)
    return parser


def _add_check_and_cache(commands: argparse._SubParsersAction) -> None:
    check_command = commands.add_parser("check", help="validate a data directory (default: $POC_DATA_DIR or data/)")
    check_command.add_argument("data_dir", nargs="?", help="the data directory to check")
    check_command.add_argument(
        "--json", action="store_true", help="print the problems as a JSON list of {path, line, field, message, code}"
    )
    check_command.add_argument(
        "--cache", action="store_true", help="also cache every dataset that has no problem of its own, for loading"
    )
    cache_command = commands.add_parser(
        "cache", help="read and cache every dataset of a data directory that the cache lacks (default: as for check)"
    )
    cache_command.add_argument("data_dir", nargs="?", help="the data directory to read")


def _add_synth(commands: argparse._SubParsersAction) -> None:
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


def _add_import(commands: argparse._SubParsersAction) -> None:
    import_command = commands.add_parser("import", help="convert a release of an outside dataset into its dataset")
    import_command.add_argument(
        "kind",
        choices=["geo-pko", "ucdp-ged"],
        help="geo-pko: a Geo-PKO front-map file (FrontMap_v.X.csv); ucdp-ged: a UCDP GED release (GEDEvent_vXX_X.csv)",
    )
    import_command.add_argument("file", metavar="FILE", help="the release to convert")
    import_command.add_argument(
        "--source-id",
        default=geopko.SOURCE_ID,
        help=f"geo-pko: the key in sources.yaml of the release (default: {geopko.SOURCE_ID}); add a newer release "
        "there first (ucdp-ged: the key is ucdp-ged-XX-X, from the release)",
    )
    import_command.add_argument(
        "--release", metavar="XX.X", help="ucdp-ged: the GED release, when the file's name does not say it"
    )
    import_command.add_argument(
        "data_dir",
        nargs="?",
        help="the data directory whose dataset is replaced (default: $POC_DATA_DIR or data/)",
    )


def _add_workshop(commands: argparse._SubParsersAction) -> None:
    workshop_command = commands.add_parser("workshop", help="live workshop sessions")
    workshop_actions = workshop_command.add_subparsers(dest="action", required=True)
    export_command = workshop_actions.add_parser("export", help="write a session's votes and notes")
    export_command.add_argument("code", metavar="CODE", help="the session's join code")
    export_command.add_argument(
        "--db", metavar="URL", help="the database URL (default: $POC_WORKSHOP_DB, else the app's SQLite file)"
    )
    export_command.add_argument(
        "--format",
        choices=("csv", "md", "json"),
        default="csv",
        help="CSV of votes and notes (default), a Markdown report with the tally and evidence, or JSON",
    )
    export_command.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")


def _shown(problem: Problem) -> str:
    """A problem as the command line prints it: where, what, and its code."""
    return f"{problem} [{problem.code}]"


def _check(arguments: argparse.Namespace) -> int:
    directory = resolve_data_dir(arguments.data_dir)
    problems = check(directory, cache=arguments.cache)
    if arguments.json:
        print(json.dumps([dataclasses.asdict(problem) for problem in problems], ensure_ascii=False))
        return 1 if problems else 0
    for problem in problems:
        print(_shown(problem))
    cautions = warnings(directory)
    for caution in cautions:
        print(f"warning: {_shown(caution)}")
    if cautions:
        print(f"{len(cautions)} warning(s): allowed, but weak; see above")
    if problems:
        files = len({problem.path for problem in problems})
        print(f"{len(problems)} problem(s) in {files} file(s) of {display_path(directory)}")
        return 1
    print(f"ok: no problems in {display_path(directory)}")
    return 0


def _cache(arguments: argparse.Namespace) -> int:
    directory = resolve_data_dir(arguments.data_dir)
    if not directory.is_dir():
        print(f"data directory not found: {display_path(directory)}")
        return 1
    problems = fill_cache(directory)
    for dataset_id, found in problems.items():
        print(f"{dataset_id}: not cached, {len(found)} problem(s); `python -m poc_data check` lists them")
    cached = len(DATASETS) - len(problems)
    print(f"{cached} of {len(DATASETS)} datasets of {display_path(directory)} cached in {display_path(cache_dir())}")
    return 1 if problems else 0


def _import_geo_pko(arguments: argparse.Namespace) -> int:
    """Convert the release; write deployments.csv only if every row converts, then check the data directory."""
    directory = resolve_data_dir(arguments.data_dir)
    try:
        rows, lines = geopko.read_release(arguments.file)
    except geopko.ReleaseError as error:
        for problem in error.problems:
            print(_shown(problem), file=sys.stderr)
        return 1
    converted = geopko.convert(rows, lines, display_path(Path(arguments.file)), source_id=arguments.source_id)
    if converted.problems:
        for problem in converted.problems:
            print(_shown(problem), file=sys.stderr)
        print(f"error: {len(converted.problems)} row(s) cannot be converted; nothing was written", file=sys.stderr)
        return 1
    if not directory.is_dir():
        print(f"error: data directory {display_path(directory)} not found", file=sys.stderr)
        return 1
    target = directory / "deployments.csv"
    geopko.write_csv(converted.records, target)
    print(f"wrote {len(converted.records)} deployments from {len(rows)} rows to {display_path(target)}")
    problems = [
        problem for problem in check(directory) if problem.path.endswith(("deployments.csv", "deployments.meta.yaml"))
    ]
    for problem in problems:
        print(_shown(problem))
    for caution in warnings(directory):
        if caution.path.endswith("deployments.csv"):
            print(f"warning: {_shown(caution)}")
    return 1 if problems else 0


def _import_ucdp_ged(arguments: argparse.Namespace) -> int:
    """Convert the GED release; write the events only if every row converts, then check them."""
    directory = resolve_data_dir(arguments.data_dir)
    try:
        imported = events.import_ged(arguments.file, directory, version=arguments.release)
    except events.ReleaseError as error:
        for problem in error.problems:
            print(_shown(problem), file=sys.stderr)
        print("error: the release cannot be converted; nothing was written", file=sys.stderr)
        return 1
    for caution in imported.warnings:
        print(f"warning: {caution}")
    print(f"wrote {imported.rows} events of GED {imported.version} to {display_path(imported.target)}")
    problems = [problem for problem in check(directory) if problem.path.endswith((events.DATA_FILE, events.META_FILE))]
    for problem in problems:
        print(_shown(problem))
    if any(problem.field == "sources" for problem in problems):
        print(f"add the release to sources.yaml as {events.source_id_of(imported.version)!r}")
    return 1 if problems else 0


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


def _workshop_export(arguments: argparse.Namespace) -> int:
    # Imported here: `check` runs on every page load of the app and needs neither.
    from sqlalchemy.exc import SQLAlchemyError

    from poc_data import workshop

    try:
        store = workshop.WorkshopStore(arguments.db)
        exported = store.export(arguments.code)
    except (workshop.WorkshopError, workshop.StoreUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"error: the workshop database cannot be used: {error.__class__.__name__}", file=sys.stderr)
        return 1
    if arguments.format == "csv":
        content = workshop.export_csv(exported)
    elif arguments.format == "json":
        content = workshop.export_json(exported)
    else:
        evidence = workshop.report_evidence([item["id"] for item in exported["items"]])
        content = workshop.export_markdown(exported, evidence).encode("utf-8")
    if arguments.output:
        with open(arguments.output, "wb") as file:
            file.write(content)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
