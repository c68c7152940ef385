"""MLflow's own client (mlflow-skinny) against the real Trackboard server."""

from __future__ import annotations

import sys
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "testing"))
from running_server import Server  # noqa: E402


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with tempfile.TemporaryDirectory() as folder:
        running = Server(Path(folder)).start()
        yield running
        running.stop()


@pytest.fixture
def mlflow(server: Server, monkeypatch: pytest.MonkeyPatch):
    """The `mlflow` module pointed at the server as a user would: two variables."""
    import mlflow

    monkeypatch.setenv("MLFLOW_TRACKING_URI", server.url)
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", server.token or "")
    mlflow.set_tracking_uri(server.url)
    yield mlflow
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture
def experiment_name() -> str:
    return f"mlflow-{uuid.uuid4().hex[:8]}"
