"""6_Round_table page."""

from poc_data import ui

page = ui.start_page("pages/6_Round_table.py")
