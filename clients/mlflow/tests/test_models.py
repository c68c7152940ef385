"""`mlflow.pyfunc.log_model` of a small custom model, logged and loaded back: MLflow 3
through its logged-models API, MLflow 2 through runs/log-model and the run's artifacts."""

from __future__ import annotations

import json

import mlflow
import pytest
from mlflow import MlflowClient

MLFLOW_3 = int(mlflow.__version__.split(".")[0]) >= 3


def artifact_names(server, run_id: str) -> list[str]:
    answer = server.api("GET", f"/experiments/{int(run_id, 16)}/artifacts?limit=200")
    assert answer.status_code == 200, answer.text
    return [artifact["name"] for artifact in answer.json()["items"]]


class AddOne(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return [value + 1 for value in model_input]


@pytest.mark.skipif(not MLFLOW_3, reason="logged models are MLflow 3's")
def test_a_logged_model_is_stored_loaded_and_listed(mlflow, server, experiment_name):
    from mlflow.entities import LoggedModelStatus

    experiment_id = mlflow.set_experiment(experiment_name).experiment_id
    with mlflow.start_run() as run:
        info = mlflow.pyfunc.log_model(name="adder", python_model=AddOne(), pip_requirements=[])
    model = MlflowClient().get_logged_model(info.model_id)
    assert model.status == LoggedModelStatus.READY
    assert model.source_run_id == run.info.run_id
    assert mlflow.pyfunc.load_model(info.model_uri).predict([1, 2]) == [2, 3]
    listed = mlflow.search_logged_models(experiment_ids=[experiment_id], output_format="list")
    assert [m.model_id for m in listed] == [info.model_id]
    assert f"models/{info.model_id}/MLmodel" in artifact_names(server, run.info.run_id)


@pytest.mark.skipif(MLFLOW_3, reason="MLflow 2 logs models as run artifacts")
def test_a_model_is_logged_as_run_artifacts_and_loaded(mlflow, server, experiment_name):
    mlflow.set_experiment(experiment_name)
    with mlflow.start_run() as run:
        info = mlflow.pyfunc.log_model(artifact_path="adder", python_model=AddOne(), pip_requirements=[])
    assert mlflow.pyfunc.load_model(info.model_uri).predict([1, 2]) == [2, 3]
    assert "adder/MLmodel" in artifact_names(server, run.info.run_id)
    history = json.loads(MlflowClient().get_run(run.info.run_id).data.tags["mlflow.log-model.history"])
    assert [model["artifact_path"] for model in history] == ["adder"]
