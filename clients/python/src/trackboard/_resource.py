"""The base of the objects the client answers (seed 000 returns objects, not dicts):
a server record whose fields are attributes, and still readable by key
(``artifact["sha256"]``) for scripts written against earlier versions of this client."""

from __future__ import annotations

from typing import Any

from ._http import Transport


class Resource:
    """A record of the server, with the transport that reads and changes it."""

    def __init__(self, http: Transport, data: dict[str, Any]):
        self._http = http
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        """The record as the server answered it."""
        return dict(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Resource):
            return type(self) is type(other) and self._data == other._data
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
