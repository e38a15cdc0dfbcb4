"""Where the app's own files are: beside the package in a checkout, inside it once installed (`pip install .`)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The wheel puts app.py, pages/, data/, static/ and .streamlit/ in the package under this name (pyproject.toml):
# Streamlit needs pages/ and static/ beside the entrypoint, and the installed files live in one place, not loose in
# site-packages.
INSTALLED_APP = PACKAGE_DIR / "_app"
APP_DIR = INSTALLED_APP if (INSTALLED_APP / "app.py").is_file() else PACKAGE_DIR.parent
ENTRYPOINT = APP_DIR / "app.py"
BUNDLED_DATA_DIR = APP_DIR / "data"
STATIC_DIR = APP_DIR / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"
STREAMLIT_CONFIG = APP_DIR / ".streamlit" / "config.toml"
