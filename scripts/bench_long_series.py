"""Read cost against series length for `make bench` (issue 29): one LINE series grown to
100,000,000 points (dense steps, 200,000 points a request), and read at 1,000 px
(`GET …/points?width=1000`, server answer, median of 20) when it holds 1, 10 and 100
million points. With block summaries a read costs the blocks a pixel column's border
cuts, not the series' length. Writes the table into BENCHMARKS.md between its
long-series markers.

    make bench    (or: TRACKBOARD_SERVER_BIN=target/release/trackboard-server \\
                   .tools/venv/bin/python scripts/bench_long_series.py)
    BENCH_LONG_POINTS=10000000 for a shorter run (the table is then not written).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request

from bench_client import start_trackboard, write_benchmarks_block

POINTS = int(os.environ.get("BENCH_LONG_POINTS", "100000000"))
BATCH = 200_000
CHECKPOINTS = [n for n in (1_000_000, 10_000_000, 100_000_000) if n <= POINTS]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        server, url, token = start_trackboard(folder)
        try:
            reads, fill = measure(url, token)
        finally:
            server.terminate()
            server.wait()
    rows = ["| figure | Trackboard | goal |", "|---|---|---|"]
    for points, (median, answered) in reads.items():
        goal = "≤ 50 ms" if points == 100_000_000 else ""
        rows.append(f"| one series of {points:,} points read at 1,000 px, server answer, "
                    f"median of 20 ({answered} points answered) | {median * 1000:.1f} ms | {goal} |")
    rows.append(f"| logging it: {POINTS // BATCH:,} requests of {BATCH:,} points | {fill:.0f} s | |")
    table = "\n".join(rows)
    print(table)
    if POINTS == 100_000_000:
        write_benchmarks_block(
            "long-series",
            "## Reading a long series\n\nMeasured by `scripts/bench_long_series.py` (part of "
            "`make bench`), release server on SQLite on this 2-core machine. A block lying "
            "within one pixel column is read from its summary (`storage/blocks.rs`).",
            table,
        )


def measure(url: str, token: str) -> tuple[dict[int, tuple[float, int]], float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(method: str, path: str, body: bytes | None = None) -> dict:
        request = urllib.request.Request(url + "/api/v1" + path, data=body, headers=headers,
                                         method=method)
        with urllib.request.urlopen(request, timeout=600) as answer:
            return json.load(answer)

    project = call("POST", "/projects", json.dumps({"name": "long"}).encode())["id"]
    run = call("POST", f"/projects/{project}/experiments",
               json.dumps({"name": "long run"}).encode())["id"]
    reads: dict[int, tuple[float, int]] = {}
    filling = 0.0
    for start in range(0, POINTS, BATCH):
        values = ",".join(f"{((i * 7919) % 100_003) / 1000:.3f}" for i in range(start, start + BATCH))
        body = ('{"name": "loss", "type": "LINE", "data": [' + values + "]}").encode()
        sent = time.perf_counter()
        call("POST", f"/experiments/{run}/logs", body)
        filling += time.perf_counter() - sent
        if start + BATCH in CHECKPOINTS:
            samples, answered = [], 0
            for _ in range(20):
                asked = time.perf_counter()
                answer = call("GET", f"/experiments/{run}/logs/loss/points?width=1000")
                samples.append(time.perf_counter() - asked)
                series = answer["series"][0]
                assert series["points_in_range"] == start + BATCH
                answered = len(series["steps"])
            reads[start + BATCH] = (statistics.median(samples), answered)
            print(f"{start + BATCH:,} points: {reads[start + BATCH][0] * 1000:.1f} ms", flush=True)
    return reads, filling


if __name__ == "__main__":
    sys.exit(main())
