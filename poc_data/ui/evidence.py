"""The curated evidence of recommendations and questions, as the Round table and Workshop pages show it."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from poc_data.i18n import _
from poc_data.text import md
from poc_data.transform import roundtable as rt
from poc_data.ui.data import dataset, memo
from poc_data.ui.page import PAGES, page_link

PAGE_INFO = {info.path: info for info in PAGES}
_evidence_of = memo(rt.evidence_of)


def evidence_links(item_ids: Sequence[str]) -> pd.DataFrame | None:
    """The evidence links of the items with the linked records in one line; None (after the error) if the evidence
    dataset cannot be loaded. A linked dataset that cannot be loaded leaves its links marked as missing."""
    evidence = dataset("evidence")
    if evidence is None:
        return None
    records = {dataset_id: dataset(dataset_id) for dataset_id, _key in rt.EVIDENCE_DATASETS.values()}
    return _evidence_of(evidence, list(item_ids), records)


def evidence_markdown(links: pd.DataFrame, sources: pd.DataFrame) -> list[tuple[str, str]]:
    """Each item's evidence links as one Markdown list (the linked record, why it informs the item, its source), with
    the item's id, in the links' order. Pure, so that it can be memoized: an item can have hundreds of links."""
    cited = links.assign(cited_as=rt.link_citations(links, sources))
    return [
        (
            recommendation_id,
            "\n".join(
                _("- **{kind}**: {record}  \n  Why: {reason}  \n  *{cited}*").format(
                    kind=md(_(rt.EVIDENCE_KIND_LABELS[link.kind])),
                    record=md(link.label),
                    reason=md(link.reason),
                    cited=md(link.cited_as),
                )
                for link in group.itertuples(index=False)
            ),
        )
        for recommendation_id, group in cited.groupby("recommendation_id", sort=False)
    ]


_evidence_markdown = memo(evidence_markdown)


def show_evidence(links: pd.DataFrame, sources: pd.DataFrame, *, with_links: bool, label=None) -> None:
    """Each link as the linked record, why it informs the item, and its source; then links to explore them.

    `label` maps a recommendation id to a short heading, for links of several items.
    """
    if links.empty:
        st.caption(_("No curated evidence link for this yet: the evidence dataset covers the POC20 priorities."))
        return
    for recommendation_id, text in _evidence_markdown(links, sources):
        if label is not None:
            st.markdown(f"*{md(label(recommendation_id))}*")
        st.markdown(text)
    if with_links:
        for path in dict.fromkeys(links["page"]):
            info = PAGE_INFO[path]
            page_link(path, label=_("Explore: {page}").format(page=_(info.label)), icon=info.icon)
