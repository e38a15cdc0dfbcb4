"""`poc-explorer`, the installed command: with no command it starts the app; `poc-explorer check|cache|import|synth|
workshop ...` are the commands of `python -m poc_data`.

`poc-explorer` runs Streamlit on the installed app.py with the options of the app's own `.streamlit/config.toml`
(this computer only, no usage statistics, the menu and theme), given as command-line options: Streamlit reads a
config file only from the folder it is started in, and the command is started from any folder. Options given to
`poc-explorer` come after them and win (`poc-explorer --server.port 8600`, `--server.address 0.0.0.0`).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from poc_data.paths import ENTRYPOINT, STREAMLIT_CONFIG

PROG = "poc-explorer"
USAGE = f"""usage: {PROG} [STREAMLIT OPTIONS]      start the app (e.g. --server.port 8600)
       {PROG} COMMAND [ARGUMENTS]       check, cache, import, synth or workshop (`{PROG} COMMAND --help`)

The app listens on this computer only and sends no usage statistics; its data is the shipped data, or the folder
named by POC_DATA_DIR."""


def config_options(config: Path = STREAMLIT_CONFIG) -> list[str]:
    """The app's Streamlit configuration as `streamlit run` options (`--server.address=localhost`, ...)."""
    with config.open("rb") as file:
        sections = tomllib.load(file)
    options = []
    for section, values in sections.items():
        for name, value in values.items():
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            options.append(f"--{section}.{name}={shown}")
    return options


def streamlit_arguments(arguments: list[str]) -> list[str]:
    """What `streamlit` is given to run the app: its entrypoint, the app's options, then the user's."""
    return ["run", str(ENTRYPOINT), *config_options(), *arguments]


def main(argv: list[str] | None = None) -> int:
    """The `poc-explorer` command."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in ("-h", "--help"):
        sys.stdout.write(USAGE + "\n")
        return 0
    if arguments and not arguments[0].startswith("-"):
        from poc_data.__main__ import main as data_command

        return data_command(arguments, prog=PROG)
    from streamlit.web import cli

    # Click's own handling: a wrong option is said as Streamlit says it, and the server's end ends the command.
    return cli.main(args=streamlit_arguments(arguments), prog_name=PROG)
