"""Artifacts (seed 000 `store`, `get_artifact`, `list_artifacts`, `create_artifact`) and
the experiment's logging file (`store_logging_file`, `get_logging_file`)."""

from __future__ import annotations

import os
import shutil
from typing import Any

from ._resource import Resource

#: Seed 000 calls an artifact of more than 5 MB "large".
LARGE_BYTES = 5 * 1024 * 1024
#: The artifact name under which an experiment's logging file is kept.
LOGGING_FILE_NAME = "logging-file"


class Artifact(Resource):
    """A file stored with an experiment: `name` (unique in the experiment), the uploaded
    `filename`, where its bytes are (`object_name`), `size`, `sha256` and `large`."""

    @property
    def id(self) -> int:
        return int(self._data["id"])

    @property
    def name(self) -> str:
        return str(self._data["name"])

    @property
    def filename(self) -> str:
        return str(self._data["filename"])

    @property
    def object_name(self) -> str:
        """The object's key in the server's artifact store."""
        return str(self._data.get("object_name", ""))

    @property
    def size(self) -> int:
        return int(self._data["size"])

    @property
    def sha256(self) -> str:
        return str(self._data["sha256"])

    @property
    def large(self) -> bool:
        """Over 5 MB, as seed 000 counts it."""
        return self.size > LARGE_BYTES

    def download(self, target_path: str = ".", force_replace: bool = True) -> str:
        """Streams the bytes into the folder `target_path` under the file's name; answers
        the path. An existing file is replaced unless `force_replace` is false (then
        FileExistsError)."""
        os.makedirs(target_path, exist_ok=True)
        destination = os.path.join(target_path, os.path.basename(self.filename) or self.name)
        if not force_replace and os.path.exists(destination):
            raise FileExistsError(destination)
        response = self._http.request("GET", f"/artifacts/{self.id}/download",
                                      replayable=True, stream=True)
        partial = destination + ".part"
        with open(partial, "wb") as file:
            shutil.copyfileobj(response.raw, file)
        os.replace(partial, destination)
        return destination

    def delete(self) -> None:
        """Deletes the artifact and its stored bytes."""
        self._http.json("DELETE", f"/artifacts/{self.id}")

    def __repr__(self) -> str:
        return f"Artifact(name={self.name!r}, filename={self.filename!r}, size={self.size})"


class LoggingFile(Artifact):
    """The experiment's logging file (seed 000 `store_logging_file`): an artifact kept
    under the name ``logging-file``."""

    def __repr__(self) -> str:
        return f"LoggingFile(filename={self.filename!r}, size={self.size})"


def artifact_of(http: Any, data: dict[str, Any]) -> Artifact:
    """The object for an artifact record: its logging file, or an artifact."""
    kind = LoggingFile if data.get("name") == LOGGING_FILE_NAME else Artifact
    return kind(http, data)
