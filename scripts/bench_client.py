"""The Python client's figures for `make bench` (issue 16): 1,000,000 LINE points logged
one call per step from a loop against the release server, as points stored per second
and the loop's own cost per call; the journal during a 60 s outage (issue 27): each
`log` call's cost and the loop's worst stall while 1,000,000 points queue, and the time
from the server's return until all of them are acknowledged; then the same loop through MLflow's client
(`mlflow.log_metric` per step) against MLflow's own server on SQLite, 10,000 points,
for the ratio. Writes the table into BENCHMARKS.md between its client markers.

    make bench    (or: TRACKBOARD_SERVER_BIN=target/release/trackboard-server \\
                   .tools/venv/bin/python scripts/bench_client.py)
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("TRACKBOARD_SERVER_BIN", str(ROOT / "target/release/trackboard-server"))
MLFLOW_PYTHON = ROOT / ".tools/bench-venv/bin/python"
POINTS = 1_000_000
MLFLOW_POINTS = 10_000
OUTAGE_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_trackboard(folder: str) -> tuple[subprocess.Popen, str, str]:
    """The release server on a fresh SQLite file: (process, URL, admin token)."""
    port = free_port()
    server = subprocess.Popen(
        [SERVER, "--bind", f"127.0.0.1:{port}", "--database-url", f"sqlite://{folder}/tb.db",
         "--artifact-dir", f"{folder}/artifacts", "--dashboard-dir", f"{folder}/none", "--no-demo"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    token = ""
    assert server.stdout is not None
    for raw in server.stdout:
        line = raw.decode()
        found = re.search(r"#token=(\S+)", line)
        token = found.group(1) if found else token
        if "running at" in line:
            break
    return server, f"http://127.0.0.1:{port}", token


def trackboard_figures(folder: str) -> tuple[float, float]:
    """(points stored per second, median loop cost per call in µs)."""
    server, url, token = start_trackboard(folder)
    try:
        from trackboard import Client, LogType

        experiment = Client(url, token).experiment("bench", "loop")
        samples = []
        start = time.perf_counter()
        for step in range(POINTS):
            if step % 100 == 0:
                before = time.perf_counter_ns()
                experiment.log("loss", [step * 1e-6], LogType.LINE)
                samples.append(time.perf_counter_ns() - before)
            else:
                experiment.log("loss", [step * 1e-6], LogType.LINE)
        experiment.flush()
        elapsed = time.perf_counter() - start
        stored = experiment.get_log("loss")["data"]["series"]["loss"]["steps"]
        assert len(stored) == POINTS, f"{len(stored)} points stored of {POINTS}"
        return POINTS / elapsed, statistics.median(samples) / 1000
    finally:
        server.terminate()
        server.wait()


def outage_figures(folder: str) -> tuple[float, float, float, float]:
    """(median µs, p99 µs and worst ms of a `log` call while the server is down,
    seconds from its return until the 1,000,000 points queued are acknowledged)."""
    os.environ["TRACKBOARD_DIR"] = f"{folder}/journals"
    server, url, token = start_trackboard(folder)
    from trackboard import Client, LogType

    experiment = Client(url, token).experiment("bench", "outage")
    experiment.log("loss", [0.0], LogType.LINE)
    experiment.flush()
    port = url.rsplit(":", 1)[1]
    server.terminate()
    server.wait()
    samples = []
    per_tick = POINTS // (OUTAGE_SECONDS * 1000) + 1
    start = time.perf_counter()
    step = 1
    while step <= POINTS:
        for _ in range(per_tick):
            if step > POINTS:
                break
            before = time.perf_counter_ns()
            experiment.log("loss", [step * 1e-6], LogType.LINE)
            samples.append(time.perf_counter_ns() - before)
            step += 1
        next_tick = start + step / (per_tick * 1000)
        pause = next_tick - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    server = subprocess.Popen(
        [SERVER, "--bind", f"127.0.0.1:{port}", "--database-url", f"sqlite://{folder}/tb.db",
         "--artifact-dir", f"{folder}/artifacts", "--dashboard-dir", f"{folder}/none",
         "--no-demo"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert server.stdout is not None
    for raw in server.stdout:
        if b"running at" in raw:
            break
    back = time.perf_counter()
    try:
        experiment.flush()
        caught_up = time.perf_counter() - back
        stored = experiment.get_log("loss")["data"]["series"]["loss"]["steps"]
        assert len(stored) == POINTS + 1, f"{len(stored)} points stored of {POINTS + 1}"
        experiment.close()
    finally:
        server.terminate()
        server.wait()
    samples.sort()
    return (samples[len(samples) // 2] / 1000, samples[int(len(samples) * 0.99)] / 1000,
            samples[-1] / 1e6, caught_up)


MLFLOW_LOOP = """
import sys, time, mlflow
mlflow.set_tracking_uri(sys.argv[1])
mlflow.set_experiment("bench")
with mlflow.start_run():
    start = time.perf_counter()
    for step in range(int(sys.argv[2])):
        mlflow.log_metric("loss", step * 1e-6, step=step)
    rate = int(sys.argv[2]) / (time.perf_counter() - start)
print(f"RATE {rate}")
"""


def stop_mlflow(server: subprocess.Popen) -> None:
    """Stops MLflow's server and the uvicorn worker it started (terminating the `mlflow`
    command alone left the worker serving, and loading the machine, after the bench)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    server.wait()


def start_mlflow(folder: str) -> tuple[subprocess.Popen, str | None]:
    """MLflow's own server on SQLite, in a process group of its own (see `stop_mlflow`):
    (process, URL, or None when it did not start)."""
    port = free_port()
    server = subprocess.Popen(
        [str(MLFLOW_PYTHON), "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{folder}/mlflow.db",
         "--default-artifact-root", f"{folder}/mlruns", "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    import urllib.request
    while True:
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1)
            return server, url
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                print("bench: MLflow's server did not start", file=sys.stderr)
                return server, None
            time.sleep(0.5)


def mlflow_figure(folder: str) -> float | None:
    """Points stored per second through MLflow's client, or None without MLflow."""
    if not MLFLOW_PYTHON.exists():
        return None
    server, url = start_mlflow(folder)
    try:
        if url is None:
            return None
        done = subprocess.run([str(MLFLOW_PYTHON), "-c", MLFLOW_LOOP, url, str(MLFLOW_POINTS)],
                              capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return None
        rates = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("RATE ")]
        return float(rates[0]) if rates else None
    finally:
        stop_mlflow(server)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRACKBOARD_DIR"] = f"{folder}/journals"
        rate, per_call = trackboard_figures(folder)
    with tempfile.TemporaryDirectory() as folder:
        median, p99, worst, caught_up = outage_figures(folder)
    with tempfile.TemporaryDirectory() as folder:
        mlflow_rate = mlflow_figure(folder)
    rows = [
        "| figure | value | goal | met |",
        "|---|---|---|---|",
        f"| LINE points stored per second, one `log` call per step, {POINTS:,} points | "
        f"{rate:,.0f} | ≥ 200,000 | {'yes' if rate >= 200_000 else 'no'} |",
        f"| the loop's own cost per `log` call (median of every 100th) | {per_call:.2f} µs | "
        f"≤ 5 µs | {'yes' if per_call <= 5 else 'no'} |",
        f"| a `log` call while the server is down ({OUTAGE_SECONDS} s, {POINTS:,} points queued "
        f"in the journal): median, 99th percentile | {median:.2f} µs, {p99:.2f} µs | ≤ 5 µs, "
        f"≤ 50 µs | {'yes' if median <= 5 and p99 <= 50 else 'no'} |",
        f"| the loop's worst stall during that outage | {worst:.2f} ms | ≤ 10 ms | "
        f"{'yes' if worst <= 10 else 'no'} |",
        f"| from the server's return until the {POINTS:,} queued points are acknowledged | "
        f"{caught_up:.1f} s | | |",
    ]
    if mlflow_rate is not None:
        rows.append(f"| the same loop through MLflow's client (`mlflow.log_metric` per step, its own "
                    f"server on SQLite, {MLFLOW_POINTS:,} points) | {mlflow_rate:,.0f} points/s "
                    f"(Trackboard {rate / mlflow_rate:,.0f}× faster) | | |")
    table = "\n".join(rows)
    print(table)
    write_benchmarks_block("client", "## The Python client\n\nMeasured by `scripts/bench_client.py` "
                           "(part of `make bench`), release server on this 2-core machine.", table)


def against_both(ours, theirs):
    """`ours(url, token)` against a fresh release Trackboard server, then `theirs(url)`
    against MLflow's own server on SQLite (None when it does not start), each server
    stopped after: (ours' answer, theirs' answer or None)."""
    with tempfile.TemporaryDirectory() as folder:
        server, url, token = start_trackboard(folder)
        try:
            mine = ours(url, token)
        finally:
            server.terminate()
            server.wait()
        server, url = start_mlflow(folder)
        try:
            other = theirs(url) if url else None
        finally:
            stop_mlflow(server)
    return mine, other


def write_benchmarks_block(marker: str, heading: str, table: str) -> None:
    """Puts `table` into BENCHMARKS.md between its `marker` comments, or appends it under
    `heading` the first time."""
    benchmarks = ROOT / "BENCHMARKS.md"
    text = benchmarks.read_text()
    block = f"<!-- {marker}:start -->\n{table}\n<!-- {marker}:end -->"
    if f"<!-- {marker}:start -->" in text:
        text = re.sub(rf"<!-- {marker}:start -->[\s\S]*<!-- {marker}:end -->", lambda _: block, text)
    else:
        text += f"\n{heading}\n\n{block}\n"
    benchmarks.write_text(text)

if __name__ == "__main__":
    main()
