"""Sources and data: the bibliography, every dataset's metadata and download, the validation report, how to cite."""

import streamlit as st

from poc_data import i18n, ui
from poc_data.charts import titles
from poc_data.i18n import _, ngettext
from poc_data.schema import DATASETS, TIERS
from poc_data.text import APP_CITATION, md, present
from poc_data.transform.reference import (
    bibliography_table,
    fields_table,
    filter_sources,
    problems_table,
    resting_on_encyclopedias,
)


def column_labels() -> dict[str, str]:
    """The tables' column headings in the session's language (the columns keep their field names; a CSV keeps them)."""
    return {
        "id": _("id"),
        "authors": _("authors"),
        "title": _("title"),
        "publisher": _("publisher"),
        "date": _("date"),
        "tier": _("tier"),
        "url": st.column_config.LinkColumn(_("address")),
        "symbol": _("symbol"),
        "dataset": _("dataset"),
        "record": _("record"),
        "source_id": _("source id"),
        "source": _("source"),
        "field": _("field"),
        "type": _("type"),
        "description": _("description"),
        "editorial": _("editorial"),
        "required": _("required"),
        "vocabulary": _("vocabulary"),
        "file": _("file"),
        "line": _("line"),
        "message": _("message"),
    }


page = ui.start_page("pages/7_Sources_and_data.py")
# A dataset's list of sources can be long (30 000 at 100 times the shipped data): escaped once, then from the cache.
escaped_list = ui.memo(md)

st.header(_("Bibliography"))
all_sources = ui.sources()
left, right = st.columns([1, 2])
with left:
    tiers = ui.multiselect(
        _("Source tiers"),
        list(TIERS),
        key="src_tier",
        format_func=_,
        help=_(
            "official: UN, EU, NATO or government text; encyclopedia: Wikipedia and its copies; other: anything else."
        ),
    )
with right:
    query = ui.text_input(_("Search authors, titles, publishers and addresses"), key="src_q")
shown_sources = filter_sources(all_sources, tiers=tiers, query=query)
if shown_sources.empty:
    ui.nothing_matches(_("sources"))
else:
    st.dataframe(
        ui.memo(bibliography_table)(shown_sources),
        hide_index=True,
        width="stretch",
        column_config=column_labels(),
    )
    st.caption(
        _("{shown} of {count} sources.").format(
            shown=i18n.number(len(shown_sources)), count=i18n.number(len(all_sources))
        )
    )
    ui.download_csv(
        shown_sources,
        file_name=titles.file_name("poc-explorer-sources", *(tiers if len(tiers) < len(TIERS) else []), query),
        key="src_download",
    )

st.header(_("Validation"))
problems = ui.all_problems()
if problems:
    st.error(
        ngettext(
            "The data check found {count} problem. Each names the file, the line and the field.",
            "The data check found {count} problems. Each names the file, the line and the field.",
            len(problems),
        ).format(count=i18n.number(len(problems)))
    )
    st.dataframe(problems_table(problems), hide_index=True, width="stretch", column_config=column_labels())
else:
    st.success(_("The data check found no problems: every record is typed, sourced and its references resolve."))
weak = ui.memo(resting_on_encyclopedias)({dataset_id: ui.dataset(dataset_id) for dataset_id in DATASETS}, all_sources)
if not weak.empty:
    st.warning(
        ngettext(
            "{count} record rests only on an encyclopedia (Wikipedia). That is allowed where nothing better was "
            "found, but it should be replaced by the original publisher's text.",
            "{count} records rest only on an encyclopedia (Wikipedia). That is allowed where nothing better was "
            "found, but each should be replaced by the original publisher's text.",
            len(weak),
        ).format(count=i18n.number(len(weak)))
    )
    st.dataframe(weak, hide_index=True, width="stretch", column_config=column_labels())
st.caption(
    _(
        "Run the same check on any copy of the data with `python -m poc_data check DATA_DIR`; it lists these warnings "
        "too. Sources must come from a domain of `source_domains.csv` that is allowed, and their tier follows its "
        "publisher."
    )
)

st.header(_("Datasets"))
metadata = {}
for dataset_id, spec in DATASETS.items():
    meta = ui.dataset_metadata(dataset_id)
    metadata[dataset_id] = meta
    with st.expander(f"{md(meta.title if meta else dataset_id)} — `{spec.data_file}`", expanded=False):
        frame = ui.dataset(dataset_id)
        if meta is None or frame is None:
            continue
        st.markdown(md(meta.description))
        st.markdown(
            _("**Records:** {count} · **Updated:** {updated} · **Licence:** {licence} · **Key:** `{key}`").format(
                count=i18n.number(len(frame)),
                updated=meta.updated.isoformat(),
                licence=md(meta.license),
                key=meta.primary_key,
            )
        )
        if meta.license_note:
            st.caption(md(meta.license_note))
        if meta.notes:
            st.markdown(_("**Notes.** {notes}").format(notes=md(meta.notes)))
        st.markdown(
            _("**Sources:** {sources}").format(sources=escaped_list(present(meta.sources, unknown=_("none listed"))))
        )
        st.dataframe(fields_table(meta), hide_index=True, width="stretch", column_config=column_labels())
        st.caption(_("Editorial fields hold our classification, not a source's words; each record names its source."))
        ui.download_csv(
            frame,
            file_name=f"poc-explorer-{dataset_id}.csv",
            key=f"src_download_{dataset_id}",
            label=_("Download {dataset} (CSV, all {count} rows)").format(
                dataset=dataset_id, count=i18n.number(len(frame))
            ),
        )

st.header(_("How to cite"))
updated = max((meta.updated for meta in metadata.values() if meta), default=None)
st.code(_(APP_CITATION).format(updated=present(updated)), language=None, wrap_lines=True)
st.markdown(
    _(
        "To correct or add a record, edit the file in `data/` (see `docs/data-format.md`), name its source, "
        "run `python -m poc_data check`, and reload this page."
    )
)

ui.sources_footer(all_sources, [shown_sources], ["sources"], metadata)
