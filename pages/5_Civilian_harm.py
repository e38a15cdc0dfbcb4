"""Civilian harm: who counted what, where and when; where sources disagree; the UNAMA annual series; caveats."""

import streamlit as st

from poc_data import i18n, ui, views
from poc_data.charts import titles
from poc_data.charts.harm import disagreement_chart, rows_that_fit
from poc_data.i18n import _
from poc_data.schema import MEASURES, TIERS
from poc_data.text import md
from poc_data.transform import harm as th
from poc_data.transform import violence as tv

page = ui.start_page("pages/5_Civilian_harm.py")
all_sources = ui.sources()
harm = ui.dataset("civilian_harm")
meta = ui.dataset_metadata("civilian_harm")
organized = ui.dataset("organized_violence")
organized_meta = ui.dataset_metadata("organized_violence")

st.markdown(
    _(
        "Each row is one figure as one source gives it: what was counted, where, over which period, by whom, and "
        "the source's own hedging (*about*, *at least*, a range). Where sources disagree, every figure stays, each "
        "with its source. Read **Definitions and caveats** at the foot of the page before comparing numbers."
    )
)

with st.sidebar:
    st.subheader(_("Filters"))
    places_by_name = ui.memo(th.country_options)(harm["place"]) if harm is not None else {}
    place_names = ui.multiselect(
        _("Places"), list(places_by_name), key="ch_place", default=[], placeholder=_("All places")
    )
    measures = ui.multiselect(_("Measures"), list(MEASURES), key="ch_measure", format_func=_)
    tiers = ui.multiselect(
        _("Source tiers"),
        list(TIERS),
        key="ch_tier",
        format_func=_,
        help=_("official: UN, EU, NATO or government text; encyclopedia: Wikipedia and its copies; other: the rest."),
    )
    counted_by = ui.multiselect(
        _("Counted by"),
        ui.memo(th.counted_by_options)(harm) if harm is not None else [],
        key="ch_counted",
        default=[],
        placeholder=_("All counting bodies"),
    )

values = {"ch_place": place_names, "ch_measure": measures, "ch_tier": tiers, "ch_counted": counted_by}
scope = views.harm_scope(values)
shown = None
if harm is not None:
    view = ui.memo_view(views.harm_view)(harm, all_sources, values, presentation=page.presentation)
    shown = view.parts["shown"]

    st.subheader(_("Who counted what, where and when"))
    if shown.empty:
        ui.nothing_matches(_("figures"))
    else:
        st.caption(_("{shown} of {total} figures.").format(shown=i18n.number(len(shown)), total=i18n.number(len(harm))))
        ui.harm_figures(shown, all_sources, key="ch_table_page")
        ui.download_csv(
            shown,
            file_name=titles.file_name("poc-explorer-civilian-harm", scope),
            key="ch_download",
            label=_("Download the {count} figures that match (CSV)").format(count=i18n.number(len(shown))),
        )

    st.subheader(_("Where sources disagree"))
    compared = ui.memo(th.disagreements)(shown, all_sources)
    groups = th.disagreement_groups(compared)
    if not groups:
        ui.nothing_matches(_("figures given by two or more sources for the same thing"))
    else:
        group = ui.selectbox(
            _("Compare the figures for"),
            groups,
            key="ch_group",
            help=_("Listed with the most sources first: event · places · measure · period · attributed to."),
        )
        rows = th.group_rows(compared, group)
        compare_title = titles.titled(_("Each source's figure, low to high: {group}").format(group=group), scope)
        drawn, summary = th.capped(rows, rows_that_fit(compare_title, page.presentation) or th.COMPARE_CAP)
        ui.chart(
            ui.memo_figure(disagreement_chart)(
                drawn,
                title=compare_title,
                value_title=th.group_axis_title(rows),
                presentation=page.presentation,
            ),
            key="ch_compare_chart",
        )
        st.caption(" ".join(filter(None, [summary, _(th.COMPARE_RULE)])))
        st.dataframe(th.group_table(rows), hide_index=True, width="stretch")

    st.subheader(th.UNAMA_ANNUAL)
    annual = view.parts["annual"]
    if view.empty:
        ui.nothing_matches(_("rows of the series “{series}”").format(series=th.UNAMA_ANNUAL))
    else:
        ui.chart(view.figure, key="ch_annual_chart")
        st.caption(_(th.ANNUAL_RULE))
        st.markdown(md(th.gaps_text(annual)))
        shares = ui.memo(th.attribution_shares)(th.series_rows(shown), all_sources)
        if not shares.empty:
            st.markdown(
                _(
                    "**Shares by party, as the sources state them** (percentages are the sources' own, not computed "
                    "here)"
                )
            )
            st.dataframe(
                th.headers_shown(shares),
                hide_index=True,
                width="stretch",
                row_height=70,
                column_config={_("Shares as the source states them"): st.column_config.TextColumn(width="large")},
            )

ucdp_shown = []
if shown is not None and organized is not None:
    st.subheader(_("UCDP's counts for the same places and years"))
    compared = ui.memo(tv.ucdp_beside_figures)(shown, organized, ui.memo(th.harm_table)(shown, all_sources))
    st.markdown(
        _(
            "Each figure of people killed (or of casualties) shown above, beside the civilians the Uppsala Conflict "
            "Data Program (UCDP) counts as killed in organized violence in the same countries and calendar years: in "
            "one-sided violence (best estimate, with its low to high), in state-based conflict and in non-state "
            "conflict, and UCDP's own total of civilians killed in organized violence."
        )
    )
    if compared.empty:
        ui.nothing_matches(_("figures of people killed or of casualties"))
    else:
        rows = ui.paginate(compared, page_size=th.TABLE_PAGE_SIZE, key="ch_ucdp_page", what=_("figures"))
        st.dataframe(th.headers_shown(rows), hide_index=True, width="stretch")
        ui.download_csv(
            th.headers_shown(tv.comparison_csv(compared, citation=tv.full_citation(organized_meta))),
            file_name=titles.file_name("poc-explorer-civilian-harm-beside-ucdp", scope),
            key="ch_ucdp_download",
            label=_("Download the {count} figures beside UCDP's counts (CSV)").format(count=i18n.number(len(compared))),
        )
        ucdp_shown.append(ui.memo(tv.cited_release)(organized))
    st.markdown(_("**Why they differ.** {text}").format(text=md(_(tv.WHY_THEY_DIFFER))))
    st.caption(md(f"{tv.credit_line(organized_meta)} {_(tv.UCDP_COUNTS)}"))

st.subheader(_("Definitions and caveats"))
st.markdown(
    _(
        """
- **Casualties** are the people killed plus the people injured, as the source counts them. A casualties figure is
  shown only where the source states it; killed and injured are never added up here.
- **Who counted** matters: bodies count with different methods and coverage (systematic documentation,
  investigations of a few sites or strikes, estimates, government claims). Figures by different bodies are not
  comparable one to one, even for the same event.
- **Media quoting the UN**: many UNAMA figures here were read in news reports quoting a UN report. Their source tier
  is *media* although the count is UNAMA's.
- **Revisions**: UNAMA revises earlier totals in later reports. The first and the revised figures both stay, each
  with its source.
- **AGE and PGF** are UNAMA's groupings of the parties: anti-government elements (the Taliban, Daesh/ISKP and
  others) and pro-government forces (Afghan forces, international military forces, pro-government armed groups).
  Each source's own wording for who caused the harm is kept.
- **Qualifiers** keep the source's hedging: *about*, *at least*, *more than*, *up to*; a range gives a low and a
  high number.
- **Gaps** are gaps: a figure that is not in the data is unknown, not zero. None of this is a complete record of the
  harm done in any of these conflicts.
"""
    )
)
if meta is not None:
    st.markdown(_("**What the fields mean** (from the dataset's description)"))
    st.markdown(th.field_definitions(meta))
    if meta.notes:
        with st.expander(_("The dataset's notes in full (definitions, series, revisions, what was not found)")):
            st.markdown(md(meta.notes))

ui.sources_footer(
    all_sources,
    ([shown] if shown is not None else []) + ucdp_shown + ([tv.quoted_sources()] if ucdp_shown else []),
    ["civilian_harm", "organized_violence"],
    {"civilian_harm": meta, "organized_violence": organized_meta},
)
