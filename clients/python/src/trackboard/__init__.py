"""Trackboard's Python client: log experiments from a training loop, with the
Experiment API of Picsellia's SDK (seed 000). See docs/PYTHON.md."""

from .artifacts import Artifact, LoggingFile
from .client import Client, Project
from .evaluation import (
    AddEvaluationType,
    Annotation,
    Asset,
    Evaluation,
    InferenceType,
    Job,
    Label,
    MultiAsset,
    MultiEvaluation,
)
from .exceptions import (
    ApiError,
    BadRequest,
    ConfigurationError,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    TrackboardError,
    Unauthorized,
    UnreachableError,
    ValidationFailed,
)
from .experiment import Experiment
from .logs import Checkpoint, Log
from .registry import Dataset, DatasetVersion, Model, ModelVersion
from .types import ExperimentStatus, JobStatus, LogType

__all__ = [
    "AddEvaluationType",
    "Annotation",
    "ApiError",
    "Artifact",
    "Asset",
    "BadRequest",
    "Checkpoint",
    "Client",
    "ConfigurationError",
    "Conflict",
    "Dataset",
    "DatasetVersion",
    "Evaluation",
    "Experiment",
    "ExperimentStatus",
    "Forbidden",
    "InferenceType",
    "Job",
    "JobStatus",
    "Label",
    "Log",
    "LogType",
    "LoggingFile",
    "Model",
    "ModelVersion",
    "MultiAsset",
    "MultiEvaluation",
    "NotFound",
    "PayloadTooLarge",
    "Project",
    "TrackboardError",
    "Unauthorized",
    "UnreachableError",
    "ValidationFailed",
]
__version__ = "0.1.0"
