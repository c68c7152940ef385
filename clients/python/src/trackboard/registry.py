"""The registry's records: datasets with their versions (labels, assets, ground truth)
and models with their versions, named as seed 000 names them."""

from __future__ import annotations

import contextlib
import os
from typing import Any

from ._http import Connection, every_item
from ._resource import Resource
from .evaluation import (
    Annotation,
    Asset,
    Label,
    MultiAsset,
    Split,
    add_asset,
    split_result,
    split_seed,
)
from .exceptions import NotFound


class Record(Resource):
    """A server record with its fields as attributes (`dataset.id`, `dataset.name`)."""

    def __init__(self, connection: Connection, data: dict[str, Any]):
        super().__init__(connection.transport, data)
        self._connection = connection

    @property
    def id(self) -> int:
        return int(self._data["id"])

    @property
    def name(self) -> str:
        return str(self._data.get("name", self._data.get("version", "")))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id}, name={self.name!r})"


class Dataset(Record):
    """A dataset of the registry, with named versions."""

    def create_version(self, version: str, description: str = "", asset_count: int = 0,
                       labels: list[str] | None = None) -> DatasetVersion:
        body = {"version": version, "description": description, "asset_count": asset_count,
                "labels": labels or []}
        return DatasetVersion(self._connection, self._http.json(
            "POST", f"/datasets/{self.id}/versions", body=body))

    def list_versions(self) -> list[DatasetVersion]:
        return [DatasetVersion(self._connection, data)
                for data in every_item(self._http, f"/datasets/{self.id}/versions")]

    def get_version(self, version: str) -> DatasetVersion:
        for found in self.list_versions():
            if found.name == version:
                return found
        raise NotFound(404, "not_found", f"dataset {self.name!r} has no version {version!r}",
                       "version")


class DatasetVersion(Record):
    """One version of a dataset: its labels, and its assets with their ground truth.
    One answered by an experiment's `list_attached_dataset_versions` or `get_dataset`
    also says the `alias` it is attached under."""

    def __init__(self, connection: Connection, data: dict[str, Any], alias: str | None = None):
        super().__init__(connection, data)
        self.alias = alias

    @property
    def version(self) -> str:
        return str(self._data["version"])

    @property
    def labels(self) -> list[str]:
        return list(self._data.get("labels", []))

    def list_labels(self) -> list[Label]:
        """The version's labels as `Label`s."""
        return [Label(name) for name in self.labels]

    def add_asset(self, image: Any, filename: str | None = None,
                  rectangles: Any = None, polygons: Any = None,
                  classifications: Any = None) -> Asset:
        """Uploads an image (a path, bytes, a PIL image or an array) with its ground
        truth: rectangles ``(x, y, w, h, label)``, polygons ``([[x, y], ...], label)``,
        classifications ``label``; every label one of the version's."""
        return add_asset(self._http, self.id, image, filename, rectangles, polygons,
                         classifications)

    def import_coco(self, annotation_file: str, image_paths: list[str]) -> dict[str, Any]:
        """Imports a COCO annotation file with its images (each path's file name is the
        file's ``file_name``): every image becomes an asset with its boxes and polygons,
        or nothing is stored. Answers the new asset ids and the crowd regions left out."""
        with open(annotation_file, "rb") as file:
            parts: list[tuple[str, tuple[str, Any, str]]] = [
                ("annotations", ("annotations.json", file.read(), "application/json"))]
        with contextlib.ExitStack() as opened:
            parts += [("images", (os.path.basename(path), opened.enter_context(open(path, "rb")),
                                  "application/octet-stream"))
                      for path in image_paths]
            return dict(self._http.request("POST", f"/dataset-versions/{self.id}/coco-import",
                                           replayable=False, files=parts).json())

    def list_assets(self, label: str | Label | None = None) -> MultiAsset:
        """Every asset in upload order, or those with a ground-truth shape of `label`."""
        params = {"label": str(label)} if label is not None else None
        return MultiAsset(Asset(self._http, data) for data in
                          every_item(self._http, f"/dataset-versions/{self.id}/assets", params))

    def list_annotations(self) -> list[Annotation]:
        """The ground truth of every asset, in upload order."""
        return [Annotation.of(asset) for asset in self.list_assets()]

    def find_asset(self, filename: str) -> Asset:
        """The asset named `filename`."""
        for data in every_item(self._http, f"/dataset-versions/{self.id}/assets",
                               {"filename": filename}):
            return Asset(self._http, data)
        raise NotFound(404, "not_found", f"no asset named {filename!r}", "filename")

    def split_train_test(self, prop: float = 0.8, random_seed: Any = None) -> Split:
        """Seed 000's split: train assets, eval assets, how many assets of each side
        have each label, and the labels. The same seed gives the same split on any
        machine; None (the default) a random one."""
        split = self._http.json("POST", f"/dataset-versions/{self.id}/split",
                                body={"proportion": prop, "seed": split_seed(random_seed)})
        return split_result(self._http, self.id, split, self.labels)


class Model(Record):
    """A model of the registry."""

    def list_versions(self) -> list[ModelVersion]:
        """Every version, newest first."""
        return [ModelVersion(self._connection, data)
                for data in every_item(self._http, f"/models/{self.id}/versions")]

    def get_version(self, version: int) -> ModelVersion:
        """The version numbered `version` (1, 2, …)."""
        for found in self.list_versions():
            if found.version == int(version):
                return found
        raise NotFound(404, "not_found", f"model {self.name!r} has no version {version}",
                       "version")


class ModelVersion(Record):
    """One numbered version of a model, exported from an experiment, with the
    experiment's parameters and label map at export time."""

    @property
    def name(self) -> str:
        return f"{self.model_name} v{self.version}"

    @property
    def version(self) -> int:
        return int(self._data["version"])

    @property
    def model_name(self) -> str:
        return str(self._data["model_name"])

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self._data.get("parameters", {}))

    @property
    def labelmap(self) -> dict[str, str]:
        return dict(self._data.get("labelmap", {}))

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self._data.get("files", []))
