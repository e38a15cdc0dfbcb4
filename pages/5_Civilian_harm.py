"""5_Civilian_harm page."""

from poc_data import ui

page = ui.start_page("pages/5_Civilian_harm.py")
