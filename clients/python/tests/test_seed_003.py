"""Seed 003's ideas through the client: a LINE log's chart scope, and metrics recorded
against a checkpoint's weights hash (the checkpoints table)."""

from __future__ import annotations

import hashlib
import json

import pytest

from trackboard import Checkpoint, LogType, ValidationFailed


def test_line_logs_carry_a_scope(experiment):
    for step in range(3):
        experiment.log("loss", 1.0 / (step + 1), LogType.LINE, scope="train")
        experiment.log("val_loss", 2.0 / (step + 1), LogType.LINE, scope="validation")
    experiment.log("accuracy", 0.5, LogType.VALUE)
    scopes = {log.name: log.scope for log in experiment.list_logs()}
    assert scopes == {"loss": "train", "val_loss": "validation", "accuracy": None}
    assert experiment.get_log("loss").data["series"]["loss"]["values"] == [1.0, 0.5, 1.0 / 3]
    experiment.log("loss", 0.2, LogType.LINE, scope="test")  # moved: sent again
    assert experiment.get_log("loss").scope == "test"
    with pytest.raises(ValueError, match="scope"):
        experiment.log("accuracy", 0.5, LogType.VALUE, scope="train")
    with pytest.raises(ValueError, match="scope"):
        experiment.log("loss", 0.1, LogType.LINE, scope="training")


def test_metrics_are_recorded_per_checkpoint(experiment, tmp_path):
    weights = tmp_path / "epoch-2.pt"
    weights.write_bytes(b"weights of epoch 2")
    artifact = experiment.store("model-epoch-2", str(weights))
    sha1 = hashlib.sha1(b"layer hashes").hexdigest()  # seed 003's own weights hash
    experiment.update_metrics(json.dumps({"ex_cost": 0.5, "ex_converged": False}), weights_hash=sha1)
    experiment.update_metrics({"map50": 0.61}, weights_hash=artifact)
    experiment.update_metrics({"ex_cost": 0.25}, weights_hash=sha1.upper())
    checkpoints = experiment.list_checkpoints()
    assert checkpoints == [
        Checkpoint(sha1, None, {"ex_cost": 0.25, "ex_converged": False}, checkpoints[0].recorded_at),
        Checkpoint(artifact.sha256, "model-epoch-2", {"map50": 0.61}, checkpoints[1].recorded_at),
    ]
    experiment.update_metrics({"x": 1}, weights_hash="not-a-hash")
    with pytest.raises(ValidationFailed, match="weights_hash"):
        experiment.flush()
    assert len(experiment.list_checkpoints()) == 2
