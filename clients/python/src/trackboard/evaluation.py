"""Assets of dataset versions, evaluations and their metrics: seed 000's
`add_evaluation`, `list_evaluations`, `compute_evaluations_metrics` and
`run_train_test_split_on_dataset`, and seed 001's assets."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import quote

from ._http import Transport, every_item
from ._images import image_bytes
from ._resource import Resource
from .exceptions import TrackboardError


class InferenceType(str, Enum):
    """What metrics are computed from (seed 000 `InferenceType`)."""

    OBJECT_DETECTION = "object_detection"
    SEGMENTATION = "segmentation"
    CLASSIFICATION = "classification"


class AddEvaluationType(str, Enum):
    """Whether a new evaluation of an asset replaces the earlier one or adds to it."""

    REPLACE = "replace"
    KEEP = "keep"


def _label(label: Any) -> str:
    """A label given as text or as anything with a `name` (seed 000's Label)."""
    return str(getattr(label, "name", label))


def shapes_body(rectangles: Iterable[Sequence[Any]] | None = None,
                polygons: Iterable[Sequence[Any]] | None = None,
                classifications: Iterable[Any] | None = None,
                scored: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The wire form of seed 000's tuples: rectangles ``(x, y, w, h, label[, score])``,
    polygons ``([[x, y], ...], label[, score])``, classifications ``label`` or
    ``(label, score)``. Scores come last and are required when `scored`."""

    def score_of(item: Sequence[Any], at: int) -> dict[str, Any]:
        if len(item) > at:
            return {"score": float(item[at])}
        if scored:
            raise ValueError(f"every prediction needs a score in [0, 1]: {tuple(item)!r}")
        return {}

    body: dict[str, list[dict[str, Any]]] = {"rectangles": [], "polygons": [],
                                             "classifications": []}
    for item in rectangles or []:
        x, y, w, h, label = item[:5]
        body["rectangles"].append({"x": float(x), "y": float(y), "width": float(w),
                                   "height": float(h), "label": _label(label),
                                   **score_of(item, 5)})
    for item in polygons or []:
        points, label = item[:2]
        body["polygons"].append({"points": [[float(x), float(y)] for x, y in points],
                                 "label": _label(label), **score_of(item, 2)})
    for item in classifications or []:
        if isinstance(item, (tuple, list)):
            body["classifications"].append({"label": _label(item[0]), **score_of(item, 1)})
        else:
            body["classifications"].append({"label": _label(item), **score_of((item,), 1)})
    return body


@dataclass(frozen=True, eq=False)
class Label:
    """A label of a dataset version (seed 000 `Label`): anything that takes a label
    takes this or its name, and a label equals its name (``Label("car") == "car"``)."""

    name: str

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Label):
            return self.name == other.name
        if isinstance(other, str):
            return self.name == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)


class Asset(Resource):
    """An image of a dataset version with its ground truth (`annotations`)."""

    @property
    def id(self) -> int:
        return int(self._data["id"])

    @property
    def filename(self) -> str:
        return str(self._data["filename"])

    @property
    def width(self) -> int:
        return int(self._data["width"])

    @property
    def height(self) -> int:
        return int(self._data["height"])

    @property
    def annotations(self) -> dict[str, list[dict[str, Any]]]:
        return dict(self._data["annotations"])

    def image(self) -> bytes:
        """The image's bytes, as uploaded."""
        return self._http.request("GET", f"/assets/{self.id}/image", replayable=True).content

    def delete(self) -> None:
        """Deletes the asset, its image and every evaluation of it."""
        self._http.json("DELETE", f"/assets/{self.id}")

    def __repr__(self) -> str:
        return f"Asset(id={self.id}, filename={self.filename!r})"


class MultiAsset(list[Asset]):
    """Several assets (seed 000 `MultiAsset`): a list, with their ids and file names."""

    @property
    def ids(self) -> list[int]:
        return [asset.id for asset in self]

    @property
    def filenames(self) -> list[str]:
        return [asset.filename for asset in self]

    def __repr__(self) -> str:
        return f"MultiAsset({len(self)} assets)"


@dataclass(frozen=True)
class Annotation:
    """The ground truth of one asset (seed 000 `DatasetVersion.list_annotations`):
    its shapes, as the asset holds them."""

    asset_id: int
    filename: str
    rectangles: list[dict[str, Any]]
    polygons: list[dict[str, Any]]
    classifications: list[dict[str, Any]]

    @classmethod
    def of(cls, asset: Asset) -> Annotation:
        shapes = asset.annotations
        return cls(asset.id, asset.filename, list(shapes.get("rectangles", [])),
                   list(shapes.get("polygons", [])), list(shapes.get("classifications", [])))


class Evaluation(Resource):
    """This experiment's predictions on one asset (seed 000 `add_evaluation`)."""

    @property
    def id(self) -> int:
        return int(self._data["id"])

    @property
    def asset_id(self) -> int:
        return int(self._data["asset_id"])

    @property
    def filename(self) -> str:
        return str(self._data["filename"])

    @property
    def predictions(self) -> dict[str, list[dict[str, Any]]]:
        return dict(self._data["predictions"])

    def delete(self) -> None:
        self._http.json("DELETE", f"/evaluations/{self.id}")

    def __repr__(self) -> str:
        return f"Evaluation(id={self.id}, asset_id={self.asset_id}, filename={self.filename!r})"


class MultiEvaluation(list[Evaluation]):
    """Several evaluations (seed 000 `list_evaluations`): a list, with their ids."""

    @property
    def ids(self) -> list[int]:
        return [evaluation.id for evaluation in self]

    def __repr__(self) -> str:
        return f"MultiEvaluation({len(self)} evaluations)"


def add_asset(http: Transport, version_id: int, image: Any, filename: str | None,
              rectangles: Any, polygons: Any, classifications: Any) -> Asset:
    """Uploads one image with its ground truth to a dataset version."""
    content, default_name = image_bytes(image)
    annotations = shapes_body(rectangles, polygons, classifications)
    fields = {"annotations": json.dumps(annotations),
              "filename": filename or default_name}
    files = {"file": (filename or default_name, content, "application/octet-stream")}
    data = http.request("POST", f"/dataset-versions/{version_id}/assets", replayable=False,
                        data=fields, files=files).json()
    return Asset(http, data)


class Job:
    """A metrics computation running on the server (seed 000's job to wait for):
    `wait_for_done` follows it and answers the metrics, or raises with the server's
    reason; `status` and `progress` say where it stands."""

    def __init__(self, http: Transport, data: dict[str, Any]):
        self._http = http
        self._data = data

    @property
    def status(self) -> str:
        return str(self._data["status"])

    @property
    def progress(self) -> tuple[int, int]:
        """Steps done and in all (a COCO evaluation has a step per class)."""
        return int(self._data["done"]), int(self._data["total"])

    def refresh(self) -> Job:
        self._data = self._http.json("GET", f"/metric-jobs/{self._data['id']}")
        return self

    def wait_for_done(self, timeout: float = 3600.0, interval: float = 0.2) -> dict[str, Any]:
        """Waits until the job ends; answers the metrics kept as the experiment's
        EVALUATION log, or raises `TrackboardError` with why it failed."""
        deadline = time.monotonic() + timeout
        while self.status == "running":
            if time.monotonic() > deadline:
                raise TrackboardError(
                    f"metrics job {self._data['id']} still running after {timeout} s")
            time.sleep(interval)
            self.refresh()
        if self.status != "success":
            raise TrackboardError(f"metrics job {self._data['id']} failed: {self._data['message']}")
        log = self._http.json("GET", f"/experiments/{self._data['experiment_id']}/logs/"
                                     f"{quote(self._data['log_name'], safe='')}")
        return dict(log["data"])


Split = tuple[MultiAsset, MultiAsset, dict[str, int], dict[str, int], list[Label]]


def split_seed(random_seed: Any) -> int:
    """The seed of a split: the one given (any integer, or text, hashed stably), or a
    random one when None, as seed 000 means it."""
    if random_seed is None:
        import secrets
        return secrets.randbits(63)
    if isinstance(random_seed, int):
        return random_seed & (2**63 - 1)
    import hashlib
    digest = hashlib.sha256(str(random_seed).encode()).digest()
    return int.from_bytes(digest[:8], "big") & (2**63 - 1)


def split_result(http: Transport, version_id: int, split: dict[str, Any], labels: list[str]
                 ) -> Split:
    """Seed 000's tuple: train assets, eval assets, their label counts, the labels. The
    version's assets are read once, page by page, not one request per asset."""
    every = {data["id"]: data for data in every_item(http, f"/dataset-versions/{version_id}/assets")}

    def assets(ids: list[int]) -> MultiAsset:
        return MultiAsset(Asset(http, every[asset_id]) for asset_id in ids if asset_id in every)

    return (assets(split["train"]["asset_ids"]), assets(split["test"]["asset_ids"]),
            dict(split["train"]["label_counts"]), dict(split["test"]["label_counts"]),
            [Label(label) for label in labels])
