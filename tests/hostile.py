"""A hostile data directory and hostile links, shared by the app tests and the browser tests.

The data holds markup in the text the pages show (Markdown images, colour and icon directives, maths, HTML, plotly
template fields); three files are not data at all (a link to a system file, a FIFO, a YAML bomb; a folder stands for
the link or the FIFO where the system cannot make one). The links give every page's parameters values that are
malformed, reversed, repeated, huge or Markdown.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from tests.conftest import data_copy

# Every request for example.com is a leak: nothing the app shows may make the browser fetch it.
TRACKER = "http://example.com"
MARKUP = (
    f"![seen]({TRACKER}/md.png) <img src={TRACKER}/img.png> :red[red] :material/home: $x^2$ "
    f"<a href={TRACKER}/a>link</a> <b>bold</b> %{{x}}"
)
SECRET_FILE = "/etc/passwd"
SECRET_LINE = "root:"

# Unescaped markup, as it would reach Streamlit's Markdown or plotly: none of these may appear.
RAW_MARKDOWN = [
    re.compile(r"!\[seen\]"),
    re.compile(r"\]\(http://example"),
    re.compile(r"(?<!\\):red\["),
    re.compile(r"(?<!\\):material/home(?!\\)"),
    re.compile(r"(?<!\\)\$x\^2(?<!\\)\$"),
    re.compile(r"(?<!\\)<img"),
    re.compile(r"(?<!\\)<a href"),
]
RAW_PLOTLY = ["<img", "<a href", "<b>bold</b>", "<b>KFOR</b>", "%{x} "]

HUGE_NUMBER = "9" * 4400


def can_make_symlinks() -> bool:
    """Whether this account can make symbolic links (on Windows that takes Developer Mode or an administrator)."""
    probe = Path(tempfile.mkdtemp())
    try:
        (probe / "link").symlink_to(probe / "target")
    except OSError:
        return False
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return True


SYMLINKS = can_make_symlinks()
FIFOS = hasattr(os, "mkfifo")  # Windows has no named pipes in the file system (its pipes live in \\.\pipe\)
NO_SYMLINKS = "this account cannot make symbolic links (on Windows: without Developer Mode or an administrator)"
NO_FIFOS = "Windows has no named pipes (FIFOs) in the file system, so a data directory cannot hold one"
# The files of the hostile directory that are not data, and what the check says of each. Where the system cannot make
# one (Windows), a folder stands in the file's place, which every system can hold.
NOT_DATA = [
    ("mandates.csv", "a symbolic link to a file outside the data directory; not read")
    if SYMLINKS and Path(SECRET_FILE).is_file()
    else ("mandates.csv", "a directory, not a regular file; not read"),
    ("recommendations.yaml", "a named pipe (FIFO), not a regular file; not read")
    if FIFOS
    else ("recommendations.yaml", "a directory, not a regular file; not read"),
]
LONG_SEARCH = " ".join(["war", "civilians"] * 25_000)  # 50,000 words, within the 512 kB Streamlit reads


def _yaml_text(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_csv(path: Path, row: int, values: dict[str, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row].update(values)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def hostile_data(tmp_path: Path) -> Path:
    """The valid fixture with markup in what the pages show, and three files that are not data."""
    directory = data_copy(tmp_path)
    for path in directory.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for key, joint in (("license", " "), ("title", "")):
            text, count = re.subn(
                rf"^{key}: (.*)$",
                lambda m, key=key, joint=joint: f"{key}: {_yaml_text(m.group(1) + joint + MARKUP)}",
                text,
                count=1,
                flags=re.M,
            )
            assert count == 1, f"no {key} in {path.name}"
        path.write_text(text, encoding="utf-8")
    figures = directory / "key_figures.yaml"
    _edit(figures, "label: Allied Force civilian casualties", f"label: {_yaml_text(MARKUP)}")
    _edit(figures, "unit: civilian casualties", f"unit: {_yaml_text(MARKUP)}")
    _edit(directory / "sources.yaml", "title: Civilian Deaths in the NATO Air Campaign", f"title: {_yaml_text(MARKUP)}")
    _edit_csv(directory / "civilian_harm.csv", 0, {"attributed_to": MARKUP, "counted_by": MARKUP})
    _edit_csv(directory / "missions.csv", 2, {"acronym": "<b>KFOR</b>", "name": MARKUP})
    # Not data: a link to a system file, a FIFO (each a folder where the system cannot make it: NOT_DATA), and ten
    # levels of nested YAML anchors and aliases.
    for name, message in NOT_DATA:
        (directory / name).unlink()
        if "symbolic link" in message:
            (directory / name).symlink_to(SECRET_FILE)
        elif "FIFO" in message:
            os.mkfifo(directory / name)
        else:
            (directory / name).mkdir()
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    _edit(directory / "comparisons.yaml", "primary_key: id\n", "primary_key: id\n" + "\n".join(levels) + "\n")
    return directory


# Hostile values for every parameter a page reads from its link, by page.
PAGE_LINKS: dict[str, dict[str, str | list[str]]] = {
    "app.py": {},
    "pages/1_Timeline.py": {
        "tl_org": MARKUP,
        "tl_years": ["2020", "1995"],
        "tl_q": LONG_SEARCH,
        "tl_themes": ["a", "b"] * 60,
        "tl_missions": MARKUP,
        "tl_ops": "TRUE",
        "tl_res": "zzz",
        "tl_step": ["true", "false"],
        "tl_page": HUGE_NUMBER,
    },
    "pages/2_Map.py": {
        "map_year": HUGE_NUMBER,
        "map_org": MARKUP,
        "map_type": MARKUP,
        "map_poc": ["true", "true"],
        "map_region": MARKUP,
        "map_animate": "yes",
        "map_year_page": HUGE_NUMBER,
    },
    "pages/3_Organizations.py": {
        "org_organizations": MARKUP,
        "org_table": ["Table 1", "Table 2"],
        "org_cumulative": "1",
        "org_type": MARKUP,
        "org_by_type": "TRUE",
        "org_definitions_page": HUGE_NUMBER,
        "org_grid_page": "-1",
        "org_shared_page": "1e3",
    },
    "pages/4_Missions_and_mandates.py": {
        "mm_org": MARKUP,
        "mm_type": MARKUP,
        "mm_poc": MARKUP,
        "mm_host": MARKUP,
        "mm_years": ["2020", "1995", "2000"],
        "mm_order": MARKUP,
        "mm_mission": MARKUP,
        "mm_print": "zzz",
        "mm_table_page": HUGE_NUMBER,
        "mm_res_page": HUGE_NUMBER,
    },
    "pages/5_Civilian_harm.py": {
        "ch_measure": MARKUP,
        "ch_place": MARKUP,
        "ch_tier": MARKUP,
        "ch_counted": MARKUP,
        "ch_group": MARKUP,
        "ch_table_page": HUGE_NUMBER,
    },
    "pages/10_Violence_against_civilians.py": {
        "vac_operation": MARKUP,
        "vac_all_years": "yes",
        "vac_country": MARKUP,
        "vac_actor_years": ["2020", "1995", "2000"],
        "vac_actors_page": HUGE_NUMBER,
    },
    "pages/6_Round_table.py": {
        "rt_view": MARKUP,
        "rt_theme": MARKUP,
        "rt_question": HUGE_NUMBER,
        "rt_page": HUGE_NUMBER,
    },
    "pages/7_Sources_and_data.py": {
        "src_tier": MARKUP,
        "src_q": LONG_SEARCH,
    },
}


def links_for(page: str) -> dict[str, str | list[str]]:
    """Hostile values for a page's link parameters; any page gets at least a presentation switch that is no switch."""
    return {**PAGE_LINKS.get(page, {}), "present": "zzz"}
