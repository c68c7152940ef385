"""A simulated training loop that logs every kind of data to Trackboard.

Start the server with `make run`, then, with the token it printed:

    pip install ./clients/python
    TRACKBOARD_URL=http://127.0.0.1:8080 TRACKBOARD_TOKEN=tb_... python examples/train.py
"""

import math
import os
import random
import tempfile
import zlib
import struct

from trackboard import Client, JobStatus, LogType


def tiny_png(red: int, green: int, blue: int) -> bytes:
    """A 1×1 PNG of one colour (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, red, green, blue]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def main() -> None:
    client = Client()
    with client.experiment("examples", f"simulated-{random.randrange(10**6)}") as experiment:
        experiment.log_parameters({"lr": 1e-3, "batch_size": 32, "backbone": "resnet18"})
        experiment.log("labelmap", {"1": "car", "2": "pedestrian"}, LogType.LABELMAP)
        experiment.update_job_status(JobStatus.RUNNING)
        experiment.start_logging_chapter("Training")
        for epoch in range(10):
            for step in range(1000):
                t = epoch * 1000 + step
                experiment.log("loss", [math.exp(-t / 3000) + random.gauss(0, 0.02)], LogType.LINE)
            experiment.send_logging(f"epoch {epoch + 1}/10 done")
            experiment.log_image("samples", tiny_png(25 * epoch, 120, 200), caption=f"epoch {epoch + 1}",
                                 step=(epoch + 1) * 1000)
        experiment.log("accuracy", 0.91, LogType.VALUE)
        experiment.log("class counts", {"x": ["car", "pedestrian"], "y": [5210, 3877]}, LogType.BAR)
        experiment.log("confusion", {"categories": ["car", "pedestrian"],
                                     "values": [[90, 5, 5], [4, 88, 8], [3, 2, 0]]}, LogType.HEATMAP)
        experiment.log("metrics", {"precision": 0.9, "recall": 0.87}, LogType.TABLE)
        with tempfile.TemporaryDirectory() as folder:
            config = os.path.join(folder, "config.yaml")
            with open(config, "w") as file:
                file.write("lr: 0.001\nbatch_size: 32\n")
            experiment.store("config", config)
        experiment.update_job_status(JobStatus.SUCCESS)
        print(f"logged {experiment!r}: open {client.host}/experiments/{experiment.id}")


if __name__ == "__main__":
    main()
