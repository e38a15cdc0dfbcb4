"""The shipped data: it passes the check, is complete where the sources are, and every record is sourced."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import poc_data
from poc_data.load import BUNDLED_DATA_DIR

DATA = BUNDLED_DATA_DIR
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def frames():
    return {dataset_id: poc_data.load(dataset_id, DATA) for dataset_id in poc_data.DATASETS}


def test_shipped_data_passes_the_check():
    problems = poc_data.check(DATA)
    assert problems == [], "\n".join(map(str, problems))


def test_there_are_150_milestones_from_1994_to_2021(frames):
    milestones = frames["milestones"]
    assert len(milestones) == 150
    assert (milestones["year"].min(), milestones["year"].max()) == (1994, 2021)
    assert set(milestones["organization"]) == {"UN", "EU", "NATO", "Interorganizational"}


def test_milestone_texts_are_clean_verbatim_text(frames):
    texts = frames["milestones"]["text"]
    for marker in ("<", "&amp;", "&quot;", "•", "  "):
        assert not texts.str.contains(marker, regex=False).any(), marker
    assert texts.str.match(r"^\S").all()


@pytest.mark.parametrize(
    "dataset_id", [d for d, spec in poc_data.DATASETS.items() if "source_id" in spec.model.model_fields]
)
def test_every_record_has_a_source_that_resolves(frames, dataset_id):
    source_ids = set(frames["sources"]["id"])
    cited = frames[dataset_id]["source_id"]
    assert cited.notna().all()
    assert set(cited) <= source_ids


@pytest.mark.parametrize(("dataset_id", "minimum"), [("missions", 45), ("mandates", 16), ("civilian_harm", 20)])
def test_datasets_hold_at_least_what_the_sources_give(frames, dataset_id, minimum):
    assert len(frames[dataset_id]) >= minimum


def test_resolutions_the_seeds_name_are_present(frames):
    numbers = set(frames["mandates"]["number"])
    named = {1244, 1265, 1270, 1296, 1484, 1565, 1590, 1671, 1756, 1778, 1888, 1894, 1925, 1970, 1973, 2098}
    assert named <= numbers


def test_unama_annual_series_is_one_series_with_one_row_per_year_and_measure_and_source(frames):
    harm = frames["civilian_harm"]
    series = harm[harm["series"] == "UNAMA annual civilian casualties"]
    assert not series.empty
    assert set(series["place"].map(tuple)) == {("AFG",)}
    assert not series.duplicated(["period_start", "measure", "attributed_to", "source_id", "value_low"]).any()


def test_no_source_rests_on_a_disallowed_domain_and_every_tier_follows_its_domain(frames):
    from poc_data.schema import PUBLISHER_CLASSES
    from poc_data.validate import domain_of, host_of

    domains = frames["source_domains"].set_index("domain", drop=False).to_dict("index")
    for source in frames["sources"].itertuples():
        if pd.isna(source.url):
            assert not pd.isna(source.symbol), source.id
            continue
        entry = domain_of(host_of(source.url), domains)
        assert entry is not None, source.id
        assert source.tier in PUBLISHER_CLASSES[entry["publisher_class"]], source.id


def test_every_milestone_cites_the_page_of_the_ipi_paper(frames):
    details = frames["milestones"]["source_detail"]
    assert details.str.match(r"^Annex 2, pp?\. (2[6-9]|3[0-5])(-(2[7-9]|3[0-5]))?, \d{4}, ").all()


# IPI (2022): "the UN ... having deployed sixteen missions with POC mandates since 1999".
UN_POC_OPERATIONS = {
    "UNAMSIL", "MONUC", "MONUSCO", "UNMIL", "ONUB", "UNOCI", "MINUSTAH", "UNMIS",
    "UNIFIL", "UNAMID", "MINURCAT", "UNMISS", "UNISFA", "MINUSMA", "MINUSCA", "MINUJUSTH",
}  # fmt: skip


def test_the_sixteen_un_operations_with_poc_mandates_each_have_a_first_poc_resolution_that_resolves(frames):
    missions, mandates = frames["missions"], frames["mandates"]
    un = missions[missions["organization"].astype(str).isin(["UN", "UN-AU"])]
    explicit = un[un["poc_mandate"].astype(str) == "explicit"].set_index("acronym")
    assert set(explicit.index) == UN_POC_OPERATIONS
    resolutions = mandates.set_index("resolution")
    for acronym, resolution in explicit["first_poc_resolution"].items():
        assert resolution in resolutions.index, acronym
        assert acronym in resolutions.loc[resolution, "missions"], acronym


def test_deployments_join_to_missions_and_every_mismatch_is_a_warning(frames):
    from poc_data.validate import warnings

    deployments, missions = frames["deployments"], frames["missions"]
    assert len(deployments) > 7000 and deployments["year"].between(1994, 2024).all()
    joined = deployments.merge(missions, left_on="mission", right_on="acronym", how="left", indicator=True)
    unmatched = set(joined.loc[joined["_merge"] == "left_only", "mission"])
    # Every POC-mandated UN operation that Geo-PKO covers joins.
    assert UN_POC_OPERATIONS & set(deployments["mission"]) <= set(missions["acronym"])
    warned = {w.message.split("'")[1] for w in warnings(DATA) if w.path.endswith("deployments.csv")}
    assert unmatched <= warned
    assert any("'MINUSMA' in 2024 fall after its end (2023-12-31)" in w.message for w in warnings(DATA))


def test_every_geo_pko_operation_is_in_missions(frames):
    deployments, missions = frames["deployments"], frames["missions"]
    assert set(deployments["mission"]) <= set(missions["acronym"])


def _un_peacekeeping_operations() -> list[str]:
    lines = (FIXTURES / "un_peacekeeping_operations.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_every_un_peacekeeping_operation_the_un_counts_is_in_missions(frames):
    missions, sources = frames["missions"], frames["sources"].set_index("id")
    listed = _un_peacekeeping_operations()
    # The list has as many operations as the UN counts, as the cited UN page words it.
    count = re.search(r"(\d+) peacekeeping missions", sources.loc["un-media-nd-peacekeeping-collection", "notes"])
    assert count is not None
    assert len(listed) == len(set(listed)) == int(count.group(1))
    rows = missions.set_index("acronym")
    assert set(listed) <= set(rows.index)
    listed_rows = rows.loc[listed]
    assert set(listed_rows["type"].astype(str)) == {"peacekeeping"}
    assert set(listed_rows["organization"].astype(str)) == {"UN", "UN-AU"}
    # Every one has a start date.
    assert listed_rows.index[listed_rows["start_date"].isna()].tolist() == []
    # Every UN peacekeeping row is on the list: the UN's operations, nothing else under that name.
    un_peacekeeping = missions[
        missions["organization"].astype(str).isin(["UN", "UN-AU"]) & (missions["type"].astype(str) == "peacekeeping")
    ]
    # (The UN International Police Task Force the IPI paper names is UNMIBH's police component, not an operation.)
    assert set(un_peacekeeping["acronym"]) - set(listed) == set()


def test_un_offices_that_geo_pko_covers_are_political_missions(frames):
    rows = frames["missions"].set_index("acronym")
    for acronym in ("BINUB", "UNIOSIL", "UNAMA"):
        assert rows.loc[acronym, "type"] == "political mission", acronym


# The EU names its civilian CSDP missions by what they do: police, capacity building, advice, border or aviation
# security assistance, monitoring, rule of law and security sector reform (EEAS); its military operations and missions
# are EUFOR, EUNAVFOR, EUTM and EUMAM.
EU_CIVILIAN_PREFIXES = ("EUPOL", "EUCAP", "EUAM", "EUBAM", "EUMM", "EULEX", "EUJUST", "EUSEC", "EUAVSEC", "EU SSR")
EU_MILITARY_PREFIXES = ("EUFOR", "EUNAVFOR", "EUTM", "EUMAM")


def test_the_eus_civilian_missions_have_their_own_type_and_only_they(frames):
    missions = frames["missions"]
    civilian = missions[missions["type"] == "civilian mission"]
    assert set(civilian["organization"]) == {"EU"}
    named_civilian = missions["acronym"].str.startswith(EU_CIVILIAN_PREFIXES)
    assert named_civilian.sum() >= 10
    assert (missions.loc[named_civilian, "type"] == "civilian mission").all()
    named_military = missions["acronym"].str.startswith(EU_MILITARY_PREFIXES)
    assert not (missions.loc[named_military, "type"] == "civilian mission").any()
    assert missions.set_index("acronym").loc["EU police mission in Bosnia", "type"] == "civilian mission"


NO_UN_TEXT = "No UN text with this figure was found"


def test_every_unama_figure_cites_a_un_source_or_says_why_not(frames):
    harm = frames["civilian_harm"]
    unama = harm[harm["counted_by"] == "UNAMA"]
    assert len(unama) > 50
    official = unama["source_tier"].astype(str) == "official"
    says_why = unama["notes"].fillna("").str.contains(NO_UN_TEXT, regex=False)
    assert unama.loc[~official & ~says_why, "id"].tolist() == []
    # A row resting on a UN text does not also claim that none was found.
    assert unama.loc[official & says_why, "id"].tolist() == []
    assert official.any()


def _listed(description: str, label: str) -> list[str]:
    """The items of a `Label: a; b; c.` list in a metadata description."""
    found = re.search(rf"{label}: (.+?)\.(?:\s+[A-Z]|$)", " ".join(description.split()))
    assert found, f"the description has no '{label}:' list"
    return [item.strip() for item in found.group(1).split(";")]


def test_the_civilian_harm_description_names_exactly_the_events_and_countries_of_its_records(frames):
    from poc_data.schema import country_name

    harm = frames["civilian_harm"]
    description = poc_data.metadata("civilian_harm", DATA).description
    named_years = {}
    for item in _listed(description, "Events covered"):
        match = re.fullmatch(r"(.+) \((\d{4})(?:-(\d{4}))?\)", item)
        assert match, item
        named_years[match.group(1)] = (int(match.group(2)), int(match.group(3) or match.group(2)))
    ends = harm["period_end"].fillna(harm["period_start"])
    record_years = {
        event: (int(rows["period_start"].dt.year.min()), int(ends[rows.index].dt.year.max()))
        for event, rows in harm.groupby("event")
    }
    assert named_years == record_years
    countries = {country_name(code) for codes in harm["place"] for code in codes}
    assert set(_listed(description, "Countries")) == countries


# Abbreviations in the missions description that are not operations: organisations and terms.
NOT_OPERATIONS = {"CSDP", "EEAS", "EUR-Lex", "IPI", "Geo-PKO", "POC"}


def test_every_operation_the_missions_description_names_is_a_record(frames):
    from poc_data.schema import MISSION_ORGANIZATIONS

    missions = frames["missions"]
    description = poc_data.metadata("missions", DATA).description
    named = set(re.findall(r"(?<![\w-])[A-Z][A-Za-z0-9]*[A-Z](?:-[A-Z0-9][A-Za-z0-9]*)*(?![\w-])", description))
    named -= NOT_OPERATIONS | set(MISSION_ORGANIZATIONS)
    words = " ".join(missions["acronym"]) + " " + " ".join(missions["name"])
    missing = {token for token in named if not re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", words, re.I)}
    assert missing == set()
