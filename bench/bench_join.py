"""Workshop in a hall: 1,000 participants as plain HTTP clients on the light page (/join) of one server.

The app runs as users run it (`streamlit run app.py`, a fresh SQLite workshop database). Each simulated participant
is what a phone does on /join: it downloads the page and its two files, joins with a name, reads the session's state,
then asks for the status every 3 s as the page's script does; when the facilitator opens voting it reads the state
again and votes, and it posts one note. Participants join over `--ramp` seconds and vote at a random moment within
10 s of seeing voting open. The projector is simulated by what the facilitator's page reads every second (the
session's state, the item's grouped tally and the newest notes of the wall) through the same store, in this process:
a vote's latency is from its answer to the first projector read that counts it (the page's drawing is not included;
bench/bench_workshop.py measures that in Chromium for 20 participants).

The server's CPU time and resident memory are read from /proc (Linux) before anyone joins, with everyone joined and
at the end.

    .venv/bin/python bench/bench_join.py                      # 1,000 participants; writes bench/results-join.md
    .venv/bin/python bench/bench_join.py --participants 200 --output /tmp/join.md
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from poc_data import workshop  # noqa: E402
from tests.browser.server import free_port, start_server, stop_server  # noqa: E402
from tests.workshop_db import drop_tables  # noqa: E402

sys.path.insert(0, str(REPO / "deploy"))
import hall  # noqa: E402 - the deployment script

AGENDA = ["civic-2019-t1-q-1", "civic-2019-t1-q-2"]
POLL_SECONDS = 3
PROJECTOR_SECONDS = 1
NOTES_SHOWN = 30
VOTE_WITHIN_SECONDS = 10


class Phone:
    """One participant's browser: one keep-alive HTTP/1.1 connection, its cookies, the bytes it downloaded."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.downloaded = 0
        self.requests = 0
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        data = json.dumps(body).encode() if body is not None else b""
        headers = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        if self.cookies:
            headers.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        if body is not None:
            headers += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        self.writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + data)
        await self.writer.drain()
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        received = len(status_line)
        while True:
            line = await self.reader.readline()
            received += len(line)
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "set-cookie":
                cookie = value.strip().split(";")[0]
                key, _, cookie_value = cookie.partition("=")
                self.cookies[key] = cookie_value.strip('"')
        content = await self.reader.readexactly(length)
        self.downloaded += received + length
        self.requests += 1
        return status, content

    async def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        status, content = await self.request(method, path, body)
        return status, json.loads(content)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def server_usage(pids: list[int]) -> dict[str, float]:
    """CPU seconds (user and system, the processes and their threads) and resident memory in MB of the app's
    server processes, summed (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage = {"cpu": 0.0, "VmRSS": 0.0, "VmHWM": 0.0}
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        usage["cpu"] += (int(fields[11]) + int(fields[12])) / ticks
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                usage[name] += int(value.split()[0]) / 1024
    return usage


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Projector(threading.Thread):
    """What the facilitator's page reads every second; records when each participant's vote is first counted."""

    def __init__(self, store: workshop.WorkshopStore, code: str, item_id: str) -> None:
        super().__init__(daemon=True)
        self.store, self.code, self.item_id = store, code, item_id
        self.seen_counts: list[tuple[float, int]] = []
        self.read_seconds: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            self.store.state(self.code)
            tally = self.store.tally(self.code, self.item_id)
            self.store.wall(self.code, self.item_id, NOTES_SHOWN)
            done = time.monotonic()
            self.read_seconds.append(done - started)
            self.seen_counts.append((done, int(tally["ballots"].iloc[0]) if not tally.empty else 0))
            self.stop.wait(max(0.0, PROJECTOR_SECONDS - (done - started)))


async def participant(number: int, base: tuple[str, int], code: str, item_id: str, start_at: float, result: dict):
    phone = Phone(*base)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    try:
        for path in ("/join", "/join/join.css", "/join/join.js"):
            status, _content = await phone.request("GET", path)
            assert status == 200, (path, status)
        status, _ = await phone.api("GET", "/join/api/state")
        status, answer = await phone.api("POST", "/join/api/join", {"code": code, "name": f"P{number}"})
        assert status == 200, answer
        status, state = await phone.api("GET", "/join/api/state")
        assert status == 200, state
        result["join_bytes"].append(phone.downloaded)
        result["join_requests"].append(phone.requests)
        result["joined"] += 1
        version, voted, noted = state["version"], False, False
        vote_at = None
        while time.monotonic() < result["end_at"]:
            await asyncio.sleep(POLL_SECONDS * (0.9 + 0.2 * random.random()))
            started = time.monotonic()
            status, status_answer = await phone.api("GET", "/join/api/status")
            result["poll_seconds"].append(time.monotonic() - started)
            if status != 200:
                result["errors"].append(f"status {status}")
                continue
            if status_answer["version"] != version:
                status, state = await phone.api("GET", "/join/api/state")
                version = state["version"]
                if state["voting_open"] and vote_at is None:
                    vote_at = time.monotonic() + random.random() * VOTE_WITHIN_SECONDS
            if vote_at is not None and not voted and time.monotonic() >= vote_at:
                status, answer = await phone.api(
                    "POST", "/join/api/vote", {"item_id": item_id, "value": number % 5 - 2}
                )
                if status == 200:
                    result["votes"].append(time.monotonic())
                    voted = True
                else:
                    result["errors"].append(answer.get("error", status))
            if voted and not noted:
                status, answer = await phone.api(
                    "POST", "/join/api/note", {"item_id": item_id, "text": f"Note {number}"}
                )
                noted = status == 200
                if not noted:
                    result["errors"].append(answer.get("error", status))
    except (OSError, AssertionError, asyncio.IncompleteReadError, ValueError) as error:
        result["errors"].append(repr(error)[:200])
    finally:
        phone.close()


async def room(address, pids, code, item_id, participants, ramp, open_at, end_at, store, key) -> dict:
    result = {"joined": 0, "join_bytes": [], "join_requests": [], "votes": [], "poll_seconds": [], "errors": []}
    result["end_at"] = end_at

    async def facilitator():
        await asyncio.sleep(max(0.0, open_at - time.monotonic()))
        result["usage_joined"] = server_usage(pids)
        result["opened_at"] = time.monotonic()
        await asyncio.to_thread(store.open_voting, code, key)

    now = time.monotonic()
    await asyncio.gather(
        facilitator(),
        *(participant(n, address, code, item_id, now + ramp * n / participants, result) for n in range(participants)),
    )
    return result


def run(participants: int, ramp: float, hold: float, hall_db: str | None = None, nginx: str = "nginx") -> dict:
    """One server on a SQLite file, or (`hall_db`) two instances on that PostgreSQL behind nginx (deploy/hall.py)."""
    with tempfile.TemporaryDirectory() as directory:
        url = hall_db or f"sqlite+pysqlite:///{Path(directory) / 'workshops.sqlite3'}"
        os.environ[workshop.DB_VARIABLE] = url
        if hall_db:
            drop_tables(url)
        store = workshop.WorkshopStore(url)
        code, key = store.create("Benchmark", AGENDA)
        store.reveal(code, key)
        if hall_db:
            started_hall = hall.start(url, port=free_port(), instances=2, nginx=nginx)
            base, pids, stop = started_hall.base, [p.pid for p in started_hall.instances.values()], started_hall.stop
        else:
            process, base = start_server()
            pids, stop = [process.pid], lambda: stop_server(process)
        try:
            host, port = base.removeprefix("http://").split(":")
            before = server_usage(pids)
            projector = Projector(store, code, AGENDA[0])
            projector.start()
            started = time.monotonic()
            open_at = started + ramp + 5
            end_at = open_at + VOTE_WITHIN_SECONDS + hold
            result = asyncio.run(
                room((host, int(port)), pids, code, AGENDA[0], participants, ramp, open_at, end_at, store, key)
            )
            time.sleep(PROJECTOR_SECONDS * 2)
            projector.stop.set()
            projector.join()
            after = server_usage(pids)
        finally:
            stop()
        stored = len(store.votes(code))
        notes = len(store.notes(code))
        store.close()
    votes = sorted(result["votes"])
    latencies = []
    for index, voted_at in enumerate(votes, start=1):
        seen = next((at for at, count in projector.seen_counts if at >= voted_at and count >= index), None)
        if seen is not None:
            latencies.append(seen - voted_at)
    session_seconds = end_at - result["opened_at"]
    return {
        "participants": participants,
        "joined": result["joined"],
        "votes": len(votes),
        "stored": stored,
        "notes": notes,
        "errors": result["errors"],
        "latencies": latencies,
        "join_bytes": result["join_bytes"],
        "join_requests": result["join_requests"],
        "poll_seconds": result["poll_seconds"],
        "projector_reads": projector.read_seconds,
        "before": before,
        "joined_usage": result["usage_joined"],
        "after": after,
        "session_seconds": session_seconds,
        "ramp": ramp,
        "hall": bool(hall_db),
    }


def report(measured: dict) -> str:
    count = measured["participants"]
    latencies = measured["latencies"]
    before, joined, after = measured["before"], measured["joined_usage"], measured["after"]
    cpu_session = after["cpu"] - joined["cpu"]
    cpu_join = joined["cpu"] - before["cpu"]
    load = os.getloadavg()[0]
    lines = [
        "# Workshop in a hall: participants on the light page",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `bench/bench_join.py --participants {count}"
        + (" --hall`" if measured["hall"] else "`")
        + f" on {os.cpu_count()} cores (load average {load:.1f} at the end; the simulated phones run on the same "
        "cores as the server). "
        + (
            "Two instances (`streamlit run app.py`) on one PostgreSQL behind nginx (deploy/hall.py; the phones "
            "spread over them by their browser cookie; CPU and memory are the two instances' sums, nginx and "
            "PostgreSQL not counted)"
            if measured["hall"]
            else "One server (`streamlit run app.py`), a SQLite workshop database"
        )
        + "; each participant is a plain HTTP client doing what the /join page does; the projector's reads are "
        "simulated (see the script).",
        "",
        f"- Participants: {count}; joined: {measured['joined']} over {measured['ramp']:.0f} s; votes answered: "
        f"{measured['votes']}, stored: {measured['stored']}; notes stored: {measured['notes']}; errors: "
        f"{len(measured['errors'])}.",
    ]
    if latencies:
        lines.append(
            f"- Vote-to-projector (a vote's answer to the projector's first read that counts it; the projector reads "
            f"every {PROJECTOR_SECONDS} s): median {statistics.median(latencies):.2f} s, p95 "
            f"{percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s (goal: p95 at most 3 s)."
        )
    if measured["join_bytes"]:
        lines.append(
            f"- A phone downloads {statistics.median(measured['join_bytes']) / 1024:.1f} KB in "
            f"{statistics.median(measured['join_requests']):.0f} requests to join (page, style, script, state, join, "
            "state; HTTP headers included; the Streamlit page is 2.9 MB in 104 requests)."
        )
    if measured["poll_seconds"]:
        polls = measured["poll_seconds"]
        lines.append(
            f"- Status poll answered in median {statistics.median(polls) * 1000:.0f} ms, p95 "
            f"{percentile(polls, 0.95) * 1000:.0f} ms ({len(polls)} polls)."
        )
    reads = measured["projector_reads"]
    lines.append(
        f"- The projector's reads (state, grouped tally, newest {NOTES_SHOWN} notes): median "
        f"{statistics.median(reads) * 1000:.0f} ms."
    )
    lines += [
        "",
        "| server | CPU seconds | resident memory |",
        "|---|---|---|",
        f"| before anyone joins | {before['cpu']:.1f} | {before['VmRSS']:.0f} MB |",
        f"| everyone joined | {joined['cpu']:.1f} | {joined['VmRSS']:.0f} MB |",
        f"| at the end | {after['cpu']:.1f} | {after['VmRSS']:.0f} MB (peak {after['VmHWM']:.0f} MB) |",
        "",
        f"Per participant: {(joined['VmRSS'] - before['VmRSS']) * 1024 / count:.0f} KB of server memory, "
        f"{cpu_join * 1000 / count:.0f} ms of server CPU to join, and {cpu_session * 1000 / count:.0f} ms of server "
        f"CPU over the {measured['session_seconds']:.0f} s of voting, polling and notes "
        f"({cpu_session / measured['session_seconds'] * 100:.0f}% of one core for the room).",
    ]
    if measured["errors"]:
        lines += ["", "Errors (first 5): " + "; ".join(str(error) for error in measured["errors"][:5])]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the participants join")
    parser.add_argument("--hold", type=float, default=15.0, help="seconds after the last vote may come")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "results-join.md")
    parser.add_argument(
        "--hall", metavar="POSTGRESQL_URL", help="two instances on this database behind nginx (its tables are dropped)"
    )
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    arguments = parser.parse_args()
    text = report(run(arguments.participants, arguments.ramp, arguments.hold, arguments.hall, arguments.nginx))
    arguments.output.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
