"""Sweep search figures for `make bench` (issue 29): a sweep of 10,000 runs × 20 params ×
10 metrics logged through MLflow's client into Trackboard and, in the same run, into
MLflow's own server on SQLite; then MLflow's client `search_runs` with a filter and an
order against each (median of 5), and Trackboard's native filter of 3 clauses with a
sort (`GET /projects/{id}/experiments?filter=&order_by=`, median of 20, server answer).
Writes the table into BENCHMARKS.md between its sweep-search markers.

    make bench    (or: TRACKBOARD_SERVER_BIN=target/release/trackboard-server \\
                   .tools/bench-venv/bin/python scripts/bench_search.py)
    BENCH_SEARCH_RUNS=2000 for a shorter run, BENCH_SEARCH_MLFLOW=0 to time Trackboard
    alone (either way the table is then not written).
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench_client import MLFLOW_PYTHON, against_both, write_benchmarks_block

RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "10000"))

# Runs in MLflow's venv: fills a server with the sweep, then times the searches.
SWEEP = """
import json, os, statistics, sys, time
import requests
from mlflow import MlflowClient
url, runs = sys.argv[1], int(sys.argv[2])
headers = {"Content-Type": "application/json"}
if os.environ.get("MLFLOW_TRACKING_TOKEN"):
    headers["Authorization"] = "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"]
session = requests.Session()

def call(path, body):
    answer = session.post(url + "/api/2.0/mlflow/" + path, data=json.dumps(body), headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()

experiment_id = call("experiments/create", {"name": "sweep"})["experiment_id"]
start = time.perf_counter()
for index in range(runs):
    run_id = call("runs/create", {"experiment_id": experiment_id, "run_name": f"run-{index}",
                                  "start_time": 1_700_000_000_000 + index})["run"]["info"]["run_id"]
    # 20 params (p1 in 0..9, others spread) and 10 metrics in [0, 1), deterministic.
    params = [{"key": f"p{p}", "value": str((index * (p + 3) + p) % (10 if p == 1 else 97))}
              for p in range(20)]
    metrics = [{"key": f"m{m}", "value": ((index * 7919 + m * 104729) % 1000) / 1000,
                "timestamp": 1_700_000_000_000, "step": 0} for m in range(10)]
    call("runs/log-batch", {"run_id": run_id, "params": params, "metrics": metrics})
fill = time.perf_counter() - start

client = MlflowClient(url)
samples, found = [], None
for _ in range(5):
    begin = time.perf_counter()
    found = client.search_runs([experiment_id], filter_string="metrics.m0 > 0.5 and params.p1 = '7'",
                               order_by=["metrics.m1 DESC"], max_results=1000)
    samples.append(time.perf_counter() - begin)
# The same search as a bare request: the server's answer without the client's parsing.
request = {"experiment_ids": [experiment_id], "filter": "metrics.m0 > 0.5 and params.p1 = '7'",
           "order_by": ["metrics.m1 DESC"], "max_results": 1000}
bare = []
for _ in range(5):
    begin = time.perf_counter()
    assert len(call("runs/search", request)["runs"]) == len(found)
    bare.append(time.perf_counter() - begin)
# The client's own work on that answer, no server involved: JSON, protobuf, `Run`s.
from mlflow.entities import Run
from mlflow.protos.service_pb2 import SearchRuns
from mlflow.utils.proto_json_utils import parse_dict
text = session.post(url + "/api/2.0/mlflow/runs/search", data=json.dumps(request), headers=headers).text
own = []
for _ in range(5):
    begin = time.perf_counter()
    message = SearchRuns.Response()
    parse_dict(json.loads(text), message)
    assert len([Run.from_proto(run) for run in message.runs]) == len(found)
    own.append(time.perf_counter() - begin)
values = [run.data.metrics["m1"] for run in found]
assert values == sorted(values, reverse=True), "ordered by m1"
assert all(run.data.metrics["m0"] > 0.5 and run.data.params["p1"] == "7" for run in found)
print(f"SEARCH {statistics.median(samples)} {len(found)} {fill} {statistics.median(bare)} "
      f"{statistics.median(own)}")
"""


def sweep_against(url: str, token: str = "") -> tuple[float, int, float, float, float]:
    """(median seconds of search_runs, runs found, seconds to fill, median seconds of the
    bare request, median seconds of the client's own work on the answer) against `url`."""
    done = subprocess.run(
        [str(MLFLOW_PYTHON), "-c", SWEEP, url, str(RUNS)],
        capture_output=True, text=True, timeout=7200,
        env={"MLFLOW_TRACKING_TOKEN": token, "PATH": "/usr/bin:/bin"})
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    line = next(line for line in done.stdout.splitlines() if line.startswith("SEARCH "))
    seconds, found, fill, bare, own = line.split()[1:6]
    return float(seconds), int(found), float(fill), float(bare), float(own)


def native_search(url: str, token: str) -> tuple[float, int]:
    """Median seconds of the native filter (3 clauses and a sort), and its total."""
    import json
    import statistics
    import time
    import urllib.parse
    import urllib.request

    def get(path: str) -> dict:
        request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)

    project = next(p for p in get("/api/v1/projects?limit=1000")["items"] if p["name"] == "sweep")
    query = urllib.parse.urlencode({
        "filter": "metrics.m0 > 0.5 and params.p1 = '7' and params.p2 != '3'",
        "order_by": "metrics.m1 DESC", "limit": 100})
    samples, total = [], 0
    for _ in range(20):
        begin = time.perf_counter()
        total = get(f"/api/v1/projects/{project['id']}/experiments?{query}")["total"]
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples), total


def main() -> None:
    with_mlflow = os.environ.get("BENCH_SEARCH_MLFLOW", "1") != "0"
    (ours, native), theirs = against_both(
        lambda url, token: (sweep_against(url, token), native_search(url, token)),
        sweep_against if with_mlflow else lambda url: None)
    rows = [
        "| figure | Trackboard | MLflow's server (SQLite) | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    label = (f"MLflow's client `search_runs` over {RUNS:,} runs × 20 params × 10 metrics, "
             "`metrics.m0 > 0.5 and params.p1 = '7'`, order `metrics.m1 DESC` "
             f"({ours[1]} runs found), median of 5")
    if theirs is None:
        rows.append(f"| {label} | {ours[0] * 1000:.0f} ms | not measured | | ≥ 10× faster |")
    else:
        assert theirs[1] == ours[1], f"MLflow found {theirs[1]}, Trackboard {ours[1]}"
        ratio = theirs[0] / ours[0]
        rows.append(f"| {label} | {ours[0] * 1000:.0f} ms | {theirs[0] * 1000:.0f} ms | "
                    f"{ratio:.1f}× faster | ≥ 10×: {'met' if ratio >= 10 else 'not met'} |")
        rows.append(f"| the same search as a bare HTTP request (the server's answer, 1.6 MB, without "
                    f"the client turning it into `Run` objects), median of 5 | {ours[3] * 1000:.0f} ms | "
                    f"{theirs[3] * 1000:.0f} ms | {theirs[3] / ours[3]:.1f}× faster | |")
        # A server answering in no time still leaves the client's own work.
        ceiling = theirs[0] / ours[4]
        rows.append(f"| MLflow's client's own work on Trackboard's answer, no request (JSON, "
                    f"protobuf `ParseDict`, `Run.from_proto`), median of 5 | {ours[4] * 1000:.0f} ms | "
                    f"{theirs[4] * 1000:.0f} ms on its own answer | at most {ceiling:.1f}× for a "
                    f"server answering in no time | |")
    rows.append(f"| Trackboard's native filter, 3 clauses and a sort, first page of 100 "
                f"({native[1]} match), server answer, median of 20 | {native[0] * 1000:.1f} ms | | | ≤ 50 ms |")
    fill_theirs = f"{theirs[2]:.0f} s" if theirs else "not measured"
    rows.append(f"| filling the sweep: `runs/create` + one `log-batch` a run | {ours[2]:.0f} s | "
                f"{fill_theirs} | | |")
    table = "\n".join(rows)
    print(table)
    if not with_mlflow or RUNS != 10_000:
        return
    write_benchmarks_block(
        "sweep-search",
        "## Searching a sweep\n\nMeasured by `scripts/bench_search.py` (part of `make bench`), "
        "release server on this 2-core machine; both servers on SQLite, one worker each. "
        "The filter and order run in SQL (`storage/run_search.rs`).",
        table,
    )


if __name__ == "__main__":
    sys.exit(main())
