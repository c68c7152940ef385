"""`trackboard import mlflow`: a real MLflow store (a local `mlruns` folder written by
MLflow's own client) imported through the command, then read back with MLflow's client
through `/api/2.0/mlflow` and through the native API. Values are compared bit for bit."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient

CLI = [sys.executable, "-m", "trackboard.cli", "import", "mlflow"]


def bits(value: float) -> bytes:
    return struct.pack("<d", value)


def history(client: MlflowClient, run_id: str, key: str) -> list[tuple[int, int, bytes]]:
    return [(m.step, m.timestamp, bits(m.value)) for m in client.get_metric_history(run_id, key)]


def import_store(server, uri: str, *more: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "--tracking-uri", uri, "--url", server.url,
                           "--token", server.token or "", *more],
                          capture_output=True, text=True, check=False, env=os.environ.copy())


@pytest.fixture
def store(tmp_path: Path) -> tuple[MlflowClient, str]:
    uri = (tmp_path / "mlruns").as_uri()
    return MlflowClient(tracking_uri=uri), uri


def assert_same_runs(source: MlflowClient, target: MlflowClient, run_ids: list[str]) -> None:
    for run_id in run_ids:
        expected, got = source.get_run(run_id), target.get_run(run_id)
        assert got.info.run_id == run_id
        for attribute in ("status", "start_time", "end_time", "user_id"):
            assert getattr(got.info, attribute) == getattr(expected.info, attribute), attribute
        assert got.data.params == expected.data.params
        for key, value in expected.data.tags.items():
            if key != "mlflow.runName":
                assert got.data.tags.get(key) == value, key
        for key in expected.data.metrics:
            assert history(target, run_id, key) == history(source, run_id, key), key


def test_an_mlflow_store_imports_bit_for_bit_with_its_run_ids_and_again_only_what_is_new(
        mlflow, server, store, tmp_path):
    source, uri = store
    name = f"imported-{uuid.uuid4().hex[:8]}"
    files = tmp_path / "files"
    files.mkdir()
    experiment = source.create_experiment(name, tags={"team": "vision"})
    runs = populate_in(source, experiment, files)

    done = import_store(server, uri)
    assert done.returncode == 0, done.stderr
    assert "2 experiments" in done.stdout, done.stdout
    assert "skipped" not in done.stdout, done.stdout
    assert "2 artifacts" in done.stdout, done.stdout
    target = MlflowClient(tracking_uri=server.url)
    assert_same_runs(source, target, list(runs.values()))
    imported = target.get_experiment_by_name(name)
    assert imported.tags.get("team") == "vision"
    found = target.search_runs([imported.experiment_id], "params.lr = '0.001'")
    assert [run.info.run_id for run in found] == [runs["baseline"]]
    assert target.get_run(runs["baseline"]).data.tags["mlflow.note.content"] == "the first try"
    listed = {f.path for f in target.list_artifacts(runs["baseline"])}
    assert listed == {"config.yaml", "weights"}
    weights = target.download_artifacts(runs["baseline"], "weights/best.bin", str(tmp_path))
    assert Path(weights).read_bytes() == bytes(range(256)) * 40

    # The native API sees projects and experiments. The chart's LINE takes each value at a
    # step after its last (docs/MLFLOW.md): step 2, logged after step 5, is history only.
    project = next(p for p in server.api("GET", "/projects", params={"limit": 1000}).json()["items"]
                   if p["name"] == name)
    experiments = server.api("GET", f"/projects/{project['id']}/experiments").json()["items"]
    assert sorted(e["name"] for e in experiments) == ["baseline", "baseline (2)"]
    baseline = next(e for e in experiments if e["name"] == "baseline")
    csv = server.api("GET", f"/experiments/{baseline['id']}/logs/accuracy/points.csv").text
    rows = [line.split(",") for line in csv.splitlines()[1:]]
    # The NaN at step 6 is a gap (an empty value) in the chart; its history keeps it.
    assert [(int(step), float(value) if value else None) for _, step, value in rows] == \
        [(5, 0.25), (6, None), (7, 0.1 + 0.2)], csv

    # Again: nothing twice. Then the store grows: only what is new arrives.
    again = import_store(server, uri)
    assert again.returncode == 0, again.stderr
    assert "0 experiments, 0 logs, 0 points" in again.stdout and "0 artifacts" in again.stdout, \
        again.stdout
    assert_same_runs(source, target, list(runs.values()))
    source.log_metric(runs["baseline"], "loss", 0.001, timestamp=1_800_000_000_000, step=2_500)
    source.log_metric(runs["baseline"], "f1", 0.5, timestamp=1_800_000_000_001, step=0)
    grown = import_store(server, uri, "--experiment", name)
    assert grown.returncode == 0, grown.stderr
    assert "1 logs, 2 points" in grown.stdout, grown.stdout
    assert_same_runs(source, target, list(runs.values()))


def populate_in(source: MlflowClient, experiment: str, files: Path) -> dict[str, str]:
    """Two runs with what users' stores hold, repeats, NaN and artifacts included;
    answers a name for each → its run id."""
    first = source.create_run(experiment, run_name="baseline", start_time=1_700_000_000_123,
                              tags={"mlflow.note.content": "the first try", "stage": "dev"})
    run_id = first.info.run_id
    long = [Metric("loss", 1.0 / (step + 1) + 1e-17 * step, 1_700_000_001_000 + step, step)
            for step in range(2_500)]  # more than one log-batch of 1,000
    source.log_batch(run_id, metrics=long, params=[Param("lr", "0.001"), Param("layers", "50")],
                     tags=[RunTag("seed", "7")])
    source.log_metric(run_id, "accuracy", 0.25, timestamp=10, step=5)
    source.log_metric(run_id, "accuracy", 0.5, timestamp=11, step=2)   # out of order
    source.log_metric(run_id, "accuracy", 0.5, timestamp=11, step=2)   # an exact repeat
    source.log_metric(run_id, "accuracy", 0.75, timestamp=12, step=2)  # a step again
    source.log_metric(run_id, "accuracy", float("nan"), timestamp=13, step=6)
    source.log_metric(run_id, "accuracy", 0.1 + 0.2, timestamp=14, step=7)
    (files / "config.yaml").write_text("lr: 0.001\n")
    (files / "weights").mkdir()
    (files / "weights" / "best.bin").write_bytes(bytes(range(256)) * 40)
    source.log_artifact(run_id, str(files / "config.yaml"))
    source.log_artifact(run_id, str(files / "weights" / "best.bin"), "weights")
    source.set_terminated(run_id, "FINISHED", end_time=1_700_000_900_000)
    second = source.create_run(experiment, run_name="baseline", start_time=1_700_000_500_000)
    source.log_metric(second.info.run_id, "loss", 3.0, timestamp=1, step=0)
    source.set_terminated(second.info.run_id, "FAILED", end_time=1_700_000_600_000)
    return {"baseline": run_id, "again": second.info.run_id}


def test_an_unknown_experiment_or_a_missing_client_says_so(server, store):
    _, uri = store
    missing = import_store(server, uri, "--experiment", "no-such-experiment")
    assert missing.returncode != 0
    assert "no experiment named 'no-such-experiment'" in missing.stderr
    # An MLflow server that does not answer: one line saying so, no traceback.
    unreachable = subprocess.run([*CLI, "--tracking-uri", "http://127.0.0.1:9", "--url", server.url,
                                  "--token", server.token or ""], capture_output=True, text=True,
                                 check=False, env={**os.environ, "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
                                                   "MLFLOW_HTTP_REQUEST_TIMEOUT": "5"})
    assert unreachable.returncode == 1, unreachable.stderr
    assert "reading http://127.0.0.1:9" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr
