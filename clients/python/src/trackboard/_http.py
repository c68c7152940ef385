"""The transport: one `requests` session, the token, retries with backoff, and the
server's error envelope turned into typed exceptions."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Callable

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from .exceptions import ApiError, UnreachableError, api_error

API_PREFIX = "/api/v1"
RETRIED_STATUSES = {429, 500, 502, 503, 504}


class Transport:
    """Sends requests to one server with one token.

    Reads are retried on connection errors, 5xx and 429; writes only when they are safe
    to repeat: when the connection failed before anything was sent, or when they carry
    an ``Idempotency-Key`` (the server then applies them once).
    """

    def __init__(self, host: str, token: str, timeout: float = 30.0, retries: int = 8,
                 backoff: float = 0.25, max_backoff: float = 4.0):
        self.base = host.rstrip("/") + API_PREFIX
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.session.close()

    def json(self, method: str, path: str, *, body: Any = None,
             params: dict[str, Any] | None = None,
             idempotency_key: str | None = None) -> Any:
        """Sends a JSON request and answers the decoded JSON (``None`` for 204)."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        response = self.request(method, path, json=body, params=params, headers=headers,
                                replayable=method == "GET" or idempotency_key is not None)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def request(self, method: str, path: str, *, replayable: bool,
                **kwargs: Any) -> requests.Response:
        """Sends with retries; answers a successful response, raises a typed error."""
        url = self.base + path
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.ConnectionError as error:
                # Refused before anything was sent: safe to retry any request.
                sent = not _refused_before_sending(error)
                if (sent and not replayable) or attempt > self.retries:
                    raise UnreachableError(
                        f"cannot reach the Trackboard server at {self.base}: {error}") from error
                self._wait(attempt, None)
                continue
            except requests.Timeout as error:
                if not replayable or attempt > self.retries:
                    raise UnreachableError(
                        f"the Trackboard server at {self.base} did not answer in time: {error}"
                    ) from error
                self._wait(attempt, None)
                continue
            if response.status_code in RETRIED_STATUSES and replayable and attempt <= self.retries:
                self._wait(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code >= 400:
                raise _refusal(response)
            return response

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        time.sleep(delay * (0.5 + random.random() / 2))


@dataclass(frozen=True)
class Connection:
    """What the records of a client need of it: its transport, and a way to open
    another one (an experiment's background sender gets a session of its own)."""

    transport: Transport
    #: Another transport to the same server; `retries` overrides the client's.
    open_transport: Callable[..., Transport]
    #: Seconds between two system metrics samples of a logging experiment; None: off.
    system_metrics: float | None = None


def _refused_before_sending(error: requests.ConnectionError) -> bool:
    """Whether the connection failed before a byte of the request went out: no TCP
    connection was made (refused, unreachable, no such host), so repeating any request
    is safe. Read from the exception types urllib3 raises, never from their text."""
    seen = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, (NewConnectionError, ConnectionRefusedError)):
            return True
        if isinstance(cause, MaxRetryError):
            cause = cause.reason
        elif cause.args and isinstance(cause.args[0], BaseException):
            cause = cause.args[0]
        else:
            cause = cause.__cause__ or cause.__context__
    return False


def _refusal(response: requests.Response) -> ApiError:
    try:
        envelope = response.json()["error"]
        details = envelope.get("details") or {}
        return api_error(response.status_code, envelope.get("code", "unknown"),
                         envelope.get("message", response.text), details.get("field"))
    except (ValueError, KeyError, TypeError):
        return api_error(response.status_code, "unknown", response.text[:500], None)


def every_item(transport: Transport, path: str, params: dict[str, Any] | None = None,
               limit: int | None = None, offset: int = 0) -> Iterable[dict[str, Any]]:
    """Every item of a paginated list (or `limit` of them) from `offset`, page after page."""
    if limit is not None and limit < 0 or offset < 0:
        raise ValueError("limit and offset are counts: 0 or more")
    left = limit
    while left is None or left > 0:
        size = 1000 if left is None else min(left, 1000)
        page = transport.json("GET", path, params={**(params or {}), "limit": size,
                                                   "offset": offset})
        items = page["items"]
        yield from items
        offset += len(items)
        if left is not None:
            left -= len(items)
        if not items or offset >= page["total"]:
            return


def listed(transport: Transport, path: str, limit: int | None, offset: int | None,
           order_by: list[str] | str | None, params: dict[str, Any] | None = None,
           ) -> list[dict[str, Any]]:
    """A list as seed 000's `list_*` methods take it: `limit` items from `offset`, in the
    order of `order_by` (one field; ``-`` first for descending)."""
    fields = [order_by] if isinstance(order_by, str) else list(order_by or [])
    if len(fields) > 1:
        raise ValueError(f"the server orders by one field, got {fields!r}")
    query = dict(params or {})
    if fields:
        query["order_by"] = fields[0]
    return list(every_item(transport, path, query, limit, offset or 0))
