"""2_Map page."""

from poc_data import ui

page = ui.start_page("pages/2_Map.py")
