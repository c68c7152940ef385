"""Journal records as the training loop writes them: one JSON object per line, encoded
here. A LINE value that is a plain float takes a hand-written fast path (``float.__repr__``
is the shortest text that reads back to the same bits); anything else goes through
``json``. Numbers are never rounded: what is logged is what the server gets."""

from __future__ import annotations

import json
import math
from typing import Any

Values = list[Any]


def line_record(name: str, values: Values) -> bytes:
    """Values appended to the LINE log `name` (``None`` is a gap)."""
    if len(values) == 1:
        value = values[0]
        if type(value) is float and math.isfinite(value):
            return f'{{"k":"line","n":{_quoted(name)},"v":[{float.__repr__(value)}]}}\n'.encode()
    return _encoded({"k": "line", "n": name, "v": [_number(value) for value in values]})


def lines_record(name: str, data: dict[str, Any]) -> bytes:
    """Several series (or explicit steps) of the LINE log `name`, sent as they are."""
    return _encoded({"k": "lines", "n": name, "d": data})


def log_record(name: str, log_type: str, data: Any, replace: bool) -> bytes:
    """Any other log's data, written as the server is asked to write it."""
    return _encoded({"k": "log", "n": name, "t": log_type, "d": data, "r": replace})


def parameters_record(parameters: dict[str, Any]) -> bytes:
    return _encoded({"k": "params", "d": parameters})


def image_record(name: str, stored: str, filename: str, caption: str, step: int | None,
                 replace: bool) -> bytes:
    """An image of the IMAGE log `name`, its bytes kept in the journal's file `stored`."""
    return _encoded({"k": "image", "n": name, "f": stored, "fn": filename, "c": caption,
                     "st": step, "r": replace})


_QUOTED: dict[str, str] = {}


def _quoted(name: str) -> str:
    quoted = _QUOTED.get(name)
    if quoted is None:
        quoted = _QUOTED[name] = json.dumps(name)
    return quoted


def _number(value: Any) -> Any:
    """A LINE value as JSON holds it: ``None``, or the float it is (numpy's included)."""
    if value is None or isinstance(value, bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value  # the server names what it cannot read


def _encoded(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, separators=(",", ":")) + "\n").encode()
