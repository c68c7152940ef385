"""The real server binary on a temporary SQLite database, for every test."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "testing"))
from running_server import Server, server  # noqa: F401  (server: the shared fixture)


@pytest.fixture(autouse=True)
def journal_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test's journals in its own folder (never the user's cache)."""
    folder = tmp_path / "journals"
    monkeypatch.setenv("TRACKBOARD_DIR", str(folder))
    return folder


@pytest.fixture
def client(server: Server, monkeypatch: pytest.MonkeyPatch):
    from trackboard import Client

    monkeypatch.setenv("TRACKBOARD_URL", server.url)
    monkeypatch.setenv("TRACKBOARD_TOKEN", server.token or "")
    return Client(retries=3)


@pytest.fixture
def project(client):
    return client.create_project(f"project-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def experiment(project):
    with project.create_experiment("run") as experiment:
        yield experiment
