"""1_Timeline page."""

from poc_data import ui

page = ui.start_page("pages/1_Timeline.py")
