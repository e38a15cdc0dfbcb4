"""The participants' light page (/join) through HTTP, on a real server (uvicorn) over the shipped routes: what a phone
downloads, joining once per browser, votes and notes through the store's rules, and bad input of every kind."""

from __future__ import annotations

import http.cookiejar
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette

from poc_data import join_page, workshop

QUESTION = "civic-2019-t1-q-1"
RECOMMENDATION = "civic-2019-t1-ms-1"
OTHER_RECOMMENDATION = "civic-2019-t1-un-1"


class Phone:
    """One browser: its own cookies, plain HTTP requests."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.downloaded = 0
        self.requests = 0

    def get(self, path: str) -> tuple[int, bytes, dict]:
        return self.send(urllib.request.Request(self.base + path))

    def post(self, path: str, body, *, content_type: str = "application/json", headers: dict | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        status, content, _headers = self.send(request)
        return status, json.loads(content)

    def api(self, path: str) -> tuple[int, dict]:
        status, content, _headers = self.get(path)
        return status, json.loads(content)

    def send(self, request) -> tuple[int, bytes, dict]:
        try:
            with self.opener.open(request, timeout=10) as response:
                content, status, headers = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            content, status, headers = error.read(), error.code, dict(error.headers)
        self.requests += 1
        self.downloaded += len(content)
        return status, content, headers

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((cookie for cookie in self.cookies if cookie.name == name), None)

    def open_page(self) -> None:
        """What a phone fetches to show the page: the HTML and the files it names."""
        status, html, _headers = self.get("/join")
        assert status == 200
        for asset in ("/join/join.js", "/join/join.css"):
            assert asset.encode() in html
            assert self.get(asset)[0] == 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, workshop.WorkshopStore]]:
    url = f"sqlite+pysqlite:///{tmp_path / 'workshops.sqlite3'}"
    store = workshop.WorkshopStore(url)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(Starlette(routes=join_page.routes(lambda: store)), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture
def session(served):
    base, store = served
    code, key = store.create("Hall", [QUESTION, RECOMMENDATION])
    return base, store, code, key


def joined(base: str, code: str, name: str = "") -> Phone:
    phone = Phone(base)
    phone.open_page()
    status, answer = phone.post("/join/api/join", {"code": code, "name": name})
    assert status == 200, answer
    return phone


def test_a_phone_joins_with_a_few_small_files(session):
    base, _store, code, _key = session
    phone = Phone(base)
    phone.open_page()
    phone.post("/join/api/join", {"code": code, "name": "Ann"})
    status, state = phone.api("/join/api/state")
    phone.api("/join/api/status")
    assert status == 200 and state["you"] == "Participant 1 · Ann"
    assert phone.requests <= 10
    assert phone.downloaded <= 100 * 1024
    page = phone.get("/join")[2]
    assert "script-src 'self'" in page["content-security-policy"]


def test_the_page_uses_no_outside_file_and_shows_text_as_text():
    shipped = {path.name: path.read_text() for path in join_page.STATIC.iterdir()}
    assert set(shipped) == {"index.html", "join.js", "join.css"}
    for text in shipped.values():
        assert "http://" not in text and "https://" not in text and "//cdn" not in text
    assert "innerHTML" not in shipped["join.js"] and "insertAdjacentHTML" not in shipped["join.js"]
    assert 'name="viewport"' in shipped["index.html"] and 'lang="en"' in shipped["index.html"]


def test_the_identity_cookies_are_http_only(session):
    base, _store, code, _key = session
    phone = joined(base, code)
    for name in (join_page.BROWSER_COOKIE, join_page.PARTICIPANT_COOKIE):
        cookie = phone.cookie(name)
        assert cookie is not None and cookie.has_nonstandard_attr("HttpOnly")


def test_joining_again_from_the_browser_is_the_same_participant_and_one_ballot(session):
    base, store, code, key = session
    store.open_voting(code, key)
    phone = joined(base, code, "Ann")
    first = phone.cookie(join_page.PARTICIPANT_COOKIE).value
    phone.open_page()
    assert phone.post("/join/api/join", {"code": code, "name": "Ann again"})[0] == 200
    assert phone.cookie(join_page.PARTICIPANT_COOKIE).value == first
    for value in (2, -1):
        assert phone.post("/join/api/vote", {"item_id": QUESTION, "value": value})[0] == 200
    assert store.state(code)["participants"] == 1
    assert store.tally(code, QUESTION)["ballots"].iloc[0] == 1
    assert phone.api("/join/api/state")[1]["my_vote"] == -1


def test_a_ranking_note_and_withdrawal_through_the_page(session):
    base, store, code, key = session
    store.advance(code, key)
    store.open_voting(code, key)
    phone = joined(base, code)
    ranking = [OTHER_RECOMMENDATION, RECOMMENDATION]
    assert phone.post("/join/api/vote", {"item_id": RECOMMENDATION, "value": ranking})[0] == 200
    status, posted = phone.post("/join/api/note", {"item_id": RECOMMENDATION, "text": "<b>hi</b> [x](http://e.org)"})
    assert status == 200
    state = phone.api("/join/api/state")[1]
    assert state["my_vote"] == ranking
    assert state["my_notes"] == [{"id": posted["note"], "text": "<b>hi</b> [x](http://e.org)"}]
    assert [option["label"] for option in state["options"]] == ["Recommendation 1", "Recommendation 2"]
    assert phone.post("/join/api/withdraw", {"note": posted["note"]})[0] == 200
    assert store.notes(code).empty


def test_the_status_changes_when_the_facilitator_moves(session):
    base, store, code, key = session
    phone = joined(base, code)
    before = phone.api("/join/api/status")[1]["version"]
    store.open_voting(code, key)
    time.sleep(join_page.STATUS_CACHE_SECONDS + 0.1)
    assert phone.api("/join/api/status")[1]["version"] != before
    store.lock_voting(code, key)
    state = phone.api("/join/api/state")[1]
    assert state["locked"] and not state["voting_open"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"code": "ZZZZZZ"}, 404, workshop.WRONG_CODE),
        ({"code": ""}, 400, "code is missing"),
        ({"code": 12}, 400, "code is missing"),
        ({"code": "x" * 5000}, 400, "too long"),
        ({"name": "Ann"}, 400, "code is missing"),
    ],
)
def test_bad_joins_are_refused_with_a_plain_message(session, body, status, words):
    base, _store, _code, _key = session
    phone = Phone(base)
    phone.open_page()
    got, answer = phone.post("/join/api/join", body)
    assert got == status and words in answer["error"]


def test_a_name_the_room_would_take_for_the_facilitator_is_refused(session):
    base, _store, code, _key = session
    phone = Phone(base)
    phone.open_page()
    status, answer = phone.post("/join/api/join", {"code": code, "name": "Facilitator"})
    assert status == 400 and "kept for the person running" in answer["error"]


def test_a_browser_without_cookies_is_told_so(session):
    base, _store, code, _key = session
    status, answer = Phone(base).post("/join/api/join", {"code": code})
    assert status == 400 and "cookies" in answer["error"]


@pytest.mark.parametrize(
    ("item", "value", "status", "words"),
    [
        (RECOMMENDATION, [RECOMMENDATION, OTHER_RECOMMENDATION], 400, "moved to another item"),
        (QUESTION, 1, 400, "not open yet"),
        ("no-such-item", 1, 403, "not on this session"),
        (QUESTION, "<script>", 400, "one of"),
    ],
)
def test_a_vote_for_an_item_not_open_is_refused(session, item, value, status, words):
    base, store, code, _key = session
    phone = joined(base, code)
    got, answer = phone.post("/join/api/vote", {"item_id": item, "value": value})
    assert got == status and words in answer["error"]
    assert store.votes(code).empty


def test_a_locked_item_says_locked(session):
    base, store, code, key = session
    store.open_voting(code, key)
    store.lock_voting(code, key)
    phone = joined(base, code)
    got, answer = phone.post("/join/api/vote", {"item_id": QUESTION, "value": 1})
    assert got == 400 and "locked" in answer["error"]


def test_a_body_of_100_kb_is_refused_before_it_is_read(session):
    base, store, code, _key = session
    phone = joined(base, code)
    big = json.dumps({"item_id": QUESTION, "text": "x" * 100_000}).encode()
    got, answer = phone.post("/join/api/note", big)
    assert got == 413 and "at most 8 KB" in answer["error"]
    assert store.notes(code).empty


@pytest.mark.parametrize(
    ("text", "words"),
    [("\u200b\u2060\ufeff\u3164", "empty"), ("x" * 600, "600 characters, at most 500"), (None, "must be text")],
)
def test_invisible_or_long_notes_are_refused(session, text, words):
    base, store, code, _key = session
    phone = joined(base, code)
    got, answer = phone.post("/join/api/note", {"item_id": QUESTION, "text": text})
    assert got == 400 and words in answer["error"]
    assert store.notes(code).empty


def test_a_note_of_500_characters_is_posted_and_one_of_501_is_refused(session):
    base, store, code, _key = session
    phone = joined(base, code)
    assert phone.api("/join/api/state")[1]["max_note"] == 500  # what the page's counter counts down from
    got, answer = phone.post("/join/api/note", {"item_id": QUESTION, "text": "é" * 501})
    assert got == 400 and "501 characters, at most 500" in answer["error"]
    assert store.notes(code).empty
    got, answer = phone.post("/join/api/note", {"item_id": QUESTION, "text": "é" * 500})
    assert got == 200, answer
    assert store.notes(code)["text"].tolist() == ["é" * 500]


def test_a_second_note_within_the_interval_waits(session):
    base, store, code, _key = session
    phone = joined(base, code)
    assert phone.post("/join/api/note", {"item_id": QUESTION, "text": "one"})[0] == 200
    got, answer = phone.post("/join/api/note", {"item_id": QUESTION, "text": "two"})
    assert got == 400 and "every 5 seconds" in answer["error"]


@pytest.mark.parametrize("forged", ["", "{code}", "{code}.not-a-participant", "ZZZZZZ.{participant}", "{code}.{other}"])
def test_a_forged_participant_cookie_is_refused_and_counted(session, forged):
    base, store, code, _key = session
    phone = joined(base, code)
    participant = phone.cookie(join_page.PARTICIPANT_COOKIE).value.partition(".")[2]
    other_code, _other_key = store.create("Elsewhere", [QUESTION])
    other = store.join(other_code)
    cookie = phone.cookie(join_page.PARTICIPANT_COOKIE)
    cookie.value = forged.format(code=code, participant=participant, other=other)
    if not cookie.value:
        phone.cookies.clear(cookie.domain, cookie.path, cookie.name)
    for path in ("/join/api/state", "/join/api/status"):
        got, answer = phone.api(path)
        assert got == 401 and "join" in answer["error"].lower()
    got, _answer = phone.post("/join/api/vote", {"item_id": QUESTION, "value": 1})
    assert got == 401
    assert store.votes(code).empty


def test_wrong_codes_through_the_page_are_limited(session):
    base, _store, code, _key = session
    phone = Phone(base)
    phone.open_page()
    for _attempt in range(workshop.MAX_FAILED_JOINS):
        assert phone.post("/join/api/join", {"code": "ZZZZZZ"})[0] == 404
    got, answer = phone.post("/join/api/join", {"code": code})
    assert got == 429 and "wait" in answer["error"]


@pytest.mark.parametrize(
    ("content_type", "headers", "body", "status"),
    [
        ("application/x-www-form-urlencoded", {}, b"code=ABC", 415),
        ("text/plain", {}, b'{"code": "ABC"}', 415),
        ("application/json", {"Origin": "http://evil.example"}, b'{"code": "ABC"}', 403),
        ("application/json", {}, b"not json", 400),
        ("application/json", {}, b"[1, 2]", 400),
        ("application/json", {}, b"\xff\xfe", 400),
    ],
)
def test_requests_that_are_not_this_page_s_json_are_refused(session, content_type, headers, body, status):
    base, store, _code, _key = session
    phone = Phone(base)
    phone.open_page()
    got, answer = phone.post("/join/api/join", body, content_type=content_type, headers=headers)
    assert got == status and answer["error"]
    assert store.state(_code)["participants"] == 0


def test_streamlit_run_finds_the_server_with_the_join_page_in_app_py():
    from streamlit.web.server.app_discovery import discover_asgi_app

    entrypoint = Path(__file__).resolve().parents[1] / "app.py"
    found = discover_asgi_app(entrypoint)
    assert found.is_asgi_app and found.import_string == "app:app"
    assert "routes=routes()" in entrypoint.read_text()
