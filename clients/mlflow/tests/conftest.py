"""MLflow's own client (mlflow-skinny) against the real Trackboard server."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "testing"))
from running_server import Server, server  # noqa: F401  (server: the shared fixture)


@pytest.fixture
def mlflow(server: Server, monkeypatch: pytest.MonkeyPatch):  # noqa: F811  (the fixture above)
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
