"""3_Organizations page."""

from poc_data import ui

page = ui.start_page("pages/3_Organizations.py")
