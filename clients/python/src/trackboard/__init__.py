"""Trackboard's Python client: log experiments from a training loop, with the
Experiment API of Picsellia's SDK (seed 000). See docs/PYTHON.md."""

from .client import Client, Dataset, DatasetVersion, Model, ModelVersion, Project
from .evaluation import AddEvaluationType, Asset, InferenceType, Job
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
from .types import ExperimentStatus, JobStatus, LogType

__all__ = [
    "AddEvaluationType",
    "ApiError",
    "Asset",
    "BadRequest",
    "Client",
    "ConfigurationError",
    "Conflict",
    "Dataset",
    "DatasetVersion",
    "Experiment",
    "ExperimentStatus",
    "Forbidden",
    "InferenceType",
    "Job",
    "JobStatus",
    "LogType",
    "Model",
    "ModelVersion",
    "NotFound",
    "PayloadTooLarge",
    "Project",
    "TrackboardError",
    "Unauthorized",
    "UnreachableError",
    "ValidationFailed",
]
__version__ = "0.1.0"
