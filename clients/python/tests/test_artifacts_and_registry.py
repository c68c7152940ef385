"""Artifacts (files and zipped folders, streamed), the live log, datasets and models."""

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from trackboard import NotFound


def test_files_and_folders_are_stored_listed_downloaded_and_deleted(experiment, tmp_path):
    checkpoint = tmp_path / "model.bin"
    checkpoint.write_bytes(os.urandom(3_000_000))
    folder = tmp_path / "config"
    (folder / "nested").mkdir(parents=True)
    (folder / "train.yaml").write_text("lr: 0.001\n")
    (folder / "nested" / "labels.txt").write_text("car\nbus\n")

    stored = experiment.store("checkpoint", str(checkpoint))
    assert stored["sha256"] == hashlib.sha256(checkpoint.read_bytes()).hexdigest()
    with pytest.raises(ValueError, match="do_zip"):
        experiment.store("config", str(folder))
    experiment.store("config", str(folder), do_zip=True)
    assert sorted(a["name"] for a in experiment.list_artifacts()) == ["checkpoint", "config"]

    target = tmp_path / "downloads"
    path = experiment.download("checkpoint", str(target))
    assert Path(path).read_bytes() == checkpoint.read_bytes()
    every = experiment.download_artifacts(str(tmp_path / "all"))
    archive = next(p for p in every if p.endswith(".zip"))
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == ["nested/labels.txt", "train.yaml"]
    with pytest.raises(NotFound):
        experiment.get_artifact("nothing")
    experiment.delete_all_artifacts()
    assert experiment.list_artifacts() == []


def test_the_live_log_keeps_chapters_buffers_and_status(experiment, server):
    experiment.start_logging_chapter("Setup")
    experiment.send_logging("loading data")
    experiment.start_logging_buffer()
    experiment.send_logging(["epoch 1", "epoch 2"])
    experiment.end_logging_buffer()
    experiment.update_job_status("running")
    job = server.api("GET", f"/experiments/{experiment.id}/job/logs").json()
    assert [line["text"] for line in job["lines"]] == ["loading data", "epoch 1", "epoch 2"]
    assert job["chapters"] == ["Setup"]
    assert job["status"] == "running"


def test_datasets_attach_and_experiments_export_to_models(client, experiment):
    dataset = client.create_dataset(f"frames-{experiment.id}")
    version = dataset.create_version("v1", labels=["car", "bus"], asset_count=10)
    assert client.get_dataset(dataset.name).get_version("v1").labels == ["car", "bus"]
    experiment.attach_dataset("training", version)
    attached = experiment.list_attached_dataset_versions()
    assert [(a.alias, a.version) for a in attached] == [("training", "v1")]
    assert experiment.get_dataset("training").id == version.id
    experiment.detach_dataset("training")
    assert experiment.list_attached_dataset_versions() == []
    # Seed 000 detaches by the version itself, whatever alias it is attached under.
    experiment.attach_dataset("eval", version)
    experiment.detach_dataset(version)
    assert experiment.list_attached_dataset_versions() == []
    with pytest.raises(NotFound):
        experiment.detach_dataset(version)

    experiment.log_parameters({"lr": 0.01})
    first = experiment.export_as_model(f"detector-{experiment.id}")
    model = client.get_model(first.model_name)
    second = experiment.export_in_existing_model(model)
    assert [v.version for v in model.list_versions()] == [2, 1]
    assert second.parameters == {"lr": 0.01}
    assert model.get_version(1).id == first.id
    with pytest.raises(NotFound):
        model.get_version(3)
