"""The real Trackboard server binary on a temporary SQLite database, shared by the
client test suites (the Python client's and MLflow's)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(os.environ.get("TRACKBOARD_SERVER_BIN", ROOT / "target/debug/trackboard-server"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A running tracking server; `stop` and `start` again keep its data and port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token: Optional[str] = None
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "Server":
        log = open(self.folder / "server.log", "ab")
        self.process = subprocess.Popen(
            [str(SERVER), "--bind", f"127.0.0.1:{self.port}",
             "--database-url", f"sqlite://{self.folder / 'trackboard.db'}",
             "--artifact-dir", str(self.folder / "artifacts"),
             "--dashboard-dir", str(self.folder / "no-dashboard"), "--no-demo"],
            stdout=subprocess.PIPE, stderr=log)
        assert self.process.stdout is not None
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.process.stdout.readline().decode()
            found = re.search(r"#token=(\S+)", line)
            if found:
                self.token = found.group(1)
            if "running at" in line:
                return self
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError(f"the server did not start: {(self.folder / 'server.log').read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.url}/api/v1{path}",
                                headers={"Authorization": f"Bearer {self.token}"}, **kwargs)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One running server for a whole test session, on a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        running = Server(Path(folder)).start()
        yield running
        running.stop()
