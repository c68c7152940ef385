"""The enumerations of the API, named as seed 000 names them."""

from __future__ import annotations

from enum import Enum


class _AnyCase(str, Enum):
    """An enumeration whose values are read in any case (``"RUNNING"`` is ``running``)."""

    @classmethod
    def _missing_(cls, value: object) -> _AnyCase | None:
        if isinstance(value, str):
            for member in cls:
                if member.value.lower() == value.lower():
                    return member
        return None


class LogType(_AnyCase):
    """The type of a log (seed 002): what its data looks like and how it is drawn. Seed
    000's examples also spell the names in title case (``LogType.Table``): those are
    aliases."""

    VALUE = "VALUE"
    LINE = "LINE"
    BAR = "BAR"
    TABLE = "TABLE"
    HEATMAP = "HEATMAP"
    IMAGE = "IMAGE"
    LABELMAP = "LABELMAP"
    #: Written by the server's metrics job (`compute_evaluations_metrics`), read only.
    EVALUATION = "EVALUATION"
    Value = "VALUE"
    Line = "LINE"
    Bar = "BAR"
    Table = "TABLE"
    Heatmap = "HEATMAP"
    Image = "IMAGE"
    Labelmap = "LABELMAP"
    Evaluation = "EVALUATION"

    @classmethod
    def of(cls, value: LogType | str) -> LogType:
        """The type named `value`, in any case (``"line"`` is ``LogType.LINE``)."""
        if isinstance(value, LogType):
            return value
        try:
            return cls(str(value))
        except ValueError:
            names = ", ".join(member.value for member in cls)
            raise ValueError(f"unknown log type {value!r}; the types are {names}") from None


class JobStatus(_AnyCase):
    """The state of an experiment's training job (any case: ``"RUNNING"``)."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    TERMINATED = "terminated"


class ExperimentStatus(_AnyCase):
    """The status of an experiment (any case: ``"RUNNING"``)."""

    WAITING = "waiting"
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"
