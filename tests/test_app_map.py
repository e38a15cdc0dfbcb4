"""The Map page through AppTest."""

from __future__ import annotations

import base64
import shutil

import numpy as np
import plotly.graph_objects as go
import plotly.io
import pytest

from poc_data import i18n
from poc_data.events import events_in, import_ged
from poc_data.load import load
from poc_data.transform.violence_map import deployed_in, near_deployments, share_text
from tests.apptest import open_page, texts
from tests.conftest import FIXTURES, REPO, VALID, data_copy

PAGE = "pages/2_Map.py"
KEYS = ("map_year", "map_region", "map_country", "map_org", "map_type", "map_poc", "map_animate")


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("POC_DATA_DIR", str(VALID))


def widget(at, key):
    for kind in ("slider", "selectbox", "multiselect", "toggle"):
        found = [element for element in getattr(at, kind) if element.key == key]
        if found:
            return found[0]
    raise LookupError(key)


def figure(at) -> go.Figure:
    return plotly.io.from_json(at.get("plotly_chart")[0].proto.spec)


def values(array) -> list:
    """A data array of a figure as sent to the browser: numeric arrays travel base64-encoded."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def shaded(at) -> dict[str, int]:
    shading = figure(at).data[0]
    return dict(zip(values(shading.locations), values(shading.z), strict=True))


def downloads(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def country_table(at):
    """The table of the picked country's operations: the last one listing operations."""
    return [frame.value for frame in at.dataframe if "Acronym" in frame.value.columns][-1]


def test_page_shows_the_map_filters_and_the_latest_year():
    at = open_page(PAGE)
    assert not at.exception
    for key in KEYS:
        assert widget(at, key) is not None
    assert widget(at, "map_year").value == 2005
    assert widget(at, "map_country").value is None
    assert shaded(at) == {"SLE": 1, "XKX": 2}
    assert "Not on the map in 2005: Kosovo \\(XKX\\)\\: UNMIK, KFOR" in texts(at)
    assert "Natural Earth" in texts(at) and "do not imply official endorsement" in texts(at)
    assert downloads(at) == ["Download the operations active in 2005 (CSV)"]
    assert [expander.label for expander in at.expander][0] == "The 3 operations active in 2005"


def test_the_year_and_the_filters_change_what_is_shown():
    at = open_page(PAGE)
    widget(at, "map_year").set_value(1999).run()
    assert shaded(at) == {"MNE": 1, "SLE": 1, "SRB": 1, "XKX": 3}
    widget(at, "map_org").set_value(["UN"]).run()
    assert shaded(at) == {"SLE": 1, "XKX": 1}
    assert "Kosovo \\(XKX\\)\\: UNMIK." in texts(at)
    widget(at, "map_poc").set_value(["explicit"]).run()
    assert shaded(at) == {"SLE": 1}


def test_query_params_restore_year_filters_and_country():
    at = open_page(PAGE, query={"map_year": "1999", "map_org": ["NATO"], "map_country": "Kosovo"})
    assert not at.exception
    assert widget(at, "map_year").value == 1999
    assert widget(at, "map_org").value == ["NATO"]
    assert widget(at, "map_country").value == "Kosovo"
    assert country_table(at)["Acronym"].tolist() == ["Allied Force", "KFOR"]
    assert "Operations in Kosovo" in texts(at)
    assert "UNMIK and KFOR share responsibilities" in texts(at)
    assert downloads(at)[1:] == [
        "Download the operations in Kosovo (CSV)",
        "Download these milestones (CSV)",
        "Download these figures (CSV)",
    ]
    assert figure(at).data[-1].locations == ("XKX",)


def test_picking_a_country_lists_its_operations_milestones_and_harm():
    at = open_page(PAGE, query={"map_year": "1999"})
    widget(at, "map_country").set_value("Serbia").run()
    assert not at.exception
    assert country_table(at)["Acronym"].tolist() == ["Allied Force"]
    assert at.dataframe[-1].value["Figure"].tolist() == ["more than 500", "about 500"]
    assert "Operation Allied Force causes more than 500 civilian casualties" in texts(at)


@pytest.mark.parametrize(
    ("query", "key", "fallback"),
    [
        ({"map_year": "1850"}, "map_year", 2005),
        ({"map_country": "Atlantis"}, "map_country", None),
        ({"map_region": "Mars"}, "map_region", "World"),
        ({"map_org": ["UN", "WTO"]}, "map_org", ["UN"]),
    ],
)
def test_invalid_query_params_give_a_notice_and_fall_back(query, key, fallback):
    at = open_page(PAGE, query=query)
    assert not at.exception
    assert any("is not available here" in warning.value for warning in at.warning)
    assert widget(at, key).value == fallback


def test_a_year_without_operations_shows_nothing_matches():
    at = open_page(PAGE, query={"map_year": "1997"})
    assert not at.exception
    assert "Nothing matches" in texts(at)
    assert not at.get("plotly_chart")


def test_the_animation_has_a_frame_per_year():
    at = open_page(PAGE, query={"map_animate": "true", "map_year": "1999"})
    assert not at.exception
    fig = figure(at)
    # It plays from the year chosen on the slider, not from the first year of the data.
    assert [frame.name for frame in fig.frames][:2] == ["1999", "2000"]
    slider = fig.layout.sliders[0]
    assert slider.steps[slider.active].label == "1999"


def test_presentation_mode_draws_larger_markers():
    at = open_page(PAGE, query={"map_year": "1999"})
    normal = figure(at).data[1].marker.size
    at.toggle(key="present_toggle").set_value(True).run()
    assert figure(at).data[1].marker.size > normal


def test_broken_missions_show_the_error_and_the_page_still_renders(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, "unknown_country")))
    at = open_page(PAGE)
    assert not at.exception
    assert any("missions dataset could not be loaded" in error.value for error in at.error)
    assert "The map needs the missions dataset" in texts(at)
    assert any("Sources of what is shown" in expander.label for expander in at.expander)


def test_broken_harm_figures_leave_the_operations_and_milestones(monkeypatch, tmp_path):
    monkeypatch.setenv("POC_DATA_DIR", str(data_copy(tmp_path, "empty_file")))
    at = open_page(PAGE, query={"map_year": "1999", "map_country": "Kosovo"})
    assert not at.exception
    assert any("civilian_harm dataset could not be loaded" in error.value for error in at.error)
    assert country_table(at)["Acronym"].tolist() == ["Allied Force", "UNMIK", "KFOR"]
    assert "UNMIK and KFOR share responsibilities" in texts(at)


def deployment_figure(at) -> go.Figure:
    charts = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(fig for fig in charts if str(fig.layout.title.text).startswith(("Deployments in", "Where ")))


def test_deployments_of_the_chosen_year_sized_by_troops():
    at = open_page(PAGE, query={"map_year": "2000"})
    assert not at.exception
    assert widget(at, "map_dep_op").options == ["All operations", "UNAMSIL", "UNMIK"]
    fig = deployment_figure(at)
    assert fig.layout.title.text == "Deployments in 2000"
    assert [trace.name for trace in fig.data][-1] == "Mission headquarters"
    assert "Download these 3 deployment locations (CSV)" in downloads(at)
    assert "Geo-PKO v2.3" in texts(at)


def test_choosing_an_operation_shows_only_its_locations():
    at = open_page(PAGE, query={"map_year": "2000"})
    widget(at, "map_dep_op").set_value("UNMIK").run()
    assert not at.exception
    fig = deployment_figure(at)
    assert fig.layout.title.text == "Where UNMIK deployed in 2000"
    assert [trace.name for trace in fig.data] == ["No troops (police or observers)", "Mission headquarters"]
    assert "Download this deployment location (CSV)" in downloads(at)


def test_a_year_outside_the_deployment_data_says_which_years_it_covers():
    at = open_page(PAGE, query={"map_year": "2001"})
    assert not at.exception
    assert any("cover 1994 to 2000" in info.value for info in at.info)
    assert not any(key == "map_dep_op" for key in (w.key for w in at.selectbox))


def charts_titled(at, start: str) -> list[go.Figure]:
    charts = [plotly.io.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [fig for fig in charts if str(fig.layout.title.text).startswith(start)]


def test_the_civilians_layer_is_off_until_switched_on():
    at = open_page(PAGE, query={"map_year": "1999"})
    assert not at.exception
    assert widget(at, "map_ucdp").value is False
    assert not charts_titled(at, "Civilians killed")
    assert not any(element.key == "map_ucdp_kind" for element in at.selectbox)
    widget(at, "map_ucdp").set_value(True).run()
    assert not at.exception
    (fig,) = charts_titled(at, "Civilians killed in 1999")
    assert dict(zip(fig.data[1].locations, values(fig.data[1].customdata), strict=True)) == {
        "COD": 2869,
        "SLE": 1340,
        "SRB": 775,
    }
    assert "4,984 in 1999, all countries together" in texts(at)
    assert "Pick a country (click it on either map" in texts(at)
    assert "Download the civilians killed by country in 1999 (CSV)" in downloads(at)
    # The UCDP release is cited in the footer with the other datasets.
    assert "`organized_violence.csv`" in texts(at)
    assert any("Davies" in note.text for note in fig.layout.annotations if note.name == "source")


def test_the_kind_of_civilian_deaths_changes_the_shading():
    at = open_page(
        PAGE,
        query={"map_year": "1995", "map_ucdp": "true", "map_ucdp_kind": "In conflict (state-based and non-state)"},
    )
    assert not at.exception
    (fig,) = charts_titled(at, "Civilians killed in 1995")
    shading = fig.data[1]
    assert dict(zip(shading.locations, values(shading.customdata), strict=True)) == {"BIH": 6033, "SLE": 169, "HRV": 86}
    widget(at, "map_ucdp_kind").set_value("One-sided, by governments").run()
    (fig,) = charts_titled(at, "Civilians killed in 1995")
    assert dict(zip(fig.data[1].locations, values(fig.data[1].customdata), strict=True)) == {
        "HRV": 137,
        "COD": 58,
        "BIH": 13,
    }


def test_a_year_outside_ucdps_data_says_which_years_it_covers():
    at = open_page(PAGE, query={"map_year": "2005", "map_ucdp": "true"})
    assert not at.exception
    assert any("cover 1989 to 2000" in info.value for info in at.info)
    assert not charts_titled(at, "Civilians killed")


@pytest.mark.parametrize(
    ("query", "key", "fallback"),
    [
        ({"map_ucdp": "maybe"}, "map_ucdp", False),
        ({"map_ucdp": "true", "map_ucdp_kind": "All of them"}, "map_ucdp_kind", "One-sided violence"),
    ],
)
def test_bad_layer_parameters_give_a_notice_and_fall_back(query, key, fallback):
    at = open_page(PAGE, query={"map_year": "1999", **query})
    assert not at.exception
    assert any("is not available here" in warning.value for warning in at.warning)
    assert widget(at, key).value == fallback


def test_a_broken_ucdp_file_leaves_the_rest_of_the_map(monkeypatch, tmp_path):
    directory = data_copy(tmp_path, None)
    (directory / "organized_violence.csv").write_text("not,the,release\n1,2,3\n", encoding="utf-8")
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page(PAGE, query={"map_year": "1999", "map_ucdp": "true"})
    assert not at.exception
    assert any("organized_violence dataset could not be loaded" in error.value for error in at.error)
    assert shaded(at) == {"MNE": 1, "SLE": 1, "SRB": 1, "XKX": 3}


@pytest.fixture(scope="module")
def with_events(tmp_path_factory):
    """The shipped data with the seven GED 23.1 events of the fixture imported (three of them in 2014)."""
    directory = tmp_path_factory.mktemp("events") / "data"
    shutil.copytree(REPO / "data", directory, ignore=shutil.ignore_patterns("violence_events.*"))
    import_ged(FIXTURES / "ucdp" / "GEDEvent_v23_1.csv", directory)
    return directory


CAR_2014 = {"map_year": "2014", "map_ucdp": "true", "map_country": "Central African Republic"}


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_a_country_year_with_events_maps_them_beside_the_deployments(monkeypatch, with_events):
    monkeypatch.setenv("POC_DATA_DIR", str(with_events))
    at = open_page(PAGE, query=CAR_2014)
    assert not at.exception
    (fig,) = charts_titled(at, "Violent events in Central African Republic, 2014")
    names = [trace.name for trace in fig.data]
    assert "UN location (8)" in names
    events = [trace for trace in fig.data if str(trace.name).startswith(("State-based", "One-sided", "Non-state"))]
    assert sum(len(values(trace.lon)) for trace in events) == 3
    expected = near_deployments(
        events_in(with_events, "CAF", 2014), deployed_in(load("deployments", with_events), "CAF", 2014)
    )
    counted = int(expected["all_deaths_civilians"].iloc[0])
    shown = metrics(at)
    assert (
        shown["Civilians killed in these events"]
        == f"{int(events_in(with_events, 'CAF', 2014)['deaths_civilians'].sum()):,}"
    )
    for row in expected.itertuples(index=False):
        assert shown[f"Within {row.radius_km} km of a UN location"] == share_text(int(row.deaths_civilians), counted)
    assert "Nearness is not a cause" in texts(at)
    assert "Download these 3 events (CSV)" in downloads(at)
    assert any("Geo-PKO" in note.text and "Georeferenced" in note.text for note in fig.layout.annotations)


def test_a_country_year_without_events_says_which_years_have_them(monkeypatch, with_events):
    monkeypatch.setenv("POC_DATA_DIR", str(with_events))
    at = open_page(PAGE, query={**CAR_2014, "map_year": "2015"})
    assert not at.exception
    assert any("No event in Central African Republic in 2015" in info.value for info in at.info)
    assert any("from 2009 to 2017" in info.value for info in at.info)
    assert not charts_titled(at, "Violent events")
    assert not at.metric


def test_without_an_events_file_the_map_says_how_to_import_one(monkeypatch, tmp_path):
    directory = tmp_path / "data"
    shutil.copytree(REPO / "data", directory, ignore=shutil.ignore_patterns("violence_events.*"))
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page(PAGE, query=CAR_2014)
    assert not at.exception
    assert any("import ucdp-ged" in info.value for info in at.info)
    assert charts_titled(at, "Civilians killed in 2014")


def test_a_damaged_events_file_is_reported_and_the_rest_shown(monkeypatch, tmp_path, with_events):
    directory = tmp_path / "data"
    shutil.copytree(with_events, directory)
    (directory / "violence_events.parquet").write_bytes(b"PAR1 not a parquet file")
    monkeypatch.setenv("POC_DATA_DIR", str(directory))
    at = open_page(PAGE, query=CAR_2014)
    assert not at.exception
    assert any("could not be read, so the events are left out" in error.value for error in at.error)
    assert charts_titled(at, "Civilians killed in 2014")
    french = open_page(PAGE, query={**CAR_2014, "lang": "fr"})
    assert any("n’a pu être lu, les événements sont donc laissés de côté" in error.value for error in french.error)


def interface_text(at) -> list[str]:
    """The interface's own words on a run: widget labels and help, headings, captions, notices, expanders, metrics,
    downloads, and the figures' titles, axes, legend names and colour bar titles."""
    shown = [
        element.label for kind in ("slider", "selectbox", "multiselect", "toggle") for element in getattr(at, kind)
    ]
    shown += [element.help or "" for kind in ("slider", "selectbox", "toggle") for element in getattr(at, kind)]
    shown += [str(element.value) for kind in ("subheader", "caption", "info") for element in getattr(at, kind)]
    shown += [expander.label for expander in at.expander] + [metric.label for metric in at.metric] + downloads(at)
    for chart in at.get("plotly_chart"):
        fig = plotly.io.from_json(chart.proto.spec)
        shown += [fig.layout.title.text or "", fig.layout.legend.title.text or ""]
        shown += [str(trace.name) for trace in fig.data if trace.name]
        shown += [str(trace.colorbar.title.text) for trace in fig.data if getattr(trace, "colorbar", None)]
    return [text for text in shown if text]


ENGLISH_LEFT_OUT = (
    "Zoom to",
    "Types of operation",
    "Animate over the years",
    "Show civilians killed (UCDP)",
    "Host countries by operations active in",
    "Civilians killed in",
    "Where UN peacekeepers were deployed",
    "Violent events in",
    "Within 25 km of a UN location",
    "Nearness is not a cause",
    "Download",
    "Operations in",
    "Marker area",
    "UN location (",
    "Headquarters",
    "One-sided",
    "Troops (circle area)",
    "Boundaries: Natural Earth",
)


def test_the_map_in_french_leaves_no_english_interface_text(monkeypatch, with_events):
    monkeypatch.setenv("POC_DATA_DIR", str(with_events))
    english = open_page(PAGE, query=CAR_2014)
    french = open_page(PAGE, query={**CAR_2014, "lang": "fr"})
    assert not french.exception
    shown = interface_text(french)
    left = [phrase for phrase in ENGLISH_LEFT_OUT if any(phrase in text for text in shown)]
    assert left == []
    assert [phrase for phrase in ENGLISH_LEFT_OUT if phrase not in "\n".join(interface_text(english))] == []
    assert widget(french, "map_region").value == "World"  # the link's value stays English; the label is French
    assert "Monde" in widget(french, "map_region").options
    assert widget(french, "map_year").label == "Année"
    (fig,) = charts_titled(french, "Événements violents en Central African Republic, 2014")
    assert "Emplacement de l’ONU (8)" in [trace.name for trace in fig.data]
    total = int(events_in(with_events, "CAF", 2014)["deaths_civilians"].sum())
    with i18n.language("fr"):
        assert metrics(french)["Civils tués dans ces événements"] == i18n.number(total)
    assert "Télécharger ces 3 événements (CSV)" in downloads(french)
