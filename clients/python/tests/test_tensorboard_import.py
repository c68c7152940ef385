"""`trackboard import tensorboard`: event files written with TensorBoard's own writer (no
TensorFlow), imported through the command, and read back through the API. Values are
compared as what the event files hold: float32, widened exactly to float64."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

tensorboard = pytest.importorskip("tensorboard")
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.plugins.hparams import metadata, plugin_data_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from tensorboard.util import tensor_util

from trackboard import Client

CLI = [sys.executable, "-m", "trackboard.cli"]


def float32(value: float) -> float:
    """What an event file keeps of `value`."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


class Run:
    """One run's event file, written as TensorBoard's writers write it."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.writer = EventFileWriter(str(folder))

    def add(self, step: int, value: summary_pb2.Summary.Value) -> None:
        event = event_pb2.Event(wall_time=1_700_000_000.0 + step, step=step,
                                summary=summary_pb2.Summary(value=[value]))
        self.writer.add_event(event)

    def scalar(self, tag: str, step: int, value: float) -> None:
        self.add(step, summary_pb2.Summary.Value(tag=tag, simple_value=value))

    def image(self, tag: str, step: int, colour: tuple[int, int, int]) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
        png = buffer.getvalue()
        self.add(step, summary_pb2.Summary.Value(tag=tag, image=summary_pb2.Summary.Image(
            height=6, width=8, colorspace=3, encoded_image_string=png)))
        return png

    def text(self, tag: str, step: int, text: str) -> None:
        self.add(step, summary_pb2.Summary.Value(
            tag=tag, metadata=summary_pb2.SummaryMetadata(
                plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text")),
            tensor=tensor_util.make_tensor_proto(np.array([text.encode()]))))

    def hparams(self, values: dict[str, float | str | bool]) -> None:
        start = plugin_data_pb2.SessionStartInfo()
        for name, value in values.items():
            if isinstance(value, bool):
                start.hparams[name].bool_value = value
            elif isinstance(value, str):
                start.hparams[name].string_value = value
            else:
                start.hparams[name].number_value = value
        content = plugin_data_pb2.HParamsPluginData(version=0, session_start_info=start)
        self.add(0, summary_pb2.Summary.Value(
            tag=metadata.SESSION_START_INFO_TAG,
            metadata=metadata.create_summary_metadata(content),
            tensor=metadata.NULL_TENSOR))

    def histogram(self, tag: str, step: int) -> None:
        self.add(step, summary_pb2.Summary.Value(tag=tag, histo=summary_pb2.HistogramProto(
            min=0, max=1, num=2, sum=1, sum_squares=1, bucket_limit=[1.0], bucket=[2.0])))

    def close(self) -> None:
        self.writer.close()


def sync(server, logdir: Path, project: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "import", "tensorboard", str(logdir), "--project", project,
                           "--url", server.url, "--token", server.token],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "TRACKBOARD_MODE": ""})


def points(client: Client, project: str, run: str, tag: str) -> tuple[list[int], list[float]]:
    series = client.experiment(project, run).line(tag)[tag]
    return series["steps"], series["values"]


def test_a_logdir_imports_every_value_and_again_only_what_is_new(server, tmp_path):
    logdir = tmp_path / "logs"
    project = f"tb-{uuid.uuid4().hex[:6]}"
    irregular = [0, 3, 7, 50, 51, 400]
    first = Run(logdir / "run-a")
    for step in irregular:
        first.scalar("loss/train", step, 1.0 / (step + 3))
    first.scalar("loss/train", 51, 0.125)  # written again at a step: the last one counts
    pngs = [first.image("samples", step, (step, 40, 90)) for step in (0, 50)]
    first.text("notes", 7, "augmentations on")
    first.hparams({"lr": 0.001, "optimizer": "adam", "epochs": 30, "mixed": True})
    first.histogram("weights", 0)
    first.close()
    second = Run(logdir / "nested" / "run-b")
    for step in range(1_000):
        second.scalar("accuracy", step, step / 1_000 + 1e-9)
    second.close()

    done = sync(server, logdir, project)
    assert done.returncode == 0, done.stderr
    assert "2 experiments" in done.stdout and "1 histograms samples" in done.stdout, done.stdout
    client = Client(server.url, server.token)
    steps, values = points(client, project, "run-a", "loss/train")
    expected = {step: float32(1.0 / (step + 3)) for step in irregular} | {51: float32(0.125)}
    assert steps == irregular
    assert values == [expected[step] for step in irregular], "float32, bit for bit"
    times = server.api("GET", f"/experiments/{client.experiment(project, 'run-a').id}"
                              "/logs/loss%2Ftrain/times").json()["series"][0]
    # Each point keeps its event's wall time (the writer's clock, float64 in the file).
    assert times["steps"] == irregular
    assert times["times"] == [1_700_000_000.0 + step for step in irregular]
    steps, values = points(client, project, "nested/run-b", "accuracy")
    assert steps == list(range(1_000))
    assert values == [float32(step / 1_000 + 1e-9) for step in range(1_000)]
    run_a = client.experiment(project, "run-a")
    images = run_a.get_log("samples").data["images"]
    assert [image["step"] for image in images] == [0, 50]
    assert [client._http.request("GET", f"/images/{image['id']}", replayable=True).content
            for image in images] == pngs
    assert run_a.get_log("parameters").data == {"lr": 0.001, "optimizer": "adam", "epochs": 30,
                                                "mixed": True}
    job = server.api("GET", f"/experiments/{run_a.id}/job/logs").json()
    assert [line["text"] for line in job["lines"]] == ["[step 7] notes: augmentations on"]

    # Again: nothing twice. Then the logdir grows: only the new points arrive.
    again = sync(server, logdir, project)
    assert again.returncode == 0, again.stderr
    assert "0 points, 0 images, 0 text lines" in again.stdout, again.stdout
    grown = Run(logdir / "run-a")
    grown.scalar("loss/train", 401, 0.0625)
    grown.image("samples", 401, (1, 2, 3))
    grown.close()
    more = sync(server, logdir, project)
    assert more.returncode == 0, more.stderr
    assert "1 points, 1 images" in more.stdout, more.stdout
    steps, values = points(client, project, "run-a", "loss/train")
    assert steps == [*irregular, 401] and values[-1] == 0.0625
    assert len(server.api("GET", f"/experiments/{run_a.id}/job/logs").json()["lines"]) == 1


def test_a_folder_without_event_files_or_a_missing_one_says_so(server, tmp_path):
    empty = sync(server, tmp_path, "nothing")
    assert empty.returncode == 0 and "no event files" in empty.stdout
    missing = sync(server, tmp_path / "nope", "nothing")
    assert missing.returncode == 2 and "not a folder" in missing.stderr
