"""Workshop: a live round table, projected by the facilitator, with votes and notes from participants' phones."""

import datetime as dt

import streamlit as st

from poc_data import i18n, ui, workshop
from poc_data.charts.workshop import tally_chart
from poc_data.i18n import _, ngettext
from poc_data.text import md
from poc_data.transform import roundtable as rt
from poc_data.ui import workshop as live
from poc_data.ui.evidence import evidence_links, show_evidence

# The projector polls every second (one session, so cheap) to show a vote within 3 s: the vote's own rerun on the
# participant's phone plus at most one interval (bench/results-workshop.md). Participants poll every 3 s: a room of
# them is most of the server's work, and they only wait for the facilitator's next step.
PROJECTOR_REFRESH_SECONDS = 1
REFRESH_SECONDS = 3
NOTES_SHOWN = 30
FACILITATING = "ws_facilitating"
SEEN = "ws_seen"
TIMER_MINUTES = [1, 2, 3, 5, 10, 15, 20]

page = ui.start_page("pages/9_Workshop.py")
all_sources = ui.sources()
store = live.store()


def item_heading(state: dict) -> str:
    item = state["item"]
    record = item["record"]
    if item["vote_kind"] == workshop.AGREE:
        heading = _("Item {number} of {count} · {theme} · agree or disagree")
    else:
        heading = _("Item {number} of {count} · {theme} · rank the recommendations")
    return heading.format(number=state["current"] + 1, count=len(state["items"]), theme=record["theme"])


def option_labels(item: dict) -> dict[str, str]:
    """Short names of an item's options, for the chart and the ranking: answers, or Recommendation 1, 2, ..."""
    return {option: workshop.option_label(item, option) for option in item["options"]}


def show_options(item: dict) -> None:
    """The recommendations a ranked item asks to rank, numbered as in the chart."""
    if item["vote_kind"] != workshop.RANK:
        return
    texts = item["record"].get("options_text", {})
    labels = option_labels(item)
    st.markdown("\n".join(f"- **{labels[option]}**: {md(texts.get(option, option))}" for option in item["options"]))


def timer_text(ends: dt.datetime | None) -> str | None:
    if ends is None:
        return None
    left = int((ends - dt.datetime.now(dt.UTC)).total_seconds())
    return (
        _("Time is up")
        if left <= 0
        else _("{minutes}:{seconds:02d} left").format(minutes=left // 60, seconds=left % 60)
    )


def status_line(state: dict, ballots: int) -> str:
    voting = _("Voting is open") if state["voting_open"] else _("Voting is closed")
    voted = ngettext(
        "{ballots} of {count} participant voted", "{ballots} of {count} participants voted", state["participants"]
    )
    parts = [voting, voted.format(ballots=ballots, count=state["participants"])]
    if state["ended"]:
        parts = [_("The session has ended"), ngettext("{count} vote", "{count} votes", ballots).format(count=ballots)]
    timer = timer_text(state["timer_ends_at"])
    if timer:
        parts.append(timer)
    return " · ".join(parts)


def show_tally(code: str, state: dict, *, key: str) -> None:
    item = state["item"]
    ok, rows = live.attempt(store.tally, code, item["item_id"])
    if not ok:
        return
    ballots = int(rows["ballots"].iloc[0]) if not rows.empty else 0
    st.markdown(f"**{md(status_line(state, ballots))}**")
    if state["revealed"] or state["ended"]:
        fig = tally_chart(rows, option_labels=option_labels(item), presentation=page.presentation)
        ui.chart(fig, key=key)
    else:
        st.caption(_("The results are hidden until the facilitator reveals them."))


def show_notes_wall(code: str, item_id: str) -> None:
    ok, wall = live.attempt(store.wall, code, item_id, NOTES_SHOWN)
    if not ok:
        return
    count, newest = wall
    st.markdown(_("**Notes ({count})**").format(count=count))
    if newest.empty:
        st.caption(_("No notes yet: participants post them from their phones."))
        return
    columns = st.columns(2)
    for number, note in enumerate(newest.itertuples(index=False)):
        with columns[number % 2].container(border=True, height=160):
            # st.text, not Markdown: escaped Markdown still turns a typed address into a link. The card's fixed
            # height clips what overflows.
            st.text(note.text)
            st.text(f"— {workshop.wall_name(note.participant, note.name if isinstance(note.name, str) else None)}")
    if count > NOTES_SHOWN:
        st.caption(
            _("The newest {shown} of {count} notes; the export holds them all.").format(shown=NOTES_SHOWN, count=count)
        )


@st.fragment(run_every=PROJECTOR_REFRESH_SECONDS)
def projector(code: str) -> None:
    """What the room sees, refreshed on its own: the current item, the tally, the notes and the timer."""
    ok, state = live.attempt(store.state, code)
    if not ok:
        return
    item = state["item"]
    st.caption(md(item_heading(state)))
    st.header(md(item["record"]["text"]), anchor=False)
    show_options(item)
    show_tally(code, state, key="ws_projector_tally")
    show_notes_wall(code, item["item_id"])


def agenda_label(recommendations):
    labels = {
        row.id: f"{'POC20' if row.source_id == rt.POC20 else 'IPI'} · {row.theme} · {rt.item_label(row._asdict())}: "
        f"{row.text[:90]}{'…' if len(row.text) > 90 else ''}"
        for row in recommendations.itertuples(index=False)
    }
    return labels.get


def start_session() -> None:
    recommendations = ui.dataset("recommendations")
    if recommendations is None:
        return
    st.subheader(_("Start a session"), anchor=False)
    # Labels made in this run, in its language (a format function is also called outside the run, by tests).
    presets = {preset: _(preset) for preset in rt.AGENDA_PRESETS}
    preset = st.selectbox(_("Start from"), rt.AGENDA_PRESETS, key="ws_preset", format_func=presets.get)
    ordered = rt.reading_order(recommendations)
    chosen = rt.agenda_preset(ordered, preset)
    with st.form("ws_start"):
        title = st.text_input(_("Title"), value=_("Round table"), max_chars=workshop.MAX_TITLE_CHARS)
        agenda = st.multiselect(
            _("Agenda (in order)"),
            ordered["id"].tolist(),
            default=chosen,
            format_func=agenda_label(ordered),
            key=f"ws_agenda_{preset}",
            help=_("Questions are voted on from agree to disagree; recommendations by ranking those of their theme."),
        )
        if st.form_submit_button(_("Start the session"), type="primary", icon=":material/play_arrow:"):
            ok, created = live.attempt(store.create, title, agenda)
            if ok:
                st.session_state[FACILITATING] = {"code": created[0], "key": created[1]}
                st.rerun()


def resume_session() -> None:
    with st.expander(_("Resume a session you facilitate"), icon=":material/key:"):
        with st.form("ws_resume"):
            code = st.text_input(_("Join code"))
            key = st.text_input(_("Facilitator key"), type="password")
            if st.form_submit_button(_("Resume")):
                ok, found = live.attempt(store.resume, code, key, client=live.client_address())
                if ok:
                    st.session_state[FACILITATING] = {"code": found, "key": key}
                    st.rerun()


def control(
    label: str,
    action,
    *args,
    icon: str,
    key: str,
    disabled: bool = False,
    kind: str = "secondary",
    shortcut: str | None = None,
) -> None:
    if st.button(label, key=key, icon=icon, disabled=disabled, width="stretch", type=kind, shortcut=shortcut):
        ok, _answer = live.attempt(action, *args)
        if ok:
            st.rerun()


def controls(code: str, key: str, state: dict) -> None:
    """The facilitator's controls, in the sidebar: the projected page keeps to the item and the room's answers."""
    ended = state["ended"]
    voting = (
        (_("Lock voting"), store.lock_voting, (), ":material/lock:", "ws_lock", "secondary")
        if state["voting_open"]
        else (_("Open voting"), store.open_voting, (), ":material/how_to_vote:", "ws_open", "primary")
    )
    reveal = (
        (_("Hide results"), store.reveal, (False,), ":material/visibility_off:", "ws_hide", "secondary")
        if state["revealed"]
        else (_("Reveal results"), store.reveal, (True,), ":material/bar_chart:", "ws_reveal", "secondary")
    )
    with st.sidebar:
        st.markdown(_("**Run the session**"))
        control(
            _("Previous item"),
            store.previous,
            code,
            key,
            icon=":material/arrow_back:",
            key="ws_previous",
            disabled=ended or state["current"] == 0,
            shortcut="Left",
        )
        control(
            _("Next item"),
            store.advance,
            code,
            key,
            icon=":material/arrow_forward:",
            key="ws_next",
            disabled=ended or state["current"] == len(state["items"]) - 1,
            kind="primary",
            shortcut="Right",
        )
        for label, action, extra, icon, button_key, kind in (voting, reveal):
            control(label, action, code, key, *extra, icon=icon, key=button_key, disabled=ended, kind=kind)
        chosen = st.selectbox(_("Timer (minutes)"), TIMER_MINUTES, index=2, key="ws_timer_minutes")
        control(
            _("Start a {minutes}-minute timer").format(minutes=chosen),
            store.start_timer,
            code,
            key,
            chosen * 60,
            icon=":material/timer:",
            key="ws_timer",
            disabled=ended,
        )
        with st.popover(_("End session"), icon=":material/stop_circle:", width="stretch", disabled=ended):
            st.write(_("Participants can no longer vote or post notes; the results stay for export until you delete."))
            control(
                _("End the session now"),
                store.end,
                code,
                key,
                icon=":material/stop_circle:",
                key="ws_end",
                kind="primary",
            )
        address_setting()


ORIGIN_KEY = "ws_origin"


def address_setting() -> None:
    """Where participants reach this app: the address the page was opened at, unless the facilitator types another."""
    with st.expander(_("Address participants open"), icon=":material/lan:"):
        origin = st.text_input(
            _("This app's address on your network"),
            value=live.page_origin(),
            key=ORIGIN_KEY,
            help=_("The address of this computer that participants' phones can reach, e.g. http://192.168.1.20:8501."),
        )
        if any(host in origin for host in ("localhost", "127.0.0.1", "[::1]")):
            st.warning(
                _(
                    "Phones cannot open localhost: start the app with --server.address 0.0.0.0 and type this "
                    "computer's network address here (see the README)."
                ),
                icon=":material/wifi_off:",
            )


def join_panel(code: str) -> None:
    """The code, large, with the QR code of the join link and the link itself."""
    origin = live.valid_origin(st.session_state.get(ORIGIN_KEY, "")) or live.page_origin()
    link = live.join_link(origin, code, i18n.current_language())
    with st.container(border=True):
        # One strip, so that the item stays on a projector's first screen.
        code_column, link_column, image = st.columns([2, 2, 1.5], vertical_alignment="center")
        with code_column:
            st.caption(_("Join with the code"))
            # In two halves, to read out and type; the store ignores the space.
            st.markdown(f"## {code[:3]} {code[3:]}")
        link_column.caption(_("Scan the code, or open"))
        # As code: it copies and opens as shown (Markdown would defuse it, as it does for participants' text).
        link_column.code(link, language=None, wrap_lines=True)
        image.image(live.qr_png(link), caption=_("Scan to join"), width="stretch")


def facilitate(code: str, key: str) -> None:
    ok, state = live.attempt(store.state, code)
    if not ok:
        if st.button(_("Leave"), key="ws_leave"):
            st.session_state.pop(FACILITATING, None)
            st.rerun()
        return
    controls(code, key, state)
    st.caption(_("Your controls are in the sidebar (› at the top left opens it); ← and → step through the items."))
    st.text(state["title"])
    join_panel(code)
    projector(code)
    with st.expander(_("What informs this item"), icon=":material/history_edu:"):
        links = evidence_links([state["item"]["item_id"]])
        if links is not None:
            show_evidence(links, all_sources, with_links=True)
    exports(code, key, state)


def exports(code: str, key: str, state: dict) -> None:
    """Downloads of the session, its deletion, and the key to resume it: in the sidebar, off the projected page."""
    item_ids = [item["item_id"] for item in state["items"]]
    formats = (
        (_("Votes and notes (CSV)"), "csv", "text/csv", lambda: workshop.export_csv(store.export(code))),
        (_("Report (Markdown)"), "md", "text/markdown",
         lambda: workshop.export_markdown(store.export(code), report_links(item_ids))),
        (_("Everything (JSON)"), "json", "application/json", lambda: workshop.export_json(store.export(code))),
    )  # fmt: skip
    with st.sidebar:
        st.markdown(_("**Take the results home**"))
        for label, extension, mime, make in formats:
            st.download_button(
                label,
                data=make,
                file_name=f"poc-workshop-{code}.{extension}",
                mime=mime,
                key=f"ws_{extension}",
                icon=":material/download:",
                on_click="ignore",
                width="stretch",
            )
        st.caption(
            _("Kept in the workshop database until you delete it, at most {days} days.").format(
                days=workshop.RETENTION_DAYS
            )
        )
        with st.expander(_("Facilitator key (keep it private)"), icon=":material/key:"):
            st.caption(_("With the code, it resumes this session from another browser. Never project it."))
            st.code(key, language=None)
        with st.popover(_("Delete the session"), icon=":material/delete:", width="stretch"):
            st.write(_("This removes the session, its participants, votes and notes for good."))
            if st.button(_("Delete it now"), key="ws_delete", type="primary", icon=":material/delete_forever:"):
                ok, _answer = live.attempt(store.delete, code, key)
                if ok:
                    st.session_state.pop(FACILITATING, None)
                    st.rerun()


def report_links(item_ids):
    links = evidence_links(item_ids)
    if links is None:
        return None
    return links.assign(citation=rt.link_citations(links, all_sources))


def signature(state: dict) -> tuple:
    """What the participant's page is drawn for; the same fields as `WorkshopStore.status`."""
    return state["current"], state["voting_open"], state["revealed"], state["ended"], state["timer_ends_at"]


@st.fragment(run_every=REFRESH_SECONDS)
def follow(code: str) -> None:
    """What a participant follows: reruns the whole page when the facilitator moves on, opens, locks, reveals or
    starts the timer. One light read while nothing changes: with a room polling, this is most of the server's work."""
    ok, status = live.attempt(store.status, code)
    if not ok:
        return
    if st.session_state.get(SEEN) != status:
        st.session_state[SEEN] = status
        st.rerun(scope="app")
    timer = timer_text(status[4])
    if timer:
        st.caption(timer)


def vote_form(code: str, me: str, item: dict) -> None:
    ok, mine = live.attempt(store.my_vote, code, me, item["item_id"])
    if not ok:
        return
    labels = option_labels(item)
    with st.form(f"ws_vote_{item['item_id']}"):
        if item["vote_kind"] == workshop.AGREE:
            levels = list(workshop.AGREE_LEVELS)
            value = st.radio(
                _("Your answer"),
                levels,
                index=levels.index(mine) if mine in levels else None,
                format_func={level: _(label) for level, label in workshop.AGREE_LEVELS.items()}.get,
            )
        else:
            value = st.multiselect(
                _("Pick the recommendations in order of priority, most important first"),
                item["options"],
                default=mine or [],
                format_func=labels.get,
            )
        if st.form_submit_button(_("Send my vote"), type="primary", icon=":material/how_to_vote:", width="stretch"):
            if value is None:
                st.warning(_("Choose an answer first."))
            else:
                sent, _answer = live.attempt(store.vote, code, me, item["item_id"], value)
                if sent:
                    mine = value
                    st.success(_("Your vote is in. You can change it until voting is locked."), icon=":material/check:")
    if mine is not None:
        shown = (
            workshop.vote_text(item, mine)
            if item["vote_kind"] == workshop.AGREE
            else " > ".join(labels[option] for option in mine)
        )
        st.caption(_("Your vote: {vote}").format(vote=shown))


def note_form(code: str, me: str, item: dict) -> None:
    with st.form("ws_note", clear_on_submit=True):
        text = st.text_area(
            _("Your note (plain text, at most {count} characters)").format(count=workshop.MAX_NOTE_CHARS),
            # No max_chars: a longer note is refused with its count (by the store), never cut.
            key="ws_note_text",
        )
        if st.form_submit_button(_("Post note"), icon=":material/sticky_note_2:", width="stretch"):
            posted, _answer = live.attempt(store.note, code, me, item["item_id"], text)
            if posted:
                st.success(_("Posted: it shows on the notes wall."), icon=":material/check:")
    ok, notes = live.attempt(store.notes, code, item["item_id"])
    if not ok:
        return
    for note in notes[notes["participant_id"] == me].itertuples(index=False):
        with st.container(border=True):
            st.text(note.text)
            if st.button(_("Withdraw"), key=f"ws_withdraw_{note.id}", icon=":material/delete:"):
                if live.attempt(store.delete_note, code, me, note.id)[0]:
                    st.rerun()


def join_form(code: str) -> None:
    st.subheader(_("Join the session"), anchor=False)
    with st.form("ws_join"):
        typed = st.text_input(_("Code"), value=code, max_chars=12, help=_("The code the facilitator shows."))
        name = st.text_input(
            _("Your name (optional)"),
            max_chars=workshop.MAX_NAME_CHARS,
            help=_("Shown with your notes. Leave it empty to take part anonymously."),
        )
        if st.form_submit_button(_("Join"), type="primary", icon=":material/login:", width="stretch"):
            ok, me = live.attempt(
                store.join, typed, name or None, client=live.client_address(), browser=live.browser_token()
            )
            if ok:
                st.query_params[live.CODE_PARAM] = workshop.normalize_code(typed)
                st.query_params[live.ME_PARAM] = me
                st.rerun()


def take_part(code: str, me: str) -> None:
    ok, person = live.attempt(store.participant, code, me, client=live.client_address())
    if not ok:
        st.query_params.pop(live.ME_PARAM, None)
        join_form(code)
        return
    ok, state = live.attempt(store.state, code)
    if not ok:
        return
    st.session_state[SEEN] = signature(state)
    item = state["item"]
    you = workshop.wall_name(person["number"], person["name"])
    st.text(_("{title} · you are {name}").format(title=state["title"], name=you))
    st.caption(md(item_heading(state)))
    st.markdown(f"**{md(item['record']['text'])}**")
    show_options(item)
    follow(code)
    if state["revealed"]:
        show_tally(code, state, key="ws_participant_tally")
    if state["ended"]:
        st.info(_("The session has ended. Thank you for taking part."), icon=":material/flag:")
        return
    if state["voting_open"]:
        vote_form(code, me, item)
    else:
        if state["locked"]:
            said = _("Voting on this item is locked: no vote is taken or changed.")
        else:
            said = _("Voting on this item is not open yet: the facilitator opens it.")
        st.info(said, icon=":material/lock:")
    note_form(code, me, item)


code_in_link = workshop.normalize_code(st.query_params.get(live.CODE_PARAM, ""))[:12]
facilitating = st.session_state.get(FACILITATING)
if store is None:
    pass
elif code_in_link and not facilitating:
    me = st.query_params.get(live.ME_PARAM)
    if me:
        take_part(code_in_link, me)
    else:
        join_form(code_in_link)
elif facilitating:
    facilitate(facilitating["code"], facilitating["key"])
else:
    st.markdown(
        _(
            "Run a round table with the room: pick the agenda, project this page, and let participants vote and post "
            "notes from their phones. Participants: open the link or scan the code the facilitator shows."
        )
    )
    join_tab, start_tab = st.tabs([_("Join a session"), _("Facilitate")])
    with join_tab:
        join_form("")
    with start_tab:
        start_session()
        resume_session()

footer_datasets = ["recommendations", "evidence"]
shown = [frame for frame in (ui.dataset("recommendations"),) if frame is not None]
ui.sources_footer(all_sources, shown, footer_datasets, {d: ui.dataset_metadata(d) for d in footer_datasets})
