"""Every log type, LINE points through the background buffer, exactness, refusals."""

import json
import math
import random
import struct
import time

import pytest

from trackboard import Conflict, LogType, ValidationFailed

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
       b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_every_data_type_is_stored_as_sent(experiment):
    experiment.log("accuracy", 0.91, LogType.VALUE)
    experiment.log("classes", {"x": ["car", "bus"], "y": [3, 4]}, "bar")
    experiment.log("metrics", {"precision": 0.8, "backbone": "resnet"}, LogType.TABLE)
    experiment.log("confusion", {"categories": ["car", "bus"],
                                 "values": [[5, 1, 0], [2, 7, 1], [0, 1, 0]]}, LogType.HEATMAP)
    experiment.log("labelmap", {"1": "car", "2": "bus"}, LogType.LABELMAP)
    experiment.log_parameters({"lr": 0.001, "epochs": 10, "optimizer": "adam"})
    assert experiment.get_log("accuracy")["data"] == 0.91
    assert experiment.get_log("classes")["data"] == {"x": ["car", "bus"], "y": [3, 4]}
    assert experiment.get_log("metrics")["data"] == {"precision": 0.8, "backbone": "resnet"}
    assert experiment.get_log("confusion")["data"]["values"][1] == [2, 7, 1]
    assert experiment.get_log("labelmap")["data"] == {"1": "car", "2": "bus"}
    assert experiment.get_log("parameters")["data"]["lr"] == 0.001
    names = sorted(log["name"] for log in experiment.list_logs())
    assert names == ["accuracy", "classes", "confusion", "labelmap", "metrics", "parameters"]


def test_line_points_are_buffered_appended_and_exact(experiment):
    values = [struct.unpack("<d", struct.pack("<Q", random.getrandbits(64)))[0] for _ in range(3000)]
    values = [value for value in values if math.isfinite(value)]
    for value in values:
        experiment.log("loss", [value], LogType.LINE)
    experiment.log("loss", [None], LogType.LINE)
    experiment.log("loss", [1.5], LogType.LINE, replace=True)  # LINE appends, as seed 000 says
    series = experiment.line("loss")["loss"]
    assert series["steps"] == list(range(len(values) + 2))
    assert series["values"][:-2] == values
    assert series["values"][-2:] == [None, 1.5]
    experiment.log("curves", {"train": [1.0, 0.5], "val": [1.2, 0.7]}, LogType.LINE)
    curves = experiment.get_log("curves")["data"]["series"]
    assert curves["val"]["values"] == [1.2, 0.7]


def test_a_refused_batch_is_raised_by_the_next_call(experiment):
    experiment.log("accuracy", 0.5, LogType.VALUE)
    experiment.log("accuracy", [1.0], LogType.LINE)  # a VALUE log cannot take points
    with pytest.raises(Conflict) as refused:
        experiment.flush()
    assert refused.value.field == "type"
    assert experiment.get_log("accuracy")["data"] == 0.5


def test_bad_data_raises_with_its_field_and_stores_nothing(experiment):
    # Journaled first, so the refusal is raised by the next call (here: flush).
    experiment.log("confusion", {"categories": ["a"], "values": [[1, -2], [0, 0]]},
                   LogType.HEATMAP)
    with pytest.raises(ValidationFailed, match="the HEATMAP log 'confusion'") as refused:
        experiment.flush()
    assert refused.value.field.startswith("data.values")
    with pytest.raises(ValueError, match="unknown log type"):
        experiment.log("x", 1, "PIE")
    assert experiment.list_logs() == []


def test_images_come_from_bytes_and_paths(experiment, tmp_path):
    experiment.log("samples", PNG, LogType.IMAGE)
    path = tmp_path / "frame.png"
    path.write_bytes(PNG)
    experiment.log_image("samples", str(path), caption="frame 2", step=20)
    images = experiment.get_log("samples")["data"]["images"]
    assert [(image["caption"], image["step"]) for image in images] == [("", None), ("frame 2", 20)]
    experiment.log("samples", b"not an image", LogType.IMAGE)
    with pytest.raises(ValidationFailed, match="an image of the log 'samples'") as refused:
        experiment.flush()
    assert refused.value.field == "file"


def test_training_resumed_from_a_checkpoint_rewinds_then_logs_again(experiment):
    for step in range(7000):
        experiment.log("loss", [float(step)], LogType.LINE)
    experiment.flush()
    experiment.log("loss", {"steps": [5000], "values": [0.0]}, LogType.LINE)
    with pytest.raises(ValidationFailed, match="not after step 6999"):
        experiment.flush()
    assert experiment.rewind("loss", 5000) == 2000
    experiment.log("loss", {"steps": [5000, 5001], "values": [-1.0, -2.0]}, LogType.LINE)
    series = experiment.line("loss")["loss"]
    assert series["steps"] == list(range(5002))
    assert series["values"][-2:] == [-1.0, -2.0]


def test_nested_parameters_are_kept_key_by_key(experiment):
    experiment.log_parameters({"optimizer": {"name": "adam", "lr": 1e-3}, "layers": [64, 64]})
    assert experiment.get_log("parameters")["data"] == {
        "optimizer.name": "adam", "optimizer.lr": 1e-3, "layers[0]": 64, "layers[1]": 64}
    experiment.log_parameters({"scheduler": None})
    with pytest.raises(ValidationFailed, match="the parameters") as refused:
        experiment.flush()
    assert refused.value.field == "data.scheduler"


def test_images_come_from_pil_images_and_numpy_arrays(experiment, server):
    image_module = pytest.importorskip("PIL.Image")
    numpy = pytest.importorskip("numpy")
    experiment.log("frames", image_module.new("RGB", (4, 3), (200, 10, 10)), LogType.IMAGE)
    pixels = numpy.zeros((5, 6, 3), dtype=numpy.uint8)
    pixels[..., 1] = 255
    experiment.log_image("frames", pixels, caption="green")
    images = experiment.get_log("frames")["data"]["images"]
    assert [image["content_type"] for image in images] == ["image/png", "image/png"]
    stored = server.api("GET", f"/images/{images[1]['id']}").content
    decoded = image_module.open(__import__("io").BytesIO(stored))
    assert decoded.size == (6, 5)
    assert decoded.getpixel((0, 0)) == (0, 255, 0)


def test_line_points_keep_when_they_were_logged(experiment):
    before = time.time()
    for value in (0.5, 0.25, 0.125):
        experiment.log("loss", value, LogType.LINE)
    experiment.log("acc", {"steps": [0, 10], "values": [0.5, 0.75]}, LogType.LINE,
                   wall_times=[1_600_000_000.5, 1_600_000_005.25])
    experiment.log("lr", [0.1, 0.05], LogType.LINE, wall_times=[1_600_000_001.0, 1_600_000_002.0])
    experiment.flush()
    after = time.time()
    http = experiment._http

    def times(name):
        return http.json("GET", experiment._path(f"/logs/{name}/times"))["series"][0]

    loss = times("loss")
    assert loss["steps"][0] == 0 and all(before <= t <= after for t in loss["times"]), loss
    assert times("acc") == {"name": "acc", "steps": [0, 10],
                            "times": [1_600_000_000.5, 1_600_000_005.25]}
    assert times("lr")["times"] == [1_600_000_001.0, 1_600_000_002.0]
    with pytest.raises(ValueError, match="LINE"):
        experiment.log("accuracy", 0.9, LogType.VALUE, wall_times=[1.0])


def test_a_journal_written_before_records_had_times_still_ships():
    """Records of a journal left by an older client carry no time: the batch goes
    without `wall_times`, and the server stamps it on arrival."""
    from trackboard._journal import _decoded
    from trackboard._shipper import plan

    old = b'{"k":"line","n":"loss","v":[1.5,2.5]}\n'
    new = b'{"k":"line","n":"a,\\"w\\":1","w":1700000000.5,"v":[3.5]}\n'
    assert _decoded(old) == {"k": "line", "n": "loss", "c": 2, "w": None}
    assert _decoded(new) == {"k": "line", "n": 'a,"w":1', "c": 1, "w": 1700000000.5}
    from trackboard._journal import Position, Record
    at = Position(0, 0)
    requests = plan([Record(at, at, _decoded(old), old), Record(at, at, _decoded(new), new)],
                    "/experiments/1", "key")
    bodies = [json.loads(request.raw) for request in requests]
    assert bodies == [{"name": "loss", "type": "LINE", "data": [1.5, 2.5]},
                      {"name": 'a,"w":1', "type": "LINE", "data": [3.5],
                       "wall_times": [1700000000.5]}]
