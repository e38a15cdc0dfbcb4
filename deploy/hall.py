"""Run PoC Explorer for a hall: several app instances behind Debian's nginx, one PostgreSQL database behind them.

    python deploy/hall.py --db postgresql+psycopg://user:password@host/dbname [--port 8500] [--instances 2]

Each instance is `streamlit run app.py` on its own localhost port, with POC_WORKSHOP_DB set to the shared database
and POC_TRUSTED_PROXIES to nginx's address (127.0.0.1), so that the join limits tell participants apart by the
address nginx forwards. nginx (the `nginx` on PATH, or --nginx) listens on --port on every interface and passes
websockets (Streamlit's pages), keeps server-sent and long answers unbuffered, and sends a request that finds an
instance down to another one: a participant's light page (/join) carries on through the other instances, since
everything it needs is in the database and its cookies. A Streamlit page holds its session in the instance that
served it: after that instance stops, the facilitator reopens the page and resumes the session with its code and key.
Stop everything with Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream poc_explorer {{
        # One browser stays on one instance (a Streamlit page's session lives there), by its address and the join
        # page's browser cookie, so that a hall behind one router spreads over the instances; a down one is skipped.
        hash $remote_addr$cookie_poc_ws_browser consistent;
{servers}
    }}
    server {{
        listen {listen};
        client_max_body_size 50m;
        location / {{
            proxy_pass http://poc_explorer;
            proxy_http_version 1.1;
            # Websockets (Streamlit's pages).
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            # Server-sent events and long answers go out as they come.
            proxy_buffering off;
            proxy_cache off;
            # A request that finds an instance down is sent to the next one.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Hall:
    """The running instances and nginx; `stop()` ends them (by their process ids)."""

    port: int
    instances: dict[int, subprocess.Popen] = field(default_factory=dict)
    nginx: subprocess.Popen | None = None
    run_dir: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop_instance(self, port: int) -> None:
        _stop(self.instances[port])

    def stop(self) -> None:
        for process in [*self.instances.values(), self.nginx]:
            if process is not None:
                _stop(process)
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _wait(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise TimeoutError(f"no answer from {url} within {seconds} s")


def start(db: str, *, port: int, instances: int = 2, nginx: str = "nginx", listen: str | None = None) -> Hall:
    """Start `instances` app instances on the database `db` and nginx in front on `port`."""
    hall = Hall(port=port, run_dir=Path(tempfile.mkdtemp(prefix="poc-hall-")))
    env = {**os.environ, "POC_WORKSHOP_DB": db, "POC_TRUSTED_PROXIES": "127.0.0.1"}
    try:
        for _number in range(instances):
            instance_port = free_port()
            command = [
                sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
                "--server.port", str(instance_port), "--server.address", "127.0.0.1", "--server.headless", "true",
                "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            ]  # fmt: skip
            hall.instances[instance_port] = subprocess.Popen(  # noqa: S603 - fixed command
                command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        for instance_port, process in hall.instances.items():
            _wait(f"http://127.0.0.1:{instance_port}/_stcore/health", process)
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in hall.instances)
        config = hall.run_dir / "nginx.conf"
        config.write_text(NGINX_CONF.format(run=hall.run_dir, servers=servers, listen=listen or f"127.0.0.1:{port}"))
        hall.nginx = subprocess.Popen(  # noqa: S603 - fixed command
            [nginx, "-p", str(hall.run_dir), "-c", str(config)], start_new_session=True, stderr=subprocess.PIPE
        )
        _wait(f"{hall.base}/_stcore/health", hall.nginx)
    except Exception:
        hall.stop()
        raise
    return hall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the shared database (PostgreSQL URL)")
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    arguments = parser.parse_args()
    hall = start(arguments.db, port=arguments.port, instances=arguments.instances, nginx=arguments.nginx,
                 listen=f"0.0.0.0:{arguments.port}")  # fmt: skip
    sys.stderr.write(
        f"PoC Explorer for a hall on port {arguments.port} ({len(hall.instances)} instances); Ctrl+C stops.\n"
    )
    try:
        hall.nginx.wait()
    except KeyboardInterrupt:
        pass
    finally:
        hall.stop()


if __name__ == "__main__":
    main()
