"""The imports' figures for `make bench` (issue 30): a generated TensorBoard logdir of
RUNS runs × 10 scalars × STEPS steps through `trackboard import tensorboard`, as points
per second, beside Aim's `aim convert tensorboard` on the same logdir when Aim and the
TensorFlow its converter imports are installed (`.tools/aim-venv`, bench_tools.sh); and an
MLflow file store of the same shape, written by MLflow's client, through
`trackboard import mlflow`. Both against the release server on a fresh SQLite file.
Writes the table into BENCHMARKS.md between its imports markers.

    make bench    (or: TRACKBOARD_SERVER_BIN=target/release/trackboard-server \\
                   .tools/venv/bin/python scripts/bench_imports.py)

BENCH_IMPORT_RUNS and BENCH_IMPORT_STEPS set a smaller sweep (defaults 100 and 10,000).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_client import ROOT, start_trackboard, write_benchmarks_block  # noqa: E402

RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "100"))
STEPS = int(os.environ.get("BENCH_IMPORT_STEPS", "10000"))
TAGS = 10
TOOLS = ROOT / ".tools"
#: Writes the MLflow store with MLflow's own client (run in the MLflow venv).
WRITE_MLFLOW_STORE = """
import sys
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient
uri, runs, steps, tags = sys.argv[1], *map(int, sys.argv[2:5])
client = MlflowClient(tracking_uri=uri)
experiment = client.create_experiment("bench")
for run_index in range(runs):
    run = client.create_run(experiment, run_name=f"run-{run_index}")
    metrics = [Metric(f"metric_{tag}", 1.0 / (step + tag + 1), 1_700_000_000_000 + step, step)
               for tag in range(tags) for step in range(steps)]
    for start in range(0, len(metrics), 1000):
        client.log_batch(run.info.run_id, metrics=metrics[start:start + 1000])
    client.set_terminated(run.info.run_id)
"""


def write_logdir(logdir: Path) -> None:
    """RUNS runs of TAGS scalar tags × STEPS steps, with TensorBoard's own writer."""
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    for run in range(RUNS):
        writer = EventFileWriter(str(logdir / f"run-{run}"), max_queue_size=10_000)
        for step in range(STEPS):
            values = [summary_pb2.Summary.Value(tag=f"metric_{tag}",
                                                simple_value=1.0 / (step + tag + 1))
                      for tag in range(TAGS)]
            writer.add_event(event_pb2.Event(wall_time=1_700_000_000.0 + step, step=step,
                                             summary=summary_pb2.Summary(value=values)))
        writer.close()


def timed(command: list[str], **kwargs: object) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])}… failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - began


def aim_seconds(logdir: Path, folder: str) -> float | str:
    """Aim's converter on the same logdir, or why it could not run."""
    aim = TOOLS / "aim-venv/bin/aim"
    if not aim.exists():
        return "not installed (bench_tools.sh could not install aim and tensorflow-cpu)"
    repo = Path(folder) / "aim-repo"
    repo.mkdir()
    try:
        timed([str(aim), "init", "--repo", str(repo)])
        return timed([str(aim), "convert", "--repo", str(repo), "tensorboard", "--logdir",
                      str(logdir)])
    except SystemExit as failure:
        print(failure, file=sys.stderr)
        return f"failed (its error is printed above the table): {str(failure).splitlines()[-1]}"


def main() -> None:
    points = RUNS * TAGS * STEPS
    with tempfile.TemporaryDirectory() as folder:
        logdir = Path(folder) / "logdir"
        began = time.perf_counter()
        write_logdir(logdir)
        print(f"logdir written in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        server, url, token = start_trackboard(folder)
        try:
            tensorboard = timed([sys.executable, "-m", "trackboard.cli", "import", "tensorboard",
                                 str(logdir), "--project", "bench", "--url", url,
                                 "--token", token])
        finally:
            server.terminate()
            server.wait()
        aim = aim_seconds(logdir, folder)
    with tempfile.TemporaryDirectory() as folder:
        store = (Path(folder) / "mlruns").as_uri()
        mlflow_python = str(TOOLS / "mlflow-venv/bin/python")
        began = time.perf_counter()
        timed([mlflow_python, "-c", WRITE_MLFLOW_STORE, store, str(RUNS), str(STEPS),
               str(TAGS)])
        print(f"MLflow store written in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        server, url, token = start_trackboard(folder)
        try:
            mlflow = timed([mlflow_python, "-m", "trackboard.cli", "import", "mlflow",
                            "--tracking-uri", store, "--url", url, "--token", token])
        finally:
            server.terminate()
            server.wait()
    shape = f"{RUNS} runs × {TAGS} scalars × {STEPS:,} steps ({points:,} points)"
    aim_cell = (f"{aim:.1f} s, {points / aim:,.0f} points/s" if isinstance(aim, float)
                else str(aim))
    rows = [
        "| figure | value |",
        "|---|---|",
        f"| `trackboard import tensorboard`, {shape} | {tensorboard:.1f} s, "
        f"{points / tensorboard:,.0f} points/s |",
        f"| Aim's `aim convert tensorboard`, the same logdir | {aim_cell} |",
        f"| `trackboard import mlflow`, an MLflow file store of {shape} | {mlflow:.1f} s, "
        f"{points / mlflow:,.0f} points/s |",
    ]
    table = "\n".join(rows)
    print(table)
    write_benchmarks_block("imports", "## Imports (issue 30)\n\nMeasured by "
                           "`scripts/bench_imports.py` (part of `make bench`), release server "
                           "on this 2-core machine.", table)


if __name__ == "__main__":
    main()
