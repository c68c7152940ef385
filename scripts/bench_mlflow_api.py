"""MLflow's API figures for `make bench` (issue 17): MLflow's own client logging
100,000 metric points with `log_batch` (1,000 per call, as MLflow allows) to
Trackboard's MLflow API and, in the same run, to MLflow's own server on SQLite: points
stored per second for each and the ratio. Writes the table into BENCHMARKS.md between
its mlflow-api markers. Runs in the bench venv, which has MLflow's server.

    make bench    (or: TRACKBOARD_SERVER_BIN=target/release/trackboard-server \\
                   .tools/bench-venv/bin/python scripts/bench_mlflow_api.py)
"""

from __future__ import annotations

import subprocess
import sys

from bench_client import MLFLOW_PYTHON, against_both, write_benchmarks_block

POINTS = 100_000
PER_CALL = 1_000

LOOP = """
import json, os, sys, time
import requests
from mlflow import MlflowClient
from mlflow.entities import Metric
from mlflow.protos.service_pb2 import LogBatch
from mlflow.utils.proto_json_utils import message_to_json
url, points, per_call = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = MlflowClient(url)
run = client.create_run(client.create_experiment("bench-log-batch"))
run_id = run.info.run_id

def batch(key, first):
    return [Metric(key, step * 1e-6, 1_700_000_000_000 + step, step)
            for step in range(first, first + per_call)]

# Through MLflow's client, as a script logs.
start = time.perf_counter()
for first in range(0, points, per_call):
    client.log_batch(run_id, metrics=batch("loss", first))
client_rate = points / (time.perf_counter() - start)
stored = len(client.get_metric_history(run_id, "loss"))
assert stored == points, f"{stored} of {points} points stored"

# The server alone: the same requests, serialised before the clock starts.
bodies = [message_to_json(LogBatch(run_id=run_id, metrics=[m.to_proto() for m in batch("raw", first)]))
          for first in range(0, points, per_call)]
session = requests.Session()
headers = {"Content-Type": "application/json"}
if os.environ.get("MLFLOW_TRACKING_TOKEN"):
    headers["Authorization"] = "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"]
start = time.perf_counter()
for body in bodies:
    answer = session.post(url + "/api/2.0/mlflow/runs/log-batch", data=body, headers=headers)
    assert answer.status_code == 200, answer.text
server_rate = points / (time.perf_counter() - start)
print(f"RATE {client_rate} {server_rate}")
"""


def rate_against(url: str, token: str = "") -> tuple[float, float]:
    """Points per second against the server at `url`: through MLflow's client, and of
    the server alone (the same requests, serialised beforehand)."""
    done = subprocess.run(
        [str(MLFLOW_PYTHON), "-c", LOOP, url, str(POINTS), str(PER_CALL)],
        capture_output=True, text=True, timeout=3600,
        env={"MLFLOW_TRACKING_TOKEN": token, "PATH": "/usr/bin:/bin"})
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RATE "))
    client_rate, server_rate = line.split()[1:3]
    return float(client_rate), float(server_rate)


def main() -> None:
    trackboard, mlflow = against_both(rate_against, rate_against)
    rows = [
        "| figure | Trackboard | MLflow's server (SQLite) | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    labels = [f"MLflow's client, `log_batch` of {PER_CALL:,} metrics × {POINTS // PER_CALL}",
              "the server alone: the same requests, serialised beforehand"]
    for index, label in enumerate(labels):
        ours = f"{trackboard[index]:,.0f} points/s"
        if mlflow is None:
            rows.append(f"| {label} | {ours} | not measured | | ≥ 50× |")
            continue
        ratio = trackboard[index] / mlflow[index]
        rows.append(f"| {label} | {ours} | {mlflow[index]:,.0f} points/s | {ratio:,.1f}× | "
                    f"≥ 50×: {'met' if ratio >= 50 else 'not met'} |")
    table = "\n".join(rows)
    print(table)
    write_benchmarks_block(
        "mlflow-api",
        "## MLflow's client against Trackboard's MLflow API\n\nMeasured by "
        "`scripts/bench_mlflow_api.py` (part of `make bench`), release server on this "
        "2-core machine; both servers on SQLite, one worker each.",
        table,
    )

if __name__ == "__main__":
    sys.exit(main())
