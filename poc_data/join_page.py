"""The participants' light page at /join: a small HTML page, its script and style (shipped here, no CDN, no build),
and the JSON endpoints it calls, as Starlette routes of the app's own server (`st.App` in app.py). No Streamlit here.

A phone downloads three small files to join (tests/test_join_page.py measures them) and then asks for the session's
status every few seconds (one small JSON answer, read from the store at most twice a second per session whatever
the number of phones). Everything goes through the same store and rules as the Streamlit pages; what participants
typed is sent as JSON and shown with textContent, never as HTML.

Who is who: the browser gets a random token in an HttpOnly cookie on its first visit (one participant per browser
and session: joining again returns the same participant) and, once joined, its participant id in another HttpOnly
cookie, so a page's script never sees either. Requests that change something must be JSON (a form on another site
cannot send it without asking) and, when the browser says where it comes from (Origin), from this server.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from poc_data import workshop
from poc_data.workshop import (
    AGREE,
    NotInSession,
    SessionEnded,
    TooManyAttempts,
    UnknownSession,
    WorkshopError,
    WorkshopStore,
)

STATIC = Path(__file__).resolve().parent / "join_static"
BROWSER_COOKIE = "poc_ws_browser"
PARTICIPANT_COOKIE = "poc_ws_participant"
# A request body larger than this is refused before it is read in full (a note is at most 500 characters).
MAX_BODY_BYTES = 8 * 1024
# How long the status of a session is served from memory: with a hall polling, one read per session and interval.
STATUS_CACHE_SECONDS = 0.5
POLL_SECONDS = 3
COOKIE_SECONDS = workshop.SESSION_HOURS * 3600


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _status_code(error: WorkshopError) -> int:
    if isinstance(error, TooManyAttempts):
        return 429
    if isinstance(error, UnknownSession):
        return 404
    if isinstance(error, NotInSession):
        return 403
    if isinstance(error, SessionEnded):
        return 410
    return 400


class JoinPage:
    """The routes of the light page on one store (opened on the first request: the app's server starts first)."""

    def __init__(self, store: Callable[[], WorkshopStore]) -> None:
        self._open_store = store
        self._store: WorkshopStore | None = None
        self._lock = threading.Lock()
        self._status: dict[str, tuple[float, tuple]] = {}

    def store(self) -> WorkshopStore:
        with self._lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    def routes(self) -> list[Route]:
        return [
            Route("/join", self.page, methods=["GET"]),
            Route("/join/join.js", self.asset("join.js", "text/javascript"), methods=["GET"]),
            Route("/join/join.css", self.asset("join.css", "text/css"), methods=["GET"]),
            Route("/join/api/join", self.api(self._join), methods=["POST"]),
            Route("/join/api/state", self.api(self._state, reads=True), methods=["GET"]),
            Route("/join/api/status", self.api(self._poll, reads=True), methods=["GET"]),
            Route("/join/api/vote", self.api(self._vote), methods=["POST"]),
            Route("/join/api/note", self.api(self._note), methods=["POST"]),
            Route("/join/api/withdraw", self.api(self._withdraw), methods=["POST"]),
        ]

    # Files

    async def page(self, request: Request) -> Response:
        response = FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not _browser(request):
            _set_cookie(response, BROWSER_COOKIE, secrets.token_urlsafe(24))
        return response

    @staticmethod
    def asset(name: str, media_type: str) -> Callable:
        async def serve(_request: Request) -> Response:
            response = FileResponse(STATIC / name, media_type=f"{media_type}; charset=utf-8")
            response.headers["Cache-Control"] = "public, max-age=3600"
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response

        return serve

    # The JSON endpoints

    def api(self, action: Callable[[Request, dict[str, Any], Response], Any], *, reads: bool = False) -> Callable:
        async def endpoint(request: Request) -> Response:
            sent = Response()
            try:
                body = {} if reads else await _json_body(request)
                answer = await run_in_threadpool(action, request, body, sent)
                response = JSONResponse(answer)
            except _Refused as refused:
                response = JSONResponse({"error": str(refused)}, status_code=refused.status)
            except WorkshopError as error:
                response = JSONResponse({"error": str(error)}, status_code=_status_code(error))
            except SQLAlchemyError as error:
                said = f"The workshop database did not answer ({error.__class__.__name__}); try again in a moment."
                response = JSONResponse({"error": said}, status_code=503)
            response.headers["Cache-Control"] = "no-store"
            for name, value in sent.headers.items():
                if name == "set-cookie":
                    response.headers.append("set-cookie", value)
            return response

        return endpoint

    def _me(self, request: Request) -> tuple[str, str]:
        """The session code and participant id of the browser's cookie; a missing or forged one is refused."""
        code, _, participant = request.cookies.get(PARTICIPANT_COOKIE, "").partition(".")
        if not code or not participant:
            raise _Refused(401, "You have not joined a session in this browser: join with the code.")
        try:
            self.store().participant(code, participant, client=_client(request))
        except UnknownSession as error:
            raise _Refused(401, f"{error} Join with the code again.") from error
        return code, participant

    def _join(self, request: Request, body: dict[str, Any], sent: Response) -> dict[str, Any]:
        browser = _browser(request)
        if not browser:
            raise _Refused(400, "This browser does not keep cookies: allow them for this page, then join again.")
        code = _text(body.get("code"), "code", 20)
        name = body.get("name")
        participant = self.store().join(code, name or None, client=_client(request), browser=browser)
        _set_cookie(sent, PARTICIPANT_COOKIE, f"{workshop.normalize_code(code)}.{participant}")
        return {"joined": True}

    def _status_of(self, code: str) -> tuple:
        now = time.monotonic()
        cached = self._status.get(code)
        if cached is not None and now - cached[0] < STATUS_CACHE_SECONDS:
            return cached[1]
        status = self.store().status(code)
        # A dict's item assignment is atomic; a stale entry is replaced on the next read after its time.
        self._status[code] = (now, status)
        return status

    def _poll(self, request: Request, _body: dict[str, Any], _sent: Response) -> dict[str, Any]:
        code, _participant = self._me(request)
        return {"version": _version(self._status_of(code)), "poll": POLL_SECONDS}

    def _state(self, request: Request, _body: dict[str, Any], _sent: Response) -> dict[str, Any]:
        code, participant = self._me(request)
        store = self.store()
        state = store.state(code)
        person = store.participant(code, participant)
        item = state["item"]
        record = item["record"]
        texts = record.get("options_text", {})
        options = [
            {
                "id": option,
                "label": workshop.option_label(item, option),
                "text": "" if item["vote_kind"] == AGREE else str(texts.get(option, option)),
            }
            for option in item["options"]
        ]
        answer: dict[str, Any] = {
            # What the status poll compares with: the page redraws when it changes.
            "version": _version(
                (state["current"], state["voting_open"], state["revealed"], state["ended"], state["timer_ends_at"])
            ),
            "title": state["title"],
            "you": workshop.wall_name(person["number"], person["name"]),
            "position": state["current"] + 1,
            "items": len(state["items"]),
            "item_id": item["item_id"],
            "theme": record.get("theme") or "",
            "text": record.get("text") or "",
            "kind": item["vote_kind"],
            "options": options,
            "voting_open": state["voting_open"],
            "locked": state["locked"],
            "revealed": state["revealed"],
            "ended": state["ended"],
            "timer_ends_at": state["timer_ends_at"].isoformat() if state["timer_ends_at"] else None,
            "my_vote": store.my_vote(code, participant, item["item_id"]),
            "my_notes": [
                {"id": int(note.id), "text": note.text}
                for note in store.notes(code, item["item_id"]).itertuples(index=False)
                if note.participant_id == participant
            ],
            "max_note": workshop.MAX_NOTE_CHARS,
        }
        if state["revealed"] or state["ended"]:
            tally = store.tally(code, item["item_id"])
            answer["tally"] = [
                {"option": row.option, "votes": int(row.votes), "points": int(row.points)}
                for row in tally.itertuples(index=False)
            ]
            answer["ballots"] = int(tally["ballots"].iloc[0]) if not tally.empty else 0
        return answer

    def _vote(self, request: Request, body: dict[str, Any], _sent: Response) -> dict[str, Any]:
        code, participant = self._me(request)
        value = body.get("value")
        if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 4:
            value = int(value)
        self.store().vote(code, participant, _text(body.get("item_id"), "item", 200), value)
        return {"voted": True}

    def _note(self, request: Request, body: dict[str, Any], _sent: Response) -> dict[str, Any]:
        code, participant = self._me(request)
        note = self.store().note(code, participant, _text(body.get("item_id"), "item", 200), body.get("text"))
        return {"note": note}

    def _withdraw(self, request: Request, body: dict[str, Any], _sent: Response) -> dict[str, Any]:
        code, participant = self._me(request)
        note = body.get("note")
        if isinstance(note, bool) or not isinstance(note, int):
            raise _Refused(400, "Which note? Its number is missing.")
        self.store().delete_note(code, participant, note)
        return {"withdrawn": True}


def _version(status: tuple) -> str:
    """The fields of `WorkshopStore.status` as one string."""
    current, voting, revealed, ended, timer = status
    return f"{current}.{int(voting)}.{int(revealed)}.{int(ended)}.{timer.isoformat() if timer else ''}"


def _text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise _Refused(400, f"The {what} is missing or too long.")
    return value


def _browser(request: Request) -> str:
    token = request.cookies.get(BROWSER_COOKIE, "")
    return token if 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum() else ""


def _client(request: Request) -> str:
    peer = request.client.host if request.client else None
    return workshop.client_key(
        peer, request.headers.get("x-forwarded-for"), _browser(request) or "none", workshop.trusted_proxies()
    )


def _set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=COOKIE_SECONDS, path="/", httponly=True, samesite="strict")


async def _json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; anything else (another type, too large, another site) is refused."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise _Refused(403, "This page only takes answers from itself.")
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _Refused(415, "Send JSON.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _Refused(413, f"Too large: at most {MAX_BODY_BYTES // 1024} KB.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _Refused(413, f"Too large: at most {MAX_BODY_BYTES // 1024} KB.")
    try:
        parsed = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise _Refused(400, "Not JSON.") from error
    if not isinstance(parsed, dict):
        raise _Refused(400, "Send a JSON object.")
    return parsed


def routes(store: Callable[[], WorkshopStore] | None = None) -> list[Route]:
    """The light page's routes on the store of POC_WORKSHOP_DB (or the default), or on `store()`."""
    return JoinPage(store or WorkshopStore).routes()
