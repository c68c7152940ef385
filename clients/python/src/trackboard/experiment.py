"""An experiment and what it logs: seed 000's Experiment API."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from . import _records
from ._http import Connection, Transport, every_item
from ._images import image_bytes
from ._journal import Journal, JournalState
from ._multipart import streamed_form
from ._shipper import Shipment, Shipper
from .evaluation import AddEvaluationType, InferenceType, Job, shapes_body, split_result
from .exceptions import OfflineError
from .types import ExperimentStatus, JobStatus, LogType

if TYPE_CHECKING:
    from typing_extensions import Self

#: How long an exit waits for the server to take what is left, at most.
EXIT_DEADLINE = 30.0
#: How long an exit waits without progress while the server is away.
EXIT_PATIENCE = 2.0


def _segment(name: str) -> str:
    return quote(name, safe="")


class Experiment:
    """One experiment. What it logs goes to a local journal first and is sent in the
    background (docs/PYTHON.md, "When the server is away"); use it as a context manager,
    or call `flush`, to wait for the server (interpreter exit waits too, briefly).

    `offline` is the journal's metadata of an experiment made without a server
    (``Client(offline=True)``): it is only journaled, and `trackboard sync` sends it.
    """

    def __init__(self, connection: Connection | None, data: dict[str, Any],
                 offline: dict[str, Any] | None = None):
        self._connection = connection
        self._transport: Transport = connection.transport if connection else _no_server()
        self._data = data
        self._offline = offline
        self._journal: Journal | None = None
        self._shipper: Shipper | None = None
        self._sender: Transport | None = None
        self._log_lines: list[str] | None = None
        self._log_chapter: str | None = None

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
               status: ExperimentStatus | str | None = None) -> Experiment:
        """Changes the fields given (seed 000 `update`)."""
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if description is not None:
            body["description"] = description
        if status is not None:
            body["status"] = ExperimentStatus(status).value
        self._data = self._http.json("PATCH", self._path(), body=body)
        return self

    def delete(self) -> None:
        """Deletes the experiment with its logs, artifacts and files."""
        self.close()
        self._http.json("DELETE", self._path())

    # ---- logs ---------------------------------------------------------------------
    def log(self, name: str, data: Any, type: LogType | str,
            replace: bool = True) -> None:
        """Logs `data` under `name` as `type` (seed 000 `log`).

        LINE: the values (a number or a list; ``None`` is a gap) are appended to the
        curve, whatever `replace` says, as seed 000 specifies ("to replace a line, delete
        this log and create another one"); they are buffered and sent in the background,
        so a training loop never waits. A dict (`{"train": [...], "val": [...]}` or
        `{"steps": [...], "values": [...]}`) is sent at once, after the buffered points.
        IMAGE: `data` is a path, bytes, a PIL image or a numpy array. Other types replace
        the log's data unless `replace` is false (then an existing log is a Conflict).
        """
        log_type = LogType.of(type)
        if log_type is LogType.LINE:
            if isinstance(data, dict):
                self._write(_records.lines_record(name, data))
            else:
                values = list(data) if isinstance(data, (list, tuple)) else [data]
                self._writable().append_line(_records.quoted(name),
                                             _records.line_values(values))
            return
        if log_type is LogType.IMAGE:
            self.log_image(name, data, replace=replace)
            return
        self._write(_records.log_record(name, log_type.value, data, replace))

    def log_image(self, name: str, image: Any, caption: str = "", step: int | None = None,
                  replace: bool = False) -> None:
        """Adds an image to the IMAGE log `name`, with a caption and the step it belongs
        to; `replace=True` drops the log's earlier images."""
        content, filename = image_bytes(image)
        journal = self._open_journal()
        stored = journal.add_file(content, os.path.splitext(filename)[1][:10])
        self._write(_records.image_record(name, stored, filename, caption,
                                          None if step is None else int(step), replace))

    def log_parameters(self, parameters: dict[str, Any]) -> None:
        """Stores the run's parameters (the TABLE log `parameters`), replacing earlier ones."""
        self._write(_records.parameters_record(parameters))

    def list_logs(self) -> list[dict[str, Any]]:
        """Every log, as the server describes it (name, type, data)."""
        self.flush()
        return list(every_item(self._http, self._path("/logs")))

    def get_log(self, name: str) -> dict[str, Any]:
        """The log `name` with its data; for a LINE, every point of every series
        (``{"series": {"train": {"steps": [...], "values": [...]}}}``)."""
        self.flush()
        log: dict[str, Any] = self._http.json("GET", self._path(f"/logs/{_segment(name)}"))
        if log["type"] == LogType.LINE.value:
            log["data"] = {"series": self.line(name)}
        return log

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

    def flush(self) -> None:
        """Waits until the server has everything logged so far, or until it is plainly
        away (the journal keeps the rest; nothing is lost); raises a refusal."""
        self._raise_refusal()
        if self._shipper is not None and self._journal is not None:
            self._shipper.wait(self._journal.written(), patience=EXIT_PATIENCE,
                               deadline=float("inf"))
        self._raise_refusal()

    def close(self) -> None:
        """Waits briefly for the server, then stops the shipper. What the server did not
        take stays in the journal, and one line on stderr says how to send it."""
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
        return self._journal

    # ---- artifacts ----------------------------------------------------------------
    def store(self, name: str, path: str | None = None, do_zip: bool = False
              ) -> dict[str, Any]:
        """Stores the file at `path` (default: a file named `name`) as the artifact
        `name`; a folder with `do_zip=True` is zipped first. The bytes are streamed."""
        path = path or name
        if os.path.isdir(path):
            if not do_zip:
                raise ValueError(f"{path} is a folder: pass do_zip=True to store it zipped")
            with tempfile.TemporaryDirectory() as folder:
                archive = os.path.join(folder, os.path.basename(os.path.abspath(path)) + ".zip")
                with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
                    for root, _, files in os.walk(path):
                        for file in files:
                            full = os.path.join(root, file)
                            zipped.write(full, os.path.relpath(full, path))
                return self._upload(name, archive)
        return self._upload(name, path)

    def store_local_artifact(self, name: str) -> dict[str, Any]:
        """Stores the local file `name` as the artifact of the same name."""
        return self.store(name, name)

    def _upload(self, name: str, path: str) -> dict[str, Any]:
        with open(path, "rb") as file:
            body, content_type = streamed_form({"name": name}, os.path.basename(path), file)
            response = self._http.request(
                "POST", self._path("/artifacts"), replayable=False, data=body,
                headers={"Content-Type": content_type})
        artifact: dict[str, Any] = response.json()
        return artifact

    def list_artifacts(self) -> list[dict[str, Any]]:
        """Every artifact's record (name, file name, size, sha256)."""
        return list(every_item(self._http, self._path("/artifacts")))

    def get_artifact(self, name: str) -> dict[str, Any]:
        """The record of the artifact `name`."""
        page = self._http.json("GET", self._path("/artifacts"), params={"name": name})
        if not page["items"]:
            from .exceptions import NotFound
            raise NotFound(404, "not_found", f"no artifact named {name!r}", "name")
        artifact: dict[str, Any] = page["items"][0]
        return artifact

    def download(self, name: str, target_path: str = ".") -> str:
        """Downloads the artifact `name` into the folder `target_path`; answers the file's
        path. The bytes are streamed to disk."""
        artifact = self.get_artifact(name)
        os.makedirs(target_path, exist_ok=True)
        destination = os.path.join(target_path, os.path.basename(artifact["filename"]) or name)
        response = self._http.request("GET", f"/artifacts/{artifact['id']}/download",
                                      replayable=True, stream=True)
        with open(destination, "wb") as file:
            shutil.copyfileobj(response.raw, file)
        return destination

    def download_artifacts(self, target_path: str = ".") -> list[str]:
        """Downloads every artifact into `target_path`."""
        return [self.download(artifact["name"], target_path)
                for artifact in self.list_artifacts()]

    def delete_all_artifacts(self) -> None:
        """Deletes every artifact and its stored bytes."""
        self._http.json("DELETE", self._path("/artifacts"))

    # ---- the job's live log -------------------------------------------------------
    def send_logging(self, lines: str | Iterable[str], chapter: str | None = None
                     ) -> None:
        """Appends lines to the job's live log (inside a buffer: kept until
        `end_logging_buffer`)."""
        texts = [lines] if isinstance(lines, str) else list(lines)
        if self._log_lines is not None:
            self._log_lines.extend(texts)
            return
        body: dict[str, Any] = {"lines": texts}
        if chapter is not None or self._log_chapter is not None:
            body["chapter"] = chapter if chapter is not None else self._log_chapter
        self._http.json("POST", self._path("/job/logs"), body=body)

    def start_logging_chapter(self, name: str) -> None:
        """Starts a chapter: the next lines belong to it."""
        self._log_chapter = name

    def start_logging_buffer(self, length: int = 1) -> None:
        """Keeps the next lines until `end_logging_buffer` sends them at once."""
        self._log_lines = []

    def end_logging_buffer(self) -> None:
        """Sends the lines kept since `start_logging_buffer`."""
        lines, self._log_lines = self._log_lines, None
        if lines:
            self.send_logging(lines)

    def update_job_status(self, status: JobStatus | str) -> None:
        """Sets the job's status (`running`, `success`, …)."""
        self._http.json("PUT", self._path("/job/status"),
                        body={"status": JobStatus(status).value})

    # ---- datasets and models ------------------------------------------------------
    def attach_dataset(self, name: str, dataset_version: Any) -> None:
        """Attaches a dataset version under the alias `name` (`"training"`)."""
        version_id = getattr(dataset_version, "id", dataset_version)
        self._http.json("POST", self._path("/datasets"),
                        body={"alias": name, "dataset_version_id": int(version_id)})

    def detach_dataset(self, name: str) -> None:
        """Detaches the dataset version attached as `name`."""
        self._http.json("DELETE", self._path(f"/datasets/{_segment(name)}"))

    def list_attached_dataset_versions(self) -> list[dict[str, Any]]:
        """What is attached: each alias with its dataset version."""
        return list(self._http.json("GET", self._path("/datasets")))

    def get_dataset(self, name: str) -> dict[str, Any]:
        """The dataset version attached as `name`."""
        for attached in self.list_attached_dataset_versions():
            if attached["alias"] == name:
                return dict(attached["version"])
        from .exceptions import NotFound
        raise NotFound(404, "not_found", f"no dataset version is attached as {name!r}", "name")

    def run_train_test_split_on_dataset(self, name: str, prop: float = 0.8,
                                        random_seed: int | None = None) -> Any:
        """Splits the dataset version attached as `name`: train assets, eval assets, how
        many assets of each side have each label, and the labels (seed 000)."""
        version = self.get_dataset(name)
        split = self._http.json("POST", f"/dataset-versions/{version['id']}/split",
                                body={"proportion": prop, "seed": int(random_seed or 0)})
        return split_result(self._http, int(version["id"]), split, list(version["labels"]))

    # ---- evaluations ----------------------------------------------------------------
    def add_evaluation(self, asset: Any,
                       add_type: AddEvaluationType | str = AddEvaluationType.REPLACE,
                       rectangles: Any = None, polygons: Any = None,
                       classifications: Any = None) -> dict[str, Any]:
        """Records this experiment's predictions on `asset` (of a dataset version attached
        to it): rectangles ``(x, y, w, h, label, score)``, polygons
        ``([[x, y], ...], label, score)``, classifications ``(label, score)``. An earlier
        evaluation of the asset is replaced, or added to with ``add_type="keep"``."""
        body = {"asset_id": int(getattr(asset, "id", asset)),
                "add_type": AddEvaluationType(add_type).value,
                **shapes_body(rectangles, polygons, classifications, scored=True)}
        return dict(self._http.json("POST", self._path("/evaluations"), body=body))

    def list_evaluations(self, asset: Any = None, label: str | None = None,
                         min_score: float | None = None,
                         max_score: float | None = None) -> list[dict[str, Any]]:
        """Every evaluation of this experiment, or those of one asset, or with a prediction
        of `label` scored within [min_score, max_score]."""
        params: dict[str, Any] = {}
        if asset is not None:
            params["asset_id"] = int(getattr(asset, "id", asset))
        for key, value in (("label", label), ("min_score", min_score),
                           ("max_score", max_score)):
            if value is not None:
                params[key] = value
        return list(every_item(self._http, self._path("/evaluations"), params))

    def compute_evaluations_metrics(self, inference_type: InferenceType | str) -> Job:
        """Computes the metrics of every evaluation for `inference_type` (COCO for
        object detection and segmentation, equal to pycocotools; accuracy, per-class
        scores and a confusion matrix for classification), kept as the EVALUATION log
        ``evaluation/<type>``. Answers the server's job: `wait_for_done()` follows it and
        gives the metrics; `progress` is (classes done, classes)."""
        kind = InferenceType(getattr(inference_type, "value", str(inference_type).lower()))
        job = self._http.json("POST", self._path("/evaluation-metrics"),
                              body={"inference_type": kind.value})
        return Job(self._http, dict(job))

    def attach_model_version(self, model_version: Any) -> None:
        """Records the model version this experiment starts from."""
        version_id = getattr(model_version, "id", model_version)
        self._http.json("PATCH", self._path(), body={"base_model_version_id": int(version_id)})

    def export_as_model(self, name: str, **model: Any) -> dict[str, Any]:
        """Exports the experiment as version 1 of a new model `name` (label map,
        parameters and artifacts copied)."""
        self.flush()
        version: dict[str, Any] = self._http.json("POST", self._path("/export"),
                                                  body={"model": {"name": name, **model}})
        return version

    def export_in_existing_model(self, model: Any) -> dict[str, Any]:
        """Exports the experiment as the next version of an existing model."""
        self.flush()
        model_id = getattr(model, "id", model)
        version: dict[str, Any] = self._http.json("POST", self._path("/export"),
                                                  body={"model_id": int(model_id)})
        return version


class _NoServer(Transport):
    """The transport of an offline experiment: a call that needs the server says so."""

    def request(self, method: str, path: str, *, replayable: bool,
                **kwargs: Any) -> Any:
        raise OfflineError(f"{method} {path} needs the server; this experiment is offline "
                           "(it is journaled, and trackboard sync sends it)")


def _no_server() -> Transport:
    return _NoServer("http://offline.invalid", "")
