"""Grouped-chart figure for `make bench` (issue 29): 1,000 runs × a 10,000-step loss,
grouped by a parameter of 5 values (`GET /projects/{id}/line-groups`, 1,000 columns),
server answer, median of 10. Writes the table into BENCHMARKS.md between its
grouped-chart markers.

    make bench    (or: TRACKBOARD_SERVER_BIN=target/release/trackboard-server \\
                   .tools/venv/bin/python scripts/bench_groups.py)
    BENCH_GROUP_RUNS=200 for a shorter run (the table is then not written).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import tempfile
import time
import urllib.request

from bench_client import start_trackboard, write_benchmarks_block

RUNS = int(os.environ.get("BENCH_GROUP_RUNS", "1000"))
STEPS = 10_000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server, url, token = start_trackboard(folder)
        try:
            figures = measure(url, token)
        finally:
            server.terminate()
            server.wait()
    median, groups, fill = figures
    table = "\n".join([
        "| figure | Trackboard | goal |",
        "|---|---|---|",
        f"| a chart grouped by one parameter ({groups} groups) over {RUNS:,} runs × "
        f"{STEPS:,} steps, 1,000 columns, server answer, median of 10 | {median * 1000:.0f} ms | ≤ 150 ms |",
        f"| logging the sweep: a run, its parameter and its loss in one request each | {fill:.0f} s | |",
    ])
    print(table)
    if RUNS == 1000:
        write_benchmarks_block(
            "grouped-chart",
            "## A grouped chart\n\nMeasured by `scripts/bench_groups.py` (part of `make bench`), "
            "release server on SQLite on this 2-core machine. Bands are computed from every "
            "point (`domain/line_bands.rs`); each run's blocks are read once.",
            table,
        )


def measure(url: str, token: str) -> tuple[float, int, float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(method: str, path: str, body: object | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url + "/api/v1" + path, data=data, headers=headers,
                                         method=method)
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)

    project = call("POST", "/projects", {"name": "grouped sweep"})["id"]
    begin = time.perf_counter()
    for index in range(RUNS):
        run = call("POST", f"/projects/{project}/experiments", {"name": f"run-{index}"})["id"]
        lr = [0.1, 0.03, 0.01, 0.003, 0.001][index % 5]
        call("POST", f"/experiments/{run}/parameters", {"lr": lr, "seed": index})
        loss = [math.exp(-step * lr / 50) + ((index * 7919 + step * 104729) % 1000) / 20_000
                for step in range(STEPS)]
        call("POST", f"/experiments/{run}/logs", {"name": "loss", "type": "LINE", "data": loss})
    fill = time.perf_counter() - begin
    samples, groups = [], 0
    for _ in range(10):
        start = time.perf_counter()
        answer = call("GET", f"/projects/{project}/line-groups?group_by=params.lr&log=loss&width=1000")
        samples.append(time.perf_counter() - start)
        groups = len(answer["groups"])
        assert sum(len(g["experiment_ids"]) for g in answer["groups"]) == RUNS
    return statistics.median(samples), groups, fill


if __name__ == "__main__":
    sys.exit(main())
