"""Scripts written for MLflow log to Trackboard unchanged, and Trackboard's own API then
shows the same data: runs as experiments, metrics as LINE logs, params and tags as
TABLE logs, artifacts as artifacts."""

from __future__ import annotations

import json
import math
import os
import random
import struct
from pathlib import Path

import pytest
import requests
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException


def experiment_id_of(run_id: str) -> int:
    return int(run_id, 16)


def native(server, path: str):
    answer = server.api("GET", path)
    assert answer.status_code == 200, answer.text
    return answer.json()


def bits(value: float) -> bytes:
    return struct.pack("<d", value)


def test_a_training_loop_logs_metrics_params_and_tags(mlflow, server, experiment_name):
    mlflow.set_experiment(experiment_name)
    rng = random.Random(7)
    losses = [rng.uniform(-1e6, 1e6) for _ in range(200)] + [5e-324, -1.7976931348623157e308]
    with mlflow.start_run(run_name="baseline") as run:
        for step, loss in enumerate(losses):
            mlflow.log_metric("loss", loss, step=step)
        mlflow.log_metrics({"accuracy": 0.875, "f1": 0.5})
        mlflow.log_params({f"layer_{i}": i * 16 for i in range(120)})
        mlflow.log_param("optimizer", "adam")
        mlflow.set_tags({"team": "vision", "dataset": "coco-2017"})
    run_id = run.info.run_id

    client = MlflowClient()
    history = client.get_metric_history(run_id, "loss")
    assert [m.step for m in history] == list(range(len(losses)))
    assert [bits(m.value) for m in history] == [bits(v) for v in losses]
    finished = client.get_run(run_id)
    assert finished.info.status == "FINISHED"
    assert finished.data.params["layer_119"] == "1904"
    assert finished.data.tags["team"] == "vision"
    assert finished.data.metrics["accuracy"] == 0.875

    # The same data through Trackboard's own API.
    experiment_id = experiment_id_of(run_id)
    experiment = native(server, f"/experiments/{experiment_id}")
    assert experiment["name"] == "baseline"
    assert experiment["status"] == "success"
    points = native(server, f"/experiments/{experiment_id}/logs/loss/points?width=10000")
    series = points["series"][0]
    assert series["steps"] == list(range(len(losses)))
    assert [bits(v) for v in series["values"]] == [bits(v) for v in losses]
    parameters = native(server, f"/experiments/{experiment_id}/logs/parameters")["data"]
    assert len(parameters) == 121 and parameters["optimizer"] == "adam"
    tags = native(server, f"/experiments/{experiment_id}/logs/tags")["data"]
    assert tags["dataset"] == "coco-2017"
    projects = native(server, "/projects?limit=200")["items"]
    assert experiment_name in [p["name"] for p in projects]


def test_nested_runs_and_every_end_status(mlflow, server, experiment_name):
    mlflow.set_experiment(experiment_name)
    statuses = {"FINISHED": "success", "FAILED": "failed", "KILLED": "cancelled"}
    with mlflow.start_run(run_name="parent") as parent:
        children = {}
        for status in statuses:
            with mlflow.start_run(run_name=f"child-{status}", nested=True) as child:
                mlflow.log_metric("x", 1.0)
            # The context manager ended it FINISHED; end it again with the status tested.
            MlflowClient().set_terminated(child.info.run_id, status=status)
            children[status] = child.info.run_id
    for status, run_id in children.items():
        run = MlflowClient().get_run(run_id)
        assert run.info.status == status
        assert run.data.tags["mlflow.parentRunId"] == parent.info.run_id
        assert run.info.end_time is not None
        assert native(server, f"/experiments/{experiment_id_of(run_id)}")["status"] == statuses[status]


def test_search_runs_and_experiments_with_filters_and_order(mlflow, experiment_name):
    experiment_id = mlflow.set_experiment(experiment_name).experiment_id
    for name, accuracy, lr in [("a", 0.7, "0.1"), ("b", 0.9, "0.01"), ("c", 0.8, "0.01")]:
        with mlflow.start_run(run_name=name):
            mlflow.log_metric("accuracy", accuracy)
            mlflow.log_param("lr", lr)
    found = mlflow.search_runs(
        experiment_ids=[experiment_id],
        filter_string="metrics.accuracy > 0.75 and params.lr = '0.01'",
        order_by=["metrics.accuracy DESC"],
        output_format="list",
    )
    assert [run.info.run_name for run in found] == ["b", "c"]
    by_name = MlflowClient().search_runs(
        [experiment_id], filter_string="tags.mlflow.runName LIKE 'a%'"
    )
    assert [run.info.run_name for run in by_name] == ["a"]
    experiments = MlflowClient().search_experiments(filter_string=f"name = '{experiment_name}'")
    assert [e.experiment_id for e in experiments] == [experiment_id]


def test_artifacts_folders_text_and_dicts_round_trip(mlflow, server, experiment_name, tmp_path):
    mlflow.set_experiment(experiment_name)
    folder = tmp_path / "outputs"
    (folder / "nested").mkdir(parents=True)
    (folder / "weights.bin").write_bytes(os.urandom(300_000))
    (folder / "nested" / "config.yaml").write_text("lr: 0.01\n")
    single = tmp_path / "notes.md"
    single.write_text("# notes\n")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(single))
        mlflow.log_artifacts(str(folder), artifact_path="outputs")
        mlflow.log_text("hello", "texts/hello.txt")
        mlflow.log_dict({"classes": ["cat", "dog"]}, "labels.json")
    run_id = run.info.run_id
    client = MlflowClient()
    assert sorted(f.path for f in client.list_artifacts(run_id)) == [
        "labels.json", "notes.md", "outputs", "texts"]
    assert sorted(f.path for f in client.list_artifacts(run_id, "outputs")) == [
        "outputs/nested", "outputs/weights.bin"]
    target = tmp_path / "download"
    mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=str(target))
    assert (target / "outputs" / "weights.bin").read_bytes() == (folder / "weights.bin").read_bytes()
    assert (target / "outputs" / "nested" / "config.yaml").read_text() == "lr: 0.01\n"
    assert json.loads((target / "labels.json").read_text()) == {"classes": ["cat", "dog"]}
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/texts/hello.txt") == "hello"
    names = [a["name"] for a in native(server, f"/experiments/{experiment_id_of(run_id)}/artifacts?limit=100")["items"]]
    assert sorted(names) == ["labels.json", "notes.md", "outputs/nested/config.yaml",
                             "outputs/weights.bin", "texts/hello.txt"]


def test_large_files_go_up_in_parts_when_the_client_asks(mlflow, server, experiment_name,
                                                          tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", str(1 << 20))
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", str(1 << 20))
    from mlflow.store.artifact.http_artifact_repo import HttpArtifactRepository

    parts = []
    upload_part = HttpArtifactRepository._upload_part

    def counted(**arguments):
        parts.append(arguments["credential"].part_number)
        return upload_part(**arguments)

    monkeypatch.setattr(HttpArtifactRepository, "_upload_part", staticmethod(counted))
    mlflow.set_experiment(experiment_name)
    weights = tmp_path / "weights.bin"
    weights.write_bytes(os.urandom(3 * (1 << 20) + 12345))
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(weights), artifact_path="checkpoints")
    assert sorted(parts) == [1, 2, 3, 4], "sent in four parts, not one PUT"
    local = mlflow.artifacts.download_artifacts(
        run_id=run.info.run_id, artifact_path="checkpoints/weights.bin", dst_path=str(tmp_path / "back"))
    assert Path(local).read_bytes() == weights.read_bytes()
    artifacts = native(server, f"/experiments/{experiment_id_of(run.info.run_id)}/artifacts")["items"]
    assert [(a["name"], a["size"]) for a in artifacts] == [("checkpoints/weights.bin", weights.stat().st_size)]


def test_bad_input_raises_mlflows_exception_and_stores_nothing(mlflow, server, experiment_name):
    client = MlflowClient()
    experiment_id = client.create_experiment(experiment_name)
    with pytest.raises(MlflowException) as duplicate:
        client.create_experiment(experiment_name)
    assert duplicate.value.error_code == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(MlflowException) as missing:
        client.get_run("0" * 31 + "f")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"

    run = client.create_run(experiment_id)
    run_id = run.info.run_id
    # MLflow's client splits a long batch into requests of 1,000 itself; a request over
    # the limit (another client, or curl) is refused as MLflow's server refuses it.
    over = [{"key": "loss", "value": 1.0, "timestamp": 0, "step": step} for step in range(1001)]
    answer = requests.post(f"{server.url}/api/2.0/mlflow/runs/log-batch",
                           json={"run_id": run_id, "metrics": over},
                           headers={"Authorization": f"Bearer {server.token}"})
    assert answer.status_code == 400
    assert answer.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    client.log_param(run_id, "lr", "0.1")
    with pytest.raises(MlflowException) as changed:
        client.log_batch(run_id, metrics=[Metric("acc", 1.0, 0, 0)], params=[Param("lr", "0.2")],
                         tags=[RunTag("t", "v")])
    assert changed.value.error_code == "INVALID_PARAMETER_VALUE"
    logs = native(server, f"/experiments/{experiment_id_of(run_id)}/logs")["items"]
    assert [log["name"] for log in logs] == ["parameters"], "only the accepted param is stored"
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_the_client_splits_long_batches_and_every_point_is_stored(mlflow, experiment_name):
    client = MlflowClient()
    run = client.create_run(client.create_experiment(experiment_name))
    metrics = [Metric("loss", float(step) / 3, 1_700_000_000_000 + step, step) for step in range(2500)]
    client.log_batch(run.info.run_id, metrics=metrics)
    history = client.get_metric_history(run.info.run_id, "loss")
    assert [(m.step, m.value, m.timestamp) for m in history] == [
        (m.step, m.value, m.timestamp) for m in metrics]


def test_without_a_token_the_client_is_refused(server, monkeypatch):
    import mlflow

    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN", raising=False)
    mlflow.set_tracking_uri(server.url)
    with pytest.raises(MlflowException) as refused:
        MlflowClient().search_experiments()
    assert "UNAUTHENTICATED" in str(refused.value) or "401" in str(refused.value)


def test_a_loss_that_diverges_is_logged_and_read_back_as_mlflow_keeps_it(mlflow, server,
                                                                       experiment_name):
    """NaN and infinities go in from the training loop without an exception, and come back
    as they went (MLflow stores them too); the chart draws them as gaps."""
    mlflow.set_experiment(experiment_name)
    values = [0.5, math.nan, math.inf, -math.inf, 0.25]
    with mlflow.start_run() as run:
        for step, value in enumerate(values):
            mlflow.log_metric("loss", value, step=step)
    client = MlflowClient()
    got = [metric.value for metric in client.get_metric_history(run.info.run_id, "loss")]
    assert got[0] == 0.5 and math.isnan(got[1]) and got[2:] == [math.inf, -math.inf, 0.25]
    assert client.get_run(run.info.run_id).data.metrics["loss"] == 0.25
    points = native(server, f"/experiments/{experiment_id_of(run.info.run_id)}/logs/loss/points")
    assert points["series"][0]["values"] == [0.5, None, None, None, 0.25]
