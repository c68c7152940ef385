"""The background sender of LINE points: a training loop's `log` call only appends to a
list; a thread sends the points in batches, each with its own Idempotency-Key, so a
retried batch is stored once."""

from __future__ import annotations

import threading
import uuid
from typing import Callable, Optional

Values = list[Optional[float]]
#: The most points in one request (the server takes 200,000).
MAX_BATCH = 100_000


class LineBuffer:
    """Points waiting to be sent, per log name, in the order they were logged.

    A batch leaves when `interval` seconds passed or `size` points are waiting, and on
    `flush`. A batch the server refuses is not retried: its error is raised by the next
    call (`add` or `flush`).
    """

    def __init__(self, send: Callable[[str, Values, str], None], interval: float = 0.5,
                 size: int = 50_000):
        self._send = send
        self._interval = interval
        self._size = size
        self._pending: dict[str, Values] = {}
        self._count = 0
        self._sending = False
        self._flush_asked = False
        self._closed = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="trackboard-lines", daemon=True)
        self._thread.start()

    def add(self, name: str, values: Values) -> None:
        """Queues `values` for the log `name`; raises a failure of an earlier batch."""
        with self._changed:
            self._raise_error()
            if self._closed:
                raise RuntimeError("this experiment's logging was closed")
            self._pending.setdefault(name, []).extend(values)
            self._count += len(values)
            if self._count >= self._size:
                self._changed.notify_all()

    def flush(self) -> None:
        """Sends everything queued and waits until the server has it."""
        with self._changed:
            self._flush_asked = True
            self._changed.notify_all()
            while (self._pending or self._sending) and self._error is None:
                self._changed.wait()
            self._raise_error()

    def close(self) -> None:
        """Flushes, then stops the sender."""
        try:
            self.flush()
        finally:
            with self._changed:
                self._closed = True
                self._changed.notify_all()
            self._thread.join(timeout=5)

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while True:
            with self._changed:
                if not (self._closed or self._flush_asked or self._count >= self._size):
                    self._changed.wait(timeout=self._interval)
                if self._closed and not self._pending:
                    return
                batch, self._pending, self._count = self._pending, {}, 0
                self._flush_asked = False
                self._sending = bool(batch)
            try:
                for name, values in batch.items():
                    for start in range(0, len(values), MAX_BATCH):
                        self._send(name, values[start:start + MAX_BATCH], str(uuid.uuid4()))
            except BaseException as error:  # noqa: BLE001 - handed to the caller
                with self._changed:
                    self._error = error
            finally:
                with self._changed:
                    self._sending = False
                    self._changed.notify_all()
