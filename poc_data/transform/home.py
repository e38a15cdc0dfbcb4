"""Transforms for the home page: key figure cards and the datasets' dates."""

from __future__ import annotations

import pandas as pd

from poc_data import i18n
from poc_data.i18n import _
from poc_data.schema import Metadata


def format_number(value: float) -> str:
    """1234.0 -> '1,234'; 12.5 -> '12.5' (in French 1 234 and 12,5)."""
    return i18n.number(value, 0) if float(value).is_integer() else i18n.number(value)


def card_label(label: str, unit: object, year: object) -> str:
    """A key figure's label: the year it states first when it is a statement of that year ("In 2019: ..."), and its
    unit where the label does not already say it, so that the card's value can be the number alone."""
    text = str(label)
    if isinstance(unit, str) and unit and unit.casefold() not in text.casefold():
        text = f"{text} ({unit})"
    if not pd.isna(year) and str(int(year)) not in text:
        text = _("In {year}: {label}").format(year=int(year), label=text)
    return text


def key_figure_cards(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """One card per key figure: the number alone as the value, a label with its unit and year, the quote and a
    short citation; `value_text` keeps the number with its unit, for the table of all figures."""
    titles = dict(zip(sources["id"], sources["title"], strict=False)) if not sources.empty else {}
    rows = []
    for figure in figures.itertuples(index=False):
        unit = "" if pd.isna(figure.unit) else f" {figure.unit}"
        detail = "" if pd.isna(figure.source_detail) else f", {figure.source_detail}"
        rows.append(
            {
                "id": figure.id,
                "label": card_label(figure.label, figure.unit, figure.year),
                "value": format_number(figure.value),
                "value_text": format_number(figure.value) + unit,
                "quote": figure.quote,
                "citation": f"{titles.get(figure.source_id, figure.source_id)}{detail}",
            }
        )
    return pd.DataFrame(rows, columns=["id", "label", "value", "value_text", "quote", "citation"])


def dataset_dates(metadata: dict[str, Metadata | None]) -> pd.DataFrame:
    """Each dataset's title, last update and licence; a dataset that failed to load says so."""
    rows = []
    for dataset_id, meta in metadata.items():
        if meta is None:
            rows.append({"Dataset": dataset_id, "Title": _("could not be loaded"), "Updated": None, "Licence": None})
        else:
            rows.append(
                {
                    "Dataset": dataset_id,
                    "Title": meta.title,
                    "Updated": meta.updated.isoformat(),
                    "Licence": meta.license,
                }
            )
    return pd.DataFrame(rows, columns=["Dataset", "Title", "Updated", "Licence"])
