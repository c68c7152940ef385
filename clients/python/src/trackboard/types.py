"""The enumerations of the API, named as seed 000 names them."""

from __future__ import annotations

from enum import Enum


class LogType(str, Enum):
    """The type of a log (seed 002): what its data looks like and how it is drawn."""

    VALUE = "VALUE"
    LINE = "LINE"
    BAR = "BAR"
    TABLE = "TABLE"
    HEATMAP = "HEATMAP"
    IMAGE = "IMAGE"
    LABELMAP = "LABELMAP"

    @classmethod
    def of(cls, value: LogType | str) -> LogType:
        """The type named `value`, in any case (``"line"`` is ``LogType.LINE``)."""
        if isinstance(value, LogType):
            return value
        try:
            return cls(str(value).upper())
        except ValueError:
            names = ", ".join(member.value for member in cls)
            raise ValueError(f"unknown log type {value!r}; the types are {names}") from None


class JobStatus(str, Enum):
    """The state of an experiment's training job."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    TERMINATED = "terminated"


class ExperimentStatus(str, Enum):
    """The status of an experiment."""

    WAITING = "waiting"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"
