"""Journal records as the training loop writes them: one JSON object per line, encoded
here. A LINE value that is a plain float takes a hand-written fast path (``float.__repr__``
is the shortest text that reads back to the same bits); anything else goes through
``json``. Numbers are never rounded: what is logged is what the server gets."""

from __future__ import annotations

import json
import math
import time
from typing import Any

Values = list[Any]


def line_values(values: Values) -> str:
    """The JSON text of LINE values without brackets (``None`` is a gap), as the journal's
    writer joins them into one record per log."""
    if len(values) == 1:
        value = values[0]
        if type(value) is float and math.isfinite(value):
            return float.__repr__(value)
    return json.dumps([_number(value) for value in values], separators=(",", ":"))[1:-1]


def line_record(quoted_name: str, values: list[str], wall_time: float) -> bytes:
    """Values appended to the LINE log whose JSON-quoted name is `quoted_name`, logged at
    `wall_time` (seconds since the Unix epoch: when the writer took them, within a
    millisecond of the calls)."""
    joined = ",".join(text for text in values if text)
    return (f'{{"k":"line","n":{quoted_name},"w":{float.__repr__(wall_time)},'
            f'"v":[{joined}]}}\n').encode()


def quoted(name: str) -> str:
    """A log name as a JSON string (kept: a loop logs the same few names)."""
    return _quoted(name)


def lines_record(name: str, data: dict[str, Any], wall_times: list[float] | None) -> bytes:
    """Several series (or explicit steps) of the LINE log `name`, sent as they are, with
    each point's wall time, or the time of the call for all of them."""
    return _encoded({"k": "lines", "n": name, "d": data,
                     "w": wall_times if wall_times is not None else time.time()})


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


def artifact_record(name: str, stored: str, filename: str) -> bytes:
    """The artifact `name` (replacing one of that name), its bytes in the journal's file
    `stored`."""
    return _encoded({"k": "artifact", "n": name, "f": stored, "fn": filename})


def scope_record(name: str, scope: str | None) -> bytes:
    """The chart scope of the LINE log `name` (train, validation, test or None)."""
    return _encoded({"k": "scope", "n": name, "s": scope})


def checkpoint_record(weights_hash: str, metrics: dict[str, Any]) -> bytes:
    """Metrics recorded against the checkpoint `weights_hash`."""
    return _encoded({"k": "ckpt", "h": weights_hash, "d": metrics})


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
