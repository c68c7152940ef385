"""The entry point: a `Client` for one server, and the projects, datasets and models
it holds, named as Picsellia's SDK names them."""

from __future__ import annotations

import os
import uuid
from typing import Any

from ._http import Connection, Transport, every_item
from ._system import configured_interval
from .exceptions import ConfigurationError, NotFound, OfflineError
from .experiment import Experiment
from .registry import Dataset, DatasetVersion, Model, ModelVersion, Record

__all__ = ["Client", "Dataset", "DatasetVersion", "Model", "ModelVersion", "Project"]


class Client:
    """A connection to a Trackboard server.

    `host` and `api_token` default to the environment variables ``TRACKBOARD_URL`` and
    ``TRACKBOARD_TOKEN``. The server is asked for its health at once, so a wrong address
    fails here, with its reason, rather than in the middle of training.

    ``system_metrics=True`` (or ``TRACKBOARD_SYSTEM_METRICS=1``; a number is the
    interval in seconds, default 10) logs CPU, memory, disk, network and NVIDIA GPU
    figures as LINE logs under ``system/`` while an experiment logs (docs/PYTHON.md).

    ``offline=True`` (or ``TRACKBOARD_MODE=offline``) never calls a server: `experiment`
    journals what is logged on local disk, and `trackboard sync` sends it later, creating
    the project and experiment by name then. Nothing else works offline.
    """

    def __init__(self, host: str | None = None, api_token: str | None = None,
                 timeout: float = 30.0, retries: int = 8, offline: bool | None = None,
                 system_metrics: bool | float | None = None):
        host = host or os.environ.get("TRACKBOARD_URL")
        api_token = api_token or os.environ.get("TRACKBOARD_TOKEN")
        if offline is None:
            offline = os.environ.get("TRACKBOARD_MODE", "").lower() == "offline"
        self.offline = offline
        self._system_metrics = configured_interval(system_metrics)
        self._connection: Connection | None = None
        if offline:
            self.host = (host or "").rstrip("/")
            self._token = ""
            return
        if not host:
            raise ConfigurationError(
                "no Trackboard server: pass host= or set TRACKBOARD_URL (e.g. http://127.0.0.1:8080)")
        if not api_token:
            raise ConfigurationError(
                "no API token: pass api_token= or set TRACKBOARD_TOKEN "
                "(trackboard-server token create --name NAME --scope write)")
        self.host = host.rstrip("/")
        self._token = api_token
        self._timeout = timeout
        self._retries = retries
        self._connection = Connection(self._transport(), self._transport,
                                      self._system_metrics)
        self._http.json("GET", "/health")

    def _transport(self, retries: int | None = None) -> Transport:
        return Transport(self.host, self._token, timeout=self._timeout,
                         retries=self._retries if retries is None else retries)

    @property
    def _online(self) -> Connection:
        """The connection, or OfflineError for an offline client."""
        if self._connection is None:
            raise OfflineError("this client is offline: only client.experiment(project, name) "
                               "works (its logs are journaled, and trackboard sync sends them)")
        return self._connection

    @property
    def _http(self) -> Transport:
        return self._online.transport

    def __repr__(self) -> str:
        if self.offline:
            return "Client(offline)"
        return f"Client(host={self.host!r})"

    # ---- projects -----------------------------------------------------------------
    def create_project(self, name: str, description: str = "") -> Project:
        """Creates a project; a taken name raises Conflict."""
        return Project(self._online, self._http.json("POST", "/projects",
                                             body={"name": name, "description": description}))

    def get_project(self, name: str | None = None, id: int | None = None) -> Project:
        """The project with this name (or id); NotFound when there is none."""
        if id is not None:
            return Project(self._online, self._http.json("GET", f"/projects/{int(id)}"))
        for data in every_item(self._http, "/projects"):
            if data["name"] == name:
                return Project(self._online, data)
        raise NotFound(404, "not_found", f"no project named {name!r}", "name")

    def list_projects(self) -> list[Project]:
        """Every project, by name."""
        return [Project(self._online, data) for data in every_item(self._http, "/projects")]

    def experiment(self, project: str, name: str, **fields: Any) -> Experiment:
        """The experiment `name` of the project `project`, both created when missing;
        use it with ``with`` so its buffered points are sent at the end. Offline, it is
        journaled under those names until `trackboard sync`."""
        if self._connection is None:
            offline = {"id": uuid.uuid4().hex, "server": self.host or None, "project": project,
                       "experiment": name, "fields": fields}
            return Experiment(None, {"name": name, "status": "RUNNING"}, offline=offline,
                              system_metrics=self._system_metrics)
        try:
            found = self.get_project(project)
        except NotFound:
            found = self.create_project(project)
        try:
            return found.get_experiment(name)
        except NotFound:
            return found.create_experiment(name, **fields)

    def load_experiment_results_for_dataset(self, project: str | Project,
                                            dataset: Any) -> Any:
        """Seed 004: the results of the experiments of `project` (a name or a Project)
        that used the dataset version `dataset`, as `Project.results` gives them."""
        found = project if isinstance(project, Project) else self.get_project(project)
        return found.results(dataset_version=dataset)

    # ---- datasets -----------------------------------------------------------------
    def create_dataset(self, name: str, description: str = "") -> Dataset:
        """Creates a dataset; a taken name raises Conflict."""
        return Dataset(self._online, self._http.json("POST", "/datasets",
                                             body={"name": name, "description": description}))

    def get_dataset(self, name: str) -> Dataset:
        """The dataset named `name`."""
        for data in every_item(self._http, "/datasets"):
            if data["name"] == name:
                return Dataset(self._online, data)
        raise NotFound(404, "not_found", f"no dataset named {name!r}", "name")

    def list_datasets(self) -> list[Dataset]:
        return [Dataset(self._online, data) for data in every_item(self._http, "/datasets")]

    # ---- models -------------------------------------------------------------------
    def create_model(self, name: str, description: str = "", type: str = "other",
                     framework: str = "", tags: list[str] | None = None) -> Model:
        """Creates a model in the registry."""
        body = {"name": name, "description": description, "type": type,
                "framework": framework, "tags": tags or []}
        return Model(self._online, self._http.json("POST", "/models", body=body))

    def get_model(self, name: str | None = None, id: int | None = None) -> Model:
        """The model with this name (or id)."""
        if id is not None:
            return Model(self._online, self._http.json("GET", f"/models/{int(id)}"))
        for data in every_item(self._http, "/models"):
            if data["name"] == name:
                return Model(self._online, data)
        raise NotFound(404, "not_found", f"no model named {name!r}", "name")

    def list_models(self) -> list[Model]:
        return [Model(self._online, data) for data in every_item(self._http, "/models")]



class Project(Record):
    """A project: experiments compared together."""

    def create_experiment(self, name: str, description: str = "",
                          base_experiment: Experiment | int | None = None,
                          base_model_version: Any = None) -> Experiment:
        """Creates an experiment, optionally based on another one or a model version."""
        body: dict[str, Any] = {"name": name, "description": description}
        if base_experiment is not None:
            body["base_experiment_id"] = (base_experiment.id if isinstance(base_experiment, Experiment)
                                          else int(base_experiment))
        if base_model_version is not None:
            body["base_model_version_id"] = int(getattr(base_model_version, "id",
                                                        base_model_version))
        return Experiment(self._connection, self._http.json(
            "POST", f"/projects/{self.id}/experiments", body=body))

    def get_experiment(self, name: str) -> Experiment:
        """The experiment named exactly `name`."""
        for data in every_item(self._http, f"/projects/{self.id}/experiments",
                               {"name": name}):
            if data["name"] == name:
                return Experiment(self._connection, data)
        raise NotFound(404, "not_found", f"no experiment named {name!r}", "name")

    def list_experiments(self) -> list[Experiment]:
        """Every experiment, newest first."""
        return [Experiment(self._connection, data)
                for data in every_item(self._http, f"/projects/{self.id}/experiments")]

    def results(self, dataset_version: Any = None) -> Any:
        """One row per experiment (or per experiment that used `dataset_version`): id,
        name, status, creation time, every VALUE log and every parameter
        (``parameters.`` + its name) as columns, read from the server's streamed CSV; a
        pandas DataFrame when pandas is installed, else a list of dicts (numbers and
        booleans typed, a missing value ``None``)."""
        params = ({} if dataset_version is None
                  else {"dataset_version_id": int(getattr(dataset_version, "id", dataset_version))})
        response = self._http.request("GET", f"/projects/{self.id}/results.csv",
                                      replayable=True, params=params)
        text = response.content.decode("utf-8")
        try:
            import pandas  # type: ignore[import-not-found, import-untyped, unused-ignore]
        except ImportError:
            import csv
            import io
            return [{key: _typed(value) if key not in ("name", "status", "created_at") else value
                     for key, value in row.items()}
                    for row in csv.DictReader(io.StringIO(text))]
        import io
        return pandas.read_csv(io.StringIO(text))

    def delete(self) -> None:
        """Deletes the project with all its experiments."""
        self._http.json("DELETE", f"/projects/{self.id}")



def _typed(text: str) -> Any:
    """A CSV cell as the value it was logged as: a number, a boolean, text, or None."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
