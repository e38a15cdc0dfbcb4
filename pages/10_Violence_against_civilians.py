"""Violence against civilians: UCDP's counts in an operation's host countries beside its troops and dates, and the
actors of one-sided violence in a country."""

import streamlit as st

from poc_data import ui, views
from poc_data.charts import titles
from poc_data.charts.violence import actors_chart
from poc_data.i18n import _, ngettext
from poc_data.i18n import number as n
from poc_data.text import md
from poc_data.transform import missions as tm
from poc_data.transform import violence as tv
from poc_data.transform.harm import TABLE_PAGE_SIZE

page = ui.start_page("pages/10_Violence_against_civilians.py")
all_sources = ui.sources()
missions = ui.dataset("missions")
mandates = ui.dataset("mandates")
deployments = ui.dataset("deployments")
organized = ui.dataset("organized_violence")
one_sided = ui.dataset("one_sided_violence")
metadata = {
    dataset_id: ui.dataset_metadata(dataset_id)
    for dataset_id in ("organized_violence", "one_sided_violence", "deployments", "missions", "mandates")
}

st.markdown(
    _(
        "Civilians killed in an operation's host countries, year by year, as the Uppsala Conflict Data Program (UCDP) "
        "counts them, beside the UN troops the operation deployed there (Geo-PKO) and its start, first protection of "
        "civilians (POC) mandate and end; then who killed civilians deliberately in a country."
    )
)

shown = [tv.quoted_sources()]
st.subheader(_("Violence and presence, year by year"))
operations = ui.memo(tv.operation_choices)(missions)
if not operations:
    st.info(_("No operation to show: the missions dataset could not be loaded or names no host country."))
else:
    pick, switch = st.columns([3, 2], vertical_alignment="bottom")
    with pick:
        acronym = ui.selectbox(
            _("Operation"),
            operations,
            key="vac_operation",
            index=tv.default_index(operations, tv.DEFAULT_OPERATION),
            help=_("Any operation with host countries; Geo-PKO maps the troops of UN peacekeeping operations only."),
        )
    with switch:
        every_year = ui.toggle(
            _("Every year UCDP covers"),
            key="vac_all_years",
            help=_("Else from five years before the operation started."),
        )
    mission = tv.operation(missions, acronym)
    hosts = list(mission["host_countries"])
    shown.append(tv.operation_rows(missions, acronym))
    st.markdown(
        _("**{acronym}**: {name}. Host countries: {hosts}.").format(
            acronym=md(acronym), name=md(mission["name"]), hosts=md(tm.countries_text(hosts))
        )
    )
    if organized is None:
        st.info(_("UCDP's counts need the organized_violence dataset, which could not be loaded."))
    else:
        view = ui.memo_view(views.violence_view)(
            missions,
            organized,
            {"vac_operation": acronym, "vac_all_years": every_year},
            deployments=deployments,
            mandates=mandates,
            metadata=metadata,
            presentation=page.presentation,
        )
        presence = view.parts["presence"]
        years, killed, troops, markers = presence.years, presence.killed, presence.troops, presence.markers
        period = titles.years_phrase(years)
        ui.chart(view.figure, key="vac_chart")
        st.caption(md(tv.markers_text(markers)))
        if killed.empty:
            st.info(md(tv.no_killed_text(acronym, period)), icon=":material/info:")
        elif tv.records_nothing(killed):
            st.info(md(tv.nothing_recorded_text(acronym, period)), icon=":material/info:")
        if troops.empty:
            st.info(md(f"{tv.no_troops_text(acronym, period)} {_(tv.GEO_PKO_SCOPE)}"), icon=":material/info:")
        notes = [_(tv.UCDP_COUNTS), _(tv.TROOPS_NOTE), _(tv.NOT_A_CAUSE), tv.counted_within_note(hosts, years)]
        elsewhere = ui.memo(tv.deployments_elsewhere)(deployments, acronym, hosts)
        if not elsewhere.empty:
            notes.append(tv.elsewhere_note(elsewhere))
        st.caption(md(" ".join(filter(None, notes))))
        citation = tv.presence_citation(metadata["organized_violence"], metadata["deployments"], all_sources)
        table = ui.memo(tv.presence_table)(killed, troops, citation=citation)
        with st.expander(_("Year by year (table)"), icon=":material/table:"):
            st.dataframe(tv.presence_view_table(table), hide_index=True, width="stretch")
        ui.download_csv(
            table,
            file_name=titles.file_name("poc-explorer-violence-and-presence", acronym, period),
            key="vac_download",
            label=ngettext("Download this year (CSV)", "Download these {count} years (CSV)", len(table)).format(
                count=n(len(table))
            ),
        )
        # The view's records: the operation's row (cited above), UCDP's rows and Geo-PKO's, as its story step cites.
        shown += view.records[1:]

st.subheader(_("Who targets civilians"))
if one_sided is None:
    st.info(_("The actors need the one_sided_violence dataset, which could not be loaded."))
else:
    countries = ui.memo(tv.actor_countries)(one_sided)
    names = list(countries)
    first, last = ui.memo(tv.one_sided_years)(one_sided)
    where_col, when_col = st.columns([3, 2], vertical_alignment="bottom")
    with where_col:
        country_label = ui.selectbox(
            _("Country"),
            names,
            key="vac_country",
            index=tv.default_index(names, tv.country_label(tv.DEFAULT_COUNTRY)),
        )
    with when_col:
        actor_years = ui.slider(_("Years"), first, last, (first, last), key="vac_actor_years")
    actors = ui.memo(tv.actors_in_country)(one_sided, countries[country_label], actor_years)
    actor_period = titles.years_phrase(actor_years)
    st.caption(md(_(tv.ACTORS_WARNING)))
    if actors.empty:
        ui.nothing_matches(
            _("actors of one-sided violence in {country} in {period}").format(
                country=country_label, period=actor_period
            )
        )
    else:
        ui.chart(
            ui.memo_figure(actors_chart)(
                actors,
                title=titles.titled(
                    _("Who killed civilians deliberately in {country}, {period} (UCDP)").format(
                        country=country_label, period=actor_period
                    )
                ),
                credit=tv.credit_line(metadata["one_sided_violence"]),
                cap=tv.actors_cap(page.presentation),
                presentation=page.presentation,
            ),
            key="vac_actors_chart",
        )
        st.caption(md(tv.actors_caption(actors, presentation=page.presentation)))
        rows = ui.paginate(actors, page_size=TABLE_PAGE_SIZE, key="vac_actors_page", what=_("actors"))
        st.dataframe(
            tv.actors_table(rows),
            hide_index=True,
            width="stretch",
            column_config={_("Actor"): st.column_config.TextColumn(width="medium")},
        )
        ui.download_csv(
            tv.actors_csv(actors, citation=tv.full_citation(metadata["one_sided_violence"])),
            file_name=titles.file_name("poc-explorer-one-sided-violence", country_label, actor_period),
            key="vac_actors_download",
            label=ngettext("Download the actor (CSV)", "Download the {count} actors (CSV)", len(actors)).format(
                count=n(len(actors))
            ),
        )
        shown.append(actors)

citations = [tv.full_citation(metadata[name]) for name in ("organized_violence", "one_sided_violence")]
ui.sources_footer(
    all_sources,
    shown,
    ["organized_violence", "one_sided_violence", "deployments", "missions", "mandates"],
    metadata,
)
st.caption(md(_("Cite UCDP's data as: {citations}").format(citations=" ".join(filter(None, citations)))))
