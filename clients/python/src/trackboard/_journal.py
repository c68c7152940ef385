"""The local journal: what an experiment logs is written here first, on local disk, in
order, before anything is sent; a shipper (`_shipper.py`) sends it and marks what the
server acknowledged. A tracking outage of any length then costs no point and never
reaches the training loop, and a killed run's journal is sent later by `trackboard sync`.

A journal is a folder (mode 0700, files 0600) under ``TRACKBOARD_DIR`` or the user's
cache directory:

- ``meta.json``: the server, project and experiment it belongs to (never the token);
- ``000001.jsonl``, ``000002.jsonl``…: segments of records, one JSON object per line.
  `log` only queues its record; a writer thread writes the queue every millisecond, one
  ``write`` for all (so a process killed outright loses at most the records of its last
  few milliseconds, longer only while the disk itself stalls the writer). The loop never
  touches the disk: on ext4 any write can wait for a journal commit, which an fsync
  anywhere on the file system (the tracking server's own SQLite commits, on a shared
  disk) forces; measured here, a direct ``write`` in `log` stalled the loop 0.1 to 0.8 s.
  Records reach the disk with the kernel's writeback (within about 30 s), and with an
  fsync at `close`/exit: the client never fsyncs while the loop runs, for the same
  reason;
- ``files/``: the bytes of images and artifacts that records name;
- ``acked.json``: how far the server has acknowledged; ``inflight.json``: the batch being
  sent (sent again as it was, with the same idempotency keys, after a crash);
- ``rejected.jsonl``: records the server refused, each with its reason.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
import uuid
import warnings
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ._records import line_record

#: A segment is closed and a new one started past this size.
SEGMENT_BYTES = 64 * 1024 * 1024
#: How often the writer thread writes what the loop queued, in seconds.
WRITE_EVERY = 0.001
#: The default cap on a journal's unsent bytes (``TRACKBOARD_JOURNAL_CAP`` overrides it).
DEFAULT_CAP_BYTES = 4 * 1024**3


def journal_root() -> Path:
    """Where journals live: ``TRACKBOARD_DIR``, else the user's cache directory."""
    configured = os.environ.get("TRACKBOARD_DIR")
    if configured:
        return Path(configured).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(cache) / "trackboard" / "journals"


def cap_bytes() -> int:
    """The cap on a journal's unsent bytes, from ``TRACKBOARD_JOURNAL_CAP`` (bytes)."""
    text = os.environ.get("TRACKBOARD_JOURNAL_CAP")
    return int(text) if text else DEFAULT_CAP_BYTES


class Position(NamedTuple):
    """A place in a journal: a segment number and a byte offset in it (ordered)."""

    segment: int
    offset: int

    def as_json(self) -> dict[str, int]:
        return {"segment": self.segment, "offset": self.offset}

    @staticmethod
    def of(data: dict[str, Any]) -> Position:
        return Position(int(data["segment"]), int(data["offset"]))


START = Position(1, 0)


class Record(NamedTuple):
    """One record read back: where it starts and ends, and what it holds. A LINE
    record's `data` holds its log's name and how many values it has (``"c"``), not the
    values: they are sent as written, cut from `raw` (`full` parses them when needed)."""

    start: Position
    end: Position
    data: dict[str, Any]
    #: The line as written.
    raw: bytes

    def full(self) -> dict[str, Any]:
        """The record with every field parsed."""
        parsed: dict[str, Any] = json.loads(self.raw)
        return parsed


def _records_of(queued: list[Any]) -> list[bytes]:
    """The queue as records: LINE values queued between two other records become one
    record per log (in the order the logs first appear), so a loop's thousands of calls a
    second become a few records a millisecond; every other record stays where it was."""
    records: list[bytes] = []
    lines: dict[str, list[str]] = {}
    now = time.time()
    for item in queued:
        if type(item) is tuple:
            quoted_name, values = item
            found = lines.get(quoted_name)
            if found is None:
                lines[quoted_name] = [values]
            else:
                found.append(values)
            continue
        if lines:
            records.extend(line_record(name, values, now) for name, values in lines.items())
            lines = {}
        records.append(item)
    records.extend(line_record(name, values, now) for name, values in lines.items())
    return records


def _segment_path(folder: Path, segment: int) -> Path:
    return folder / f"{segment:06d}.jsonl"


def _write_json(path: Path, data: Any) -> None:
    """Replaces `path` atomically: a crash of the process leaves the old or the new file,
    never half. (Not fsynced, for the reason the module says; after a power loss the one
    batch that was in flight may be sent again under new keys.)"""
    temporary = path.with_name(path.name + ".tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        json.dump(data, file)
    os.replace(temporary, path)


def _read_json(path: Path) -> Any:
    try:
        with open(path) as file:
            return json.load(file)
    except FileNotFoundError:
        return None


class JournalFull(Exception):
    """An offline journal reached its cap: nothing can drain it until it is synced."""


class Journal:
    """The writing side of one journal, used by the training loop's thread(s).

    `append` and `append_line` only queue; a writer thread writes the queue every
    millisecond. At the cap of unsent bytes (counted as queued, so a few bytes a record
    apart from the file) `append` says so once on stderr and blocks until the shipper
    frees room: data is never dropped (offline, where nothing drains, it raises
    `JournalFull` instead of blocking for ever).
    """

    def __init__(self, folder: Path, meta: dict[str, Any], cap: int | None = None,
                 offline: bool = False):
        self.folder = folder
        self.offline = offline
        self._cap = cap if cap is not None else cap_bytes()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        (folder / "files").mkdir(mode=0o700, exist_ok=True)
        _write_json(folder / "meta.json", meta)
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)
        # The loop appends, the writer pops: a deque's append and popleft are atomic.
        self._queue: deque[bytes | tuple[str, str]] = deque()
        # Bytes journaled (counted by the logging side) and acknowledged (by the
        # shipper): each has one writer, so neither needs a lock on the hot path.
        self._journaled = 0
        self._acknowledged = 0
        self._warned_full = False
        # The segment being written, owned by whoever holds `_writing`.
        self._writing = threading.Lock()
        self._segment = 1
        self._fd = self._open_segment(1)
        self._offset = 0
        self._closed = threading.Event()
        self._writer = threading.Thread(target=self._write_behind, name="trackboard-journal",
                                        daemon=True)
        self._writer.start()

    @staticmethod
    def create(meta: dict[str, Any], offline: bool = False) -> Journal:
        """A new journal for one run of an experiment, named after it."""
        owner = meta.get("project") or f"experiment-{meta.get('experiment_id')}"
        label = "".join(c if c.isalnum() or c in "-_." else "_"
                        for c in f"{owner}--{meta.get('experiment', '')}")
        folder = journal_root() / f"{label[:120]}--{uuid.uuid4().hex[:12]}"
        return Journal(folder, meta, offline=offline)

    def _open_segment(self, segment: int) -> int:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        return os.open(_segment_path(self.folder, segment), flags, 0o600)

    def append_line(self, quoted_name: str, values: str) -> None:
        """Queues LINE values (their JSON text) of the log whose JSON-quoted name is
        `quoted_name`; the writer joins a log's queued values into one record."""
        self._reserve(len(values) + 1)
        self._queue.append((quoted_name, values))

    def append(self, line: bytes) -> None:
        """Queues one record (a JSON object and a newline) for the writer thread, which
        writes what is queued every millisecond (or when the interpreter lets it)."""
        self._reserve(len(line))
        self._queue.append(line)

    def _reserve(self, size: int) -> None:
        """Counts `size` more unsent bytes, waiting (or, offline, refusing) at the cap."""
        if self._unsent() + size <= self._cap:
            self._journaled += size  # the usual case: no lock
            return
        with self._lock:
            while self._unsent() + size > self._cap and self._unsent() > 0:
                if self.offline:
                    raise JournalFull(
                        f"the offline journal {self.folder} holds {self._unsent()} unsent bytes, "
                        f"its cap; sync it (trackboard sync {self.folder}) or raise "
                        "TRACKBOARD_JOURNAL_CAP")
                if not self._warned_full:
                    self._warned_full = True
                    print(f"trackboard: the journal {self.folder} reached its cap of "
                          f"{self._cap} unsent bytes; logging waits until the server takes "
                          "some (nothing is dropped)", file=sys.stderr)
                self._room.wait(timeout=1.0)
            self._journaled += size

    def _unsent(self) -> int:
        return self._journaled - self._acknowledged

    def _write_behind(self) -> None:
        while not self._closed.wait(WRITE_EVERY):
            self.drain()

    def drain(self) -> None:
        """Writes every queued record to the segment (one ``write`` for all of them)."""
        with self._writing:
            queued = [self._queue.popleft() for _ in range(len(self._queue))]
            if not queued:
                return
            data = memoryview(b"".join(_records_of(queued)))
            while data:
                done = os.write(self._fd, data)
                data = data[done:]
                self._offset += done
            if self._offset >= SEGMENT_BYTES:
                self._next_segment()

    def _next_segment(self) -> None:
        """Starts a new segment (holding `_writing`, on the writer's side: the loop never
        waits for the old one's fsync)."""
        os.fsync(self._fd)
        os.close(self._fd)
        self._segment += 1
        self._fd = self._open_segment(self._segment)
        self._offset = 0

    def add_file(self, content: bytes, suffix: str) -> str:
        """Keeps bytes a record names (an image); answers their name."""
        name, fd = self._new_file(suffix)
        try:
            os.write(fd, content)
        finally:
            os.close(fd)
        with self._lock:
            self._journaled += len(content)
        return name

    def copy_file(self, source: str, suffix: str) -> str:
        """Keeps a copy of the file at `source` (an artifact: the script may overwrite
        it next epoch), streamed; answers its name."""
        name, fd = self._new_file(suffix)
        with open(fd, "wb") as copy, open(source, "rb") as original:
            shutil.copyfileobj(original, copy, 1024 * 1024)
            size = copy.tell()
        with self._lock:
            self._journaled += size
        return name

    def _new_file(self, suffix: str) -> tuple[str, int]:
        name = f"{uuid.uuid4().hex}{suffix}"
        path = self.folder / "files" / name
        return name, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)

    def sync_to_disk(self) -> None:
        """Makes every record logged so far durable (at close: the loop is done)."""
        self.drain()
        with self._writing:
            os.fsync(self._fd)

    def written(self) -> Position:
        """Where the next record will start, once everything queued is written."""
        self.drain()
        with self._writing:
            return Position(self._segment, self._offset)

    def freed(self, count: int) -> None:
        """The shipper had `count` bytes acknowledged: room for the loop again."""
        with self._room:
            self._acknowledged += count
            self._room.notify_all()

    def close(self) -> None:
        self._closed.set()
        self._writer.join(timeout=5)
        self.sync_to_disk()
        with self._writing:
            os.close(self._fd)


def read_records(folder: Path, start: Position, end: Position | None = None,
                 live: bool = False) -> Iterator[Record]:
    """The whole records from `start` (up to `end`), in order.

    A line that is not a whole record stops the reading: in a journal still being
    written (`live`) that is a record not finished yet; in a dead one it is a torn tail
    (a crash mid-write), reported with a warning naming what is left unread.
    """
    segment, offset = start.segment, start.offset
    while True:
        path = _segment_path(folder, segment)
        if not path.exists():
            return
        with open(path, "rb") as file:
            file.seek(offset)
            while True:
                if end is not None and Position(segment, offset) >= end:
                    return
                line = file.readline()
                if not line and _segment_path(folder, segment + 1).exists():
                    # The writer moved on: this segment is complete, and anything it got
                    # since the read above is there now.
                    line = file.readline()
                if not line:
                    break
                record = _decoded(line)
                if record is None:
                    if not live:
                        rest = path.stat().st_size - offset
                        warnings.warn(
                            f"{path}: {rest} bytes from offset {offset} are not a whole "
                            "record (a crash mid-write?); the journal is read up to there",
                            stacklevel=2)
                    return
                next_offset = offset + len(line)
                yield Record(Position(segment, offset), Position(segment, next_offset), record,
                             line)
                offset = next_offset
        if not _segment_path(folder, segment + 1).exists():
            return
        segment, offset = segment + 1, 0


#: How `_records.line_record` starts a LINE record.
_LINE_START = b'{"k":"line","n":'
_LINE_NAMES: dict[bytes, str] = {}


def _decoded(line: bytes) -> dict[str, Any] | None:
    """A line's record, or None when it is not a whole one. LINE records, nearly all of
    a journal, are read without parsing their values (about 8 µs a record saved, which
    the training loop's thread would otherwise wait for under the interpreter lock)."""
    if not line.endswith(b"\n"):
        return None
    if line.startswith(_LINE_START):
        values_at = line.find(b',"v":[')
        values_end = line.rfind(b"]}")
        if values_at > 0 and values_end > values_at:
            quoted = line[len(_LINE_START):values_at]
            wall_time: float | None = None
            if b',"w":' in quoted:  # (a name's own quotes are escaped: this is the field)
                quoted, _, wall = quoted.rpartition(b',"w":')
                try:
                    wall_time = float(wall)
                except ValueError:
                    return None
            name = _LINE_NAMES.get(quoted)
            if name is None:
                try:
                    name = json.loads(quoted)
                except ValueError:
                    return None
                if not isinstance(name, str):
                    return None
                if len(_LINE_NAMES) < 10_000:
                    _LINE_NAMES[quoted] = name
            values = line[values_at + 6:values_end]
            count = values.count(b",") + 1 if values.strip() else 0
            return {"k": "line", "n": name, "c": count, "w": wall_time}
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


class JournalState:
    """The shipping side's marks in a journal folder: acknowledged, in flight, refused."""

    def __init__(self, folder: Path):
        self.folder = folder

    def meta(self) -> dict[str, Any]:
        meta = _read_json(self.folder / "meta.json")
        if not isinstance(meta, dict):
            raise FileNotFoundError(f"{self.folder} is not a Trackboard journal (no meta.json)")
        return meta

    def set_meta(self, meta: dict[str, Any]) -> None:
        _write_json(self.folder / "meta.json", meta)

    def acked(self) -> Position:
        data = _read_json(self.folder / "acked.json")
        return Position.of(data) if data else START

    def inflight(self) -> tuple[Position, Position] | None:
        data = _read_json(self.folder / "inflight.json")
        if not data:
            return None
        return Position.of(data["start"]), Position.of(data["end"])

    def begin(self, start: Position, end: Position) -> None:
        """Marks the batch `start..end` as being sent (before the first byte leaves)."""
        _write_json(self.folder / "inflight.json",
                    {"start": start.as_json(), "end": end.as_json()})

    def acknowledge(self, end: Position, files: list[str]) -> None:
        """The server has everything before `end`: moves the mark, deletes what it had."""
        _write_json(self.folder / "acked.json", end.as_json())
        (self.folder / "inflight.json").unlink(missing_ok=True)
        for name in files:
            (self.folder / "files" / name).unlink(missing_ok=True)
        for segment in range(1, end.segment):
            _segment_path(self.folder, segment).unlink(missing_ok=True)

    def reject(self, record: dict[str, Any], reason: str) -> None:
        """Sets a refused record aside, with the server's reason."""
        line = json.dumps({"record": record, "reason": reason}) + "\n"
        fd = os.open(self.folder / "rejected.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                     0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    def rejected(self) -> list[dict[str, Any]]:
        path = self.folder / "rejected.jsonl"
        if not path.exists():
            return []
        with open(path) as file:
            return [json.loads(line) for line in file if line.strip()]

    def unsent(self) -> int:
        """How many whole records are not acknowledged yet."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sum(1 for _ in read_records(self.folder, self.acked()))

    def remove_if_done(self) -> bool:
        """Deletes the journal when everything was acknowledged and nothing was refused."""
        if self.unsent() or self.rejected():
            return False
        for path in sorted(self.folder.rglob("*"), reverse=True):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
        self.folder.rmdir()
        return True
