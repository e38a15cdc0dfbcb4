"""The package: `pip install .` installs the app, its pages, data, static files and config, and a `poc-explorer`
command that starts the app from any folder or runs the data commands (`check`, `cache`, `import`, `workshop`)."""

from __future__ import annotations

import subprocess
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.web import cli as streamlit_cli

from poc_data import launch, paths
from tests.conftest import REPO, data_copy
from tests.package import clean_environment, start, stop
from tests.test_workshop_migrations import head

# The app's files, as the wheel must hold them under poc_data/_app/: whatever these folders hold now or later.
APP_FILES = ["app.py", ".streamlit/config.toml", "pages/*.py", "data/**/*", "static/**/*"]


def requirement_lines(path: Path) -> list[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("-r")]


def test_the_package_requires_what_requirements_txt_lists():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert sorted(project["dependencies"]) == sorted(requirement_lines(REPO / "requirements.txt"))


def test_the_command_gives_streamlit_the_apps_own_config():
    options = launch.config_options()
    assert "--server.address=localhost" in options
    assert "--browser.gatherUsageStats=false" in options
    assert "--client.showSidebarNavigation=false" in options
    config = tomllib.loads(paths.STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    assert len(options) == sum(len(values) for values in config.values())


def _streamlit_options(arguments: list[str]) -> dict:
    """The options Streamlit's `run` takes from the command's arguments, as it parses them."""
    command, entrypoint, *options = launch.streamlit_arguments(arguments)
    assert (command, entrypoint) == ("run", str(paths.ENTRYPOINT))
    return streamlit_cli.main_run.make_context("run", [entrypoint, *options]).params


def test_streamlit_takes_every_option_of_the_apps_config():
    parsed = _streamlit_options([])
    config = tomllib.loads(paths.STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    for section, values in config.items():
        for name, value in values.items():
            assert parsed[f"{section}_{name}"] == value, f"{section}.{name}"


def test_the_users_options_win_over_the_apps_config():
    parsed = _streamlit_options(["--server.address", "0.0.0.0", "--server.port", "8600"])  # noqa: S104
    assert (parsed["server_address"], parsed["server_port"]) == ("0.0.0.0", 8600)  # noqa: S104
    assert parsed["browser_gatherUsageStats"] is False


def test_a_data_command_runs_as_python_m_poc_data(capsys, tmp_path):
    assert launch.main(["check", str(data_copy(tmp_path))]) == 0
    assert "ok: no problems" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        launch.main(["nonsense"])
    assert "poc-explorer" in capsys.readouterr().err


def test_help_names_both_uses(capsys):
    assert launch.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "start the app" in out and "check, cache, import, synth or workshop" in out


def test_in_a_checkout_the_app_files_are_the_checkouts():
    assert paths.APP_DIR == REPO
    assert paths.ENTRYPOINT.is_file() and paths.BUNDLED_DATA_DIR.is_dir() and paths.TOPOJSON_DIR.is_dir()


def test_the_wheel_holds_every_file_of_the_app(installed_app):
    with zipfile.ZipFile(installed_app.wheel) as wheel:
        names = set(wheel.namelist())
    expected = {
        "poc_data/_app/" + path.relative_to(REPO).as_posix()
        for pattern in APP_FILES
        for path in REPO.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert any(name.startswith("poc_data/_app/data/stories/") for name in expected)
    assert expected - names == set()
    assert not [name for name in names if "__pycache__" in name or name.startswith(("tests/", "bench/"))]
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(installed_app.wheel) as wheel:
        assert "poc-explorer = poc_data.launch:main" in wheel.read(entry_points).decode()


def test_the_installed_check_reads_the_shipped_data_from_any_folder(installed_app, tmp_path):
    result = subprocess.run(  # noqa: S603 - the installed command
        [str(installed_app.command), "check"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.splitlines()[-1]
    assert last.startswith("ok: no problems in ")
    shipped = Path(last.removeprefix("ok: no problems in "))
    shipped = shipped if shipped.is_absolute() else tmp_path / shipped
    # The installed copy in the fresh environment, not this checkout's data.
    assert shipped.resolve().is_relative_to(installed_app.environment.resolve())
    assert shipped.name == "data" and (shipped / "stories").is_dir()


def test_the_installed_check_reads_poc_data_dir(installed_app, tmp_path):
    directory = data_copy(tmp_path)
    (directory / "missions.csv").write_text("not,the,header\n", encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - the installed command
        [str(installed_app.command), "check"],
        cwd=tmp_path,
        env=clean_environment(POC_DATA_DIR=str(directory)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "missions.csv:1:" in result.stdout


def test_the_installed_command_serves_the_app_and_its_static_files_from_any_folder(installed_app, tmp_path):
    process, base = start(installed_app, tmp_path, clean_environment())
    try:
        with urllib.request.urlopen(f"{base}/", timeout=10) as response:  # noqa: S310 - localhost
            assert response.status == 200
            assert "<title>Streamlit</title>" in response.read().decode()
        topojson = f"{base}/app/static/topojson/world_110m.json"
        with urllib.request.urlopen(topojson, timeout=10) as response:  # noqa: S310 - localhost
            assert response.status == 200
            assert b'"Topology"' in response.read(4096)
    finally:
        output = stop(process)
    assert "Traceback" not in output


def test_the_installed_store_migrates_its_database_with_the_shipped_migrations(installed_app, tmp_path):
    with zipfile.ZipFile(installed_app.wheel) as wheel:
        names = set(wheel.namelist())
    migrations = {path.relative_to(REPO).as_posix() for path in (REPO / "poc_data" / "migrations").rglob("*.py")}
    assert migrations - names == set()
    assert "poc_data/migrations/script.py.mako" in names
    database = tmp_path / "workshops.sqlite3"
    result = subprocess.run(  # noqa: S603 - the installed command
        [str(installed_app.command), "workshop", "export", "NOSUCH", "--db", f"sqlite+pysqlite:///{database}"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    engine = sa.create_engine(f"sqlite+pysqlite:///{database}")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == head()
    engine.dispose()
