"""4_Missions_and_mandates page."""

from poc_data import ui

page = ui.start_page("pages/4_Missions_and_mandates.py")
