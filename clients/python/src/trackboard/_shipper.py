"""Sends a journal's records to the server in order, a batch at a time, and marks what
the server acknowledged.

Before a batch's first request leaves, its range is written down (`inflight.json`); its
requests are a pure function of the records in that range, each with an idempotency key
made of the journal's id, the range's start and the request's index. A batch cut short by
a crash is therefore sent again exactly as it was, and the server applies each request
once. A transport failure (server down, restarting, unreachable) is retried with backoff
for as long as it lasts; a refusal (4xx) sets only the refused record aside, in
`rejected.jsonl`, and is handed to the training loop to raise at its next call.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import requests

from ._http import Transport
from ._journal import Journal, JournalState, Position, Record, read_records
from ._multipart import streamed_form
from .exceptions import ApiError, UnreachableError, api_error

#: The most LINE points in one request (the server takes 200,000).
MAX_POINTS = 100_000
#: The most record bytes in one batch.
MAX_BATCH_BYTES = 8 * 1024 * 1024
#: The records whose bytes are a file of the journal's `files/`.
FILE_KINDS = ("image", "artifact")
#: Statuses that say "later", not "no".
TRANSIENT_STATUSES = {408, 425, 429}


@dataclass
class Request:
    """One request of a batch and the records it carries (`body` is JSON to encode, or
    `raw` the JSON text itself)."""

    records: list[Record]
    method: str
    path: str
    body: Any = None
    raw: bytes | None = None
    fields: dict[str, str] | None = None
    file: tuple[str, str] | None = None  # (journal file name, upload file name)
    key: str = ""


@dataclass
class Batch:
    start: Position
    end: Position
    records: list[Record]
    files: list[str] = field(default_factory=list)

    def size(self, folder: Path) -> int:
        total = 0
        for record in self.records:
            total += (record.end.offset - record.start.offset)
        for name in self.files:
            try:
                total += (folder / "files" / name).stat().st_size
            except FileNotFoundError:
                pass
        return total


class Stopped(Exception):
    """Shipping was stopped while a request waited for the server."""


def plan(records: list[Record], experiment_path: str, key_base: str) -> list[Request]:
    """The requests that send `records`, in order. Consecutive LINE values of a log are
    sent together (at most `MAX_POINTS` a request); anything else goes alone, after the
    LINE values logged before it."""
    requests: list[Request] = []
    lines: dict[str, LineGroup] = {}

    def send_lines(name: str) -> None:
        group = lines.pop(name)
        requests.append(Request(group.records, "POST", f"{experiment_path}/logs",
                                raw=group.body(name)))

    def flush_lines() -> None:
        for name in list(lines):
            send_lines(name)

    for record in records:
        data = record.data
        kind = data.get("k")
        if kind == "line":
            count = data["c"] if "c" in data else len(data["v"])
            if count > MAX_POINTS:  # one call logged a huge list: cut it
                flush_lines()
                values = record.full()["v"]
                for start in range(0, count, MAX_POINTS):
                    part = values[start:start + MAX_POINTS]
                    requests.append(Request([record], "POST", f"{experiment_path}/logs", body={
                        "name": data["n"], "type": "LINE", "data": part,
                        **_each_at(data.get("w"), len(part))}))
                continue
            group = lines.get(data["n"])
            if group is not None and group.count + count > MAX_POINTS:
                send_lines(data["n"])
            lines.setdefault(data["n"], LineGroup()).add(record, count)
            continue
        flush_lines()
        if kind == "lines":
            requests.append(Request([record], "POST", f"{experiment_path}/logs",
                                    body={"name": data["n"], "type": "LINE", "data": data["d"],
                                          **_lines_wall_times(data["d"], data.get("w"))}))
        elif kind == "log":
            requests.append(Request([record], "POST", f"{experiment_path}/logs",
                                    body={"name": data["n"], "type": data["t"], "data": data["d"],
                                          "replace": data["r"]}))
        elif kind == "params":
            requests.append(Request([record], "POST", f"{experiment_path}/parameters",
                                    body=data["d"]))
        elif kind == "image":
            fields = {"caption": data.get("c", ""), "replace": "true" if data.get("r") else "false"}
            if data.get("st") is not None:
                fields["step"] = str(int(data["st"]))
            requests.append(Request([record], "POST",
                                    f"{experiment_path}/logs/{_segment(data['n'])}/images",
                                    fields=fields, file=(data["f"], data["fn"])))
        elif kind == "scope":
            requests.append(Request([record], "PATCH",
                                    f"{experiment_path}/logs/{_segment(data['n'])}",
                                    body={"scope": data["s"]}))
        elif kind == "ckpt":
            requests.append(Request([record], "POST", f"{experiment_path}/checkpoint-metrics",
                                    body={"weights_hash": data["h"], "metrics": data["d"]}))
        elif kind == "artifact":
            requests.append(Request([record], "POST", f"{experiment_path}/artifacts",
                                    fields={"name": data["n"], "replace": "true"},
                                    file=(data["f"], data["fn"])))
        else:
            raise ValueError(f"unknown journal record kind {kind!r}")
    flush_lines()
    for index, request in enumerate(requests):
        request.key = f"{key_base}-{index}"
    return requests


@dataclass
class LineGroup:
    """Consecutive LINE records of one log, sent as one request whose values are cut
    from the records' own text: nothing is parsed and printed again, so a large batch
    costs the training loop's thread no long stretch of the interpreter lock."""

    records: list[Record] = field(default_factory=list)
    count: int = 0
    #: Each record's wall time and value count; None once a record has none (a journal
    #: written before records carried times: the server stamps the batch on arrival).
    times: list[tuple[float, int]] | None = field(default_factory=list)

    def add(self, record: Record, count: int) -> None:
        self.records.append(record)
        self.count += count
        wall_time = record.data.get("w")
        if self.times is not None and wall_time is not None:
            self.times.append((float(wall_time), count))
        else:
            self.times = None

    def body(self, name: str) -> bytes:
        parts = []
        for record in self.records:
            raw = record.raw
            parts.append(raw[raw.index(b'"v":[') + 5:raw.rindex(b"]}")])
        values = b",".join(part for part in parts if part)
        wall_times = b""
        if self.times:
            each = b",".join(b",".join([float.__repr__(time).encode()] * count)
                             for time, count in self.times if count)
            wall_times = b',"wall_times":[' + each + b"]"
        return (b'{"name":' + json.dumps(name).encode() + b',"type":"LINE","data":[' + values
                + b"]" + wall_times + b"}")


def _each_at(wall_time: float | None, count: int) -> dict[str, list[float]]:
    """`wall_times` for `count` values logged at `wall_time`; nothing without one."""
    return {} if wall_time is None else {"wall_times": [wall_time] * count}


def _lines_wall_times(data: dict[str, Any], wall: Any) -> dict[str, list[float]]:
    """`wall_times` of a `lines` record: its own list, or its one time for each point
    when every series has as many values (else the server stamps the batch)."""
    if isinstance(wall, list):
        return {"wall_times": wall}
    lengths = {len(values) if isinstance(values, list) else 1
               for key, values in data.items() if key != "steps"}
    if not isinstance(wall, (int, float)) or len(lengths) != 1:
        return {}
    return _each_at(float(wall), lengths.pop())


def _segment(name: str) -> str:
    from urllib.parse import quote
    return quote(name, safe="")


def describe(record: dict[str, Any]) -> str:
    """A record in words, for a refusal: ``the LINE log 'loss'``."""
    kind = record.get("k")
    if kind in ("line", "lines"):
        return f"the LINE log {record['n']!r}"
    if kind == "log":
        return f"the {record['t']} log {record['n']!r}"
    if kind == "image":
        return f"an image of the log {record['n']!r}"
    if kind == "artifact":
        return f"the artifact {record['n']!r}"
    if kind == "scope":
        return f"the scope of the LINE log {record['n']!r}"
    if kind == "ckpt":
        return f"the metrics of checkpoint {record['h']}"
    return "the parameters"


class Shipment:
    """Ships one journal folder through `transport` to the experiment `experiment_id`.

    `journal` is the live journal when the run is still logging (its bytes are freed as
    batches are acknowledged, and a half-written last line is simply not read yet).
    """

    def __init__(self, folder: Path, transport: Transport, experiment_id: int,
                 journal: Journal | None = None, backoff: float = 0.25,
                 max_backoff: float = 5.0):
        self.folder = folder
        self.state = JournalState(folder)
        self.transport = transport
        self.experiment_path = f"/experiments/{experiment_id}"
        self.journal = journal
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.key_base = str(self.state.meta().get("id", folder.name))
        self.stop = threading.Event()
        #: Cuts a backoff short: someone waits for the server (a flush), so the next
        #: attempt goes now, not up to `max_backoff` later.
        self.retry_now = threading.Event()
        #: Whether the last attempt to reach the server failed.
        self.unreachable = False
        self._refusals: list[ApiError] = []
        self._refusals_lock = threading.Lock()
        #: Whether a refusal waits to be raised (read by every `log`, so a plain flag).
        self.refusals_waiting = False
        # The marks, read from the folder once and then kept here (the loop asks for
        # them at every flush): how far the server has everything, and the batch a
        # crash left in flight, sent again first.
        self.acked = self.state.acked()
        self._resume = self.state.inflight()
        self.in_flight = self._resume is not None

    # ---- what the loop sees -------------------------------------------------------
    def take_refusal(self) -> ApiError | None:
        """The oldest refusal not raised yet."""
        if not self._refusals:
            return None
        with self._refusals_lock:
            refusal = self._refusals.pop(0) if self._refusals else None
            self.refusals_waiting = bool(self._refusals)
            return refusal

    # ---- shipping -----------------------------------------------------------------
    def next_batch(self) -> Batch | None:
        """The batch in flight (after a crash), or the next one from the mark."""
        live = self.journal is not None
        if self._resume is not None:
            (start, end), self._resume = self._resume, None
            return _batch(start, end, list(read_records(self.folder, start, end, live=True)))
        start = self.acked
        records: list[Record] = []
        size = 0
        for record in read_records(self.folder, start, live=live):
            records.append(record)
            size += record.end.offset - record.start.offset
            if size >= MAX_BATCH_BYTES:
                break
        if not records:
            return None
        batch = _batch(start, records[-1].end, records)
        self.state.begin(batch.start, batch.end)
        self.in_flight = True
        return batch

    def ship_batch(self) -> bool:
        """Sends one batch and acknowledges it; whether there was one. Raises `Stopped`
        when asked to stop while the server is away (the batch stays in flight)."""
        batch = self.next_batch()
        if batch is None:
            return False
        for request in plan(batch.records, self.experiment_path,
                            f"{self.key_base}-{batch.start.segment}-{batch.start.offset}"):
            self._deliver(request)
        freed = batch.size(self.folder)
        self.state.acknowledge(batch.end, batch.files)
        self.acked, self.in_flight = batch.end, False
        if self.journal is not None:
            self.journal.freed(freed)
        return True

    def _deliver(self, request: Request) -> None:
        """Sends `request` until the server answers. A refusal of a request carrying many
        records, or of a LINE record holding many calls' values, is split so that only
        the refused record, or value, is set aside."""
        try:
            self._send(request)
        except ApiError as refusal:
            if len(request.records) > 1:
                for index, record in enumerate(request.records):
                    for part in plan([record], self.experiment_path, f"{request.key}.{index}"):
                        self._deliver(part)
                return
            record = request.records[0]
            if record.data.get("k") == "line" and record.data.get("c", 0) > 1:
                full = record.full()
                for index, value in enumerate(full["v"]):
                    one = {"k": "line", "n": full["n"], "v": [value]}
                    self._deliver_one(Request(
                        [record], "POST", request.path, key=f"{request.key}.{index}",
                        body={"name": full["n"], "type": "LINE", "data": [value],
                              **_each_at(full.get("w"), 1)}), one)
                return
            self._set_aside(record.full(), refusal)

    def _deliver_one(self, request: Request, what: dict[str, Any]) -> None:
        try:
            self._send(request)
        except ApiError as refusal:
            self._set_aside(what, refusal)

    def _set_aside(self, refused: dict[str, Any], refusal: ApiError) -> None:
        """Keeps a refused record in `rejected.jsonl`; the loop raises it next."""
        self.state.reject(refused, str(refusal))
        where = f" (field {refusal.field})" if refusal.field else ""
        with self._refusals_lock:
            self._refusals.append(api_error(
                refusal.status, refusal.code,
                f"the server refused {describe(refused)}: {refusal.message}{where}; the "
                f"record is kept in {self.folder / 'rejected.jsonl'}", refusal.field))
            self.refusals_waiting = True

    def _send(self, request: Request) -> None:
        """One request, repeated with the same key while the server is away."""
        attempt = 0
        while True:
            try:
                self._send_once(request)
                self.unreachable = False
                return
            except (ValueError, TypeError, requests.exceptions.InvalidJSONError) as unsendable:
                # Refused here: JSON cannot carry it (NaN, infinity). Like a 422.
                raise api_error(422, "validation_failed",
                                f"it cannot be sent as JSON: {unsendable}", "data") from None
            except UnreachableError:
                self.unreachable = True
            except ApiError as error:
                if error.status < 500 and error.status not in TRANSIENT_STATUSES:
                    self.unreachable = False
                    raise
                self.unreachable = error.status >= 500
            attempt += 1
            delay = min(self.max_backoff, self.backoff * 2 ** min(attempt, 10))
            self.retry_now.wait(delay)
            self.retry_now.clear()
            if self.stop.is_set():
                raise Stopped()

    def _send_once(self, request: Request) -> None:
        headers = {"Idempotency-Key": request.key}
        if request.raw is not None:
            headers["Content-Type"] = "application/json"
            self.transport.request(request.method, request.path, replayable=True,
                                   data=request.raw, headers=headers)
            return
        if request.file is None:
            self.transport.request(request.method, request.path, replayable=True,
                                   json=request.body, headers=headers)
            return
        stored, filename = request.file
        with open(self.folder / "files" / stored, "rb") as content:
            # Streamed from disk: an artifact may be large.
            body, content_type = streamed_form(request.fields or {}, filename, content)
            headers["Content-Type"] = content_type
            self.transport.request(request.method, request.path, replayable=True,
                                   data=body, headers=headers)


def _batch(start: Position, end: Position, records: list[Record]) -> Batch:
    files = [record.data["f"] for record in records if record.data.get("k") in FILE_KINDS]
    return Batch(start, end, records, files)


class Shipper:
    """The live journal's background thread: ships as records come (looking every
    `interval` seconds when idle), and stops when asked."""

    def __init__(self, shipment: Shipment, journal: Journal, interval: float = 0.5):
        self.shipment = shipment
        self.journal = journal
        self.interval = interval
        self._wake = threading.Event()
        self._closing = False
        self.failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="trackboard-shipper", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Ships now: when idle, and when waiting out a backoff."""
        self._wake.set()
        self.shipment.retry_now.set()

    def _run(self) -> None:
        try:
            while True:
                shipped = self.shipment.ship_batch()
                if shipped:
                    continue
                if self._closing:
                    return
                self._wake.wait(self.interval)
                self._wake.clear()
        except Stopped:
            return
        except BaseException as error:  # noqa: BLE001 - kept for the loop to raise
            self.failure = error

    def caught_up(self, written: Position) -> bool:
        """Whether everything before `written` is acknowledged."""
        return self.shipment.acked >= written and not self.shipment.in_flight

    def wait(self, written: Position, patience: float, deadline: float) -> bool:
        """Waits until everything before `written` is acknowledged; gives up when nothing
        moved for `patience` seconds while the server is away (or for 5 × `patience`
        while a request hangs), or at `deadline` (``time.monotonic()``). Whether it
        caught up."""
        self.wake()
        last_mark = self.shipment.acked
        last_move = time.monotonic()
        while not self.caught_up(written):
            if self.failure is not None or not self._thread.is_alive():
                return self.caught_up(written)
            now = time.monotonic()
            mark = self.shipment.acked
            if mark != last_mark:
                last_mark, last_move = mark, now
            still = now - last_move
            if now >= deadline or still >= 5 * patience or (
                    self.shipment.unreachable and still >= patience):
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        """Stops the thread (a request waiting for the server is abandoned; the journal
        keeps its records)."""
        self._closing = True
        self.shipment.stop.set()
        self.wake()
        self._thread.join(timeout=2)


def ship_folder(folder: Path, transport: Transport, experiment_id: int,
                give_up: Callable[[], bool]) -> int:
    """Ships a dead journal to the end (`trackboard sync`); answers the batches sent.
    `give_up` is asked between retries while the server is away."""
    shipment = Shipment(folder, transport, experiment_id)
    watcher = threading.Thread(target=lambda: _stop_when(shipment, give_up), daemon=True)
    watcher.start()
    sent = 0
    try:
        while shipment.ship_batch():
            sent += 1
    finally:
        shipment.stop.set()
    return sent


def _stop_when(shipment: Shipment, give_up: Callable[[], bool]) -> None:
    while not shipment.stop.is_set():
        if shipment.unreachable and give_up():
            shipment.stop.set()
            shipment.retry_now.set()
            return
        time.sleep(0.1)
