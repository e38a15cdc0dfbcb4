"""7_Sources_and_data page."""

from poc_data import ui

page = ui.start_page("pages/7_Sources_and_data.py")
