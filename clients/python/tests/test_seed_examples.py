"""Every example of seed 000 (Picsellia's Experiment API), copied as the seed writes it,
each followed by what the seed says it returns. The setup the seed leaves to the reader
(a project, the dataset "foo" with its version "first" and an asset, the models "foo"
with three versions and "foo_model") is made with the client, on a fresh server.

Where the seed's own text cannot run as written, the test says why next to it (docs/
PYTHON.md, "Seed 000, method by method", lists the same differences)."""

from __future__ import annotations

import io
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from running_server import Server

from trackboard import (
    Artifact,
    Client,
    DatasetVersion,
    Experiment,
    ExperimentStatus,
    InferenceType,
    JobStatus,
    Label,
    Log,
    LoggingFile,
    LogType,
    ModelVersion,
    MultiAsset,
    NotFound,
    TrackboardError,
)


@pytest.fixture(scope="module")
def seed_server() -> Iterator[Server]:
    """A fresh server: the seed's names ("foo", "awesome-model") are free on it."""
    with tempfile.TemporaryDirectory() as folder:
        running = Server(Path(folder)).start()
        yield running
        running.stop()


@pytest.fixture(scope="module")
def client(seed_server: Server) -> Client:
    return Client(seed_server.url, seed_server.token, retries=3)


def _png(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def foo(client: Client) -> DatasetVersion:
    """The dataset "foo", version "first" (labels cat and dog, the asset asset-1.png),
    the model "foo" with three versions and the model "foo_model"."""
    version = client.create_dataset("foo").create_version("first", labels=["cat", "dog"])
    version.add_asset(_png((200, 30, 30)), filename="asset-1.png",
                      rectangles=[(10, 20, 30, 40, "cat"), (50, 60, 20, 30, "dog")])
    version.add_asset(_png((30, 200, 30)), filename="asset-2.png", rectangles=[(5, 5, 40, 40, "dog")])
    source = client.create_project("model sources").create_experiment("source")
    source.log_parameters({"batch_size": 8, "lr": 0.01})
    source.log("labelmap", {"0": "cat", "1": "dog"}, LogType.LABELMAP)
    model = client.create_model("foo")
    for _ in range(3):
        source.export_in_existing_model(model)
    client.create_model("foo_model")
    source.close()
    return version


@pytest.fixture
def experiment(client: Client, foo: DatasetVersion, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Experiment]:
    """A new experiment with "foo"/"first" attached as "training", in a folder of its
    own (the seed's paths are relative)."""
    monkeypatch.chdir(tmp_path)
    project = client.create_project(f"seed-{uuid.uuid4().hex[:8]}")
    with project.create_experiment("yolo") as made:
        made.attach_dataset("training", foo)
        yield made


# ---- update, delete -------------------------------------------------------------------
def test_update(experiment: Experiment) -> None:
    my_experiment = experiment
    my_experiment.update(description="First try Yolov5")
    assert experiment.update(status="RUNNING").status == "running"
    assert ExperimentStatus("SUCCESS") is ExperimentStatus.SUCCESS


def test_update_with_a_base_experiment_and_model_version(client: Client, experiment: Experiment) -> None:
    base = client.create_project(f"base-{uuid.uuid4().hex[:8]}").create_experiment("base")
    sibling = client.get_project(id=experiment.project_id).create_experiment("base")
    version = client.get_model("foo").get_version(2)
    experiment.update(base_experiment=sibling, base_model_version=version)
    assert experiment.get_base_experiment().id == sibling.id
    assert experiment.get_base_model_version().id == version.id
    with pytest.raises(Exception, match="same project"):
        experiment.update(base_experiment=base)


def test_delete(experiment: Experiment, client: Client) -> None:
    my_experiment = experiment
    my_experiment.delete()
    with pytest.raises(NotFound):
        client.get_project(id=experiment.project_id).get_experiment("yolo")


# ---- artifacts --------------------------------------------------------------------------
def _stored(experiment: Experiment, name: str, content: bytes) -> Artifact:
    Path(name).write_bytes(content)
    return experiment.store(name, name)


def test_list_artifacts(experiment: Experiment) -> None:
    _stored(experiment, "config", b"lr: 0.01\n")
    _stored(experiment, "best", b"weights")
    my_experiment = experiment
    artifacts = my_experiment.list_artifacts()
    assert all(isinstance(artifact, Artifact) for artifact in artifacts)
    assert [artifact.name for artifact in artifacts] == ["best", "config"]
    # limit, offset and order_by, as the seed takes them.
    assert [a.name for a in experiment.list_artifacts(limit=1, offset=1)] == ["config"]
    assert [a.name for a in experiment.list_artifacts(order_by=["-size"])] == ["config", "best"]


def test_delete_all_artifacts(experiment: Experiment) -> None:
    _stored(experiment, "config", b"x")
    experiment.delete_all_artifacts()
    assert experiment.list_artifacts() == []


def test_create_artifact(experiment: Experiment, seed_server: Server) -> None:
    # The script put the object in the artifact store itself (the server's local
    # directory here; an S3 bucket in production).
    (seed_server.folder / "artifacts" / "some_file_in_s3.png").write_bytes(_png((1, 2, 3)))
    self = experiment
    artifact = self.create_artifact(name="a_file", filename="file.png", object_name="some_file_in_s3.png", large=False)
    assert isinstance(artifact, Artifact)
    assert (artifact.name, artifact.filename, artifact.object_name) == (
        "a_file", "file.png", "some_file_in_s3.png")
    assert artifact.large is False
    assert Path(artifact.download("got")).read_bytes() == _png((1, 2, 3))


def test_store(experiment: Experiment) -> None:
    os.makedirs("my_experiment/saved_model/variables")
    Path("my_experiment/saved_model/saved_model.pb").write_bytes(b"graph")
    Path("my_experiment/saved_model/variables/variables.index").write_bytes(b"index")
    # Zip and store a folder as an artifact for the experiment
    # you can choose an arbitrary name or refer to our 'namespace'
    # for certain artifacts to have a custom behavior

    trained_model_path = "my_experiment/saved_model"
    stored = experiment.store("model-latest", trained_model_path, do_zip=True)
    assert isinstance(stored, Artifact) and stored.name == "model-latest"
    assert stored.filename == "saved_model.zip"
    # Every epoch stores it again: replaced, not refused.
    Path("my_experiment/saved_model/saved_model.pb").write_bytes(b"graph, epoch 2")
    again = experiment.store("model-latest", trained_model_path, do_zip=True)
    assert again.sha256 != stored.sha256
    assert [a.name for a in experiment.list_artifacts()] == ["model-latest"]
    # A file with do_zip is zipped too; a missing path is FileNotFoundError.
    Path("notes.txt").write_text("epoch 2")
    assert experiment.store("notes", "notes.txt", do_zip=True).filename == "notes.txt.zip"
    with pytest.raises(FileNotFoundError):
        experiment.store("nothing", "no/such/file")


def test_store_local_artifact(experiment: Experiment) -> None:
    Path("model-latest").write_bytes(b"weights")
    my_experiment = experiment
    artifact = my_experiment.store_local_artifact("model-latest")
    assert isinstance(artifact, Artifact) and artifact.size == len(b"weights")


def test_get_base_model_version(experiment: Experiment, client: Client) -> None:
    assert experiment.get_base_model_version() is None
    experiment.attach_model_version(client.get_model("foo").get_version(3))
    model_version = experiment.get_base_model_version()
    assert isinstance(model_version, ModelVersion)
    assert (model_version.model_name, model_version.version) == ("foo", 3)


def test_get_base_experiment(experiment: Experiment, client: Client) -> None:
    project = client.get_project(id=experiment.project_id)
    later = project.create_experiment("yolo-2", base_experiment=experiment)
    previous = later.get_base_experiment()
    assert isinstance(previous, Experiment) and previous.id == experiment.id
    assert experiment.get_base_experiment() is None


def test_get_artifact(experiment: Experiment) -> None:
    os.makedirs("saved_model")
    Path("saved_model/saved_model.pb").write_bytes(b"graph")
    experiment.store("model-latest", "saved_model", do_zip=True)
    model_artifact = experiment.get_artifact("model-latest")
    assert model_artifact.name == "model-latest"
    # The seed's object name is its server's key; ours is the store's key (never made
    # from a file name): the same meaning, another spelling.
    assert model_artifact.object_name.startswith("artifacts/")
    assert model_artifact.filename == "saved_model.zip"


# ---- logs -------------------------------------------------------------------------------
def test_list_logs(experiment: Experiment) -> None:
    experiment.log_parameters({"batch_size": 4, "epochs": 1000})
    experiment.log("accuracy", 0.9, LogType.VALUE)
    logs = experiment.list_logs()
    assert logs[0].type == LogType.Table
    assert logs[0].data == {"batch_size":4, "epochs":1000}
    assert all(isinstance(log, Log) for log in logs)
    assert [log.name for log in experiment.list_logs(order_by=["-name"], limit=1)] == ["parameters"]


def test_delete_all_logs(experiment: Experiment) -> None:
    experiment.log("accuracy", 0.9, LogType.VALUE)
    experiment.delete_all_logs()
    assert experiment.list_logs() == []


def test_get_log(experiment: Experiment) -> None:
    experiment.log_parameters({"batch_size": 4, "epochs": 1000})
    parameters = experiment.get_log("parameters")
    # The seed's next line reads `log.parameters`, a name it never defined; what it
    # means is the log's data.
    assert parameters.data == { "batch_size":4, "epochs":1000}
    assert isinstance(parameters, Log) and parameters.type is LogType.TABLE


def test_log(experiment: Experiment) -> None:
    exp = experiment
    parameters = {
        "batch_size":4,
        "epochs":1000
    }
    logged = exp.log("parameters", parameters, type=LogType.TABLE)
    assert isinstance(logged, Log) and logged.data == parameters
    assert exp.get_log("parameters").data == parameters
    # LINE appends whatever replace says; delete the log to start over.
    exp.log("loss", [0.9, 0.8], LogType.LINE, replace=True)
    exp.log("loss", 0.7, LogType.LINE, replace=True)
    assert exp.get_log("loss").data["series"]["loss"]["values"] == [0.9, 0.8, 0.7]
    with pytest.raises(ValueError, match="compute_evaluations_metrics"):
        exp.log("evaluation/mine", {}, LogType.EVALUATION)


def test_log_parameters(experiment: Experiment) -> None:
    exp = experiment
    parameters = {
        "batch_size":4,
        "epochs":1000
    }
    logged = exp.log_parameters(parameters)
    assert isinstance(logged, Log) and logged.name == "parameters"
    exp.log_parameters({"batch_size": 8})
    assert exp.get_log("parameters").data == {"batch_size": 8}, "replaced"


def test_store_logging_file(experiment: Experiment) -> None:
    Path("logs.txt").write_text("epoch 1: loss 0.9\n")
    logging_file = experiment.store_logging_file("logs.txt")
    assert isinstance(logging_file, LoggingFile) and logging_file.filename == "logs.txt"


def test_get_logging_file(experiment: Experiment, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        experiment.get_logging_file()
    Path("logs.txt").write_text("epoch 1: loss 0.9\n")
    experiment.store_logging_file("logs.txt")
    os.remove("logs.txt")
    logging_file = experiment.get_logging_file()
    logging_file.download()
    assert Path("logs.txt").read_text() == "epoch 1: loss 0.9\n"


# ---- the live log -----------------------------------------------------------------------
def _job(server: Server, experiment: Experiment) -> Any:
    return server.api("GET", f"/experiments/{experiment.id}/job/logs").json()


def test_send_logging(experiment: Experiment, seed_server: Server) -> None:
    experiment.send_logging("Hello World", "Hello", final=True)
    job = _job(seed_server, experiment)
    assert [line["text"] for line in job["lines"]] == ["Hello World"]
    assert job["chapters"] == ["Hello"]


def test_logging_chapters_and_buffers(experiment: Experiment, seed_server: Server) -> None:
    experiment.start_logging_chapter("Training")
    experiment.start_logging_buffer()
    experiment.send_logging("epoch 1", "Training")
    assert _job(seed_server, experiment)["lines"] == [], "kept until the buffer ends"
    experiment.end_logging_buffer()
    job = _job(seed_server, experiment)
    assert [line["text"] for line in job["lines"]] == ["epoch 1"]
    assert job["chapters"] == ["Training"]
    experiment.start_logging_buffer(length=5)
    experiment.send_logging(["epoch 2", "epoch 3"], "Training", final=True)
    assert len(_job(seed_server, experiment)["lines"]) == 3, "final sends the buffer"


def test_update_job_status(experiment: Experiment, seed_server: Server) -> None:
    experiment.update_job_status(JobStatus.FAILED)
    assert _job(seed_server, experiment)["status"] == "failed"
    experiment.update_job_status("RUNNING")
    assert _job(seed_server, experiment)["status"] == "running"


# ---- the registry -----------------------------------------------------------------------
def test_export_as_model(experiment: Experiment) -> None:
    experiment.log_parameters({"lr": 0.001})
    model_version = experiment.export_as_model("awesome-model")
    assert isinstance(model_version, ModelVersion)
    assert (model_version.model_name, model_version.version) == ("awesome-model", 1)
    assert model_version.parameters == {"lr": 0.001}


def test_export_in_existing_model(experiment: Experiment, client: Client) -> None:
    my_model = client.get_model("foo_model")
    model_version = experiment.export_in_existing_model(my_model)
    assert isinstance(model_version, ModelVersion) and model_version.model_name == "foo_model"


def test_launch(experiment: Experiment) -> None:
    # Trackboard runs no remote training engine: the seed's launch says so clearly.
    with pytest.raises(TrackboardError, match="does not launch"):
        experiment.launch()


def test_download_artifacts(experiment: Experiment) -> None:
    os.makedirs("a")
    os.makedirs("b")
    Path("a/config.yaml").write_text("lr: 1")
    Path("b/config.yaml").write_text("lr: 2")
    experiment.store("first", "a/config.yaml")
    experiment.store("second", "b/config.yaml")
    os.makedirs("out")
    os.chdir("out")
    experiment.download_artifacts(with_tree=True)
    assert Path("first/config.yaml").read_text() == "lr: 1"
    assert Path("second/config.yaml").read_text() == "lr: 2"


def test_attach_model_version(experiment: Experiment, client: Client) -> None:
    experiment.log_parameters({"lr": 0.5})
    foo_model = client.get_model("foo").get_version(3)
    my_experiment = experiment
    my_experiment.attach_model_version(foo_model)
    # The version's parameters and label map come with it; the experiment's own win.
    assert experiment.get_log("parameters").data == {"batch_size": 8, "lr": 0.5}
    assert experiment.get_log("labelmap").data == {"0": "cat", "1": "dog"}
    other = client.get_project(id=experiment.project_id).create_experiment("bare")
    other.attach_model_version(foo_model, do_attach_base_parameters=False)
    assert other.list_logs() == []


def test_attach_dataset(experiment: Experiment, client: Client) -> None:
    experiment.detach_dataset("training")
    foo_dataset = client.get_dataset("foo").get_version("first")
    my_experiment = experiment
    my_experiment.attach_dataset("training", foo_dataset)
    assert [(v.alias, v.version) for v in experiment.list_attached_dataset_versions()] == [
        ("training", "first")]


def test_detach_dataset(experiment: Experiment, client: Client) -> None:
    experiment.detach_dataset("training")
    foo_dataset = client.get_dataset("foo").get_version("first")
    my_experiment = experiment
    my_experiment.attach_dataset(foo_dataset)
    my_experiment.detach_dataset(foo_dataset)
    assert experiment.list_attached_dataset_versions() == []


def test_list_attached_dataset_versions(experiment: Experiment) -> None:
    my_experiment = experiment
    datasets = my_experiment.list_attached_dataset_versions()
    assert all(isinstance(version, DatasetVersion) for version in datasets)
    assert [(v.alias, v.name) for v in datasets] == [("training", "first")]


def test_get_dataset(experiment: Experiment) -> None:
    dataset = experiment.get_dataset("training")
    assert isinstance(dataset, DatasetVersion)
    pics = dataset.list_assets()
    annotations = dataset.list_annotations()
    assert isinstance(pics, MultiAsset) and pics.filenames == ["asset-1.png", "asset-2.png"]
    assert [len(a.rectangles) for a in annotations] == [2, 1]
    assert annotations[0].rectangles[0]["label"] == "cat"


def test_run_train_test_split_on_dataset(experiment: Experiment) -> None:
    dataset = experiment.get_dataset("training")
    pics = dataset.list_assets()
    annotations = dataset.list_annotations()
    assert len(pics) == len(annotations) == 2
    train_assets, eval_assets, train_label_count, eval_label_count, labels = \
        experiment.run_train_test_split_on_dataset("training", prop=0.5, random_seed=7)
    assert isinstance(train_assets, MultiAsset) and isinstance(eval_assets, MultiAsset)
    assert sorted(train_assets.ids + eval_assets.ids) == sorted(pics.ids)
    assert all(isinstance(label, Label) for label in labels)
    assert [label.name for label in labels] == ["cat", "dog"]
    assert sum(train_label_count.values()) + sum(eval_label_count.values()) >= 2
    # The same seed, the same split; None: a random one each time.
    again = experiment.run_train_test_split_on_dataset("training", prop=0.5, random_seed=7)
    assert again[0].ids == train_assets.ids
    seen = {tuple(experiment.run_train_test_split_on_dataset("training", prop=0.5)[0].ids)
            for _ in range(20)}
    assert len(seen) == 2, "random_seed=None draws a new split"


# ---- evaluations ------------------------------------------------------------------------
def test_add_evaluation(experiment: Experiment, foo: DatasetVersion) -> None:
    dataset_version = foo
    label_cat, label_dog = (Label("cat"), Label("dog"))
    asset = dataset_version.find_asset(filename="asset-1.png")
    experiment.add_evaluation(asset, rectangles=[(10, 20, 30, 40, label_cat, 0.8), (50, 60, 20, 30, label_dog, 0.7)])
    job = experiment.compute_evaluations_metrics(InferenceType.OBJECT_DETECTION)
    metrics = job.wait_for_done()
    # Exact boxes: AP 1 at every IoU, up to pycocotools' tp / (tp + fp + eps).
    assert metrics["detection"]["summary"][0] == pytest.approx(1.0, abs=1e-12)
    evaluations = experiment.list_evaluations()
    assert evaluations.ids and evaluations[0].asset_id == asset.id
    assert len(experiment.list_evaluations(limit=0)) == 0


def test_compute_evaluations_metrics(experiment: Experiment, foo: DatasetVersion) -> None:
    label_cat, label_dog = (Label("cat"), Label("dog"))
    # The seed's example leaves out the asset the predictions are of: a clear error.
    with pytest.raises(ValueError, match="needs the asset"):
        experiment.add_evaluation(rectangles=[(10, 20, 30, 40, label_cat, 0.8), (50, 60, 20, 30, label_dog, 0.7)])
    experiment.add_evaluation(foo.find_asset("asset-1.png"),
                              rectangles=[(10, 20, 30, 40, label_cat, 0.8), (50, 60, 20, 30, label_dog, 0.7)])
    job = experiment.compute_evaluations_metrics(InferenceType.OBJECT_DETECTION)
    job.wait_for_done()
    assert job.status == "success"
    with pytest.raises(ValueError, match="evaluations="):
        experiment.compute_evaluations_metrics(InferenceType.OBJECT_DETECTION, evaluations=[1])
