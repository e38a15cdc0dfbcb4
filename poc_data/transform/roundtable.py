"""Transforms for the Round table page: themes with their recommendations and questions, and what informs them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from poc_data.transform.common import any_in

POC20 = "civic-2019"
IPI = "ipi-2022"
ALL_THEMES = "All themes"
RECENT_MILESTONES = 3

# How each known report's section is introduced; other sources are named by their bibliography title.
SECTION_TITLES = {
    POC20: "POC20 (CIVIC, 2019): themes, priority recommendations and priority questions",
    IPI: "IPI (2022): recommendations for an interorganizational approach",
}
SECTION_ORDER = (POC20, IPI)

TIMELINE_PAGE = "pages/1_Timeline.py"
# The URL parameter bound to the Timeline page's theme filter: a link with it opens the timeline on those themes.
TIMELINE_THEMES_PARAM = "tl_themes"
# Pages whose data bear on a milestone theme beyond the milestones themselves (editorial, like the themes).
PAGES_OF_THEME = {
    "mandates and Security Council": ("pages/4_Missions_and_mandates.py",),
    "operations": ("pages/4_Missions_and_mandates.py", "pages/2_Map.py"),
    "failures to protect and civilian harm": ("pages/5_Civilian_harm.py",),
    "harm mitigation": ("pages/5_Civilian_harm.py",),
    "interorganizational cooperation": ("pages/3_Organizations.py",),
}


@dataclass(frozen=True)
class ThemeLinks:
    """The milestones that inform a theme: through which milestone themes, how many, and the most recent."""

    related_themes: list[str]
    count: int
    per_theme: pd.DataFrame
    recent: pd.DataFrame


def section_ids(recommendations: pd.DataFrame) -> list[str]:
    """The sources of the recommendations, POC20 first, then IPI, then any other in the file's order."""
    present = list(dict.fromkeys(recommendations["source_id"].astype(str)))
    return [s for s in SECTION_ORDER if s in present] + [s for s in present if s not in SECTION_ORDER]


def section_title(source_id: str, sources: pd.DataFrame) -> str:
    """The heading of a source's section: its known title, else the source's title in the bibliography."""
    if source_id in SECTION_TITLES:
        return SECTION_TITLES[source_id]
    titles = dict(zip(sources["id"], sources["title"], strict=False)) if not sources.empty else {}
    return f"{titles.get(source_id, source_id)}: recommendations"


def theme_index(recommendations: pd.DataFrame) -> pd.DataFrame:
    """One row per (source, theme) in reading order: sections as in `section_ids`, themes as in the file."""
    pairs = recommendations[["source_id", "theme"]].drop_duplicates().astype(str)
    order = {source_id: position for position, source_id in enumerate(section_ids(recommendations))}
    return pairs.sort_values("source_id", key=lambda c: c.map(order), kind="stable").reset_index(drop=True)


def theme_options(recommendations: pd.DataFrame) -> list[str]:
    """The choices of the theme selector: all themes, then each theme once in reading order."""
    return [ALL_THEMES, *dict.fromkeys(theme_index(recommendations)["theme"])]


def items_of(recommendations: pd.DataFrame, themes: Sequence[str]) -> pd.DataFrame:
    """The recommendations and questions of the given themes, in reading order: source, theme, kind, order."""
    index = theme_index(recommendations)
    position = {(row.source_id, row.theme): number for number, row in enumerate(index.itertuples(index=False))}
    rows = recommendations[recommendations["theme"].isin(list(themes))]
    reading = [position[pair] for pair in zip(rows["source_id"].astype(str), rows["theme"].astype(str), strict=True)]
    rows = rows.assign(_reading=reading, _kind=rows["kind"].astype(str) != "recommendation")
    return rows.sort_values(["_reading", "_kind", "order", "id"], kind="stable").drop(columns=["_reading", "_kind"])


def theme_items(recommendations: pd.DataFrame, source_id: str, theme: str) -> pd.DataFrame:
    """The recommendations and questions of one source's theme (another source may use the same heading)."""
    own = recommendations[recommendations["source_id"] == source_id]
    return items_of(own, [theme])


def chosen_themes(recommendations: pd.DataFrame, choice: str) -> pd.DataFrame:
    """The (source, theme) rows to show for the selector's choice: one theme, or every theme."""
    index = theme_index(recommendations)
    return index if choice == ALL_THEMES else index[index["theme"] == choice].reset_index(drop=True)


def chosen_items(recommendations: pd.DataFrame, choice: str) -> pd.DataFrame:
    """The recommendations and questions of the selector's choice (one theme, or every theme), in reading order."""
    return items_of(recommendations, chosen_themes(recommendations, choice)["theme"])


def recommendations_by_addressee(items: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """A theme's recommendations grouped under their addressee, in the order the addressees first appear."""
    recommendations = items[items["kind"] == "recommendation"]
    addressee = recommendations["addressee"].fillna("")
    return [(name, recommendations[addressee == name]) for name in dict.fromkeys(addressee)]


def recommendations_heading(source_id: str, addressee: str, count: int) -> str:
    """The heading over a group of recommendations, in the words of the source where it has its own (POC20)."""
    plural = "s" if count > 1 else ""
    prefix = "Priority recommendation" if source_id == POC20 else "Recommendation"
    return f"{prefix}{plural} to {addressee}" if addressee else f"{prefix}{plural}"


def questions_heading(source_id: str, addressee: str | None) -> str:
    """The heading over a theme's questions: POC20 calls them priority questions."""
    prefix = "Priority questions" if source_id == POC20 else "Questions"
    return f"{prefix} for {addressee}" if addressee else prefix


def questions_of(items: pd.DataFrame) -> pd.DataFrame:
    """A theme's questions (kept apart from its recommendations), in order."""
    return items[items["kind"] == "question"]


def shared_addressee(items: pd.DataFrame) -> str | None:
    """The addressee all the items name, or None if they name different ones or none."""
    names = set(items["addressee"])
    if len(names) != 1:
        return None
    (name,) = names
    return name if isinstance(name, str) and name else None


def discussion_prompts(items: pd.DataFrame) -> pd.DataFrame:
    """What discussion mode shows one at a time: the questions, or the recommendations where a theme has none.

    `prompt` says which it is, so the page can tell participants they are discussing a recommendation.
    """
    questions = items[items["kind"] == "question"]
    themes_with_questions = set(questions["theme"])
    rest = items[(items["kind"] == "recommendation") & ~items["theme"].isin(themes_with_questions)]
    chosen = items[items.index.isin(questions.index.union(rest.index))]
    return chosen.assign(prompt=chosen["kind"].astype(str)).reset_index(drop=True)


def prompt_at(prompts: pd.DataFrame, number: int) -> dict:
    """Prompt `number` (1-based, kept within range) as a record, with missing values as None."""
    row = prompts.iloc[[min(max(1, number), len(prompts)) - 1]]
    return {name: (None if _missing(value) else value) for name, value in row.iloc[0].items()}


def prompt_items(prompts: pd.DataFrame, number: int) -> pd.DataFrame:
    """Prompt `number` (1-based, kept within range) as a one-row frame, for what informs it."""
    return prompts.iloc[[min(max(1, number), len(prompts)) - 1]]


def _missing(value) -> bool:
    return value is None or (not isinstance(value, list) and bool(pd.isna(value)))


def related_themes(items: pd.DataFrame) -> list[str]:
    """The milestone themes that inform the items, the most often named first (ties in order of first mention)."""
    mentions = [theme for themes in items["related_themes"] for theme in themes]
    counter = Counter(mentions)
    first = {theme: position for position, theme in enumerate(dict.fromkeys(mentions))}
    return sorted(counter, key=lambda theme: (-counter[theme], first[theme]))


def related_pages(themes: Sequence[str]) -> list[str]:
    """The pages, other than the timeline, whose data inform the given milestone themes, each once."""
    return list(dict.fromkeys(path for theme in themes for path in PAGES_OF_THEME.get(theme, ())))


def theme_links(milestones: pd.DataFrame, themes: Sequence[str], recent: int = RECENT_MILESTONES) -> ThemeLinks:
    """The milestones tagged with any of `themes`: how many, how many per theme, and the `recent` newest."""
    themes = list(themes)
    informing = milestones[any_in(milestones["themes"], themes)] if themes else milestones.iloc[0:0]
    tagged = informing["themes"].explode().value_counts()
    per_theme = pd.DataFrame(
        {"theme": themes, "milestones": [int(tagged.get(theme, 0)) for theme in themes]},
        columns=["theme", "milestones"],
    )
    newest = informing.sort_values(["year", "id"], ascending=[False, True], kind="stable").head(recent)
    return ThemeLinks(related_themes=themes, count=len(informing), per_theme=per_theme, recent=newest)


def csv_of_items(items: pd.DataFrame) -> pd.DataFrame:
    """The recommendations and questions as downloaded: the dataset's own columns."""
    columns = ["id", "source_id", "theme", "kind", "addressee", "text", "order", "related_themes", "source_detail"]
    return items[columns]
