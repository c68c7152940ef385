"""A log as seed 000 answers it (`log`, `get_log`, `list_logs`, `log_parameters`):
`name`, `type` and `data`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .types import LogType

#: Seed 003's chart scopes: which part of training a LINE log's chart belongs to.
SCOPES = ("train", "validation", "test")


@dataclass(frozen=True)
class Checkpoint:
    """Metrics recorded against one checkpoint (seed 003 `update_metrics(…,
    weights_hash)`): its hash, the artifact whose SHA-256 it is (if stored), the metrics
    and when one was last recorded."""

    weights_hash: str
    artifact: str | None
    metrics: dict[str, Any]
    recorded_at: str


class Log:
    """One log of an experiment. A log that `log` or `log_parameters` answers is what was
    journaled (it reaches the server in the background; `id` is None); `get_log` and
    `list_logs` answer the server's record, with its `id` and times."""

    def __init__(self, name: str, type: LogType | str, data: Any,
                 record: dict[str, Any] | None = None):
        self.name = name
        self.type = LogType.of(type)
        self.data = data
        self._record = record or {}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Log:
        return cls(str(record["name"]), str(record["type"]), record.get("data"), record)

    @property
    def scope(self) -> str | None:
        """A LINE log's chart scope (train, validation or test), if it has one."""
        value = self._record.get("scope")
        return None if value is None else str(value)

    @property
    def id(self) -> int | None:
        value = self._record.get("id")
        return None if value is None else int(value)

    @property
    def created_at(self) -> str | None:
        return self._record.get("created_at")

    @property
    def updated_at(self) -> str | None:
        return self._record.get("updated_at")

    def __getitem__(self, key: str) -> Any:
        """The fields by key, as earlier versions of this client answered them."""
        if key in ("name", "type", "data"):
            value = getattr(self, key)
            return value.value if isinstance(value, LogType) else value
        return self._record[key]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Log):
            return (self.name, self.type, self.data) == (other.name, other.type, other.data)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Log(name={self.name!r}, type={self.type.name})"
