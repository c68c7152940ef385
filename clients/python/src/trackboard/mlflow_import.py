"""`trackboard import mlflow --tracking-uri URI [--experiment NAME]`: an MLflow store's
experiments become projects and its runs experiments, read with MLflow's own client
(``pip install trackboard[mlflow]``) and written through Trackboard's MLflow REST API, so
the mapping is the one every MLflow script already gets.

- a run keeps its run id (`runs/create`'s `run_id`, Trackboard's extension), its name,
  user, start and end times, status, params, tags and note;
- every metric history goes in as MLflow holds it: each value with its step and
  timestamp, repeats and out-of-order steps included, bit for bit (a float64 sent as
  JSON's shortest round-trip form; NaN and ±infinity as protobuf's JSON writes them,
  `"NaN"`, `"Infinity"`, `"-Infinity"`, which the chart draws as gaps);
- every artifact file is uploaded at its path.

Importing again stores nothing twice: a run is found by its kept id, a metric's stored
history is compared with the store's and only what follows it is sent, a param already
there is left, and an artifact already there with the same size is not sent again."""

from __future__ import annotations

import math
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from ._importing import ImportSummary, progress
from .exceptions import TrackboardError

#: MLflow's log-batch limits (its server's, and Trackboard's MLflow face's).
BATCH_METRICS = 1000
BATCH_PARAMS = 100
BATCH_TAGS = 100
#: Runs per page of the store's search.
RUNS_PER_PAGE = 1000
#: The tag that holds the run name: set by `runs/create`, never sent as a tag (a name
#: that had to take a number in the project would be renamed back).
RUN_NAME_TAG = "mlflow.runName"


class MlflowFace:
    """Trackboard's MLflow REST API. A write is never retried: a log-batch sent twice
    would store its points twice, and the next import resumes where this one stopped."""

    def __init__(self, host: str, token: str, timeout: float = 120.0):
        root = host.rstrip("/").removesuffix("/api/v1")
        self.api = root + "/api/2.0/mlflow"
        self.artifacts = root + "/api/2.0/mlflow-artifacts/artifacts"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body: Any = None,
             params: dict[str, Any] | None = None, missing_ok: bool = False) -> Any:
        """Answers the decoded JSON; `None` for a 404 when `missing_ok`."""
        response = self.session.request(method, f"{self.api}/{path}", json=body,
                                         params=params, timeout=self.timeout)
        if response.status_code == 404 and missing_ok:
            return None
        _raise_for(response, path)
        return response.json()

    def listed_artifacts(self, experiment_id: str, run_id: str) -> dict[str, int]:
        """Every artifact file of a run: its path and size."""
        found: dict[str, int] = {}
        folders = [""]
        while folders:
            folder = folders.pop()
            path = f"{experiment_id}/{run_id}/artifacts" + (f"/{folder}" if folder else "")
            response = self.session.get(self.artifacts, params={"path": path},
                                        timeout=self.timeout)
            _raise_for(response, "artifacts")
            for entry in response.json().get("files", []):
                child = f"{folder}/{entry['path']}" if folder else entry["path"]
                if entry.get("is_dir"):
                    folders.append(child)
                else:
                    found[child] = int(entry.get("file_size") or 0)
        return found

    def upload(self, experiment_id: str, run_id: str, path: str, file: Path) -> None:
        with file.open("rb") as body:
            response = self.session.put(
                f"{self.artifacts}/{experiment_id}/{run_id}/artifacts/{path}", data=body,
                headers={"Content-Type": "application/octet-stream"}, timeout=self.timeout)
        _raise_for(response, f"artifact {path}")


def _raise_for(response: requests.Response, what: str) -> None:
    if response.status_code < 400:
        return
    try:
        message = response.json().get("message") or response.text
    except ValueError:
        message = response.text
    raise TrackboardError(f"the server refused {what} ({response.status_code}): {message}")


def source_experiments(source: Any, name: str | None) -> list[Any]:
    """The store's active experiments, or the one named."""
    if name is not None:
        experiment = source.get_experiment_by_name(name)
        if experiment is None:
            raise SystemExit(f"trackboard import: the store has no experiment named {name!r}")
        return [experiment]
    found: list[Any] = []
    token = None
    while True:
        page = source.search_experiments(max_results=1000, page_token=token)
        found.extend(page)
        token = page.token
        if not token:
            return found


def source_runs(source: Any, experiment_id: str) -> list[Any]:
    """Every active run of an experiment, oldest first."""
    found: list[Any] = []
    token = None
    while True:
        page = source.search_runs([experiment_id], max_results=RUNS_PER_PAGE, page_token=token,
                                  order_by=["attributes.start_time ASC"])
        found.extend(page)
        token = page.token
        if not token:
            return found


def target_experiment(face: MlflowFace, experiment: Any) -> str:
    """The project named as the MLflow experiment (made when missing), with its tags."""
    got = face.call("GET", "experiments/get-by-name",
                    params={"experiment_name": experiment.name}, missing_ok=True)
    if got is not None:
        experiment_id = str(got["experiment"]["experiment_id"])
    else:
        experiment_id = str(face.call("POST", "experiments/create",
                                      {"name": experiment.name})["experiment_id"])
    for key, value in (experiment.tags or {}).items():
        face.call("POST", "experiments/set-experiment-tag",
                  {"experiment_id": experiment_id, "key": key, "value": value})
    return experiment_id


def import_store(source: Any, face: MlflowFace, experiment_name: str | None) -> ImportSummary:
    """Imports every run of the store (or of one experiment) into Trackboard."""
    summary = ImportSummary()
    plan = [(experiment, source_runs(source, experiment.experiment_id))
            for experiment in source_experiments(source, experiment_name)]
    total = sum(len(runs) for _, runs in plan)
    with progress(total, "run") as shown:
        for experiment, runs in plan:
            target = target_experiment(face, experiment) if runs else ""
            for run in runs:
                import_run(source, face, target, run, summary)
                shown.advance(run.info.run_name or run.info.run_id, summary)
    return summary


def import_run(source: Any, face: MlflowFace, experiment_id: str, run: Any,
               summary: ImportSummary) -> None:
    info = run.info
    run_id = info.run_id
    stored = face.call("GET", "runs/get", params={"run_id": run_id}, missing_ok=True)
    if stored is None:
        body: dict[str, Any] = {"experiment_id": experiment_id, "run_id": run_id,
                                "run_name": info.run_name or "", "start_time": info.start_time,
                                "user_id": info.user_id or ""}
        stored = face.call("POST", "runs/create", body)
        summary.experiments += 1
    data = stored["run"]["data"]
    stored_params = {p["key"]: p["value"] for p in data.get("params", [])}
    stored_metrics = {m["key"] for m in data.get("metrics", [])}
    params = [{"key": key, "value": value} for key, value in sorted(run.data.params.items())
              if key not in stored_params]
    changed = sum(stored_params.get(key, value) != value for key, value in run.data.params.items())
    if changed:
        summary.skip("params whose stored value differs (MLflow's params never change)", changed)
    tags = [{"key": key, "value": value} for key, value in sorted(run.data.tags.items())
            if key != RUN_NAME_TAG]
    for start in range(0, len(params), BATCH_PARAMS):
        face.call("POST", "runs/log-batch",
                  {"run_id": run_id, "params": params[start:start + BATCH_PARAMS]})
    for start in range(0, len(tags), BATCH_TAGS):
        face.call("POST", "runs/log-batch",
                  {"run_id": run_id, "tags": tags[start:start + BATCH_TAGS]})
    summary.parameters += len(params)
    for key in sorted(run.data.metrics):
        _import_history(source, face, run_id, key, key in stored_metrics, summary)
    face.call("POST", "runs/update", {"run_id": run_id, "status": info.status,
                                      **({"end_time": info.end_time} if info.end_time else {})})
    _import_artifacts(source, face, experiment_id, run_id, summary)


def _import_history(source: Any, face: MlflowFace, run_id: str, key: str, known: bool,
                    summary: ImportSummary) -> None:
    """Sends what follows the stored history of `key`; a stored history that is no longer
    the start of the store's is left as it is, and counted."""
    history = source.get_metric_history(run_id, key)
    points = [(m.step, m.timestamp, _wire_double(m.value)) for m in history]
    have: list[tuple[int, int, float | str]] = []
    if known:
        answer = face.call("GET", "metrics/get-history", params={"run_id": run_id,
                                                                 "metric_key": key})
        have = [(m["step"], m["timestamp"], m["value"]) for m in answer.get("metrics", [])]
        if points[:len(have)] != have:
            summary.skip("metric histories that differ from the stored one", 1)
            return
    fresh = points[len(have):]
    for start in range(0, len(fresh), BATCH_METRICS):
        batch = [{"key": key, "value": value, "timestamp": timestamp, "step": step}
                 for step, timestamp, value in fresh[start:start + BATCH_METRICS]]
        face.call("POST", "runs/log-batch", {"run_id": run_id, "metrics": batch})
    summary.points += len(fresh)
    summary.logs += not known and bool(fresh)


def _wire_double(value: float) -> float | str:
    """A double as protobuf's JSON (and so MLflow's REST API) writes it: JSON has no NaN
    or infinity, so those are the strings "NaN", "Infinity" and "-Infinity"."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _artifact_files(source: Any, run_id: str, folder: str | None = None) -> Iterator[tuple[str, int]]:
    for entry in source.list_artifacts(run_id, folder):
        if entry.is_dir:
            yield from _artifact_files(source, run_id, entry.path)
        else:
            yield entry.path, int(entry.file_size or 0)


def _import_artifacts(source: Any, face: MlflowFace, experiment_id: str, run_id: str,
                      summary: ImportSummary) -> None:
    files = list(_artifact_files(source, run_id))
    if not files:
        return
    stored = face.listed_artifacts(experiment_id, run_id)
    with tempfile.TemporaryDirectory(prefix="trackboard-import-") as scratch:
        for path, size in files:
            if stored.get(path) == size:
                continue
            local = Path(source.download_artifacts(run_id, path, scratch))
            face.upload(experiment_id, run_id, path, local)
            local.unlink()
            summary.artifacts += 1


def main(arguments: Any, host: str, token: str) -> int:
    """`trackboard import mlflow`: imports and prints the summary."""
    try:
        from mlflow.tracking import MlflowClient  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        print("trackboard import mlflow needs MLflow's client: pip install trackboard[mlflow]",
              file=sys.stderr)
        return 2
    from mlflow.exceptions import MlflowException  # type: ignore[import-not-found, import-untyped, unused-ignore]

    source = MlflowClient(tracking_uri=arguments.tracking_uri)
    try:
        summary = import_store(source, MlflowFace(host, token), arguments.experiment)
    except MlflowException as error:  # the store could not be read: say so, no traceback
        print(f"trackboard import mlflow: reading {arguments.tracking_uri}: {error.message}; "
              "importing again resumes where this stopped", file=sys.stderr)
        return 1
    print(f"imported {summary}")
    return 0
