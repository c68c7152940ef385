"""How the transport tells a request that never left from one that may have reached
the server: read from urllib3's exception types on real sockets, not from message text."""

from __future__ import annotations

import socket
import threading

import pytest
import requests

from trackboard._http import Transport, _refused_before_sending
from trackboard.exceptions import UnreachableError


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _connection_error(url: str) -> requests.ConnectionError:
    with pytest.raises(requests.ConnectionError) as raised:
        requests.post(url, data=b"x", timeout=5)
    return raised.value


def test_a_refused_connection_sent_nothing() -> None:
    error = _connection_error(f"http://127.0.0.1:{_closed_port()}/")
    assert _refused_before_sending(error)


def test_a_connection_dropped_after_the_request_may_have_been_applied() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def read_then_hang_up() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    thread = threading.Thread(target=read_then_hang_up, daemon=True)
    thread.start()
    try:
        error = _connection_error(f"http://127.0.0.1:{listener.getsockname()[1]}/")
    finally:
        thread.join(5)
        listener.close()
    assert not _refused_before_sending(error)


def test_a_write_to_a_refusing_server_is_retried_then_raised_as_unreachable() -> None:
    transport = Transport(f"http://127.0.0.1:{_closed_port()}", "tb_x", retries=2,
                          backoff=0.001, max_backoff=0.001)
    with pytest.raises(UnreachableError, match="cannot reach"):
        transport.json("POST", "/projects", body={"name": "p"})
