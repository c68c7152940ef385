"""MLflow's API figures for `make bench` (issue 17): MLflow's own client logging
100,000 metric points with `log_batch` (1,000 per call, as MLflow allows) to
Trackboard's MLflow API and, in the same run, to MLflow's own server on SQLite: points
stored per second for each and the ratio. Writes the table into BENCHMARKS.md between
its mlflow-api markers. Runs in the bench venv, which has MLflow's server.

    make bench    (or: TRACKBOARD_SERVER_BIN=target/release/trackboard-server \\
                   .tools/bench-venv/bin/python scripts/bench_mlflow_api.py)
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_client import MLFLOW_PYTHON, ROOT, start_mlflow, start_trackboard

POINTS = 100_000
PER_CALL = 1_000

LOOP = """
import sys, time
from mlflow import MlflowClient
from mlflow.entities import Metric
client = MlflowClient(sys.argv[1])
run = client.create_run(client.create_experiment("bench-log-batch"))
points, per_call = int(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
for first in range(0, points, per_call):
    client.log_batch(run.info.run_id, metrics=[
        Metric("loss", step * 1e-6, 1_700_000_000_000 + step, step)
        for step in range(first, first + per_call)])
rate = points / (time.perf_counter() - start)
stored = len(client.get_metric_history(run.info.run_id, "loss"))
assert stored == points, f"{stored} of {points} points stored"
print(f"RATE {rate}")
"""


def rate_against(url: str, token: str = "") -> float:
    """Points per second of the loop against the server at `url`."""
    done = subprocess.run(
        [str(MLFLOW_PYTHON), "-c", LOOP, url, str(POINTS), str(PER_CALL)],
        capture_output=True, text=True, timeout=3600,
        env={"MLFLOW_TRACKING_TOKEN": token, "PATH": "/usr/bin:/bin"})
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return float(next(line.split()[1] for line in done.stdout.splitlines() if line.startswith("RATE ")))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server, url, token = start_trackboard(folder)
        try:
            trackboard = rate_against(url, token)
        finally:
            server.terminate()
            server.wait()
        server, url = start_mlflow(folder)
        try:
            mlflow = rate_against(url) if url else None
        finally:
            server.terminate()
            server.wait()
    rows = [
        "| figure | value | goal | met |",
        "|---|---|---|---|",
        f"| MLflow's client, `log_batch` of {PER_CALL:,} metrics × {POINTS // PER_CALL}, to Trackboard | "
        f"{trackboard:,.0f} points/s | | |",
    ]
    if mlflow is not None:
        ratio = trackboard / mlflow
        rows.append(f"| the same to MLflow's own server (SQLite) | {mlflow:,.0f} points/s "
                    f"(Trackboard {ratio:,.1f}×) | ≥ 50× | {'yes' if ratio >= 50 else 'no'} |")
    table = "\n".join(rows)
    print(table)
    benchmarks = ROOT / "BENCHMARKS.md"
    text = benchmarks.read_text()
    block = f"<!-- mlflow-api:start -->\n{table}\n<!-- mlflow-api:end -->"
    if "<!-- mlflow-api:start -->" in text:
        text = re.sub(r"<!-- mlflow-api:start -->[\s\S]*<!-- mlflow-api:end -->", block, text)
    else:
        text += ("\n## MLflow's client against Trackboard's MLflow API\n\nMeasured by "
                 "`scripts/bench_mlflow_api.py` (part of `make bench`), release server on this "
                 "2-core machine; both servers on SQLite, one worker each.\n\n" + block + "\n")
    benchmarks.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
