"""Organizations: the UN, the EU and NATO side by side, in their definitions, their comparison and their record."""

import streamlit as st

from poc_data import i18n, ui, views
from poc_data.charts import titles
from poc_data.i18n import N_, _, ngettext
from poc_data.schema import MISSION_TYPES
from poc_data.style import style_of
from poc_data.text import md
from poc_data.transform import organizations as org
from poc_data.transform.timeline import timeline_entries

# Definitions are long: fewer per page when presenting, so that one page fits a projected screen or two.
DOCUMENTS_PER_PAGE = {False: 4, True: 2}
DIMENSIONS_PER_PAGE = 6
MILESTONES_PER_PAGE = 20
# Where several sources fill the same cell, a cell could hold hundreds of points; the CSV has them all.
POINTS_PER_CELL = 8
# The quoted texts (Annex 1, Tables 1 and 2, Annex 2) stay as the paper wrote them; a reader in another language is
# told so.
QUOTED = N_(
    "The definitions, the comparison's points and the milestones are quoted from Koops and Patz (2022), in English."
)

page = ui.start_page("pages/3_Organizations.py")
documents_per_page = DOCUMENTS_PER_PAGE[page.presentation]


def bullets(points: list[str]) -> str:
    """Verbatim points as a Markdown list, escaped so they show as written."""
    return "\n".join(f"- {md(point)}" for point in points)


all_sources = ui.sources()
comparisons = ui.dataset("comparisons")
milestones = ui.dataset("milestones")
shown = []

organizations = org.in_order(
    ui.multiselect(
        _("Organizations"),
        org.ORGANIZATIONS,
        key="org_organizations",
        format_func=_,
        help=_("Which of the three organizations to compare. Interorganizational milestones are listed at the end."),
    )
)

# Downloads are named after the organizations chosen, when not all of them.
organization_parts = organizations if len(organizations) < len(org.ORGANIZATIONS) else []

st.subheader(_("How each organization defines the protection of civilians"))
if i18n.current_language() != i18n.DEFAULT_LANGUAGE:
    st.caption(_(QUOTED))
if comparisons is not None:
    definitions = ui.memo(org.with_citation)(org.definitions(comparisons, organizations), all_sources)
    if definitions.empty:
        ui.nothing_matches(_("definitions"))
    else:
        st.caption(
            _("Each organization's defining documents, quoted verbatim from Annex 1 of {source}.").format(
                source=md(ui.memo(org.source_label)(definitions, all_sources))
            )
        )
        number = ui.pager(
            org.definitions_pages(definitions, documents_per_page),
            key="org_definitions_page",
            label=_("page of definitions"),
            note=_("Up to {count} documents per organization on each page.").format(count=documents_per_page),
        )
        on_page = org.definitions_page(definitions, number, documents_per_page)
        for column, organization in zip(st.columns(len(organizations)), organizations, strict=True):
            with column:
                st.markdown(f"**{md(_(style_of(organization).label))}**")
                documents = org.of_organizations(on_page, [organization])
                if documents.empty:
                    st.caption(_("No defining document on this page."))
                for document in documents.itertuples(index=False):
                    with st.container(border=True):
                        st.markdown(f"**{md(document.heading)}**")
                        st.markdown("\n\n".join(f"> {md(point)}" for point in document.points))
                        st.caption(md(document.citation))
        ui.download_csv(
            org.csv_of_definitions(definitions),
            file_name=titles.file_name("poc-definitions", *organization_parts),
            key="org_definitions_csv",
            label=_("Download these definitions (CSV)"),
        )
        shown.append(definitions)

st.subheader(_("The organizations compared, point by point"))
table_label = ui.selectbox(
    _("Comparison table"),
    list(org.GRID_TABLES),
    key="org_table",
    format_func=_,
    help=_("Table 1 compares mandates, approaches and priorities; Table 2 strengths and weaknesses."),
)
if comparisons is not None:
    table_id, table_title = org.GRID_TABLES[table_label]
    cells = org.comparison_cells(comparisons, table_id, organizations)
    if cells.empty:
        ui.nothing_matches(_("comparison points"))
    else:
        st.caption(
            _("{table}, “{title}”: the points verbatim, one per bullet.").format(
                table=_(table_label), title=md(table_title)
            )
        )
        grid = ui.memo(org.comparison_grid)(cells, organizations)
        on_page = ui.paginate(
            grid, page_size=DIMENSIONS_PER_PAGE, key="org_grid_page", what=_("rows of the comparison")
        )
        widths = [1.2] + [2] * len(organizations)
        for column, heading in zip(st.columns(widths), ["", *organizations], strict=True):
            column.markdown(f"**{md(_(style_of(heading).label)) if heading else _('Dimension')}**")
        for row in on_page.to_dict("records"):
            with st.container(border=True):
                columns = st.columns(widths)
                columns[0].markdown(f"**{md(row['dimension'])}**")
                for column, organization in zip(columns[1:], organizations, strict=True):
                    points = row[organization]
                    if points:
                        column.markdown(bullets(points[:POINTS_PER_CELL]))
                    else:
                        column.caption(_("No point in this cell."))
                    if len(points) > POINTS_PER_CELL:
                        more = len(points) - POINTS_PER_CELL
                        column.caption(
                            ngettext(
                                "... and {count} more point: all are in the CSV.",
                                "... and {count} more points: all are in the CSV.",
                                more,
                            ).format(count=i18n.number(more))
                        )
        st.caption(
            _("Source: {source}, {table}.").format(
                source=md(ui.memo(org.source_label)(cells, all_sources)), table=md(_(table_label))
            )
        )
        ui.download_csv(
            org.csv_of_cells(cells),
            file_name=titles.file_name(f"poc-comparison-{table_id}", *organization_parts),
            key="org_grid_csv",
            label=ngettext(
                "Download the {count} cell of {table} (CSV)", "Download the {count} cells of {table} (CSV)", len(cells)
            ).format(count=i18n.number(len(cells)), table=_(table_label)),
        )
        shown.append(cells)

st.subheader(_("Milestones per year"))
cumulative = ui.toggle(
    _("Cumulative"), key="org_cumulative", help=_("Show the running total of milestones instead of each year's.")
)
values = {"org_organizations": organizations, "org_cumulative": cumulative}
if milestones is not None:
    view = ui.memo_view(views.organization_milestones_view)(
        milestones, all_sources, values, presentation=page.presentation
    )
    own_milestones, per_year = view.parts["own"], view.parts["per_year"]
    if view.empty:
        ui.nothing_matches(_("milestones"))
    else:
        ui.chart(view.figure, key="org_milestones_chart")
        st.caption(
            ngettext(
                "{count} milestone, {years}. A milestone is a policy, decision or event that the source lists; the "
                "count shows activity, not weight.",
                "{count} milestones, {years}. A milestone is a policy, decision or event that the source lists; the "
                "count shows activity, not weight.",
                len(own_milestones),
            ).format(count=i18n.number(len(own_milestones)), years=org.year_range(own_milestones))
        )
        ui.download_csv(
            per_year,
            file_name=titles.file_name("poc-milestones-per-year", *organization_parts),
            key="org_milestones_csv",
            label=_("Download the counts (CSV)"),
        )
        shown.append(own_milestones)

st.subheader(_("Operations over time"))
missions = ui.dataset("missions")
if missions is not None:
    left, right = st.columns([3, 1])
    with left:
        types = ui.multiselect(_("Types of operation"), MISSION_TYPES, key="org_type", format_func=_)
    with right:
        by_type = ui.toggle(_("One panel per type"), key="org_by_type")
    values.update({"org_type": types, "org_by_type": by_type})
    type_parts = types if len(types) < len(MISSION_TYPES) else []
    view = ui.memo_view(views.organization_operations_view)(
        missions, all_sources, values, presentation=page.presentation
    )
    chosen_missions = view.parts["chosen"]
    if view.empty:
        ui.nothing_matches(_("operations"))
    else:
        counts = view.parts["counts"]
        ui.chart(view.figure, key="org_operations_chart")
        left_out = len(org.undated(chosen_missions))
        counted = _(
            "An operation counts in every year from its start to its end; an operation without an end date is "
            "counted as ongoing up to this year."
        )
        undated = ngettext(
            "Not counted for want of a known start date: {count} operation.",
            "Not counted for want of a known start date: {count} operations.",
            left_out,
        ).format(count=i18n.number(left_out))
        st.caption(f"{counted} {undated}" if left_out else counted)
        ui.download_csv(
            counts,
            file_name=titles.file_name("poc-operations-per-year", *organization_parts, *type_parts),
            key="org_operations_csv",
            label=_("Download the counts (CSV)"),
        )

    st.subheader(_("How many operations had an explicit POC mandate"))
    view = ui.memo_view(views.organization_mandates_view)(missions, all_sources, values, presentation=page.presentation)
    mandate_counts = view.parts["counts"]
    if view.empty:
        ui.nothing_matches(_("operations"))
    else:
        ui.chart(view.figure, key="org_mandates_chart")
        st.caption(
            _(
                "Explicit: a verified POC mandate; partial: POC-related tasks or activities without a POC mandate; "
                "none: the sources say there was none. Unknown means the mandate has not been verified, not that the "
                "operation had none. The numbers in the bars count operations of the chosen types; the hover gives "
                "the share."
            )
        )
        ui.download_csv(
            mandate_counts,
            file_name=titles.file_name("poc-mandates-by-organization", *organization_parts, *type_parts),
            key="org_mandates_csv",
            label=_("Download the counts (CSV)"),
        )
    shown.append(chosen_missions)

st.subheader(_("Interorganizational milestones"))
if milestones is not None:
    shared = org.interorganizational_milestones(milestones)
    if shared.empty:
        ui.nothing_matches(_("interorganizational milestones"))
    else:
        st.caption(
            _(
                "Milestones of cooperation between the organizations (the interorganizational column of the "
                "timeline). The organization filter above does not apply to them."
            )
        )
        on_page = ui.paginate(shared, page_size=MILESTONES_PER_PAGE, key="org_shared_page", what=_("milestones"))
        ui.milestone_entries(ui.memo(timeline_entries)(on_page, all_sources))
        ui.download_csv(
            shared,
            file_name="poc-interorganizational-milestones.csv",
            key="org_shared_csv",
            label=_("Download these milestones (CSV)"),
        )
        shown.append(shared)

datasets = ["comparisons", "milestones", "missions"]
ui.sources_footer(all_sources, shown, datasets, {d: ui.dataset_metadata(d) for d in datasets})
