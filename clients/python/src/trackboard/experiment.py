"""An experiment and what it logs: seed 000's Experiment API."""

from __future__ import annotations

import atexit
import json
import os
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from . import _records
from ._http import Connection, Transport, listed
from ._images import image_bytes
from ._journal import Journal, JournalState
from ._multipart import streamed_form
from ._shipper import Shipment, Shipper
from ._system import SystemMonitor
from .artifacts import LOGGING_FILE_NAME, Artifact, LoggingFile, artifact_of
from .evaluation import (
    AddEvaluationType,
    Evaluation,
    InferenceType,
    Job,
    MultiEvaluation,
    Split,
    shapes_body,
    split_result,
    split_seed,
)
from .exceptions import NotFound, OfflineError, TrackboardError
from .logs import SCOPES, Checkpoint, Log
from .registry import DatasetVersion, ModelVersion
from .types import ExperimentStatus, JobStatus, LogType

if TYPE_CHECKING:
    from typing_extensions import Self

#: Artifacts up to this size go through the journal (copied: an outage does not raise);
#: larger ones are streamed to the server directly.
JOURNALED_ARTIFACT_BYTES = 256 * 1024 * 1024
#: How long an exit waits for the server to take what is left, at most.
EXIT_DEADLINE = 30.0
#: How long an exit waits without progress while the server is away.
EXIT_PATIENCE = 2.0


def _segment(name: str) -> str:
    return quote(name, safe="")


def _id_of(record: Any) -> int:
    """The id of a record given as an object with an `id`, or as the id."""
    return int(getattr(record, "id", record))


def _zip(path: str, archive: str) -> None:
    """Zips a folder (its files relative to it) or one file into `archive`."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        if os.path.isfile(path):
            zipped.write(path, os.path.basename(path))
            return
        for root, _, files in os.walk(path):
            for file in files:
                full = os.path.join(root, file)
                zipped.write(full, os.path.relpath(full, path))


def _pending_artifact(name: str, filename: str, path: str) -> Artifact:
    """What `store` answers while the server is away: the artifact as journaled (its
    size and SHA-256; no id until it is sent)."""
    import hashlib
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return Artifact(_no_server(), {"name": name, "filename": filename, "object_name": "",
                                   "size": os.path.getsize(path), "sha256": digest.hexdigest()})


class Experiment:
    """One experiment. What it logs goes to a local journal first and is sent in the
    background (docs/PYTHON.md, "When the server is away"); use it as a context manager,
    or call `flush`, to wait for the server (interpreter exit waits too, briefly).

    `offline` is the journal's metadata of an experiment made without a server
    (``Client(offline=True)``): it is only journaled, and `trackboard sync` sends it.
    """

    def __init__(self, connection: Connection | None, data: dict[str, Any],
                 offline: dict[str, Any] | None = None,
                 system_metrics: float | None = None):
        self._connection = connection
        self._system_interval = connection.system_metrics if connection else system_metrics
        self._monitor: SystemMonitor | None = None
        self._transport: Transport = connection.transport if connection else _no_server()
        self._data = data
        self._offline = offline
        self._journal: Journal | None = None
        self._shipper: Shipper | None = None
        self._sender: Transport | None = None
        self._log_lines: list[tuple[str | None, str]] | None = None
        self._log_chapter: str | None = None
        self._scopes: dict[str, str] = {}
        #: The last `dl_annotations` answer (seed 001).
        self.dict_annotations: dict[str, Any] | None = None

    @property
    def _http(self) -> Transport:
        """The transport for a direct request, once the journal's records before it are
        on the server (a read sees what was logged; a request keeps its place in order)."""
        if self._shipper is not None:
            self.flush()
        return self._transport

    # ---- the record ---------------------------------------------------------------
    @property
    def id(self) -> int:
        if self._offline is not None:
            raise OfflineError("an offline experiment gets its id when it is synced")
        return int(self._data["id"])

    @property
    def name(self) -> str:
        return str(self._data["name"])

    @property
    def project_id(self) -> int:
        if self._offline is not None:
            raise OfflineError("an offline experiment gets its project when it is synced")
        return int(self._data["project_id"])

    @property
    def status(self) -> str:
        return str(self._data["status"])

    def __repr__(self) -> str:
        if self._offline is not None:
            return f"Experiment(offline, name={self.name!r})"
        return f"Experiment(id={self.id}, name={self.name!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _path(self, rest: str = "") -> str:
        return f"/experiments/{self.id}{rest}"

    def update(self, name: str | None = None, description: str | None = None,
               base_experiment: Experiment | int | None = None,
               base_model_version: ModelVersion | int | None = None,
               status: ExperimentStatus | str | None = None) -> Experiment:
        """Changes the fields given (seed 000 `update`); a base model version given here
        brings its parameters and label map, as `attach_model_version` does."""
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if description is not None:
            body["description"] = description
        if base_experiment is not None:
            body["base_experiment_id"] = _id_of(base_experiment)
        if base_model_version is not None:
            body["base_model_version_id"] = _id_of(base_model_version)
        if status is not None:
            body["status"] = ExperimentStatus(status).value
        self._data = self._http.json("PATCH", self._path(), body=body)
        return self

    def get_base_experiment(self) -> Experiment | None:
        """The experiment this one iterates on, or None."""
        base_id = self._http.json("GET", self._path()).get("base_experiment_id")
        if base_id is None:
            return None
        assert self._connection is not None
        return Experiment(self._connection, self._transport.json("GET", f"/experiments/{base_id}"))

    def get_base_model_version(self) -> ModelVersion | None:
        """The model version this experiment starts from, or None."""
        version_id = self._http.json("GET", self._path()).get("base_model_version_id")
        if version_id is None:
            return None
        assert self._connection is not None
        return ModelVersion(self._connection,
                            self._transport.json("GET", f"/model-versions/{version_id}"))

    def delete(self) -> None:
        """Deletes the experiment with its logs, artifacts and files."""
        self.close()
        self._http.json("DELETE", self._path())

    # ---- logs ---------------------------------------------------------------------
    def log(self, name: str, data: Any, type: LogType | str,
            replace: bool = True, scope: str | None = None,
            wall_times: Sequence[float] | None = None) -> Log:
        """Logs `data` under `name` as `type` (seed 000 `log`); answers the `Log` as
        journaled (it reaches the server in the background: nothing here waits for it).

        LINE: the values (a number or a list; ``None`` is a gap) are appended to the
        curve, whatever `replace` says, as seed 000 specifies ("to replace a line, delete
        this log and create another one"); the REST API follows the same rule. A dict
        (`{"train": [...], "val": [...]}` or `{"steps": [...], "values": [...]}`) is
        appended the same way. IMAGE: `data` is a path, bytes, a PIL image or a numpy
        array. Other types replace the log's data unless `replace` is false (then an
        existing log is a Conflict). EVALUATION logs are written by
        `compute_evaluations_metrics` only.

        `scope` (LINE only; seed 003's chart scope) is ``"train"``, ``"validation"`` or
        ``"test"``: the dashboard groups an experiment's charts by it. It is sent once
        per log, when it changes.

        Each LINE point keeps when it was logged (charts can be drawn against wall time):
        the time of the call, or `wall_times` (LINE only; seconds since the Unix epoch,
        one per value of each series), as an import passes the times it read.
        """
        log_type = LogType.of(type)
        if scope is not None and (log_type is not LogType.LINE or scope not in SCOPES):
            raise ValueError(f"scope is one of {', '.join(SCOPES)}, and only for LINE logs; "
                             f"got {scope!r} for a {log_type.value} log")
        if wall_times is not None and log_type is not LogType.LINE:
            raise ValueError(f"wall_times are for LINE logs, not {log_type.value} ones")
        if log_type is LogType.LINE:
            if wall_times is not None:
                series = data if isinstance(data, dict) else {
                    "values": list(data) if isinstance(data, (list, tuple)) else [data]}
                self._write(_records.lines_record(name, series, [float(t) for t in wall_times]))
            elif isinstance(data, dict):
                self._write(_records.lines_record(name, data, None))
            else:
                values = list(data) if isinstance(data, (list, tuple)) else [data]
                self._writable().append_line(_records.quoted(name),
                                             _records.line_values(values))
            if scope is not None and self._scopes.get(name) != scope:
                self._scopes[name] = scope
                self._write(_records.scope_record(name, scope))
            return Log(name, log_type, data)
        if log_type is LogType.IMAGE:
            self.log_image(name, data, replace=replace)
            return Log(name, log_type, None)
        if log_type is LogType.EVALUATION:
            raise ValueError("EVALUATION logs are written by compute_evaluations_metrics")
        self._write(_records.log_record(name, log_type.value, data, replace))
        return Log(name, log_type, data)

    def log_image(self, name: str, image: Any, caption: str = "", step: int | None = None,
                  replace: bool = False) -> None:
        """Adds an image to the IMAGE log `name`, with a caption and the step it belongs
        to; `replace=True` drops the log's earlier images."""
        content, filename = image_bytes(image)
        journal = self._open_journal()
        stored = journal.add_file(content, os.path.splitext(filename)[1][:10])
        self._write(_records.image_record(name, stored, filename, caption,
                                          None if step is None else int(step), replace))

    def log_parameters(self, parameters: dict[str, Any]) -> Log:
        """Stores the run's parameters (the TABLE log `parameters`), replacing earlier
        ones; answers the `Log` as journaled."""
        self._write(_records.parameters_record(parameters))
        return Log("parameters", LogType.TABLE, dict(parameters))

    def update_metrics(self, metrics: dict[str, Any] | str,
                       weights_hash: str | Artifact) -> None:
        """Records metrics against one checkpoint (seed 003): `weights_hash` is a hex
        SHA-1 or SHA-256, or a stored `Artifact` (its SHA-256). `metrics` maps names to
        numbers, strings or booleans (or is that map as JSON text, as seed 003 sends it);
        a name recorded before for the checkpoint is replaced. Journaled like a log."""
        import json
        values = json.loads(metrics) if isinstance(metrics, str) else dict(metrics)
        digest = weights_hash.sha256 if isinstance(weights_hash, Artifact) else str(weights_hash)
        self._write(_records.checkpoint_record(digest, values))

    def list_checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint with its metrics, in the order first recorded (the experiment
        page's checkpoints table)."""
        self.flush()
        return [Checkpoint(found["weights_hash"], found.get("artifact"), dict(found["metrics"]),
                           found["recorded_at"])
                for found in self._http.json("GET", self._path("/checkpoints"))]

    def list_logs(self, limit: int | None = None, offset: int | None = None,
                  order_by: list[str] | None = None) -> list[Log]:
        """Every log (or `limit` of them from `offset`), in the order they were first
        logged unless `order_by` names fields (``name``, ``created``, ``updated``,
        ``type``; ``-`` first for descending)."""
        self.flush()
        return [Log.from_record(record) for record in
                listed(self._http, self._path("/logs"), limit, offset,
                        order_by or ["created"])]

    def get_log(self, name: str) -> Log:
        """The log `name` with its data; for a LINE, every point of every series
        (``{"series": {"train": {"steps": [...], "values": [...]}}}``)."""
        self.flush()
        record: dict[str, Any] = self._http.json("GET", self._path(f"/logs/{_segment(name)}"))
        if record["type"] == LogType.LINE.value:
            record["data"] = {"series": self.line(name)}
        return Log.from_record(record)

    def line(self, name: str) -> dict[str, dict[str, list[Any]]]:
        """Every point of the LINE log `name`, at full resolution, per series."""
        self.flush()
        response = self._http.request(
            "GET", self._path(f"/logs/{_segment(name)}/points.csv"), replayable=True)
        series: dict[str, dict[str, list[Any]]] = {}
        lines = response.text.splitlines()
        import csv
        for row in csv.reader(lines[1:]):
            series_name, step, value = row
            points = series.setdefault(series_name, {"steps": [], "values": []})
            points["steps"].append(int(step))
            points["values"].append(float(value) if value != "" else None)
        return series

    def rewind(self, name: str, from_step: int) -> int:
        """Drops the points of the LINE log `name` at and after `from_step`, in every
        series: for training resumed from a checkpoint, whose next steps the server would
        otherwise refuse (they are not after its last step). Answers how many points
        were dropped. Nothing is ever dropped unless asked this way."""
        self.flush()
        answer = self._http.json("POST", self._path(f"/logs/{_segment(name)}/rewind"),
                                 body={"from_step": int(from_step)})
        return int(answer["dropped"])

    def delete_log(self, name: str) -> None:
        """Deletes the log `name`."""
        self.flush()
        self._http.json("DELETE", self._path(f"/logs/{_segment(name)}"))

    def delete_all_logs(self) -> None:
        """Deletes every log of the experiment."""
        self.flush()
        self._http.json("DELETE", self._path("/logs"))

    def flush(self) -> bool:
        """Waits until the server has everything logged so far, or until it is plainly
        away (the journal keeps the rest and sends it when the server is back; nothing is
        lost); raises a refusal. Whether the server has everything: False when it gave up
        waiting for a server that is away."""
        self._raise_refusal()
        caught_up = True
        if self._shipper is not None and self._journal is not None:
            caught_up = self._shipper.wait(self._journal.written(), patience=EXIT_PATIENCE,
                                           deadline=float("inf"))
        self._raise_refusal()
        return caught_up

    def close(self) -> None:
        """Waits briefly for the server, then stops the shipper. What the server did not
        take stays in the journal, and one line on stderr says how to send it."""
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.stop()
        journal, self._journal = self._journal, None
        shipper, self._shipper = self._shipper, None
        if journal is None:
            return
        atexit.unregister(self.close)
        caught_up = False
        if shipper is not None:
            caught_up = shipper.wait(journal.written(), patience=EXIT_PATIENCE,
                                     deadline=time.monotonic() + EXIT_DEADLINE)
            shipper.close()
        journal.close()
        if self._sender is not None:
            self._sender.close()
        state = JournalState(journal.folder)
        if caught_up and state.remove_if_done():
            return
        unsent, rejected = state.unsent(), len(state.rejected())
        if unsent:
            away = "" if self._offline is not None else " (the server is away)"
            print(f"trackboard: {unsent} records of experiment {self.name!r} are not sent"
                  f"{away}; send them with: trackboard sync {journal.folder}", file=sys.stderr)
        if rejected:
            print(f"trackboard: {rejected} records of experiment {self.name!r} were refused by "
                  f"the server; see: trackboard sync --status {journal.folder}", file=sys.stderr)

    def _raise_refusal(self) -> None:
        if self._shipper is None:
            return
        refusal = self._shipper.shipment.take_refusal()
        if refusal is not None:
            raise refusal
        failure = self._shipper.failure
        if failure is not None:
            self._shipper.failure = None
            raise failure

    def _write(self, record: bytes) -> None:
        """Journals one record; raises, once, a refusal of an earlier one."""
        self._writable().append(record)

    def _writable(self) -> Journal:
        """The journal to log to, after raising (once) a refusal of an earlier record."""
        journal = self._journal or self._open_journal()
        shipper = self._shipper
        if shipper is not None and (shipper.shipment.refusals_waiting or shipper.failure):
            self._raise_refusal()
        return journal

    def _open_journal(self) -> Journal:
        if self._journal is not None:
            return self._journal
        if self._offline is not None:
            self._journal = Journal.create(self._offline, offline=True)
        else:
            assert self._connection is not None
            meta = {"id": uuid.uuid4().hex, "server": self._transport.base, "project_id":
                    self._data.get("project_id"), "experiment": self.name,
                    "experiment_id": self.id}
            self._journal = Journal.create(meta)
            self._sender = self._connection.open_transport(retries=0)
            shipment = Shipment(self._journal.folder, self._sender, self.id, self._journal)
            self._shipper = Shipper(shipment, self._journal)
        atexit.register(self.close)
        if self._system_interval is not None:
            self._monitor = SystemMonitor(self._log_system, self._system_interval)
        return self._journal

    def _log_system(self, name: str, value: float) -> None:
        """A system metric's value, from the monitor's thread, straight to the journal
        (a refusal of it is raised in the loop, like any other)."""
        journal = self._journal
        if journal is not None:
            journal.append_line(_records.quoted(name), _records.line_values([value]))

    # ---- artifacts ----------------------------------------------------------------
    def store(self, name: str, path: str | os.PathLike[str] | None = None,
              do_zip: bool = False) -> Artifact:
        """Stores the file or folder at `path` (default: a file named `name`) as the
        artifact `name`, replacing one of that name (the old bytes stay until the new
        ones are whole); `do_zip=True` zips it first (a folder needs it). A file of up to
        `JOURNALED_ARTIFACT_BYTES` goes through the journal like a log, so an outage does
        not raise; a larger one is streamed to the server directly."""
        path = os.fspath(path) if path is not None else name
        if not os.path.exists(path):
            raise FileNotFoundError(f"no file or folder at {path!r}")
        if os.path.isdir(path) and not do_zip:
            raise ValueError(f"{path} is a folder: pass do_zip=True to store it zipped")
        if not do_zip:
            return self._store_file(name, path)
        with tempfile.TemporaryDirectory() as folder:
            archive = os.path.join(folder, os.path.basename(os.path.abspath(path)) + ".zip")
            _zip(path, archive)
            return self._store_file(name, archive)

    def store_local_artifact(self, name: str) -> Artifact:
        """Stores the local file `name` as the artifact of the same name."""
        return self.store(name, name)

    def _store_file(self, name: str, path: str) -> Artifact:
        filename = os.path.basename(path)
        if os.path.getsize(path) > JOURNALED_ARTIFACT_BYTES:
            return artifact_of(self._http, self._upload(name, path))
        journal = self._open_journal()
        stored = journal.copy_file(path, os.path.splitext(filename)[1][:10])
        self._write(_records.artifact_record(name, stored, filename))
        shipper = self._shipper
        if shipper is None or shipper.shipment.unreachable:
            # Offline, or the server is away: sent later; the loop does not wait.
            return _pending_artifact(name, filename, path)
        sent = shipper.wait(journal.written(), patience=EXIT_PATIENCE, deadline=float("inf"))
        self._raise_refusal()
        return self.get_artifact(name) if sent else _pending_artifact(name, filename, path)

    def _upload(self, name: str, path: str) -> dict[str, Any]:
        with open(path, "rb") as file:
            body, content_type = streamed_form({"name": name, "replace": "true"},
                                               os.path.basename(path), file)
            response = self._http.request(
                "POST", self._path("/artifacts"), replayable=False, data=body,
                headers={"Content-Type": content_type})
        artifact: dict[str, Any] = response.json()
        return artifact

    def create_artifact(self, name: str, filename: str, object_name: str,
                        large: bool = False) -> Artifact:
        """Registers an object already in the server's artifact store (uploaded there by
        the script itself, e.g. straight to S3) as the artifact `name`. `large` is
        accepted as seed 000 passes it; the server reads the object's real size."""
        body = {"name": name, "filename": filename, "object_name": object_name}
        return artifact_of(self._http, self._http.json(
            "POST", self._path("/artifacts/registered"), body=body))

    def list_artifacts(self, limit: int | None = None, offset: int | None = None,
                       order_by: list[str] | None = None) -> list[Artifact]:
        """The artifacts (name, file name, size, sha256), by name unless `order_by` says
        (``name``, ``created``, ``size``; ``-`` first for descending)."""
        return [artifact_of(self._http, data) for data in
                listed(self._http, self._path("/artifacts"), limit, offset, order_by)]

    def get_artifact(self, name: str) -> Artifact:
        """The artifact `name`."""
        page = self._http.json("GET", self._path("/artifacts"), params={"name": name})
        if not page["items"]:
            raise NotFound(404, "not_found", f"no artifact named {name!r}", "name")
        return artifact_of(self._http, page["items"][0])

    def download(self, name: str, target_path: str = ".", force_replace: bool = True) -> str:
        """Downloads the artifact `name` into the folder `target_path`; answers the file's
        path. The bytes are streamed to disk."""
        return self.get_artifact(name).download(target_path, force_replace)

    def download_artifacts(self, target_path: str = ".", with_tree: bool = False) -> list[str]:
        """Downloads every artifact into `target_path`; `with_tree=True` puts each in a
        folder of its artifact name (two artifacts may hold files of the same name)."""
        return [artifact.download(os.path.join(target_path, artifact.name) if with_tree
                                  else target_path)
                for artifact in self.list_artifacts()]

    def delete_all_artifacts(self) -> None:
        """Deletes every artifact and its stored bytes."""
        self._http.json("DELETE", self._path("/artifacts"))

    def store_logging_file(self, path: str | os.PathLike[str]) -> LoggingFile:
        """Stores the file at `path` as the experiment's logging file (the artifact
        ``logging-file``, replaced by the next one)."""
        stored = self.store(LOGGING_FILE_NAME, path)
        return LoggingFile(self._transport, stored.to_dict())

    def get_logging_file(self) -> LoggingFile:
        """The experiment's logging file; NotFound when none was stored."""
        return LoggingFile(self._transport, self.get_artifact(LOGGING_FILE_NAME).to_dict())

    # ---- the job's live log -------------------------------------------------------
    def send_logging(self, log: str | Iterable[str], part: str | None = None,
                     final: bool = False, special: str | bool | list[Any] = False) -> None:
        """Appends lines to the job's live log, in the chapter `part` (default: the one
        `start_logging_chapter` opened); inside a buffer they are kept until
        `end_logging_buffer`. Seed 000's `final` and `special` are accepted: `final=True`
        sends what a buffer holds with this line; `special` has no meaning here."""
        chapter = part if part is not None else self._log_chapter
        texts = [log] if isinstance(log, str) else list(log)
        if self._log_lines is not None:
            self._log_lines.extend((chapter, text) for text in texts)
            if final:
                self.end_logging_buffer()
            return
        self._send_lines(chapter, texts)

    def _send_lines(self, chapter: str | None, texts: list[str]) -> None:
        body: dict[str, Any] = {"lines": texts}
        if chapter is not None:
            body["chapter"] = chapter
        self._http.json("POST", self._path("/job/logs"), body=body)

    def start_logging_chapter(self, name: str) -> None:
        """Starts a chapter: the next lines belong to it."""
        self._log_chapter = name

    def start_logging_buffer(self, length: int = 1) -> None:
        """Keeps the next lines until `end_logging_buffer` sends them at once (`length`
        is accepted as seed 000 passes it; the buffer holds any number of lines)."""
        if length < 1:
            raise ValueError(f"length must be 1 or more, got {length}")
        self._log_lines = []

    def end_logging_buffer(self) -> None:
        """Sends the lines kept since `start_logging_buffer`."""
        lines, self._log_lines = self._log_lines, None
        # In order, one request per run of lines of the same chapter.
        start = 0
        for end in range(1, len(lines or []) + 1):
            assert lines is not None
            if end == len(lines) or lines[end][0] != lines[start][0]:
                self._send_lines(lines[start][0], [text for _, text in lines[start:end]])
                start = end

    def update_job_status(self, status: JobStatus | str) -> None:
        """Sets the job's status (`running`, `success`, …)."""
        self._http.json("PUT", self._path("/job/status"),
                        body={"status": JobStatus(status).value})

    # ---- datasets and models ------------------------------------------------------
    def attach_dataset(self, name: str | DatasetVersion,
                       dataset_version: DatasetVersion | int | None = None) -> None:
        """Attaches a dataset version under the alias `name` (`"training"`). Given only
        a version (as seed 000's `detach_dataset` example does), its alias is the
        version's name."""
        if dataset_version is None:
            if not isinstance(name, DatasetVersion):
                raise TypeError("attach_dataset(name, dataset_version): the version is missing")
            alias, version_id = name.version, name.id
        else:
            alias, version_id = str(name), _id_of(dataset_version)
        self._http.json("POST", self._path("/datasets"),
                        body={"alias": alias, "dataset_version_id": version_id})

    def detach_dataset(self, dataset_version: DatasetVersion | str) -> None:
        """Detaches a dataset version: the version itself (as seed 000 passes it; every
        alias it is attached under goes), or the alias it is attached as."""
        if isinstance(dataset_version, str):
            aliases = [dataset_version]
        else:
            version_id = _id_of(dataset_version)
            aliases = [attached.alias or "" for attached in self.list_attached_dataset_versions()
                       if attached.id == version_id]
            if not aliases:
                raise NotFound(404, "not_found", f"dataset version {version_id} is not "
                               "attached to this experiment", "dataset_version")
        for alias in aliases:
            self._http.json("DELETE", self._path(f"/datasets/{_segment(alias)}"))

    def list_attached_dataset_versions(self) -> list[DatasetVersion]:
        """The attached dataset versions, each with the `alias` it is attached as."""
        assert self._connection is not None
        return [DatasetVersion(self._connection, attached["version"], alias=attached["alias"])
                for attached in self._http.json("GET", self._path("/datasets"))]

    def get_dataset(self, name: str) -> DatasetVersion:
        """The dataset version attached as `name`."""
        for attached in self.list_attached_dataset_versions():
            if attached.alias == name:
                return attached
        raise NotFound(404, "not_found", f"no dataset version is attached as {name!r}", "name")

    def dl_annotations(self, type: str = "all", alias: str | None = None) -> dict[str, Any]:
        """The ground truth of the attached dataset version as a COCO annotation file
        (seed 001), also kept as `self.dict_annotations`. `type` is ``"all"`` or
        ``"accepted"``: Trackboard has no review step, so every annotation is accepted and
        both answer the same. With several versions attached, `alias` names one."""
        if type not in ("all", "accepted"):
            raise ValueError(f"type is 'all' or 'accepted', not {type!r}")
        attached = self.list_attached_dataset_versions()
        if alias is not None:
            attached = [version for version in attached if version.alias == alias]
        if len(attached) != 1:
            names = ", ".join(repr(v.alias) for v in self.list_attached_dataset_versions())
            raise ValueError("dl_annotations needs one attached dataset version "
                             f"(attached: {names or 'none'}); name it with alias=")
        annotations: dict[str, Any] = self._http.json(
            "GET", f"/dataset-versions/{attached[0].id}/coco")
        self.dict_annotations = annotations
        return annotations

    def import_coco_predictions(self, results: str | os.PathLike[str] | list[dict[str, Any]],
                                coco_file: str | os.PathLike[str] | dict[str, Any] | None = None,
                                dataset_version: DatasetVersion | int | None = None,
                                ) -> dict[str, Any]:
        """A COCO results file (a path, or the list itself: `image_id`, `category_id`,
        `score`, `bbox` and/or a `segmentation`: polygons or a run-length mask), as
        detectron2, mmdetection or ultralytics write it, as this experiment's
        evaluations of `dataset_version`
        (default: the one attached). `coco_file` is the ground-truth file the image and
        category ids come from (its images' file names name the assets); without it
        they are asset ids and label positions from 1, as `dl_annotations` gives them.
        All or nothing; a refusal names the item. Answers how many evaluations and
        shapes were stored."""
        if not isinstance(results, list):
            with open(results, encoding="utf-8") as file:
                results = json.load(file)
        ground_truth: dict[str, Any] | None = None
        if isinstance(coco_file, dict):
            ground_truth = coco_file
        elif coco_file is not None:
            with open(coco_file, encoding="utf-8") as file:
                ground_truth = json.load(file)
        if dataset_version is None:
            attached = self.list_attached_dataset_versions()
            if len(attached) != 1:
                raise ValueError("import_coco_predictions needs dataset_version= when "
                                 f"{len(attached)} versions are attached")
            dataset_version = attached[0]
        body: dict[str, Any] = {"dataset_version_id": _id_of(dataset_version), "results": results}
        if ground_truth is not None:
            body["images"] = [{"id": image["id"], "file_name": image["file_name"]}
                              for image in ground_truth.get("images", [])]
            body["categories"] = [{"id": c["id"], "name": c["name"]}
                                  for c in ground_truth.get("categories", [])]
        answer: dict[str, Any] = self._http.json("POST", self._path("/coco-predictions"),
                                                 body=body)
        return answer

    def run_train_test_split_on_dataset(self, name: str, prop: float = 0.8,
                                        random_seed: Any = None) -> Split:
        """Splits the dataset version attached as `name` (seed 000): train assets and
        eval assets (`MultiAsset`s), how many assets of each side have each label, and
        the labels (`Label`s). The same seed gives the same split; None a random one."""
        version = self.get_dataset(name)
        split = self._http.json("POST", f"/dataset-versions/{version.id}/split",
                                body={"proportion": prop, "seed": split_seed(random_seed)})
        return split_result(self._http, version.id, split, version.labels)

    # ---- evaluations ----------------------------------------------------------------
    def add_evaluation(self, asset: Any = None,
                       add_type: AddEvaluationType | str = AddEvaluationType.REPLACE,
                       rectangles: Any = None, polygons: Any = None,
                       classifications: Any = None) -> Evaluation:
        """Records this experiment's predictions on `asset` (of a dataset version attached
        to it): rectangles ``(x, y, w, h, label, score)``, polygons
        ``([[x, y], ...], label, score)``, classifications ``(label, score)``. An earlier
        evaluation of the asset is replaced, or added to with ``add_type="keep"``."""
        if asset is None:
            raise ValueError("add_evaluation needs the asset the predictions were made on: "
                             "add_evaluation(asset, rectangles=[...])")
        body = {"asset_id": int(getattr(asset, "id", asset)),
                "add_type": AddEvaluationType(add_type).value,
                **shapes_body(rectangles, polygons, classifications, scored=True)}
        return Evaluation(self._http, self._http.json("POST", self._path("/evaluations"),
                                                      body=body))

    def list_evaluations(self, limit: int | None = None, offset: int | None = None,
                         page_size: int | None = None, order_by: list[str] | None = None,
                         q: str | None = None, *, asset: Any = None, label: str | None = None,
                         min_score: float | None = None,
                         max_score: float | None = None) -> MultiEvaluation:
        """This experiment's evaluations (or `limit` of them from `offset`, in the order
        of `order_by`), or those of one asset, or with a prediction of `label` scored
        within [min_score, max_score]. Seed 000's `page_size` is accepted (pages are the
        server's); its query language `q` is not supported here (ValueError)."""
        if q is not None:
            raise ValueError("list_evaluations(q=...) is not supported: filter with asset=, "
                             "label=, min_score= and max_score=")
        params: dict[str, Any] = {}
        if asset is not None:
            params["asset_id"] = int(getattr(asset, "id", asset))
        for key, value in (("label", label), ("min_score", min_score),
                           ("max_score", max_score)):
            if value is not None:
                params[key] = value
        return MultiEvaluation(Evaluation(self._http, data) for data in listed(
            self._http, self._path("/evaluations"), limit, offset, order_by, params))

    def compute_evaluations_metrics(self, inference_type: InferenceType | str,
                                    evaluations: Any = None, worker: Any = None,
                                    status: Any = None) -> Job:
        """Computes the metrics of every evaluation for `inference_type` (COCO for
        object detection and segmentation, equal to pycocotools; accuracy, per-class
        scores and a confusion matrix for classification), kept as the EVALUATION log
        ``evaluation/<type>``. Answers the server's job: `wait_for_done()` follows it and
        gives the metrics; `progress` is (classes done, classes). Seed 000's
        `evaluations`, `worker` and `status` (a subset, an annotator, an annotation
        status) have no counterpart here: every evaluation counts, and ground truth has
        no status; giving one is a ValueError rather than a silent difference."""
        for keyword, value in (("evaluations", evaluations), ("worker", worker),
                               ("status", status)):
            if value is not None:
                raise ValueError(f"compute_evaluations_metrics({keyword}=...) is not "
                                 "supported: metrics cover every evaluation of the experiment")
        kind = InferenceType(getattr(inference_type, "value", str(inference_type).lower()))
        job = self._http.json("POST", self._path("/evaluation-metrics"),
                              body={"inference_type": kind.value})
        return Job(self._http, dict(job))

    def launch(self, gpus: int = 1) -> None:
        """Seed 000 launches training on Picsellia's remote engine; Trackboard tracks
        training that runs elsewhere and launches nothing, so this raises saying so."""
        raise TrackboardError("Trackboard does not launch training jobs: run the script "
                              "where it trains (it logs here with Client(...))")

    def publish(self, name: str) -> ModelVersion:
        """Seed 000's `publish`: exports the experiment as a new model `name`."""
        return self.export_as_model(name)

    def attach_model_version(self, model_version: ModelVersion | int,
                             do_attach_base_parameters: bool = True) -> None:
        """Records the model version this experiment starts from (one at a time). With
        `do_attach_base_parameters` (the default) the version's parameters become the
        experiment's (its own parameters of the same names win) and its label map the
        LABELMAP log ``labelmap`` when the experiment has none."""
        self._data = self._http.json("PATCH", self._path(), body={
            "base_model_version_id": _id_of(model_version),
            "copy_base_parameters": bool(do_attach_base_parameters)})

    def export_as_model(self, name: str, **model: Any) -> ModelVersion:
        """Exports the experiment as version 1 of a new model `name` (label map,
        parameters and artifacts copied)."""
        return self._export({"model": {"name": name, **model}})

    def export_in_existing_model(self, existing_model: Any) -> ModelVersion:
        """Exports the experiment as the next version of an existing model."""
        return self._export({"model_id": _id_of(existing_model)})

    def _export(self, body: dict[str, Any]) -> ModelVersion:
        self.flush()
        assert self._connection is not None
        return ModelVersion(self._connection, self._http.json("POST", self._path("/export"),
                                                              body=body))


class _NoServer(Transport):
    """The transport of an offline experiment: a call that needs the server says so."""

    def request(self, method: str, path: str, *, replayable: bool,
                **kwargs: Any) -> Any:
        raise OfflineError(f"{method} {path} needs the server; this experiment is offline "
                           "(it is journaled, and trackboard sync sends it)")


def _no_server() -> Transport:
    return _NoServer("http://offline.invalid", "")
